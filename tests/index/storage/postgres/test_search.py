"""Keyword search on Postgres: BM25 over tsvector, its plan."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from index.models import GLOBAL_SCOPE
from index.storage.postgres.filters import bm25_search, filter_sql
from index.storage.postgres.store import PgStore
from index.storage.records import ArticleFilter
from tests.index.storage.postgres.helpers import insert_articles


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
