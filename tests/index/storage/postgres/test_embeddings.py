"""PgEmbeddings: the embeddings role's contract (tests/index/storage/contracts.py) on PostgreSQL."""

from __future__ import annotations

import numpy as np

from index.storage.postgres.store import PgStore
from tests.index.storage.contracts import A1, MODEL, EmbeddingsContract, add, new_article, rowid_of


class TestPgEmbeddings(EmbeddingsContract):
    """Every check of the contract, on an empty Postgres database (the ``store`` fixture)."""


async def test_postgres_keeps_no_sentence_vectors(store: PgStore) -> None:
    """Questions embed their candidate sentences on Postgres: nothing is ever waiting to be filled."""
    await add(store, new_article("a1", A1))
    rowid = await rowid_of(store, "global", "a1")
    assert await store.embeddings.articles_lacking_sentence_vectors(MODEL, 0, 10) == []
    assert await store.embeddings.last_article_rowid() == 0
    await store.embeddings.put_sentence_vectors(MODEL, [(rowid, 0, 10, np.ones(4, dtype="float32"))])
    assert await store.embeddings.sentence_vectors(MODEL, [rowid]) == {}
