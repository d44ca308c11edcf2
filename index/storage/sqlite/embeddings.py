"""Stored vectors in the embedded store: a float32 vector per chunk (the FAISS file is built from
them, so a rebuild never re-embeds) and a float16 vector per quotable sentence."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import numpy as np

from index.storage.protocols import EmbeddingStore
from index.storage.sqlite.database import Database, marks, reading_damage
from index.storage.sqlite.locking import FILL_LOCK, file_locked, write_locked


class SqliteEmbeddings(EmbeddingStore):
    """The ``vectors`` and ``sentence_vectors`` tables."""

    def __init__(self, db: Database, folder: Path) -> None:
        self.db = db
        self.folder = folder

    # -- chunk vectors ------------------------------------------------------------------------------

    async def iter_vectors(
        self, model: str, batch: int = 4096, *, between: Callable[[], Awaitable[None]] | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """All stored (ids, vectors) for ``model``, in batches; ``between`` is awaited before each."""
        out: list[tuple[np.ndarray, np.ndarray]] = []
        sql = "SELECT chunk_id, vec FROM vectors WHERE model = ? ORDER BY chunk_id"
        with reading_damage():
            async with self.db.bulk_reader() as conn, conn.execute(sql, (model,)) as cur:
                while True:
                    if between is not None:
                        await between()
                    rows = list(await cur.fetchmany(batch))
                    if not rows:
                        break
                    ids = np.fromiter((r[0] for r in rows), dtype="int64", count=len(rows))
                    vecs = np.vstack([np.frombuffer(r[1], dtype="float32") for r in rows])
                    out.append((ids, vecs))
        return out

    async def vector_chunk_ids(self, model: str) -> np.ndarray:
        """Sorted ids of the chunks that have a vector for ``model`` (what the FAISS index must hold)."""
        rows = await self.db.rows("SELECT chunk_id FROM vectors WHERE model = ? ORDER BY chunk_id", (model,))
        return np.array([r[0] for r in rows], dtype="int64")

    async def chunk_vectors(self, model: str, chunk_ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The stored float32 vectors of these chunks for ``model``, by chunk id (absent ids left out)."""
        wanted = sorted(set(chunk_ids))
        if not wanted:
            return {}
        rows = await self.db.rows(
            f"SELECT chunk_id, vec FROM vectors WHERE model = ? AND chunk_id IN ({marks(wanted)})",
            [model, *wanted],
        )
        return {r[0]: np.frombuffer(r[1], dtype="float32") for r in rows}

    async def missing_chunk_vectors(self, model: str) -> list[tuple[int, str]]:
        """(chunk id, text) of chunks with no vector for ``model`` (after a model change)."""
        rows = await self.db.rows(
            "SELECT c.id, c.text FROM chunks c WHERE NOT EXISTS"
            " (SELECT 1 FROM vectors v WHERE v.chunk_id = c.id AND v.model = ?) ORDER BY c.id",
            (model,),
        )
        return [(r[0], r[1]) for r in rows]

    async def put_chunk_vectors(self, model: str, items: Sequence[tuple[int, np.ndarray]]) -> None:
        """Store vectors for existing chunks (one transaction)."""
        async with self.db.transaction() as db:
            await db.executemany(
                "INSERT OR REPLACE INTO vectors (chunk_id, model, vec) VALUES (?, ?, ?)",
                [(cid, model, np.asarray(v, dtype="float32").tobytes()) for cid, v in items],
            )

    # -- sentence vectors ---------------------------------------------------------------------------

    def fill_lock(self) -> AbstractAsyncContextManager[None]:
        """The data dir's fill lock (locking.py): one process fills at a time."""
        return file_locked(self.folder / FILL_LOCK)

    async def articles_lacking_sentence_vectors(
        self, model: str, after_rowid: int, limit: int
    ) -> list[tuple[int, str]]:
        """(rowid, text) of up to ``limit`` articles past ``after_rowid`` with no sentence vectors yet."""
        rows = await self.db.rows(
            "SELECT a.rowid, a.text FROM articles a WHERE a.rowid > ? AND NOT EXISTS"
            " (SELECT 1 FROM sentence_vectors s WHERE s.article_rowid = a.rowid AND s.model = ?)"
            " ORDER BY a.rowid LIMIT ?",
            (after_rowid, model, limit),
        )
        return [(r[0], r[1]) for r in rows]

    async def last_article_rowid(self) -> int:
        """The highest article rowid (0 for none): where a sentence fill may start next time."""
        return await self.db.number("SELECT MAX(rowid) FROM articles")

    async def put_sentence_vectors(
        self, model: str, items: Sequence[tuple[int, int, int, np.ndarray]]
    ) -> None:
        """Store (article rowid, start, end, vector) rows in one transaction; an article removed
        meanwhile is skipped (its rows would have nothing to belong to).

        Under the data dir's write lock, waited for on the event loop: without it the transaction
        waited in SQLite's busy handler (up to 60 s, uncancellable) while another process ingested.
        """
        async with write_locked(self.folder), self.db.transaction() as db:
            await db.executemany(
                'INSERT OR IGNORE INTO sentence_vectors (article_rowid, model, start, "end", vec)'
                " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM articles WHERE rowid = ?)",
                [(r, model, s, e, v.astype("float16").tobytes(), r) for r, s, e, v in items],
            )

    async def sentence_vectors(
        self, model: str, rowids: Iterable[int]
    ) -> dict[tuple[int, int, int], np.ndarray]:
        """The stored sentence vectors of these articles, by (rowid, start, end), as float32."""
        wanted = sorted(set(rowids))
        if not wanted:
            return {}
        rows = await self.db.rows(
            'SELECT article_rowid, start, "end", vec FROM sentence_vectors'
            f" WHERE model = ? AND article_rowid IN ({marks(wanted)})",
            [model, *wanted],
        )
        return {(r[0], r[1], r[2]): np.frombuffer(r[3], dtype="float16").astype("float32") for r in rows}
