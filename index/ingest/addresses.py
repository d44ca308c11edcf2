"""Which IP addresses a fetch may reach: the public internet only, however the address is spelled.

Used by the fetcher (literal hosts and every DNS answer, at connect time) and by the bot's early URL
check, so both refuse the same things.
"""

from __future__ import annotations

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

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
    Anything that is not an IP address is refused too.
    """
    try:
        return _is_public_ip(ipaddress.ip_address(address.split("%")[0]))
    except ValueError:
        return False


def literal_address(host: str) -> IPAddress | None:
    """The address a URL host names literally, in any spelling the C resolver accepts; else None.

    ``inet_aton`` reads the legacy forms browsers and libc still honour — ``2130706433``,
    ``0x7f.1``, ``0177.0.0.1``, ``127.1`` — which ``ipaddress`` alone would treat as host names.
    """
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    if not host or not all(part for part in host.split(".")):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None
