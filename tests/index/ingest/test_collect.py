"""Collecting a source: local files and directories, and over real HTTP from a loopback server an article
page, an RSS or Atom feed, redirects and failures."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver

from index.engine import Engine
from index.errors import FetchError, SourceError
from index.ingest.collect import expand_location, is_url, read_bytes, read_file
from index.ingest.fetching import Fetcher, PublicOnlyResolver
from index.ingest.readers import TextMeta
from tests.conftest import FakeEmbedder

PAGE = """<html><head><title>Drone strike on Halven depot - Lakeside Courier</title>
<meta property="og:site_name" content="Lakeside Courier">
<meta property="article:published_time" content="2025-03-09T08:00:00Z"></head>
<body><nav>Home | World | Sport</nav><article><h1>Drone strike on Halven depot</h1>
<p>A drone struck a fuel depot outside Halven on Sunday, the regional governor Mira Osk said.</p>
<p>"Two workers were wounded and taken to the district hospital," Osk told reporters in the afternoon.</p>
<p>The defence ministry in Varn denied that its forces had launched any drones that night.</p>
<p>Share this:</p><p>Subscribe to our newsletter</p>
</article><footer>Copyright Lakeside Courier</footer></body></html>"""

ENTRY = """<html><head><title>Entry {n}</title><meta property="og:site_name" content="Harbor Wire"></head>
<body><article><h1>Entry {n}</h1><p>Monitors counted {n} new craters near the Selk crossing, the mission's
head Ilan Voss said on Monday. "The shelling did not stop overnight," Voss told reporters at the border.</p>
</article></body></html>"""


def feed(base: str) -> str:
    items = "".join(
        f"<item><title>Entry {n}</title><link>{base}/entry/{n}</link>"
        f"<pubDate>Mon, 0{n} Mar 2025 10:00:00 GMT</pubDate></item>"
        for n in (3, 4)
    )
    items += (
        f"<item><title>Gone</title><link>{base}/missing</link>"
        "<pubDate>Wed, 05 Mar 2025 10:00:00 GMT</pubDate></item>"
    )
    channel = f"<channel><title>Harbor Wire</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


@pytest.fixture
async def server() -> AsyncIterator[str]:
    app = web.Application()
    base = {}

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html")

    async def rss(request: web.Request) -> web.Response:
        return web.Response(text=feed(base["url"]), content_type="application/rss+xml")

    async def entry(request: web.Request) -> web.Response:
        return web.Response(text=ENTRY.format(n=request.match_info["n"]), content_type="text/html")

    async def huge(request: web.Request) -> web.Response:
        return web.Response(body=b"<html>" + b"x" * 300_000 + b"</html>", content_type="text/html")

    app.router.add_get("/article", page)
    app.router.add_get("/feed.xml", rss)
    app.router.add_get("/entry/{n}", entry)
    app.router.add_get("/huge", huge)

    async def atom(request: web.Request) -> web.Response:
        entries = "".join(
            f"<entry><title>Entry {n}</title><link href='{base['url']}/entry/{n}'/>"
            f"<id>urn:entry:{n}</id><updated>2025-03-0{n}T10:00:00Z</updated></entry>"
            for n in (6, 7)
        )
        body = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Harbor Atom</title>{entries}</feed>'
        return web.Response(text=body, content_type="application/atom+xml")

    app.router.add_get("/atom.xml", atom)

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound("/article")

    async def loop(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop")

    app.router.add_get("/go-to-article", redirect)
    app.router.add_get("/loop", loop)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    base["url"] = f"http://127.0.0.1:{port}"
    yield base["url"]
    await runner.cleanup()


async def test_article_page_is_fetched_extracted_and_cleaned(server: str, tmp_path: Path) -> None:
    engine = await Engine.open(tmp_path, embedder=FakeEmbedder(), public_urls_only=False)
    try:
        report = await engine.ingest([f"{server}/article"])
        assert (report.added, report.failed) == (1, [])
        (source,) = await engine.sources()
        assert source.kind == "url"
        rows = await engine.store.articles.by_rowid([1])
        article = rows[1]
        assert article.title == "Drone strike on Halven depot"
        assert article.outlet == "Lakeside Courier"
        assert str(article.published) == "2025-03-09"
        assert "Two workers were wounded" in article.text
        assert "Subscribe" not in article.text and "Share this" not in article.text
        again = await engine.ingest([f"{server}/article"])
        assert (again.added, again.duplicates) == (0, 1)
    finally:
        await engine.close()


async def test_feed_entries_are_fetched_with_their_dates(server: str, tmp_path: Path) -> None:
    engine = await Engine.open(tmp_path, embedder=FakeEmbedder(), public_urls_only=False)
    try:
        report = await engine.ingest([f"{server}/feed.xml"])
        assert report.added == 2
        assert [f.location for f in report.failed] == [f"{server}/missing"]
        assert "404" in report.failed[0].reason
        (source,) = await engine.sources()
        assert source.kind == "feed" and source.articles == 2
        articles = await engine.store.articles.by_rowid([1, 2])
        assert sorted(str(a.published) for a in articles.values()) == ["2025-03-03", "2025-03-04"]
        assert {a.outlet for a in articles.values()} == {"Harbor Wire"}
        refresh = await engine.refresh_feeds()
        assert (refresh.added, refresh.duplicates) == (0, 2)
    finally:
        await engine.close()


async def test_atom_feeds_work_too(server: str, tmp_path: Path) -> None:
    engine = await Engine.open(tmp_path, embedder=FakeEmbedder(), public_urls_only=False)
    try:
        report = await engine.ingest([f"{server}/atom.xml"])
        assert (report.added, report.failed) == (2, [])
        articles = await engine.store.articles.by_rowid([1, 2])
        assert sorted(str(a.published) for a in articles.values()) == ["2025-03-06", "2025-03-07"]
        assert [s.kind for s in await engine.sources()] == ["feed"]
    finally:
        await engine.close()


async def test_oversized_and_unreachable_urls_fail_cleanly(server: str, tmp_path: Path) -> None:
    engine = await Engine.open(
        tmp_path, embedder=FakeEmbedder(), fetch_max_bytes=100_000, public_urls_only=False
    )
    try:
        report = await engine.ingest([f"{server}/huge", f"{server}/nothing-here", "http://127.0.0.1:9/"])
        assert report.added == 0
        reasons = [f.reason for f in report.failed]
        assert "too large" in reasons[0]
        assert "HTTP 404" in reasons[1]
        assert len(reasons) == 3
        assert (await engine.stats()).articles == 0
    finally:
        await engine.close()


async def test_redirects_are_followed(server: str, tmp_path: Path) -> None:
    fetcher = Fetcher(public_only=False)
    try:
        fetched = await fetcher.fetch(f"{server}/go-to-article")
        assert fetched.url.endswith("/article") and b"Halven" in fetched.data
        with pytest.raises(FetchError, match="more than 5 redirects"):
            await fetcher.fetch(f"{server}/loop")
    finally:
        await fetcher.close()


@pytest.mark.parametrize("path", ["/article", "/go-to-article"])
async def test_public_only_refuses_loopback(server: str, path: str) -> None:
    fetcher = Fetcher(public_only=True)
    try:
        with pytest.raises(FetchError, match="not a public address"):
            await fetcher.fetch(server + path)
        with pytest.raises(FetchError, match="not a public address"):
            await fetcher.fetch(server.replace("127.0.0.1", "localhost") + path)
    finally:
        await fetcher.close()


async def test_public_only_resolver_keeps_public_addresses() -> None:
    class Inner(AbstractResolver):
        def __init__(self, addresses: list[str]) -> None:
            self.addresses = addresses

        async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET):  # type: ignore[no-untyped-def]
            return [
                {"hostname": host, "host": a, "port": port, "family": family, "proto": 0, "flags": 0}
                for a in self.addresses
            ]

        async def close(self) -> None:
            pass

    mixed = PublicOnlyResolver(Inner(["10.0.0.7", "93.184.216.34", "169.254.169.254"]))
    assert [r["host"] for r in await mixed.resolve("news.example")] == ["93.184.216.34"]
    private = PublicOnlyResolver(Inner(["192.168.1.2", "::1"]))
    with pytest.raises(OSError, match="not a public address"):
        await private.resolve("intranet.example")


# -- local files --------------------------------------------------------------------------------------


def test_a_directory_stands_for_its_supported_files_sorted(tmp_path: Path) -> None:
    for name in ("b.md", "a.jsonl", "sub/c.html", "notes.pdf", "d.TXT"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert expand_location(str(tmp_path)) == [
        tmp_path / n for n in ("a.jsonl", "b.md", "d.TXT", "sub/c.html")
    ]
    assert expand_location(str(tmp_path / "b.md")) == [tmp_path / "b.md"]
    assert expand_location("https://news.example/a") is None  # a URL is fetched, not expanded
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError, match=re.escape("no .jsonl, .txt, .md or .html files in this directory")):
        expand_location(str(tmp_path / "empty"))
    with pytest.raises(SourceError, match="no such file or directory"):
        expand_location(str(tmp_path / "nope.txt"))


def test_a_file_is_read_by_its_extension_and_dated_by_what_was_given(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    meta = TextMeta(outlet="Given Outlet", published=date(2025, 3, 10))
    collected = read_file(page, meta)
    assert (collected.kind, collected.location) == ("file", str(page.resolve()))
    [(raw, published_from)] = collected.articles
    # What the user said wins over what the page says; the page's title is kept.
    assert (raw.outlet, raw.published, published_from) == ("Given Outlet", date(2025, 3, 10), "given")
    assert raw.title == "Drone strike on Halven depot"
    [(raw, published_from)] = read_file(page, TextMeta()).articles
    assert (raw.outlet, raw.published, published_from) == ("Lakeside Courier", date(2025, 3, 9), "page")
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7")
    with pytest.raises(SourceError, match=r"a\.pdf: unsupported file type \.pdf"):
        read_file(tmp_path / "a.pdf", TextMeta())
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    with pytest.raises(SourceError, match="this is a PNG image, not text"):
        read_bytes(
            "photo.txt", (tmp_path / "photo.txt").read_bytes(), TextMeta(), location="upload:photo.txt"
        )


def test_is_url() -> None:
    assert is_url("http://a.example/x") and is_url("https://a.example")
    assert not is_url("ftp://a.example/x") and not is_url("/srv/news/a.txt") and not is_url("httpx.txt")


def test_a_jsonl_files_records_take_the_uploaders_outlet_and_date_only_where_they_lack_one() -> None:
    data = (
        b'{"id": "a", "text": "The pier reopened on Monday.", "outlet": "Varn Gazette", "published": "2025-09-01"}\n'
        b'{"id": "b", "text": "The quay closed on Tuesday."}\n'
    )
    told = TextMeta(outlet="Harbour notes", published=date(2025, 9, 2), url="https://varn.example/x")
    collected = read_bytes("notes.jsonl", data, told, location="upload:notes.jsonl")
    got = [(a.id, a.outlet, a.published, a.url, dated) for a, dated in collected.articles]
    assert got == [
        ("a", "Varn Gazette", date(2025, 9, 1), None, "given"),
        ("b", "Harbour notes", date(2025, 9, 2), None, "given"),  # one link can't be every record's
    ]
