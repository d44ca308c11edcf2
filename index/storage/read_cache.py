"""Query results kept until the database changes, for the lookups every question repeats.

Each question asks the store which outlets, scopes and newest date the archive has, how many
articles its filter admits, which articles its places and dates admit. On a million chunks those
scans took most of half a second a question, while their answers only change when something is
written. Each store says what changes with every write (``version``): SQLite's ``PRAGMA
data_version`` (``sqlite/read_cache.py``), PostgreSQL's ``pg_current_snapshot()``
(``postgres/read_cache.py``). The version is read before a value is computed, so a value is at least
as new as the version it is filed under.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")

MAX_ENTRIES = 4096  # distinct filters and terms between two commits; cleared wholesale past this
# Arrays (filter masks: ~1.3 MB each at a million chunks) are kept fewer, the oldest dropped first.
MAX_ARRAYS = 48


class ReadCache:
    """Values computed from the database, dropped at the first change of its version after them."""

    def __init__(self, version: Callable[[], Awaitable[Hashable]]) -> None:
        """Cache reads while ``version()`` (a value that changes with every write) stays the same."""
        self._version = version
        self._seen: Hashable = None
        self._values: dict[Hashable, Any] = {}
        self._arrays: deque[Hashable] = deque()  # keys of array values, oldest first

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """The value for ``key``: cached if nothing was written since, else ``compute()``'s."""
        version = await self._version()
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
