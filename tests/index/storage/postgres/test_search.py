"""Keyword search on Postgres: BM25 over tsvector, its plan."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from index.engine import Engine
from index.models import GLOBAL_SCOPE
from index.storage.postgres.filters import bm25_search, filter_sql
from index.storage.postgres.store import PgStore
from index.storage.records import ArticleFilter
from tests.conftest import FakeEmbedder
from tests.index.storage.postgres.helpers import insert_articles
from tests.index.storage.sqlite.test_search import OUTLETS, reports


async def test_bm25_counts_each_phrase_once_not_once_per_matching_chunk(pg_url: str) -> None:
    """The document frequencies are counted once per question: inlined into the ORDER BY they were
    recounted for every matching chunk (minutes at 100k chunks, benchmarks/scale.py)."""
    store = await PgStore.open(pg_url)
    try:
        async with store.db.writing() as db:
            await insert_articles(db, 300, "'police said the mob was dispersed '")
            await db.execute(
                'INSERT INTO chunks (scope, article_rowid, seq, start, "end", text)'
                " SELECT 'global', rowid, 0, 0, 10, text FROM articles"
            )
        where, args = filter_sql(ArticleFilter(scopes=(GLOBAL_SCOPE,)))
        sql, params = bm25_search(["police", "mob"], where, args, 40, await store.search._corpus_stats())
        cur = await (await store.db.reader.get()).execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        row = await cur.fetchone()
        assert row is not None
        plan = next(iter(row.values()))

        def nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
            yield node
            for child in node.get("Plans", []):
                yield from nodes(child)

        # The scans that count a phrase's hits over the whole table (``tsv @@ t.q``, t being the
        # unnested phrases) run once per phrase (2), not once per matching chunk (600 loops before).
        counts = [
            n["Actual Loops"]
            for n in nodes(plan[0]["Plan"])
            if n.get("Relation Name") == "chunks" and "t.q" in str(n.get("Recheck Cond", n.get("Filter", "")))
        ]
        assert counts and max(counts) <= 2, counts
        found = await store.search.keyword(["police", "mob"], ArticleFilter(scopes=(GLOBAL_SCOPE,)), 40)
        assert len(found) == 40
    finally:
        await store.close()


async def test_cached_lookups_follow_commits_from_another_process(tmp_path: Path, pg_url: str) -> None:
    """The lookups every question repeats are kept until something is written, by anyone."""
    src = tmp_path / "reports.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in reports(6)) + "\n", encoding="utf-8")
    async with await Engine.open(tmp_path / "a", embedder=FakeEmbedder(), database_url=pg_url) as engine:
        await engine.ingest([str(src)])
        search = engine.store.search
        scopes = (GLOBAL_SCOPE,)
        assert sorted(await search.outlets(scopes)) == sorted(OUTLETS)
        before = await search.count(ArticleFilter(scopes=scopes))
        assert not await search.mentioned("Ridge Radio", scopes)
        extra = tmp_path / "extra.jsonl"
        row = reports(1, ["Ridge Radio"])[0] | {"id": "x-1", "text": "Ridge Radio reported shelling."}
        extra.write_text(json.dumps(row) + "\n")
        async with await Engine.open(tmp_path / "b", embedder=FakeEmbedder(), database_url=pg_url) as other:
            await other.ingest([str(extra)])  # another connection commits
        assert "Ridge Radio" in await search.outlets(scopes)
        assert await search.count(ArticleFilter(scopes=scopes)) == before + 1
        assert await search.mentioned("Ridge Radio", scopes)
