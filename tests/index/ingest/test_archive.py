"""Archived copies: every fetched page is kept byte for byte with its SHA-256, answers name the copy they
quote from, a changed page is a second version beside the first, and removal leaves no orphan bytes."""

from __future__ import annotations

import gzip
import hashlib
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import pytest
from aiohttp import web

from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.ingest.telegram import post_id
from index.storage.postgres.migration import migrate
from tests.conftest import FakeEmbedder
from tests.index.ingest.telegram_site import FakeTelegram
from tests.loopback import serve

DEPOT = """<!doctype html><html><head><title>Fire at Halven fuel depot - Lakeside Courier</title>
<meta property="og:site_name" content="Lakeside Courier">
<meta property="article:published_time" content="2025-03-09T08:00:00Z"></head>
<body><article><h1>Fire at Halven fuel depot</h1>
<p>A drone struck the fuel depot outside Halven on Sunday night, the regional governor Mira Osk said.</p>
<p>"{wounded} workers were wounded and taken to the district hospital," Osk told reporters on Monday.</p>
<p>Firefighters from three districts worked until dawn to keep the fire from reaching the rail yard.</p>
</article></body></html>"""


class Site:
    """One article page whose text a test may change, served plain or gzip-encoded."""

    def __init__(self) -> None:
        self.body = DEPOT.format(wounded="Two").encode()
        self.gzip = False
        self.base = ""

    async def page(self, request: web.Request) -> web.Response:
        if self.gzip:
            return web.Response(
                body=gzip.compress(self.body), content_type="text/html", headers={"Content-Encoding": "gzip"}
            )
        return web.Response(body=self.body, content_type="text/html")


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    site = Site()
    app = web.Application()
    app.router.add_get("/depot", site.page)
    async with serve(app) as site.base:
        yield site


@pytest.mark.model
async def test_the_answer_names_the_copy_it_quotes(
    site: Site, tmp_path: Path, embedder: SentenceTransformerEmbedder, database_url: str | None
) -> None:
    engine = await Engine.open(
        tmp_path / "data", embedder=embedder, public_urls_only=False, database_url=database_url
    )
    try:
        report = await engine.ingest([f"{site.base}/depot"])
        assert (report.added, report.failed) == (1, [])
        answer = await engine.ask("How many workers were wounded at the Halven fuel depot?")
        assert answer.found
        document = answer.quotes[0].document
        assert document.sha256 == hashlib.sha256(site.body).hexdigest()  # the bytes the server sent
        assert document.fetched_at is not None and document.fetched_at.endswith("+00:00")
        assert answer.to_dict()["quotes"][0]["document"]["sha256"] == document.sha256

        page = await engine.archived(document.id)
        assert page is not None
        assert page.data == site.body
        assert (page.sha256, page.url, page.status) == (document.sha256, f"{site.base}/depot", 200)
        assert page.content_type is not None and page.content_type.startswith("text/html")
        assert await engine.archived("no-such-article") is None

        # The page changes: a second version is stored beside the first, and each keeps its own copy.
        site.body = DEPOT.format(wounded="Five").encode()
        again = await engine.ingest([f"{site.base}/depot"])
        assert (again.added, again.failed) == (1, [])
        (source,) = await engine.sources()
        assert (source.articles, source.versions) == (2, 1)
        bodies = [DEPOT.format(wounded=n).encode() for n in ("Two", "Five")]
        versions = (await engine.store.articles.by_rowid([1, 2])).values()
        kept = [await engine.archived(article.id) for article in versions]
        assert [page.data for page in kept if page is not None] == bodies
        assert [a.sha256 for a in versions] == [hashlib.sha256(body).hexdigest() for body in bodies]
        later = await engine.ask("How many workers were wounded at the Halven fuel depot?", k=10)
        assert later.found
        for quote in later.quotes:
            archived = await engine.archived(quote.document.id)
            assert archived is not None and hashlib.sha256(archived.data).hexdigest() == quote.document.sha256
            assert quote.text in archived.data.decode()  # the quoted words stand in the copy it names
    finally:
        await engine.close()


async def test_a_gzip_page_is_kept_as_decoded(site: Site, tmp_path: Path) -> None:
    site.gzip = True
    async with await Engine.open(
        tmp_path / "data", embedder=FakeEmbedder(), public_urls_only=False
    ) as engine:
        report = await engine.ingest([f"{site.base}/depot"])
        (article,) = (await engine.store.articles.by_rowid([1])).values()
        page = await engine.archived(article.id)
        # HTTP's content coding is transport; the page is what it decodes to.
        assert page is not None and page.data == site.body and report.added == 1
        assert article.sha256 == hashlib.sha256(site.body).hexdigest()


async def test_files_have_no_archived_copy(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Monitors counted 12 craters near the Selk crossing on Monday, the mission said.\n")
    async with await Engine.open(tmp_path / "data", embedder=FakeEmbedder()) as engine:
        await engine.ingest([str(note)])
        (article,) = (await engine.store.articles.by_rowid([1])).values()
        assert (article.sha256, article.fetched_at) == (None, None)
        assert await engine.archived(article.id) is None


def _count(data: Path, table: str) -> int:
    with closing(sqlite3.connect(data / "sitrep.db")) as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


async def test_posts_share_their_page_and_removal_leaves_no_orphans(
    fake_telegram: FakeTelegram, site: Site, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    async with await Engine.open(
        data, embedder=FakeEmbedder(), public_urls_only=False, telegram_base_url=fake_telegram.base
    ) as engine:
        await engine.ingest(["tg:orvenia_mod", f"{site.base}/depot"])
        # Nine posts from three pages: three copies, each post pointing at the page it was read from.
        assert (_count(data, "article_fetches"), _count(data, "archives")) == (10, 4)
        post = await engine.store.articles.get("global", post_id("orvenia_mod", 105))
        assert post is not None
        page = await engine.archived(post.id)
        assert page is not None and 'data-post="orvenia_mod/105"' in page.data.decode()
        assert page.url == f"{fake_telegram.base}/s/orvenia_mod?before=108"  # where it really came from

        channel = next(s for s in await engine.sources() if s.kind == "telegram")
        await engine.remove_source(channel.id)
        assert (_count(data, "article_fetches"), _count(data, "archives")) == (1, 1)


async def test_archived_copies_move_with_a_migration(site: Site, tmp_path: Path, pg_url: str) -> None:
    data = tmp_path / "data"
    async with await Engine.open(data, embedder=FakeEmbedder(), public_urls_only=False) as engine:
        await engine.ingest([f"{site.base}/depot"])
        (article,) = (await engine.store.articles.by_rowid([1])).values()
    counts = {c.table: (c.source, c.target) for c in await migrate(data / "sitrep.db", pg_url)}
    assert counts["archives"] == counts["article_fetches"] == (1, 1)
    async with await Engine.open(tmp_path / "pg", embedder=FakeEmbedder(), database_url=pg_url) as engine:
        page = await engine.archived(article.id)
        assert page is not None and page.data == site.body  # the bytes survive the copy exactly
        assert page.sha256 == article.sha256 == hashlib.sha256(site.body).hexdigest()
