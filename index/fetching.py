"""HTTP fetching with aiohttp: a timeout, a size cap and clear errors."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from index.errors import FetchError

MAX_REDIRECTS = 5


def is_public_address(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local, metadata)."""
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_global
    except ValueError:
        return False


class NonPublicAddressError(OSError):
    """A host resolved only to loopback, private or link-local addresses."""


class PublicOnlyResolver(AbstractResolver):
    """A resolver that refuses hosts resolving only to non-public addresses.

    Checking at connect time (rather than before the request) also covers redirects, links inside
    feeds and DNS answers that change between a check and the request.
    """

    def __init__(self, inner: AbstractResolver | None = None) -> None:
        """Wrap ``inner`` (aiohttp's default resolver when None)."""
        self._inner = inner or DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve ``host``, keeping only public addresses."""
        public = [r for r in await self._inner.resolve(host, port, family) if is_public_address(r["host"])]
        if not public:
            raise NonPublicAddressError(f"{host} is not a public address")
        return public

    async def close(self) -> None:
        """Close the wrapped resolver."""
        await self._inner.close()


USER_AGENT = "sitrep/0.1 (+https://github.com/sitrep-bot/sitrep; news archive bot)"


@dataclass(frozen=True)
class Fetched:
    """A fetched resource."""

    url: str  # after redirects
    content_type: str | None
    data: bytes


class Fetcher:
    """Fetches URLs over one shared aiohttp session."""

    def __init__(
        self, *, timeout: float = 20.0, max_bytes: int = 5 * 1024 * 1024, public_only: bool = False
    ) -> None:
        """Create a fetcher; the session is opened lazily on the running loop.

        Args:
            timeout: seconds for a whole request.
            max_bytes: larger bodies are refused.
            public_only: refuse loopback, private and link-local addresses, redirects included
                (for a bot that fetches what strangers paste).
        """
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.public_only = public_only
        self._session: aiohttp.ClientSession | None = None

    def _check(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url}: only http(s) URLs can be fetched")
        host = parts.hostname
        # aiohttp does not consult the resolver for literal addresses, so check those here.
        if self.public_only and _is_ip(host) and not is_public_address(host):
            raise FetchError(f"{url}: {host} is not a public address")

    async def fetch(self, url: str) -> Fetched:
        """GET ``url``; raises FetchError on network errors, non-2xx statuses, timeouts or oversize bodies."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(resolver=PublicOnlyResolver()) if self.public_only else None
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                headers={"User-Agent": USER_AGENT},
            )
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
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self._check(current)
            async with self._session.get(current, allow_redirects=False) as resp:
                if resp.status in (301, 302, 303, 307, 308) and "Location" in resp.headers:
                    current = urljoin(current, resp.headers["Location"])
                    continue
                if resp.status >= 400:
                    raise FetchError(f"{url}: HTTP {resp.status} {resp.reason or ''}".strip())
                if resp.content_length and resp.content_length > self.max_bytes:
                    raise FetchError(
                        f"{url}: too large ({resp.content_length:,} bytes; limit {self.max_bytes:,})"
                    )
                chunks: list[bytes] = []
                size = 0
                async for chunk in resp.content.iter_chunked(65536):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(f"{url}: too large (over {self.max_bytes:,} bytes)")
                    chunks.append(chunk)
                ctype = resp.headers.get("Content-Type")
                return Fetched(url=str(resp.url), content_type=ctype, data=b"".join(chunks))
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")

    async def close(self) -> None:
        """Close the session (and its connector and resolver)."""
        if self._session is not None:
            await self._session.close()
            self._session = None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
