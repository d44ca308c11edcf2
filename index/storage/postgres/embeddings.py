"""Stored vectors in the Postgres store: a chunk's vector is a column of its row (``vectors.py``
searches it). Sentence vectors are kept by the embedded store only; here a question embeds its
candidate sentences, so the sentence methods have nothing to do."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager

import numpy as np

from index.storage.postgres.database import Database, vector_literal
from index.storage.protocols import EmbeddingStore


class PgEmbeddings(EmbeddingStore):
    """The ``embedding`` column of ``chunks``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def missing_chunk_vectors(self, model: str) -> list[tuple[int, str]]:
        """(chunk id, text) of chunks with no vector for ``model`` (after a model change)."""
        rows = await self.db.fetch_all(
            "SELECT id, text FROM chunks WHERE model IS DISTINCT FROM %s OR embedding IS NULL ORDER BY id",
            (model,),
        )
        return [(r["id"], r["text"]) for r in rows]

    async def put_chunk_vectors(self, model: str, items: Sequence[tuple[int, np.ndarray]]) -> None:
        """Store vectors for existing chunks (one transaction)."""
        async with self.db.writing() as db, db.cursor() as cur:
            await cur.executemany(
                "UPDATE chunks SET model = %s, embedding = %s::vector WHERE id = %s",
                [(model, vector_literal(v), cid) for cid, v in items],
            )

    @asynccontextmanager
    async def fill_lock(self) -> AsyncIterator[None]:
        """Nothing to hold: there is nothing to fill (see ``articles_lacking_sentence_vectors``)."""
        yield

    async def articles_lacking_sentence_vectors(
        self, model: str, after_rowid: int, limit: int
    ) -> list[tuple[int, str]]:
        """None: PostgreSQL stores no sentence vectors (questions embed their candidate sentences)."""
        return []

    async def last_article_rowid(self) -> int:
        """0: nothing to fill (see ``articles_lacking_sentence_vectors``)."""
        return 0

    async def put_sentence_vectors(
        self, model: str, items: Sequence[tuple[int, int, int, np.ndarray]]
    ) -> None:
        """Nothing to store (see ``articles_lacking_sentence_vectors``)."""

    async def sentence_vectors(
        self, model: str, rowids: Iterable[int]
    ) -> dict[tuple[int, int, int], np.ndarray]:
        """None stored (see ``articles_lacking_sentence_vectors``)."""
        return {}
