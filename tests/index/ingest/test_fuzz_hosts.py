"""Hypothesis: the URL check against hosts spelled with Unicode confusables.

Hostile hosts are built from non-public addresses written in every form libc reads (dotted, integer,
hex, octal, short) and then respelled: fullwidth, circled, superscript, subscript and mathematical
digits, ideographic and fullwidth full stops, fullwidth letters, zero-width and soft-hyphen
characters, percent-escapes and trailing dots. Whatever the spelling, the check refuses it, and it
never raises anything but ``FetchError``. The oracle for what a connection could reach is libc's
own numeric parser (``getaddrinfo`` with ``AI_NUMERICHOST``: no DNS), not the code under test.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import quote, unquote

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from index.errors import FetchError
from index.ingest.addresses import check_url, connection_host

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NON_PUBLIC_V4 = [
    ipaddress.ip_network(n)
    for n in (
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "169.254.0.0/16",
        "100.64.0.0/10",
        "0.0.0.0/8",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
]
# Each ASCII digit, and characters UTS-46 maps to it.
DIGITS = {
    d: [
        str(d),
        chr(0xFF10 + d),  # fullwidth
        "⓪" if d == 0 else chr(0x2460 + d - 1),  # circled
        "⁰¹²³⁴⁵⁶⁷⁸⁹"[d],  # superscript
        "₀₁₂₃₄₅₆₇₈₉"[d],  # subscript
        chr(0x1D7CE + d),  # mathematical bold
        chr(0x1D7D8 + d),  # mathematical double-struck
        chr(0x1D7EC + d),  # mathematical sans-serif bold
    ]
    for d in range(10)
}
DOTS = [".", "。", "．", "｡"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\u180b"]


@st.composite
def non_public_v4(draw: st.DrawFn) -> int:
    """A non-public IPv4 address, as an integer."""
    net = draw(st.sampled_from(NON_PUBLIC_V4))
    return int(net.network_address) + draw(st.integers(0, net.num_addresses - 1))


@st.composite
def numeric_form(draw: st.DrawFn) -> str:
    """A non-public IPv4 address in one of the forms ``inet_aton`` reads."""
    value = draw(non_public_v4())
    octets = value.to_bytes(4, "big")
    form = draw(st.sampled_from(["dotted", "decimal", "hex", "octal", "short", "hex-dotted"]))
    if form == "dotted":
        return ".".join(map(str, octets))
    if form == "decimal":
        return str(value)
    if form == "hex":
        return hex(value)
    if form == "octal":
        return ".".join(f"0{o:o}" for o in octets)
    if form == "short":  # 127.1: the last part fills the remaining 24 bits
        return f"{octets[0]}.{value & 0xFFFFFF}"
    return ".".join(hex(o) for o in octets)


@st.composite
def respelled(draw: st.DrawFn, text: str, hostile: bool = True) -> str:
    """``text`` with each character replaced by a confusable; ``hostile`` adds invisible characters
    and trailing dots (which yarl may refuse outright)."""
    out = []
    invisible = hostile and draw(st.integers(0, 3)) == 0  # yarl refuses most of them: not too often
    for ch in text:
        if ch.isdigit():
            out.append(draw(st.sampled_from(DIGITS[int(ch)])))
        elif ch == ".":
            out.append(draw(st.sampled_from(DOTS)))
        elif ch == "x":
            out.append(draw(st.sampled_from(["x", "X", "ｘ", "Ｘ"])))
        elif ch.isalpha():
            out.append(draw(st.sampled_from([ch, ch.upper(), chr(0xFF41 + ord(ch) - ord("a"))])))
        else:
            out.append(ch)
        if invisible and draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE)))
    if hostile and draw(st.integers(0, 2)) == 0:
        out.append(draw(st.sampled_from(DOTS)) * draw(st.sampled_from([1, 1, 1, 2])))
    return "".join(out)


@st.composite
def hostile_host(draw: st.DrawFn) -> str:
    """A host whose connection would go to a non-public address, spelled to slip past a naive check."""
    kind = draw(st.sampled_from(["ipv4", "ipv4", "ipv4", "localhost", "mapped"]))
    if kind == "mapped":
        inner = ipaddress.IPv4Address(draw(non_public_v4()))
        zone = draw(st.sampled_from(["", "%25lo", "%25eth0", "%251"]))
        return f"[::ffff:{inner}{zone}]"
    host = draw(numeric_form()) if kind == "ipv4" else draw(st.sampled_from(["localhost", "news.localhost"]))
    host = draw(respelled(host))
    if draw(st.integers(0, 3)) == 0:  # percent-escape some characters (their UTF-8 bytes)
        host = "".join(quote(c, safe="") if draw(st.booleans()) else c for c in host)
    return host


def _numeric_addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """What libc's numeric parser (no DNS) makes of ``host``, in the spellings a client might pass it."""
    found = []
    for candidate in {host, host.rstrip("."), unquote(host).rstrip(".")}:
        try:
            infos = socket.getaddrinfo(candidate, 80, flags=socket.AI_NUMERICHOST)
        except (OSError, UnicodeError, ValueError):
            continue
        found += [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    return found


def _reachable_is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@SETTINGS
@given(hostile_host())
def test_every_spelling_of_a_non_public_host_is_refused(host: str) -> None:
    url = f"http://{host}:8080/latest/meta-data"
    try:
        check_url(url)
    except FetchError as e:
        message = str(e)
    else:
        raise AssertionError(f"{url!r} was accepted")
    reasons = [
        r for r in ("is not a public address", "not a valid URL", "is not a valid host name") if r in message
    ]
    assert reasons, message
    event(reasons[0])


HOST_ALPHABET = st.sampled_from(
    list("0123456789abcdefx.:[]%@/?#-_")
    + [c for d in DIGITS.values() for c in d]
    + DOTS
    + INVISIBLE
    + ["ｌ", "о", "с", "а", "ı", "ß", "ﬀ", "\u0301", " ", "\t", "\\", "。", "\U0001f600"]
)


@SETTINGS
@given(st.text(HOST_ALPHABET, min_size=1, max_size=40))
@example("[]@")  # yarl 1.25 raised IndexError for it
def test_any_host_is_judged_or_refused_with_the_library_error_only(host: str) -> None:
    url = f"http://{host}/article"
    try:
        parsed = check_url(url)
    except FetchError:
        return
    # Accepted: nothing libc would read as an address may be non-public.
    for ip in _numeric_addresses(parsed.raw_host or ""):
        assert _reachable_is_public(ip), (url, parsed.raw_host, ip)


@SETTINGS
@given(st.sampled_from(["8.8.8.8", "93.184.216.34", "1.1.1.1"]).flatmap(lambda a: respelled(a, False)))
def test_public_addresses_in_confusable_spellings_are_judged_as_themselves(host: str) -> None:
    parsed = check_url(f"https://{host}/feed")
    assert connection_host(parsed) in ("8.8.8.8", "93.184.216.34", "1.1.1.1")
