"""Query results kept until the database changes, for the lookups every question repeats: the
Postgres side of ``sqlite/read_cache.py``.

Each question asks the store which outlets and dates the archive has, whether it mentions a place,
and which articles its place and date filters admit. Their answers only change when something is
written, by this process or another. ``pg_current_snapshot()`` changes whenever a transaction that
writes begins or commits, so a value filed under one snapshot is still what a query would read while
the snapshot is the same; it is read before the value is computed, so the value is at least as new as
the snapshot it is filed under.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from index.storage.postgres.database import Database

T = TypeVar("T")

MAX_ENTRIES = 4096  # distinct filters and terms between two commits; cleared wholesale past this


class ReadCache:
    """Values computed from the database, dropped at the first write seen after them."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._seen: str | None = None
        self._values: dict[Hashable, Any] = {}

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """The value for ``key``: cached if nothing was written since, else ``compute()``'s."""
        row = await self.db.fetch_one("SELECT pg_current_snapshot()::text AS s")
        snapshot = str(row["s"]) if row else None
        if snapshot != self._seen or len(self._values) >= MAX_ENTRIES:
            self._values.clear()
            self._seen = snapshot
        if key not in self._values:
            self._values[key] = await compute()
        found: T = self._values[key]
        return found
