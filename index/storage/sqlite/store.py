"""The embedded store: one ``sitrep.db`` in the data dir, as the five roles of ``storage.Storage``.

The FAISS file beside it is ``faiss_vectors.FaissVectors``; this object holds the data dir's shared
"in use" lock (``locking.OpenLock``) from open to close, so a restore can't replace files under it.
"""

from __future__ import annotations

from pathlib import Path

from index.storage.sqlite.annotations import SqliteAnnotations
from index.storage.sqlite.articles import SqliteArticles
from index.storage.sqlite.database import Database
from index.storage.sqlite.embeddings import SqliteEmbeddings
from index.storage.sqlite.locking import OpenLock
from index.storage.sqlite.search import SqliteSearch
from index.storage.sqlite.sources import SqliteSources

DB_FILE = "sitrep.db"


class SqliteStore:
    """Sources, articles, chunks, vectors, claims, labels and feedback in SQLite (aiosqlite, WAL)."""

    def __init__(self, folder: Path, db: Database, open_lock: OpenLock | None = None) -> None:
        """Use ``SqliteStore.open``."""
        self.folder = folder
        self.db = db
        self.sources = SqliteSources(db)
        self.articles = SqliteArticles(db)
        self.search = SqliteSearch(db)
        self.embeddings = SqliteEmbeddings(db)
        self.annotations = SqliteAnnotations(db)
        self._open_lock = open_lock

    @classmethod
    async def open(cls, folder: Path) -> SqliteStore:
        """Open (creating if needed) the store in ``folder``, holding its "in use" lock until close."""
        folder.mkdir(parents=True, exist_ok=True)
        lock = OpenLock(folder)
        lock.acquire()  # refused while a restore replaces the files
        try:
            return cls(folder, await Database.open(folder / DB_FILE), lock)
        except BaseException:
            lock.release()
            raise

    async def close(self) -> None:
        """Close both connections, then let go of the data dir."""
        try:
            await self.db.close()
        finally:
            if self._open_lock is not None:
                self._open_lock.release()

    async def get_meta(self, key: str) -> str | None:
        """A value from the meta table, or None."""
        return await self.db.get_meta(key)

    async def set_meta(self, **values: str) -> None:
        """Set meta values, all in one transaction."""
        await self.db.set_meta(**values)

    async def counts(self) -> tuple[int, int, int]:
        """(sources, articles, chunks)."""
        row = await self.db.row(
            "SELECT (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM chunks)"
        )
        assert row is not None
        return int(row[0]), int(row[1]), int(row[2])
