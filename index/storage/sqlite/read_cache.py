"""The SQLite store's ``ReadCache`` (``storage/read_cache.py``): SQLite's ``PRAGMA data_version``
changes on the reading connection whenever any other connection (this process's writer, or another
process) commits, so a cached value is never older than the last commit the reader can see.
"""

from __future__ import annotations

import aiosqlite

from index.storage import read_cache


class ReadCache(read_cache.ReadCache):
    """Values read through one SQLite connection, dropped at the first commit it sees after them."""

    def __init__(self, reader: aiosqlite.Connection) -> None:
        """Cache reads made through ``reader`` (the connection whose data_version is watched)."""

        async def data_version() -> int | None:
            async with reader.execute("PRAGMA data_version") as cur:
                row = await cur.fetchone()
            return int(row[0]) if row else None

        super().__init__(data_version)
