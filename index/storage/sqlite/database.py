"""The embedded store's two SQLite connections, its write transactions and its meta table.

One writer, one reader (aiosqlite, WAL). Queries read committed data only: a question asked during an
ingest never sees half of it, and a feedback vote can't commit someone else's half-written source.
Every write is one transaction under ``transaction()``. The store's roles (``sources.py``,
``articles.py``, ``search.py``, ``embeddings.py``, ``annotations.py``) share one ``Database``.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from index.storage.sqlite.read_cache import ReadCache
from index.storage.sqlite.schema import SCHEMA

BUSY_TIMEOUT = 60.0  # seconds a connection waits for another process's write lock


class Database:
    """The writer and the reader connection of one ``sitrep.db``."""

    def __init__(self, writer: aiosqlite.Connection, reader: aiosqlite.Connection) -> None:
        """Use ``Database.open``."""
        self.writer = writer
        self.reader = reader
        self._write = asyncio.Lock()
        # Per-question lookups (outlets, counts…) kept until the next commit by any connection.
        self.cache = ReadCache(reader)

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open (creating if needed) the database at ``path``."""
        # The CLI and the bot may share the file: wait for the other's short write transactions.
        writer = await aiosqlite.connect(path, timeout=BUSY_TIMEOUT)
        writer.row_factory = sqlite3.Row
        await writer.execute("PRAGMA journal_mode=WAL")
        await writer.execute("PRAGMA foreign_keys=ON")
        await writer.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL is durable across app crashes
        await writer.executescript(SCHEMA)
        await writer.commit()
        reader = await aiosqlite.connect(path, timeout=BUSY_TIMEOUT)
        reader.row_factory = sqlite3.Row
        await reader.execute("PRAGMA query_only=ON")
        return cls(writer, reader)

    async def close(self) -> None:
        """Close both connections."""
        await self.reader.close()
        await self.writer.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction on the writer: committed at the end, rolled back on any error."""
        async with self._write:
            try:
                yield self.writer
                await self.writer.commit()
            except BaseException:
                await self.writer.rollback()
                raise

    async def rows(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Every row of a query on the reader."""
        async with self.reader.execute(sql, args) as cur:
            return list(await cur.fetchall())

    async def row(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Row | None:
        """The first row of a query on the reader, or None."""
        async with self.reader.execute(sql, args) as cur:
            row: sqlite3.Row | None = await cur.fetchone()
        return row

    async def number(self, sql: str, args: Sequence[Any] = ()) -> int:
        """The one integer ``sql`` selects (0 for NULL or no row)."""
        row = await self.row(sql, args)
        return int(row[0] or 0) if row else 0

    # -- meta ---------------------------------------------------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        """A value from the meta table, or None."""
        row = await self.row("SELECT value FROM meta WHERE key = ?", (key,))
        return str(row["value"]) if row else None

    async def set_meta(self, **values: str) -> None:
        """Set meta values, all in one transaction."""
        async with self.transaction() as db:
            await put_meta(db, values)


async def put_meta(db: aiosqlite.Connection, values: dict[str, str]) -> None:
    """Set meta values inside the current write transaction."""
    await db.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        list(values.items()),
    )


async def bump_version(db: aiosqlite.Connection) -> None:
    """Increment the data version inside the current write transaction (FAISS follows it)."""
    async with db.execute("SELECT value FROM meta WHERE key = 'version'") as cur:
        row = await cur.fetchone()
    await put_meta(db, {"version": str(int(row[0] if row else 0) + 1)})


def marks(values: Sequence[Any]) -> str:
    """``?,?,…`` for an ``IN`` list of ``values``."""
    return ",".join("?" * len(values))
