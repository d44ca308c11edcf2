"""The embedded store's faster read paths give the answers of the plain ones.

Cached lookups and the filter columns follow every commit, appends and removals alike; a filter
applied after ranking keeps the hits of the exact ranking; places match as words.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from index.engine import Engine
from index.models import GLOBAL_SCOPE
from index.storage.records import ArticleFilter
from index.storage.sqlite import search as store
from tests.conftest import FakeEmbedder

PLACES = ["Orvik", "Pellin", "Tarsa", "Ur"]
OUTLETS = ["Orvik Post", "Harbor Wire", "Valley Daily"]


def reports(n: int, outlets: list[str] = OUTLETS) -> list[dict[str, object]]:
    """``n`` short reports; every fifth names the rare word "howitzer", every one "shelling"."""
    out = []
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        rare = " A howitzer battery fired from the ridge." if i % 5 == 0 else ""
        out.append(
            {
                "id": f"r-{i}",
                "title": f"Report {i}",
                "outlet": outlets[i % len(outlets)],
                "published": f"2025-03-{1 + i % 28:02d}",
                "text": f"Shelling hit {place} during the night of report {i}, officials said.{rare}",
            }
        )
    return out


async def open_with(tmp_path: Path, n: int, name: str = "data") -> Engine:
    """An engine over ``n`` reports (the fake embedder: these are plumbing tests)."""
    src = tmp_path / f"{name}.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in reports(n)) + "\n", encoding="utf-8")
    engine = await Engine.open(tmp_path / "data", embedder=FakeEmbedder())
    await engine.ingest([str(src)])
    return engine


async def test_cached_lookups_follow_commits_from_another_engine(tmp_path: Path) -> None:
    engine = await open_with(tmp_path, 6)
    other = await Engine.open(tmp_path / "data", embedder=FakeEmbedder())
    try:
        scopes = (GLOBAL_SCOPE,)
        assert sorted(await engine.store.search.outlets(scopes)) == sorted(OUTLETS)
        before = await engine.store.search.count(ArticleFilter(scopes=scopes))
        extra = tmp_path / "extra.jsonl"
        extra.write_text(json.dumps(reports(1, ["Ridge Radio"])[0] | {"id": "x-1", "text": "New."}) + "\n")
        await other.ingest([str(extra)])  # another connection commits
        assert "Ridge Radio" in await engine.store.search.outlets(scopes)
        assert await engine.store.search.count(ArticleFilter(scopes=scopes)) == before + 1
    finally:
        await other.close()
        await engine.close()


async def test_filter_columns_follow_removals_by_another_engine(tmp_path: Path) -> None:
    engine = await open_with(tmp_path, 6)
    other = await Engine.open(tmp_path / "data", embedder=FakeEmbedder())
    try:
        everything = ArticleFilter(scopes=(GLOBAL_SCOPE,))
        assert await engine.store.search.count(everything) == 6
        (source,) = await other.sources()
        await other.remove_source(source.id)  # a delete: not an append, so everything is read again
        assert await engine.store.search.count(everything) == 0
        assert await engine.store.search.allowed_chunk_ids(everything) == []
        extra = tmp_path / "extra.jsonl"
        extra.write_text(json.dumps(reports(1, ["Ridge Radio"])[0] | {"id": "x-1"}) + "\n")
        await other.ingest([str(extra)])
        # The new chunks may take the removed ones' ids: they belong to the new article now.
        chunk_ids = [r[0] for r in await engine.store.db.rows("SELECT id FROM chunks")]
        radio = ArticleFilter(scopes=(GLOBAL_SCOPE,), outlets=("ridge radio",))
        assert sorted(await engine.store.search.allowed_chunk_ids(radio)) == sorted(chunk_ids)
        assert await engine.store.search.admitted_chunks(chunk_ids, everything) == chunk_ids
    finally:
        await other.close()
        await engine.close()


async def exact_keywords(engine: Engine, terms: list[str], f: ArticleFilter, k: int) -> list[int]:
    """Every chunk matching any term, by BM25, then filtered: what the bounded paths must equal."""
    match = " OR ".join(f'"{t}"' for t in terms)
    rows = await engine.store.db.rows(
        "SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts)", [match]
    )
    admitted = set(await engine.store.search.allowed_chunk_ids(f))
    return [r[0] for r in rows if r[0] in admitted][:k]


@pytest.mark.parametrize("share", ["broad", "narrow"])
async def test_a_filter_applied_after_ranking_keeps_the_exact_hits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, share: str
) -> None:
    engine = await open_with(tmp_path, 60)
    try:
        # One outlet of three is a third of the archive: above BROAD_FILTER, so ranked first.
        outlets = ("Orvik Post",) if share == "broad" else ()
        intervals = () if share == "broad" else ((date(2025, 3, 2), date(2025, 3, 2)),)  # 3 of 60
        f = ArticleFilter(scopes=(GLOBAL_SCOPE,), outlets=outlets, intervals=intervals)
        assert (await engine.store.search.admitted_share(f) >= store.BROAD_FILTER) == (share == "broad")
        qvec = FakeEmbedder().embed(["shelling at night near the ridge"])[0]
        terms = ["howitzer", "shelling"]
        fast_keywords = await engine.store.search.keyword(terms, f, 8)
        assert fast_keywords == await exact_keywords(engine, terms, f, 8)
        fast_vectors = await engine.vectors.search(qvec, 8, f, True)
        monkeypatch.setattr(store, "BROAD_FILTER", 1.01)  # always the id selector
        joined = await engine.vectors.search(qvec, 8, f, True)
        # The same k best scores within the filter (equal scores of look-alike reports may swap ids).
        assert [round(s, 5) for _, s in fast_vectors] == [round(s, 5) for _, s in joined]
        admitted = set(await engine.store.search.allowed_chunk_ids(f))
        expected = 8 if share == "broad" else 3
        assert len(fast_vectors) == len(fast_keywords) == expected
        assert {c for c, _ in fast_vectors} | set(fast_keywords) <= admitted
    finally:
        await engine.close()


async def test_a_place_matches_as_a_word_not_inside_another(tmp_path: Path) -> None:
    engine = await open_with(tmp_path, 8)
    try:
        # Every report says "during"; only those set in Ur name it.
        def places(*names: str) -> ArticleFilter:
            return ArticleFilter(scopes=(GLOBAL_SCOPE,), places=names)

        assert await engine.store.search.count(places("Ur")) == 2
        assert await engine.store.search.count(places("Pellin")) == 2
        spelled = ArticleFilter(
            scopes=(GLOBAL_SCOPE,), places=("Tarsa",), place_spellings=(("Tarsa", ("Tarsa", "Ur")),)
        )
        assert await engine.store.search.count(spelled) == 4
    finally:
        await engine.close()
