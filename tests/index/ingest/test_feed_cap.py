"""The per-poll cap applies before feedparser sees the document: entries after the Nth are cut out."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from aiohttp import web
from hypothesis import given, settings
from hypothesis import strategies as st

from index.engine import Engine
from index.ingest import collect
from index.ingest.feed_cap import cap_feed
from index.ingest.fetching import Fetcher
from index.ingest.readers import FeedEntry, read_feed
from tests.conftest import FakeEmbedder


def rss(items: list[str], *, after: str = "") -> bytes:
    body = "".join(items)
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
        f"{body}{after}</channel></rss>"
    ).encode()


def item(n: int, extra: str = "") -> str:
    return f"<item><title>Entry {n}</title><link>https://news.example/{n}</link>{extra}</item>"


def titles(data: bytes) -> list[str]:
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")  # the cut document is still well-formed
    return [e.title for e in parsed.entries]


def test_a_long_feed_is_cut_after_the_nth_entry() -> None:
    data = rss([item(n) for n in range(1200)], after="<ttl>60</ttl>")
    capped = cap_feed(data, 500)
    assert capped.total == 1200 and len(capped.data) < len(data) / 2
    assert titles(capped.data) == [f"Entry {n}" for n in range(500)]
    assert b"<title>Wire</title>" in capped.data and capped.data.endswith(b"<ttl>60</ttl></channel></rss>")


def test_a_short_feed_is_left_as_it_is() -> None:
    data = rss([item(n) for n in range(3)])
    assert cap_feed(data, 3) == cap_feed(data, 500)
    assert cap_feed(data, 500).data is data and cap_feed(data, 500).total == 3


@pytest.mark.parametrize(
    "document",
    [
        # Atom, entries with attributes and a namespace prefix
        '<?xml version="1.0"?><a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>Wire</a:title>{}</a:feed>',
        # RSS 1.0 (RDF): items are siblings of the channel
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>Wire</title></channel>{}</rdf:RDF>',
    ],
)
def test_atom_and_rdf_feeds_are_cut_too(document: str) -> None:
    if "Atom" in document:
        entries = [
            f'<a:entry xml:lang="en"><a:title>Entry {n}</a:title><a:id>urn:{n}</a:id></a:entry>'
            for n in range(40)
        ]
    else:
        entries = [
            f'<item rdf:about="u{n}"><title>Entry {n}</title><link>u{n}</link></item>' for n in range(40)
        ]
    capped = cap_feed(document.format("".join(entries)).encode(), 7)
    assert capped.total == 40 and titles(capped.data) == [f"Entry {n}" for n in range(7)]


def test_entries_written_inside_comments_cdata_and_attributes_are_not_counted() -> None:
    decoys = (
        "<description><![CDATA[<item><title>fake</title></item>]]></description>"
        "<!-- <item><title>fake</title></item> -->"
        '<category domain="a > b">c</category>'
    )
    data = rss([item(n, decoys) for n in range(10)])
    capped = cap_feed(data, 4)
    assert capped.total == 10 and titles(capped.data) == [f"Entry {n}" for n in range(4)]


def test_wide_encodings_are_cut_in_their_own_encoding() -> None:
    text = rss([item(n, "<description>Київ — 東京</description>") for n in range(30)]).decode()
    for codec in ("utf-16", "utf-16-be", "utf-32"):
        data = text.replace('encoding="utf-8"', f'encoding="{codec}"').encode(codec)
        capped = cap_feed(data, 5)
        assert capped.total == 30 and titles(capped.data) == [f"Entry {n}" for n in range(5)], codec
        assert feedparser.parse(capped.data).entries[0].description == "Київ — 東京"


@pytest.mark.parametrize(
    "data",
    [
        b"<rss><channel>" + b"<item><title>x</title>" * 3000,  # nested, never closed
        b"<rss><channel>" + b"<ITEM><title>x</title></ITEM>" * 3000,  # upper case: the loose parser reads it
        b"<rss><channel>" + b"<item a='1'>" * 3000,
    ],
)
def test_hostile_shapes_are_cut_as_well(data: bytes) -> None:
    capped = cap_feed(data, 50)
    assert capped.total == 3000
    _, entries = read_feed(capped.data, "hostile.xml")
    assert len(entries) <= 50


FEED_NOISE = st.sampled_from(
    [
        "",
        "<!-- <item>not one</item> -->",
        "<description><![CDATA[<entry>nor this</entry> ]]]></description>",
        '<enclosure url="https://e.example/a.mp3?a=1&amp;b=>2" type="audio/mpeg"/>',
        "<itemCount>3</itemCount>",
        "<?pi <item> ?>",
        "<pubDate>Tue, 12 Jul 2022 10:00:00 GMT</pubDate>",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    noise=st.lists(FEED_NOISE, min_size=1, max_size=60),
    limit=st.integers(0, 25),
    upper=st.booleans(),
)
def test_the_cut_keeps_exactly_the_first_entries(noise: list[str], limit: int, upper: bool) -> None:
    items = [item(n, extra.upper() if upper and "item" in extra else extra) for n, extra in enumerate(noise)]
    data = rss(items)
    capped = cap_feed(data, limit)
    assert capped.total == len(items)
    assert titles(capped.data) == [f"Entry {n}" for n in range(min(limit, len(items)))]
    assert titles(data)[:limit] == titles(capped.data)


async def test_an_ingested_feed_is_cut_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []

    def spy(data: bytes, name: str) -> tuple[str | None, list[FeedEntry]]:
        title, entries = read_feed(data, name)
        seen.append(len(entries))
        return title, entries

    monkeypatch.setattr(collect, "MAX_FEED_ENTRIES", 5)
    monkeypatch.setattr(collect, "read_feed", spy)
    hits: list[str] = []

    async def handle(request: web.Request) -> web.Response:
        hits.append(request.path)
        if request.path == "/feed.xml":
            base = f"http://127.0.0.1:{request.url.port}"
            items = [f"<item><title>Entry {n}</title><link>{base}/a{n}</link></item>" for n in range(2000)]
            return web.Response(body=rss(items), content_type="application/rss+xml")
        return web.Response(
            text="<html><body><p>" + "Words of the report. " * 20 + "</p></body></html>",
            content_type="text/html",
        )

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handle)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        async with await Engine.open(tmp_path, embedder=FakeEmbedder(), public_urls_only=False) as engine:
            engine.fetcher = Fetcher(public_only=False)
            report = await engine.ingest([f"http://127.0.0.1:{runner.addresses[0][1]}/feed.xml"])
    finally:
        await runner.cleanup()
    assert seen == [5]  # feedparser was given 5 entries, not 2,000
    assert len(hits) == 1 + 5
    assert any("the feed has 2,000 entries; read the first 5 this time" in f.reason for f in report.failed)
