"""HTTP fetching with aiohttp for URLs strangers paste: public addresses only, bounded in every way.

Every hop (the URL, each redirect, each feed link) is checked by ``addresses.check_url`` on the host
the connection will really use (yarl's IDNA/UTS-46 normalisation, percent-escapes, legacy IPv4
spellings), and the parsed URL that was judged is the one requested. Two guards sit under that, at
connect time: the resolver keeps only public DNS answers, so the address that was checked is the
address connected to (there is no second lookup an attacker could rebind), and the socket factory
refuses to open a socket to any non-public address, which also covers IP literals, for which aiohttp
never consults the resolver. Timeouts, a body cap (counted on decompressed bytes, read in bounded
steps so a gzip bomb stops at the cap) and a content-type allow-list bound the rest.
"""

from __future__ import annotations

import ipaddress
import socket
import zlib
from collections.abc import Callable

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.connector import AddrInfoType
from aiohttp.resolver import DefaultResolver
from yarl import URL

from index.errors import FetchError
from index.ingest.addresses import NOT_PUBLIC, check_url, is_public_address
from index.models import Fetched
from index.storage.records import utc_now

__all__ = [
    "Fetched",
    "Fetcher",
    "NonPublicAddressError",
    "PublicOnlyResolver",
    "is_public_address",
    "public_socket_factory",
]

MAX_REDIRECTS = 5
READ_CHUNK = 65536
# What a news page or feed is served as; anything else (images, PDFs, archives, binaries) is refused.
ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/xml",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "text/plain",
)


class NonPublicAddressError(OSError):
    """A host resolved only to loopback, private or link-local addresses."""


class PublicOnlyResolver(AbstractResolver):
    """A resolver that keeps only addresses ``allowed`` accepts, and fails when none is left.

    aiohttp's connector connects to exactly the addresses this returns, so the check and the
    connection use one DNS answer.
    """

    def __init__(
        self, inner: AbstractResolver | None = None, allowed: Callable[[str], bool] = is_public_address
    ) -> None:
        """Wrap ``inner`` (aiohttp's default resolver when None)."""
        self._inner = inner or DefaultResolver()
        self._allowed = allowed

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve ``host``, keeping only allowed addresses."""
        kept = [r for r in await self._inner.resolve(host, port, family) if self._allowed(r["host"])]
        if not kept:
            raise NonPublicAddressError(f"{host} {NOT_PUBLIC}")
        return kept

    async def close(self) -> None:
        """Close the wrapped resolver."""
        await self._inner.close()


def public_socket_factory(
    allowed: Callable[[str], bool] = is_public_address,
) -> Callable[[AddrInfoType], socket.socket]:
    """A socket factory for aiohttp's connector that refuses every address ``allowed`` refuses.

    aiohttp connects to IP literals without asking the resolver, so the resolver alone cannot
    guard them; every connection attempt, literal or resolved, opens its socket here with the exact
    address it is about to connect to. Anything that is not a plain IP address is refused too, so
    no spelling can reach a second lookup inside ``sock_connect``.
    """

    def open_socket(addr_info: AddrInfoType) -> socket.socket:
        family, kind, proto, _, sockaddr = addr_info
        host = str(sockaddr[0])
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise NonPublicAddressError(f"{host} is not an IP address; refusing to connect") from None
        if not allowed(host):
            raise NonPublicAddressError(f"{host} {NOT_PUBLIC}")
        return socket.socket(family=family, type=kind, proto=proto)

    return open_socket


USER_AGENT = "sitrep/0.1 (+https://github.com/sitrep-bot/sitrep; news archive bot)"


class _Inflater:
    """Decodes a Content-Encoding in bounded steps: never more than ``limit`` bytes come out."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        self.encoding, self.limit, self.url = encoding, limit, url
        self.produced = 0
        # 47: gzip or zlib header, detected. "deflate" is zlib-wrapped by the standard, raw by some servers.
        self._d = zlib.decompressobj(47 if encoding in ("gzip", "x-gzip") else 15)
        self._started = False

    def feed(self, data: bytes) -> bytes:
        try:
            out = self._d.decompress(data, self.limit - self.produced + 1)
        except zlib.error:
            if self.encoding != "deflate" or self._started:
                raise FetchError(f"{self.url}: the compressed body is corrupt") from None
            self._d = zlib.decompressobj(-15)
            out = self._d.decompress(data, self.limit - self.produced + 1)
        self._started = True
        self.produced += len(out)
        # Output capped at limit + 1: anything left over means the body is bigger than the limit.
        if self.produced > self.limit or self._d.unconsumed_tail:
            raise FetchError(f"{self.url}: too large once decompressed (over {self.limit:,} bytes)")
        return out


def _check_type(url: str, content_type: str | None) -> None:
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime and mime not in ACCEPTED_TYPES:
        raise FetchError(f"{url}: the server sent {mime}, not a web page, feed or plain text")


def _redirect_target(current: URL, location: str) -> URL:
    """Where a redirect points, resolved against the URL that answered, as aiohttp would."""
    try:
        return current.join(URL(location))
    except Exception as e:  # yarl raises more than ValueError on hostile text (IndexError for "[]@")
        raise FetchError(f"{current}: redirected to an invalid URL ({location!r})") from e


class Fetcher:
    """Fetches URLs over one shared aiohttp session."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        max_bytes: int = 5 * 1024 * 1024,
        public_only: bool = True,
        resolver: AbstractResolver | None = None,
        allowed: Callable[[str], bool] = is_public_address,
    ) -> None:
        """Create a fetcher; the session is opened lazily on the running loop.

        Args:
            timeout: seconds for a whole request (connecting and each read get less).
            max_bytes: larger bodies are refused, compressed or not.
            public_only: refuse loopback, private, link-local and other non-public addresses,
                redirects included (the default; False only for people fetching their own LAN).
            resolver: the DNS resolver under the public-only check (tests inject one).
            allowed: which addresses count as public (tests narrow it to one loopback address).
        """
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.public_only = public_only
        self._resolver = resolver
        self._allowed = allowed
        self._session: aiohttp.ClientSession | None = None

    def _open_session(self) -> aiohttp.ClientSession:
        inner = self._resolver
        if self.public_only:
            connector = aiohttp.TCPConnector(
                resolver=PublicOnlyResolver(inner, self._allowed),
                socket_factory=public_socket_factory(self._allowed),
            )
        else:
            connector = aiohttp.TCPConnector(resolver=inner) if inner else aiohttp.TCPConnector()
        return aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(
                total=self.timeout, connect=min(10.0, self.timeout), sock_read=min(15.0, self.timeout)
            ),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            auto_decompress=False,  # decompressed here, in bounded steps
        )

    async def fetch(self, url: str) -> Fetched:
        """GET ``url``; raises FetchError (a message fit for users) on anything refused or failed."""
        if self._session is None or self._session.closed:
            self._session = self._open_session()
        try:
            return await self._follow(url)
        except TimeoutError as e:
            raise FetchError(f"{url}: timed out after {self.timeout:g} s") from e
        except aiohttp.InvalidURL as e:
            raise FetchError(f"{url}: not a valid URL") from e
        except aiohttp.ClientConnectorError as e:
            if isinstance(e.os_error, NonPublicAddressError):
                raise FetchError(f"{url}: {e.os_error}") from e
            raise FetchError(f"{url}: {type(e).__name__}: {e}") from e
        except aiohttp.ClientError as e:
            raise FetchError(f"{url}: {type(e).__name__}: {e}") from e

    async def _follow(self, url: str) -> Fetched:
        """GET with redirects followed by hand, so every hop is checked."""
        assert self._session is not None
        hop: str | URL = url
        for _ in range(MAX_REDIRECTS + 1):
            # The parsed URL that was judged is the one requested: nothing re-parses the text.
            current = check_url(hop, public_only=self.public_only, allowed=self._allowed)
            async with self._session.get(current, allow_redirects=False) as resp:
                if resp.status in (301, 302, 303, 307, 308) and "Location" in resp.headers:
                    hop = _redirect_target(current, resp.headers["Location"])
                    continue
                if resp.status >= 400:
                    raise FetchError(f"{url}: HTTP {resp.status} {resp.reason or ''}".strip())
                ctype = resp.headers.get("Content-Type")
                _check_type(url, ctype)
                data = await self._read(url, resp)
                return Fetched(
                    url=str(resp.url), content_type=ctype, data=data, status=resp.status, fetched_at=utc_now()
                )
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")

    async def _read(self, url: str, resp: aiohttp.ClientResponse) -> bytes:
        """The body, stopping as soon as it (raw or decompressed) passes ``max_bytes``."""
        if resp.content_length and resp.content_length > self.max_bytes:
            raise FetchError(f"{url}: too large ({resp.content_length:,} bytes; limit {self.max_bytes:,})")
        encoding = resp.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
            raise FetchError(f"{url}: unsupported content encoding {encoding!r}")
        inflater = _Inflater(encoding, self.max_bytes, url) if encoding not in ("identity", "") else None
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.content.iter_chunked(READ_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"{url}: too large (over {self.max_bytes:,} bytes)")
            chunks.append(inflater.feed(chunk) if inflater else chunk)
        return b"".join(chunks)

    async def close(self) -> None:
        """Close the session (and its connector and resolver)."""
        if self._session is not None:
            await self._session.close()
            self._session = None
