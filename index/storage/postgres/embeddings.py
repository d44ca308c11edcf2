"""Stored vectors in the Postgres store: a chunk's vector is a column of its row (``vectors.py``
searches it), and a float16 vector per quotable sentence in ``sentence_vectors``, as the embedded
store keeps them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager

import numpy as np
import psycopg

from index.storage.postgres.database import Database, vector_literal
from index.storage.postgres.schema import FILL_LOCK
from index.storage.protocols import EmbeddingStore


class PgEmbeddings(EmbeddingStore):
    """The ``embedding`` column of ``chunks``, and the ``sentence_vectors`` table."""

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
        """One process fills sentence vectors at a time: a session advisory lock on a connection of
        its own (waited for there, not on the store's shared connections; released when the
        connection closes, also when the process dies)."""
        async with await psycopg.AsyncConnection.connect(self.db.url, autocommit=True) as conn:
            await conn.execute("SELECT pg_advisory_lock(%s)", (FILL_LOCK,))
            yield

    async def articles_lacking_sentence_vectors(
        self, model: str, after_rowid: int, limit: int
    ) -> list[tuple[int, str]]:
        """(rowid, text) of up to ``limit`` articles past ``after_rowid`` with no sentence vectors yet."""
        rows = await self.db.fetch_all(
            "SELECT a.rowid, a.text FROM articles a WHERE a.rowid > %s AND NOT EXISTS"
            " (SELECT 1 FROM sentence_vectors s WHERE s.article_rowid = a.rowid AND s.model = %s)"
            " ORDER BY a.rowid LIMIT %s",
            (after_rowid, model, limit),
        )
        return [(int(r["rowid"]), r["text"]) for r in rows]

    async def last_article_rowid(self) -> int:
        """The highest article rowid (0 for none): where a sentence fill may start next time."""
        row = await self.db.fetch_one("SELECT COALESCE(MAX(rowid), 0) AS n FROM articles")
        return int(row["n"]) if row else 0

    async def put_sentence_vectors(
        self, model: str, items: Sequence[tuple[int, int, int, np.ndarray]]
    ) -> None:
        """Store (article rowid, start, end, vector) rows in one transaction; an article removed
        meanwhile is skipped (its rows would have nothing to belong to)."""
        if not items:
            return
        async with self.db.writing() as db, db.cursor() as cur:
            await cur.executemany(
                'INSERT INTO sentence_vectors (scope, article_rowid, model, start, "end", vec)'
                " SELECT a.scope, a.rowid, %s, %s, %s, %s FROM articles a WHERE a.rowid = %s"
                " ON CONFLICT DO NOTHING",
                [(model, s, e, v.astype("float16").tobytes(), r) for r, s, e, v in items],
            )

    async def sentence_vectors(
        self, model: str, rowids: Iterable[int]
    ) -> dict[tuple[int, int, int], np.ndarray]:
        """The stored sentence vectors of these articles, by (rowid, start, end), as float32."""
        wanted = sorted(set(rowids))
        if not wanted:
            return {}
        rows = await self.db.fetch_all(
            'SELECT article_rowid, start, "end", vec FROM sentence_vectors'
            " WHERE model = %s AND article_rowid = ANY(%s::bigint[])",
            (model, wanted),
        )
        return {
            (int(r["article_rowid"]), r["start"], r["end"]): np.frombuffer(r["vec"], dtype="float16").astype(
                "float32"
            )
            for r in rows
        }
