"""The Postgres store's two connections, its write transactions and its meta table.

Two connections: the writer (one transaction at a time, under an asyncio lock) and a reader in
autocommit mode, so questions see committed data only and never wait for an ingest. See
``connection.py`` for what a dropped connection does. The store's roles (``sources.py``,
``articles.py``, ``search.py``, ``embeddings.py``, ``annotations.py``) and ``vectors.py`` share one
``Database``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import numpy as np
import psycopg

from index.storage.postgres.connection import PgConnection, Row
from index.storage.postgres.schema import SCHEMA, SCHEMA_LOCK, SCHEMA_VERSION
from index.text.place_names import NAMES_VERSION

# The stores it writes hold every derived table from the start: the engine's backfills for stores
# written by older versions have nothing to do.
FRESH_META = {
    "schema_version": SCHEMA_VERSION,
    "chunk_dates": "1",
    "copies_and_names": "1",
    "names_version": NAMES_VERSION,
}


def vector_literal(vec: np.ndarray) -> str:
    """pgvector's text form; ``repr`` of a float32 widened to a double parses back to the same float32."""
    return "[" + ",".join(map(repr, np.asarray(vec, dtype="float32").tolist())) + "]"


class Database:
    """The writer and the reader connection to one PostgreSQL database."""

    def __init__(self, url: str, writer: PgConnection, reader: PgConnection) -> None:
        """Use ``Database.open``."""
        self.url = url
        self.writer = writer
        self.reader = reader
        self._write = asyncio.Lock()
        # Transactions on the shared reader (a vector search's SET LOCAL) must not nest or interleave.
        self.reader_transaction = asyncio.Lock()
        self.writes = 0  # write transactions this process committed (cached statistics watch it)

    @classmethod
    async def open(cls, url: str) -> Database:
        """Connect, creating the extension, tables and indexes if needed."""
        writer = await PgConnection.open(url)
        try:
            async with writer.transaction() as db:
                # Two processes starting at once must not race on CREATE ... IF NOT EXISTS.
                await db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                cur = await db.execute("SELECT to_regclass('meta') IS NULL AS fresh")
                fresh = (await cur.fetchone() or {"fresh": True})["fresh"]
                await db.execute(SCHEMA)
                # A store from before names_version has its names read again (backfill._names).
                meta = FRESH_META if fresh else {**FRESH_META, "names_version": "1"}
                for key, value in meta.items():
                    await db.execute(
                        "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
                        (key, value),
                    )
            reader = await PgConnection.open(url)
        except BaseException:
            await writer.close()
            raise
        return cls(url, writer, reader)

    async def close(self) -> None:
        """Close both connections."""
        await self.reader.close()
        await self.writer.close()

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[psycopg.AsyncConnection[Row]]:
        """One write transaction on the writer connection (see connection.py for a dropped one)."""
        async with self._write, self.writer.transaction() as db:
            yield db
        self.writes += 1

    async def fetch_all(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        """Rows of a query on the reader (committed data only)."""

        async def query(conn: psycopg.AsyncConnection[Row]) -> list[Row]:
            async with conn.cursor() as cur:
                await cur.execute(sql, args)
                return await cur.fetchall()

        return await self.reader.read(query)

    async def fetch_one(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        """The first row of a query on the reader, or None."""
        rows = await self.fetch_all(sql, args)
        return rows[0] if rows else None

    # -- meta ---------------------------------------------------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        """A value from the meta table, or None."""
        row = await self.fetch_one("SELECT value FROM meta WHERE key = %s", (key,))
        return str(row["value"]) if row else None

    async def set_meta(self, **values: str) -> None:
        """Set meta values, all in one transaction."""
        async with self.writing() as db, db.cursor() as cur:
            await cur.executemany(
                "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )
