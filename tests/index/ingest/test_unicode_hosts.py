"""SSRF through host spellings: every hop is judged on the host the connection will really use.

A loopback server counts requests. With default settings, no spelling of a non-public address —
Unicode full stops, fullwidth, circled or superscript digits, trailing dots, percent-escapes,
integer IPv4 forms, IPv4-mapped IPv6, zone ids — may reach it: not as the URL, not as a redirect
target, not as a feed entry link. Controls with private addresses allowed show that the same
spellings do reach the server when nothing refuses them, so the refusals are what the tests measure.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver
from yarl import URL

from index.engine import Engine
from index.errors import FetchError
from index.ingest import fetching
from index.ingest.addresses import is_public_address
from index.ingest.fetching import Fetcher, NonPublicAddressError, public_socket_factory
from tests.conftest import FakeEmbedder
from tests.index.ingest.hostile_hosts import HOSTILE_HOSTS, REACHABLE_WHEN_ALLOWED

PAGE = (
    "<html><head><title>Shelling near Ardin</title></head><body><article><h1>Shelling near Ardin</h1>"
    "<p>Shells hit the outskirts of Ardin overnight, the district head Lena Varo told reporters on Tuesday."
    " Two houses burned and a school lost its roof, she said.</p></article></body></html>"
)


class Site:
    """A loopback web server that records every request it receives."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.port = 0
        self.feed_links: list[str] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, host: str, path: str = "/article") -> str:
        return f"http://{host}:{self.port}{path}"

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.hits.append(request.path)
        if request.path == "/article":
            return web.Response(text=PAGE, content_type="text/html")
        if request.path == "/redirect":
            # Sent as typed: web.HTTPFound would normalise the URL through yarl first.
            return web.Response(status=302, headers={"Location": request.query["to"]})
        if request.path == "/feed.xml":
            items = "".join(
                f"<item><title>Entry {n}</title><link>{link.replace('&', '&amp;')}</link></item>"
                for n, link in enumerate(self.feed_links)
            )
            rss = (
                f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>{items}</channel></rss>'
            )
            return web.Response(text=rss, content_type="application/rss+xml")
        return web.Response(status=404, text="not found")


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    s = Site()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", s.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    s.port = runner.addresses[0][1]
    yield s
    await runner.cleanup()


class NoDNS(AbstractResolver):
    """A resolver that must never be asked: every hostile host is refused before any lookup."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> Any:
        self.asked.append(host)
        raise OSError(f"no DNS in tests ({host})")

    async def close(self) -> None:
        pass


def first_request_only(site: Site) -> Callable[[str], bool]:
    """The default rules, except that the loopback site counts as public until it has served once.

    So the first hop (a redirect, a feed) is fetched, and every hop after it is judged by the
    default rules: a redirect target or a feed link must be refused on its own merits.
    """
    return lambda address: (address == "127.0.0.1" and not site.hits) or is_public_address(address)


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
async def test_first_hop_in_any_spelling_is_refused(site: Site, host: str) -> None:
    resolver = NoDNS()
    fetcher = Fetcher(resolver=resolver)  # default settings: public addresses only
    try:
        with pytest.raises(FetchError, match="is not a public address"):
            await fetcher.fetch(site.url(host))
    finally:
        await fetcher.close()
    assert site.hits == [] and resolver.asked == []


async def test_sitrep_ingest_with_default_settings_stores_nothing(site: Site, tmp_path: Path) -> None:
    urls = [site.url(host) for host in HOSTILE_HOSTS]
    async with await Engine.open(tmp_path, embedder=FakeEmbedder()) as engine:
        report = await engine.ingest(urls)
        assert report.added == 0 and len(report.failed) == len(urls)
        assert all("is not a public address" in f.reason for f in report.failed), report.failed
        assert (await engine.stats()).articles == 0
    assert site.hits == []


@pytest.mark.parametrize("host", REACHABLE_WHEN_ALLOWED)
async def test_with_private_addresses_allowed_the_same_spellings_reach_loopback(
    site: Site, host: str
) -> None:
    fetcher = Fetcher(public_only=False)
    try:
        fetched = await fetcher.fetch(site.url(host))
    finally:
        await fetcher.close()
    assert b"Ardin" in fetched.data and site.hits == ["/article"]


async def test_allow_private_lets_a_plain_loopback_url_through(site: Site, tmp_path: Path) -> None:
    async with await Engine.open(tmp_path, embedder=FakeEmbedder(), public_urls_only=False) as engine:
        report = await engine.ingest([site.url("127.0.0.1")])
    assert report.added == 1 and site.hits == ["/article"]


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
async def test_redirect_hop_in_any_spelling_is_refused(site: Site, host: str) -> None:
    fetcher = Fetcher(resolver=NoDNS(), allowed=first_request_only(site))
    target = quote(site.url(host), safe="")
    try:
        with pytest.raises(FetchError, match="is not a public address"):
            await fetcher.fetch(f"{site.base}/redirect?to={target}")
    finally:
        await fetcher.close()
    assert site.hits == ["/redirect"]  # the redirect was served; its target never was


async def test_redirect_control_the_target_is_fetched_when_private_addresses_are_allowed(site: Site) -> None:
    fetcher = Fetcher(public_only=False)
    try:
        target = quote(site.url("１２７.０.０.１"), safe="")
        fetched = await fetcher.fetch(f"{site.base}/redirect?to={target}")
    finally:
        await fetcher.close()
    assert b"Ardin" in fetched.data and site.hits == ["/redirect", "/article"]


async def test_feed_entry_links_in_any_spelling_are_refused(site: Site, tmp_path: Path) -> None:
    site.feed_links = [site.url("127.0.0.1")] + [site.url(host) for host in HOSTILE_HOSTS]
    async with await Engine.open(tmp_path, embedder=FakeEmbedder()) as engine:
        engine.fetcher = Fetcher(resolver=NoDNS(), allowed=first_request_only(site))
        report = await engine.ingest([f"{site.base}/feed.xml"])
        assert report.added == 0 and (await engine.stats()).articles == 0
    reasons = [f.reason for f in report.failed]
    assert len(reasons) == len(site.feed_links)
    assert all("is not a public address" in r for r in reasons), reasons
    assert site.hits == ["/feed.xml"]  # no entry link was requested


async def test_feed_control_entry_links_are_fetched_when_private_addresses_are_allowed(
    site: Site, tmp_path: Path
) -> None:
    site.feed_links = [site.url(host, f"/article?n={n}") for n, host in enumerate(REACHABLE_WHEN_ALLOWED)]
    async with await Engine.open(tmp_path, embedder=FakeEmbedder(), public_urls_only=False) as engine:
        await engine.ingest([f"{site.base}/feed.xml"])
    assert site.hits.count("/article") == len(REACHABLE_WHEN_ALLOWED)


@pytest.mark.parametrize("host", ["127.0.0.1", "１２７.０.０.１", "[::ffff:127.0.0.1]", "[::1]"])
async def test_the_connect_time_guard_alone_refuses_ip_literals(
    site: Site, host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Take the URL check away: aiohttp connects to IP literals without asking the resolver, so only
    # the socket factory stands between the request and the loopback server.
    monkeypatch.setattr(fetching, "check_url", lambda hop, **_: hop if isinstance(hop, URL) else URL(hop))
    fetcher = Fetcher(resolver=NoDNS())
    try:
        with pytest.raises(FetchError, match="is not a public address"):
            await fetcher.fetch(site.url(host))
    finally:
        await fetcher.close()
    assert site.hits == []


def test_the_socket_factory_opens_sockets_to_allowed_addresses_only() -> None:
    open_socket = public_socket_factory()
    for address in ("127.0.0.1", "10.0.0.1", "169.254.169.254", "127.0.0.1.", "localhost", "fe80::1%1"):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with pytest.raises(NonPublicAddressError):
            open_socket((family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, 80)))
    sock = open_socket((socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("93.184.216.34", 80)))
    sock.close()  # created, never connected
