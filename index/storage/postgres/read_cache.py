"""The Postgres store's ``ReadCache`` (``storage/read_cache.py``): ``pg_current_snapshot()`` changes
whenever a transaction that writes begins or commits, in this process or another, so a value filed
under one snapshot is still what a query would read while the snapshot is the same.
"""

from __future__ import annotations

from index.storage import read_cache
from index.storage.postgres.database import Database


class ReadCache(read_cache.ReadCache):
    """Values read from one Postgres database, dropped at the first write seen after them."""

    def __init__(self, db: Database) -> None:
        async def snapshot() -> str | None:
            row = await db.fetch_one("SELECT pg_current_snapshot()::text AS s")
            return str(row["s"]) if row else None

        super().__init__(snapshot)
