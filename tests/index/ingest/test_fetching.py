"""Hostile URLs: non-public addresses in every spelling, redirects, rebinding, bombs, wrong types, caps.

The servers run on 127.0.0.1. Tests that need to reach them narrow the fetcher's idea of "public" to
exactly that one address (``allowed``), so every check still runs, hop by hop.
"""

from __future__ import annotations

import asyncio
import functools
import socket
import tracemalloc
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver

from index.engine import Engine
from index.errors import FetchError
from index.ingest import collect as ingest
from index.ingest.addresses import is_public_address, literal_address
from index.ingest.fetching import Fetcher, PublicOnlyResolver
from tests.conftest import FakeEmbedder

PAGE = (
    "<html><head><title>Shelling near Ardin</title></head><body><article><h1>Shelling near Ardin</h1>"
    "<p>Shells hit the outskirts of Ardin overnight, the district head Lena Varo told reporters on Tuesday."
    " Two houses burned and a school lost its roof, she said.</p></article></body></html>"
)
ONLY_LOOPBACK = {"allowed": lambda address: address == "127.0.0.1"}
# Seconds a fetch from the loopback servers may take before it counts as hung: far above what it
# takes on a busy machine. Tests check what was refused and what was connected to, not how fast.
HANG_GUARD = 120


BOMB_SIZE = 200 << 20


@functools.cache
def _bomb(encoding: str, size: int) -> bytes:
    """``size`` zero bytes compressed (gzip or zlib-deflate), built in 1 MB steps."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31 if encoding == "gzip" else 15)
    block = b"\0" * (1 << 20)
    return b"".join(c.compress(block) for _ in range(size >> 20)) + c.flush()


class Site:
    """A loopback web server that records every request it receives."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.base = ""
        self.port = 0

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.hits.append(request.path)
        path = request.path
        if path == "/article":
            return web.Response(text=PAGE, content_type="text/html")
        if path == "/plain":
            return web.Response(text=PAGE.replace("<", " "), content_type="text/plain")
        if path == "/redirect":
            raise web.HTTPFound(request.query["to"].replace("PORT", str(self.port)))
        if path == "/image":
            return web.Response(body=b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
        if path == "/png-as-html":
            return web.Response(body=b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="text/html")
        if path in ("/gzip-bomb", "/deflate-bomb"):
            encoding = path[1:].split("-")[0]
            body = _bomb(encoding, BOMB_SIZE)
            return web.Response(
                body=body, headers={"Content-Encoding": encoding, "Content-Type": "text/html"}
            )
        if path == "/gzip-ok":
            c = zlib.compressobj(9, zlib.DEFLATED, 31)
            body = c.compress(PAGE.encode()) + c.flush()
            return web.Response(body=body, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"})
        if path == "/brotli":
            return web.Response(body=b"\x0b", headers={"Content-Encoding": "br", "Content-Type": "text/html"})
        if path == "/slow":
            await asyncio.sleep(3600)
            return web.Response(text=PAGE, content_type="text/html")
        if path == "/feed.xml":
            items = "".join(
                f"<item><title>Entry {n}</title><link>{self.base}/article?n={n}</link></item>"
                for n in range(8)
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
    s.base = f"http://127.0.0.1:{s.port}"
    yield s
    await runner.cleanup()


REFUSED_HOSTS = [
    "127.0.0.1",
    "127.1",
    "2130706433",  # decimal
    "0x7f.1",  # hex
    "0x7f000001",
    "0177.0.0.1",  # octal
    "[::1]",
    "[::ffff:127.0.0.1]",  # IPv4-mapped
    "[::ffff:7f00:1]",
    "[::127.0.0.1]",  # IPv4-compatible
    "[2002:7f00:1::]",  # 6to4 around 127.0.0.1
    "[64:ff9b::a00:1]",  # NAT64 around 10.0.0.1
    "[::ffff:169.254.169.254]",
    "169.254.169.254",  # cloud metadata
    "[fe80::1]",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "100.64.0.1",  # carrier-grade NAT
    "[fc00::1]",
    "224.0.0.1",  # multicast
    "[ff02::1]",
    "240.0.0.1",  # reserved
    "0.0.0.0",
    "[::]",
    "255.255.255.255",
]


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hosts aiohttp's connector is asked to connect to, in order (it still connects)."""
    seen: list[str] = []
    original = aiohttp.TCPConnector.connect

    async def connect(self: aiohttp.TCPConnector, req: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(req.url.host))
        return await original(self, req, *args, **kwargs)

    monkeypatch.setattr(aiohttp.TCPConnector, "connect", connect)
    return seen


@pytest.mark.parametrize("host", REFUSED_HOSTS)
async def test_non_public_addresses_are_refused_in_every_spelling(host: str, connections: list[str]) -> None:
    fetcher = Fetcher(timeout=HANG_GUARD)
    try:
        with pytest.raises(FetchError, match="is not a public address"):
            await fetcher.fetch(f"http://{host}/latest/meta-data/")
    finally:
        await fetcher.close()
    assert connections == []  # refused before any connection attempt


def test_address_classification() -> None:
    for public in ("8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e"):
        assert is_public_address(public), public
    for host in REFUSED_HOSTS:
        address = literal_address(host)
        assert address is not None and not is_public_address(str(address)), host
    assert literal_address("news.example.org") is None and literal_address("1.2.3.example") is None
    assert not is_public_address("not an address")


@pytest.mark.parametrize(
    "url", ["ftp://example.org/a", "file:///etc/passwd", "gopher://x/", "//example.org/"]
)
async def test_only_http_and_https(url: str) -> None:
    fetcher = Fetcher()
    try:
        with pytest.raises(FetchError, match="only http"):
            await fetcher.fetch(url)
    finally:
        await fetcher.close()


async def test_by_default_a_loopback_server_receives_no_request_at_all(site: Site, tmp_path: Path) -> None:
    urls = [
        f"{site.base}/article",
        f"http://localhost:{site.port}/article",
        f"http://2130706433:{site.port}/article",
        f"http://0x7f.1:{site.port}/article",
        f"http://[::ffff:127.0.0.1]:{site.port}/article",
    ]
    async with await Engine.open(tmp_path, embedder=FakeEmbedder()) as engine:  # the default settings
        report = await engine.ingest(urls)
        assert report.added == 0 and len(report.failed) == len(urls)
        assert all("is not a public address" in f.reason for f in report.failed), report.failed
        assert (await engine.stats()).articles == 0
    assert site.hits == []


async def test_every_redirect_hop_is_checked(site: Site) -> None:
    fetcher = Fetcher(timeout=HANG_GUARD, **ONLY_LOOPBACK)
    try:
        fetched = await fetcher.fetch(f"{site.base}/redirect?to=http://127.0.0.1:PORT/article")
        assert b"Ardin" in fetched.data
        for target in (
            "http://169.254.169.254/latest",
            "http://0x7f.0.0.2:PORT/article",
            "http://[::1]:PORT/x",
        ):
            with pytest.raises(FetchError, match="is not a public address"):
                await fetcher.fetch(f"{site.base}/redirect?to={quote(target, safe='')}")
        with pytest.raises(FetchError, match="only http"):
            await fetcher.fetch(f"{site.base}/redirect?to=file:///etc/passwd")
    finally:
        await fetcher.close()
    # The refused hops were never requested: only the redirects themselves and the one allowed page.
    assert site.hits.count("/article") == 1


class ScriptedResolver(AbstractResolver):
    """Answers from a script, one answer per call, and counts the calls (a rebinding DNS server)."""

    def __init__(self, answers: list[list[str]]) -> None:
        self.answers = answers
        self.calls = 0

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> Any:
        answer = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        return [
            {"hostname": host, "host": a, "port": port, "family": socket.AF_INET, "proto": 0, "flags": 0}
            for a in answer
        ]

    async def close(self) -> None:
        pass


async def test_the_connection_goes_to_the_address_that_was_checked(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # First answer: a refused address listed before the allowed one; the connector must only ever
    # see the checked one (connecting to 10.255.255.1 would hang until the connect timeout).
    handed: list[list[str]] = []  # what the public-only resolver hands the connector, per lookup
    resolve = PublicOnlyResolver.resolve

    async def recorded(self: PublicOnlyResolver, host: str, *args: Any, **kwargs: Any) -> Any:
        kept = await resolve(self, host, *args, **kwargs)
        handed.append([r["host"] for r in kept])
        return kept

    monkeypatch.setattr(PublicOnlyResolver, "resolve", recorded)
    resolver = ScriptedResolver([["10.255.255.1", "127.0.0.1"], ["10.255.255.1"]])
    fetcher = Fetcher(resolver=resolver, timeout=HANG_GUARD, **ONLY_LOOPBACK)
    try:
        fetched = await fetcher.fetch(f"http://news.example:{site.port}/article")
        assert b"Ardin" in fetched.data
        assert resolver.calls == 1  # one lookup, checked and used
        assert handed == [["127.0.0.1"]]  # the only address the connector could connect to
    finally:
        await fetcher.close()
    # A name that only ever resolves to refused addresses is never connected to.
    rebinder = ScriptedResolver([["10.255.255.1"]])
    fetcher = Fetcher(resolver=rebinder, **ONLY_LOOPBACK)
    try:
        with pytest.raises(FetchError, match=r"news\.example is not a public address"):
            await fetcher.fetch(f"http://news.example:{site.port}/article")
    finally:
        await fetcher.close()


@pytest.mark.parametrize("path", ["/gzip-bomb", "/deflate-bomb"])
async def test_decompression_bombs_stop_at_the_cap(site: Site, path: str) -> None:
    # Compressing 200 MB takes seconds: done (once) before the fetch and its timeout start.
    await asyncio.to_thread(_bomb, path[1:].split("-")[0], BOMB_SIZE)
    fetcher = Fetcher(max_bytes=1 << 20, timeout=HANG_GUARD, **ONLY_LOOPBACK)
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="too large once decompressed"):
            await fetcher.fetch(site.base + path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await fetcher.close()
    assert peak < 16 << 20, f"peak {peak:,} bytes for a 200 MB bomb"  # the bomb itself is ~200 kB


async def test_compressed_pages_still_work_and_unknown_encodings_are_refused(site: Site) -> None:
    fetcher = Fetcher(timeout=HANG_GUARD, **ONLY_LOOPBACK)
    try:
        assert b"Ardin" in (await fetcher.fetch(f"{site.base}/gzip-ok")).data
        with pytest.raises(FetchError, match="unsupported content encoding 'br'"):
            await fetcher.fetch(f"{site.base}/brotli")
    finally:
        await fetcher.close()


async def test_wrong_content_types_and_binary_bodies_are_refused(site: Site, tmp_path: Path) -> None:
    async with await Engine.open(tmp_path, embedder=FakeEmbedder()) as engine:
        engine.fetcher = Fetcher(timeout=HANG_GUARD, **ONLY_LOOPBACK)
        report = await engine.ingest([f"{site.base}/image", f"{site.base}/png-as-html", f"{site.base}/plain"])
        reasons = {f.location: f.reason for f in report.failed}
        assert "sent image/png, not a web page" in reasons[f"{site.base}/image"]
        assert "this is a PNG image, not text" in reasons[f"{site.base}/png-as-html"]
        assert report.added == 1  # text/plain is read as text


async def test_slow_servers_time_out(site: Site) -> None:
    # The server answers after an hour; only the fetcher's own timeout can end the request.
    fetcher = Fetcher(timeout=0.5, **ONLY_LOOPBACK)
    try:
        with pytest.raises(FetchError, match=r"/slow: timed out after 0\.5 s"):
            await asyncio.wait_for(fetcher.fetch(f"{site.base}/slow"), HANG_GUARD)
    finally:
        await fetcher.close()
    assert site.hits == ["/slow"]  # it was asked, and gave up waiting


async def test_feed_entries_per_poll_are_capped(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "MAX_FEED_ENTRIES", 5)
    async with await Engine.open(tmp_path, embedder=FakeEmbedder()) as engine:
        engine.fetcher = Fetcher(timeout=HANG_GUARD, **ONLY_LOOPBACK)
        report = await engine.ingest([f"{site.base}/feed.xml"])
    assert sum(path == "/article" for path in site.hits) == 5
    assert any("has 8 entries; read the first 5" in f.reason for f in report.failed)
