"""Checks on URLs users ask the bot to fetch: http(s) only, and (by default) public addresses only.

The host is judged by the library's ``check_url``, on the spelling the HTTP client will really use
(IDNA look-alikes such as ``１２７.０.０.１``, legacy IPv4 forms, percent-escapes), so the bot and the
fetcher refuse the same things; the fetcher checks again at connect time, redirects and feed links
included.
"""

from __future__ import annotations

import asyncio
import socket
from urllib.parse import urlsplit

from yarl import URL

from bot.errors import UsageError
from index.errors import FetchError
from index.ingest.addresses import check_url, connection_host, is_public_address, literal_address


def _checked(url: str, *, public_only: bool) -> tuple[str, URL]:
    """The stripped URL and its parse, or UsageError saying what is wrong with the link."""
    url = url.strip().strip("<>")
    try:
        parts = urlsplit(url)
    except ValueError as e:  # e.g. an unclosed IPv6 bracket
        raise UsageError(f"{url}: not a valid URL ({e}). Check the link and try again.") from e
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            "Give a full http:// or https:// link to an article or a feed, or a Telegram channel (t.me/s/NAME)."
        )
    try:
        return url, check_url(url, public_only=public_only)
    except FetchError as e:
        raise UsageError(f"{e}. Check the link and try again." if not public_only else str(e)) from e


def check_url_syntax(url: str) -> str:
    """The URL, stripped, if it is an absolute http(s) URL with a valid host; else UsageError.

    The library also ingests local paths, so anything that isn't a URL must never reach it from Discord.
    """
    return _checked(url, public_only=False)[0]


async def check_public_url(url: str, *, allow_private: bool = False) -> str:
    """``check_url_syntax``, plus: every address the host resolves to is public (no loopback, LAN, metadata).

    This gives the user a clear message early; the library's fetcher (``public_urls_only``) checks
    again at connect time, redirects and feed links included.
    """
    url, parsed = _checked(url, public_only=not allow_private)
    if allow_private:
        return url
    host = connection_host(parsed)  # IDNA-encoded ASCII: what the fetcher's resolver will be asked
    if literal_address(host) is not None:
        return url  # an address in any spelling: check_url judged it
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, parsed.port, type=socket.SOCK_STREAM)
    except OSError as e:
        raise UsageError(f"Can't resolve {host}.") from e
    if not all(is_public_address(str(info[4][0])) for info in infos):
        raise UsageError(f"{host} is not a public address; the bot only fetches from the public internet.")
    return url
