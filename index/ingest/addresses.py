"""Which hosts a fetch may reach: the public internet only, however the URL spells the host.

A URL is judged on the host its connection will use, not on the text that was typed. It is parsed
by yarl exactly as aiohttp parses it: UTS-46 mapping and IDNA turn ``127。0。0。1``, ``１２７.０.０.１``
and ``①②⑦.0.0.1`` into ``127.0.0.1``, and aiohttp then connects to that literal without consulting any
resolver. On top of that, percent-escapes are decoded, trailing dots dropped and the legacy IPv4
spellings libc still honours (``2130706433``, ``0x7f.1``, ``0177.0.0.1``) read as addresses.

Used by the fetcher on every hop (the URL, each redirect, each feed entry link) and by the bot's
early check, so both refuse the same things.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from urllib.parse import unquote

from yarl import URL

from index.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NOT_PUBLIC = (
    "is not a public address: sitrep fetches only from the public internet"
    " (SITREP_ALLOW_PRIVATE_URLS=true lets it read your own local or LAN sources)"
)
# RFC 6761: these names always mean the machine itself, whatever a resolver is configured to say.
_LOOPBACK_NAMES = ("localhost",)
# What a DNS name can be once IDNA has made it ASCII (underscores do occur in real host names).
_HOST_NAME = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?")
# NAT64 prefixes carry an IPv4 address in their last 32 bits (RFC 6052 well-known, RFC 8215 local use).
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, Teredo, NAT64, IPv4-compatible)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in net for net in _NAT64) or int(ip) >> 32 == 0:  # ::a.b.c.d (deprecated form)
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _is_public_ip(ip: IPAddress) -> bool:
    if (
        not ip.is_global
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_private
    ):
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        return inner is None or _is_public_ip(inner)
    return True


def is_public_address(address: str) -> bool:
    """Whether an IP address (text) is on the public internet.

    Refused: loopback, private, shared (CGNAT), link-local (169.254.169.254, the cloud metadata
    service), multicast, reserved, unspecified and documentation ranges, in IPv4 and IPv6, and IPv6
    forms that embed one of those IPv4 addresses (``::ffff:127.0.0.1``, 6to4, NAT64, Teredo).
    An IPv6 address with a zone id (``fe80::1%eth0``) is refused too: a zone names a local network
    interface. Anything that is not an IP address is refused.
    """
    if "%" in address:
        return False
    try:
        return _is_public_ip(ipaddress.ip_address(address))
    except ValueError:
        return False


def literal_address(host: str) -> IPAddress | None:
    """The address a URL host names literally, in any spelling the C resolver accepts; else None.

    ``inet_aton`` reads the legacy forms browsers and libc still honour — ``2130706433``,
    ``0x7f.1``, ``0177.0.0.1``, ``127.1`` — which ``ipaddress`` alone would treat as host names.
    Brackets, an IPv6 zone id and trailing dots are ignored.
    """
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    if not host or not host.isascii() or not all(part for part in host.split(".")):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def parse_url(url: str | URL) -> URL:
    """``url`` parsed exactly as aiohttp will parse it, if it is an http(s) URL with a host.

    Raises:
        FetchError: another scheme, no host, or a URL yarl refuses (e.g. a host with spaces or
            zero-width characters).
    """
    try:
        parsed = url if isinstance(url, URL) else URL(url)
        host = parsed.raw_host
    except Exception as e:  # not only ValueError: yarl 1.25 raises IndexError for "http://[]@/"
        raise FetchError(f"{url}: not a valid URL ({e or type(e).__name__})") from e
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http(s) URLs can be fetched")
    if not host:
        raise FetchError(f"{url}: the URL has no host name")
    return parsed


def connection_host(url: URL) -> str:
    """The host ``url``'s connection will use, in the one spelling it is judged by.

    yarl has already applied UTS-46 and IDNA (its ``raw_host`` is what aiohttp connects to or
    resolves); here percent-escapes are decoded and normalised the same way again, trailing dots
    dropped and letters lower-cased. IPv6 literals come back without brackets.

    Raises:
        FetchError: percent-escapes that decode to something no host name can be.
    """
    host = url.raw_host or ""
    if ":" in host:  # an IPv6 literal; its zone id is ``%25…`` and is judged, not decoded
        return host.lower()
    for _ in range(4):  # an escape can hide another escape (%2531 -> %31 -> 1)
        decoded = unquote(host)
        if decoded == host:
            break
        try:
            host = URL.build(scheme="http", host=decoded).raw_host or ""
        except Exception as e:  # whatever yarl raises for it (see parse_url)
            raise FetchError(f"{url}: the host {url.raw_host} is not a valid host name") from e
    return host.rstrip(".").lower()


def check_url(
    url: str | URL, *, public_only: bool = True, allowed: Callable[[str], bool] = is_public_address
) -> URL:
    """The URL as the HTTP client will request it, if it may be fetched; else FetchError.

    Args:
        url: the URL as typed, found in a redirect or in a feed.
        public_only: refuse hosts that are non-public IP addresses however spelled (decimal, octal,
            hex, IDNA look-alikes, percent-escaped, IPv4-mapped IPv6, with a zone id) and the
            ``localhost`` names. Names are judged again at connect time on every DNS answer.
        allowed: which addresses count as public (tests narrow it to one loopback address).

    Returns:
        The parsed URL; pass it (not the text) to aiohttp, so the request goes where it was judged.

    Raises:
        FetchError: with a message that says what is wrong, fit to show a user.
    """
    parsed = parse_url(url)
    host = connection_host(parsed)
    if public_only:
        address = literal_address(host)
        if address is not None:
            if "%" in host or not allowed(str(address)):
                spelled = host if host == str(address) else f"{host} ({address})"
                raise FetchError(f"{url}: {spelled} {NOT_PUBLIC}")
        elif host in _LOOPBACK_NAMES or host.endswith(tuple("." + n for n in _LOOPBACK_NAMES)):
            raise FetchError(f"{url}: {host} {NOT_PUBLIC}")
    raw = parsed.raw_host or ""
    if ":" not in raw:  # IPv6 literals were validated by yarl
        if "%" in raw:
            # No resolver decodes escapes, so the request would fail anyway; say why now.
            raise FetchError(f"{url}: the host is percent-encoded ({raw}); write it plainly")
        if not _HOST_NAME.fullmatch(raw.lower()):
            raise FetchError(f"{url}: {raw!r} is not a valid host name")
    return parsed
