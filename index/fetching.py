"""HTTP fetching with aiohttp: a timeout, a size cap and clear errors."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp

from index.errors import FetchError

USER_AGENT = "sitrep/0.1 (+https://github.com/sitrep-bot/sitrep; news archive bot)"


@dataclass(frozen=True)
class Fetched:
    """A fetched resource."""

    url: str  # after redirects
    content_type: str | None
    data: bytes


class Fetcher:
    """Fetches URLs over one shared aiohttp session."""

    def __init__(self, *, timeout: float = 20.0, max_bytes: int = 5 * 1024 * 1024) -> None:
        """Create a fetcher; the session is opened lazily on the running loop."""
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._session: aiohttp.ClientSession | None = None

    async def fetch(self, url: str) -> Fetched:
        """GET ``url``; raises FetchError on network errors, non-2xx statuses, timeouts or oversize bodies."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout), headers={"User-Agent": USER_AGENT}
            )
        try:
            async with self._session.get(url, allow_redirects=True, max_redirects=5) as resp:
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
        except TimeoutError as e:
            raise FetchError(f"{url}: timed out after {self.timeout:g} s") from e
        except aiohttp.InvalidURL as e:
            raise FetchError(f"{url}: not a valid URL") from e
        except aiohttp.ClientError as e:
            raise FetchError(f"{url}: {type(e).__name__}: {e}") from e
        except asyncio.CancelledError:
            raise

    async def close(self) -> None:
        """Close the session."""
        if self._session is not None:
            await self._session.close()
            self._session = None
