"""Query results kept until the database changes, for the lookups every question repeats.

Each question asks the store which outlets, scopes and newest date the archive has, and how many
articles its filter admits. On a million chunks those scans took most of half a second a question,
while their answers only change when something is written. SQLite's ``PRAGMA data_version`` changes
on the reading connection whenever any other connection (this process's writer, or another
process) commits, so a cached value is never older than the last commit the reader can see.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

import aiosqlite
import numpy as np

T = TypeVar("T")

MAX_ENTRIES = 4096  # distinct filters and terms between two commits; cleared wholesale past this
# Arrays (filter masks: ~1.3 MB each at a million chunks) are kept fewer, the oldest dropped first.
MAX_ARRAYS = 48


class ReadCache:
    """Values computed from the database, dropped at the first commit seen after them."""

    def __init__(self, reader: aiosqlite.Connection) -> None:
        """Cache reads made through ``reader`` (the connection whose data_version is watched)."""
        self._reader = reader
        self._seen: int | None = None
        self._values: dict[Hashable, Any] = {}
        self._arrays: deque[Hashable] = deque()  # keys of array values, oldest first

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """The value for ``key``: cached if nothing was committed since, else ``compute()``'s."""
        async with self._reader.execute("PRAGMA data_version") as cur:
            row = await cur.fetchone()
        version = int(row[0]) if row else None
        if version != self._seen or len(self._values) >= MAX_ENTRIES:
            self._values.clear()
            self._arrays.clear()
            self._seen = version
        if key not in self._values:
            # Computed after the version was read: at least as new as the data it is filed under.
            value = await compute()
            if isinstance(value, np.ndarray):
                self._arrays.append(key)
                if len(self._arrays) > MAX_ARRAYS:
                    self._values.pop(self._arrays.popleft(), None)
            self._values[key] = value
        found: T = self._values[key]
        return found
