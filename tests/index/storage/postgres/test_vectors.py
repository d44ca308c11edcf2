"""pgvector search: exact under a selective filter, HNSW otherwise, and the k nearest either way."""

from __future__ import annotations

import numpy as np
import pytest

from index.engine import Engine
from index.models import GLOBAL_SCOPE
from index.storage.postgres.store import PgStore
from index.storage.postgres.vectors import PgVectors
from index.storage.records import ArticleFilter
from tests.index.storage.postgres.helpers import insert_articles


@pytest.mark.model
async def test_filtered_vector_search_returns_k_on_either_path(
    both_engines: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A selective filter still gets its k nearest chunks, exact or through HNSW with a raised ef_search."""
    lite, pg = both_engines
    f = ArticleFilter(scopes=(GLOBAL_SCOPE,), outlets=("Orvenia Unbowed",))
    allowed = set(await pg.store.search.allowed_chunk_ids(f))
    assert 3 < len(allowed) < (await pg.stats()).chunks / 10
    qvec = pg.embedder.embed(["hospital strike"])[0]
    exact = await pg.vectors.search(qvec, 3, f, True)
    assert len(exact) == 3 and {cid for cid, _ in exact} <= allowed
    assert [cid for cid, _ in exact] == [cid for cid, _ in await lite.vectors.search(qvec, 3, f, True)]
    monkeypatch.setattr("index.storage.postgres.vectors.EXACT_MAX", 0)  # force the HNSW path
    approximate = await pg.vectors.search(qvec, 3, f, True)
    assert len(approximate) == 3 and {cid for cid, _ in approximate} <= allowed


async def test_the_hnsw_path_uses_the_index_and_finds_the_exact_neighbours(pg_url: str) -> None:
    """The broad-question query is one the HNSW index can serve (same expression, same predicate),
    the exact one is not, and on 2,000 random vectors they agree on nearly all of the top 10."""
    store = await PgStore.open(pg_url)
    try:
        async with store.db.writing() as db:
            await insert_articles(db, 2000, "'text '")
            await db.execute(
                'INSERT INTO chunks (scope, article_rowid, seq, start, "end", text, model, embedding)'
                " SELECT 'global', rowid, 0, 0, 4, text, 'fake-bow-64',"
                " (SELECT array_agg(random() - 0.5) FROM generate_series(1, 64) WHERE rowid > 0)::vector"
                " FROM articles"
            )
        vectors = PgVectors(store, dim=64, model="fake-bow-64", fill_missing=_nothing)
        await vectors.load()
        f = ArticleFilter(scopes=(GLOBAL_SCOPE,))
        qvec = np.random.default_rng(7).standard_normal(64).astype("float32")
        plans = {}
        for exact in (True, False):
            sql, args = vectors.nearest_sql(qvec, 10, f, exact=exact)
            reader = await store.db.reader.get()
            async with reader.transaction():
                await reader.execute("SET LOCAL enable_seqscan = off")
                cur = await reader.execute("EXPLAIN " + sql, args)
                plans[exact] = " ".join(str(next(iter(r.values()))) for r in await cur.fetchall())
        assert "chunks_embedding_hnsw_64" in plans[False], plans[False]
        assert "chunks_embedding_hnsw_64" not in plans[True], plans[True]
        found = {}
        for limit in (20_000, 0):
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr("index.storage.postgres.vectors.EXACT_MAX", limit)
                found[limit] = [cid for cid, _ in await vectors.search(qvec, 10, f, False)]
        assert len(found[0]) == 10 and len(set(found[0]) & set(found[20_000])) >= 8
    finally:
        await store.close()


async def _nothing() -> None:
    """No chunk lacks a vector here."""
