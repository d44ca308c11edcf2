"""The embedded store: one ``sitrep.db`` in the data dir, as the seven roles of ``storage.Storage``.

The FAISS file beside it is ``faiss_vectors.FaissVectors``; this object holds the data dir's shared
"in use" lock (``locking.OpenLock``) from open to close, so a restore can't replace files under it.
"""

from __future__ import annotations

import os
from pathlib import Path

from index.storage.records import LANGUAGE_COUNTS
from index.storage.sqlite.annotations import SqliteAnnotations
from index.storage.sqlite.arrivals import SqliteArrivals
from index.storage.sqlite.articles import SqliteArticles
from index.storage.sqlite.database import Database
from index.storage.sqlite.embeddings import SqliteEmbeddings
from index.storage.sqlite.locking import OpenLock, write_locked
from index.storage.sqlite.posted import SqlitePosted
from index.storage.sqlite.search import SqliteSearch
from index.storage.sqlite.sources import SqliteSources
from index.storage.sqlite.watches import SqliteWatches

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
        self.embeddings = SqliteEmbeddings(db, folder)
        self.annotations = SqliteAnnotations(db)
        self.watches = SqliteWatches(db)
        self.posted = SqlitePosted(db)
        self.arrivals = SqliteArrivals(db)
        self._open_lock = open_lock

    @classmethod
    async def open(cls, folder: Path) -> SqliteStore:
        """Open (creating if needed) the store in ``folder``, holding its "in use" lock until close.

        A folder this process can't write (a read-only mount, a snapshot, permissions) is opened
        read-only: questions, sources and stats work; writes raise ``StoreReadOnlyError``.
        """
        read_only = not _writable(folder)
        if not read_only:
            folder.mkdir(parents=True, exist_ok=True)
        lock = OpenLock(folder)
        lock.acquire(read_only=read_only)  # refused while a restore replaces the files
        try:
            return cls(folder, await _open_database(folder, read_only=read_only), lock)
        except BaseException:
            lock.release()
            raise

    @property
    def read_only(self) -> bool:
        """Whether the store can only be read."""
        return self.db.read_only

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

    async def languages(self) -> list[tuple[str, int]]:
        """(language, articles) of the whole store, most articles first."""
        rows = await self.db.rows(LANGUAGE_COUNTS)
        return [(r[0], int(r[1])) for r in rows]


def _writable(folder: Path) -> bool:
    """Whether this process may write the store's files there (or create the folder)."""
    if not folder.exists():
        parent = next((p for p in folder.parents if p.exists()), folder.anchor)
        return os.access(parent, os.W_OK)
    db = folder / DB_FILE
    return os.access(folder, os.W_OK) and (not db.exists() or os.access(db, os.W_OK))


async def _open_database(folder: Path, *, read_only: bool) -> Database:
    """The store's database; a new one is created under the write lock.

    SQLite creates the file empty and writes its first page a moment later: another process opening
    the data dir in that moment saw a 0-byte file and refused it as damaged. Creating under the write
    lock, and waiting for it when the file is missing or empty, means an empty file seen under the
    lock is one that lost its contents, not one being made.
    """
    path = folder / DB_FILE
    if read_only or (path.exists() and path.stat().st_size > 0):
        return await Database.open(path, read_only=read_only)
    async with write_locked(folder):
        return await Database.open(path, read_only=read_only)
