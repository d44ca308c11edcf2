"""Checks on URLs users ask the bot to fetch: http(s) only, and (by default) public addresses only."""

from __future__ import annotations

import asyncio
import socket
from urllib.parse import urlsplit

from bot.errors import UsageError
from index.ingest.addresses import is_public_address, literal_address


def check_url_syntax(url: str) -> str:
    """The URL, stripped, if it is an absolute http(s) URL with a host; else UsageError.

    The library also ingests local paths, so anything that isn't a URL must never reach it from Discord.
    """
    url = url.strip().strip("<>")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError("Give a full http:// or https:// link to an article or a feed.")
    return url


async def check_public_url(url: str, *, allow_private: bool = False) -> str:
    """``check_url_syntax``, plus: every address the host resolves to is public (no loopback, LAN, metadata).

    This gives the user a clear message early; the library's fetcher (``public_urls_only``) checks
    again at connect time, redirects and feed links included.
    """
    url = check_url_syntax(url)
    if allow_private:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    not_public = UsageError(f"{host} is not a public address; the bot only fetches from the public internet.")
    literal = literal_address(host)  # 2130706433, 0x7f.1 and 0177.0.0.1 are all 127.0.0.1
    if literal is not None:
        if not is_public_address(str(literal)):
            raise not_public
        return url
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except OSError as e:
        raise UsageError(f"Can't resolve {host}.") from e
    if not all(is_public_address(str(info[4][0])) for info in infos):
        raise not_public
    return url
