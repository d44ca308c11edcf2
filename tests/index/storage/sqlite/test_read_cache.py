"""Lookups kept until the database changes: recomputed after a commit by any connection, never before."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import aiosqlite
import numpy as np
import pytest

from index.storage import read_cache
from index.storage.sqlite.read_cache import ReadCache


class Counted:
    """A compute function returning the number of meta rows, counting its calls."""

    def __init__(self, reader: aiosqlite.Connection) -> None:
        self.reader = reader
        self.calls = 0

    async def __call__(self) -> int:
        self.calls += 1
        async with self.reader.execute("SELECT COUNT(*) FROM meta") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0


@pytest.fixture
async def connections(tmp_path: Path) -> AsyncIterator[tuple[aiosqlite.Connection, aiosqlite.Connection]]:
    path = tmp_path / "t.db"
    writer = await aiosqlite.connect(path)
    await writer.execute("PRAGMA journal_mode=WAL")
    await writer.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    await writer.commit()
    reader = await aiosqlite.connect(path)
    yield writer, reader
    await reader.close()
    await writer.close()


async def test_a_value_is_computed_once_until_a_commit(
    connections: tuple[aiosqlite.Connection, aiosqlite.Connection],
) -> None:
    writer, reader = connections
    cache, count = ReadCache(reader), Counted(reader)
    assert [await cache.get("meta rows", count) for _ in range(3)] == [0, 0, 0]
    assert count.calls == 1
    await writer.execute("INSERT INTO meta VALUES ('a', '1')")
    assert await cache.get("meta rows", count) == 0 and count.calls == 1  # not committed: still valid
    await writer.commit()
    assert await cache.get("meta rows", count) == 1 and count.calls == 2
    assert await cache.get("meta rows", count) == 1 and count.calls == 2


async def test_a_commit_by_another_process_is_seen_too(
    connections: tuple[aiosqlite.Connection, aiosqlite.Connection], tmp_path: Path
) -> None:
    _, reader = connections
    cache, count = ReadCache(reader), Counted(reader)
    assert await cache.get("k", count) == 0
    with sqlite3.connect(tmp_path / "t.db") as other:  # a connection this process's cache knows nothing of
        other.execute("INSERT INTO meta VALUES ('b', '2')")
    assert await cache.get("k", count) == 1 and count.calls == 2


async def test_keys_are_kept_apart_and_cleared_together(
    connections: tuple[aiosqlite.Connection, aiosqlite.Connection],
) -> None:
    writer, reader = connections
    cache = ReadCache(reader)
    a, b = Counted(reader), Counted(reader)
    await cache.get(("count", "a"), a)
    await cache.get(("count", "b"), b)
    await cache.get(("count", "a"), a)
    assert (a.calls, b.calls) == (1, 1)
    await writer.execute("INSERT INTO meta VALUES ('c', '3')")
    await writer.commit()
    await cache.get(("count", "a"), a)
    await cache.get(("count", "b"), b)
    assert (a.calls, b.calls) == (2, 2)


async def test_a_full_cache_starts_over(
    connections: tuple[aiosqlite.Connection, aiosqlite.Connection], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, reader = connections
    monkeypatch.setattr(read_cache, "MAX_ENTRIES", 3)
    cache, count = ReadCache(reader), Counted(reader)
    for key in ("a", "b", "a"):
        await cache.get(key, count)
    assert count.calls == 2  # two values kept
    await cache.get("c", count)  # the third: the cache is full
    assert count.calls == 3
    await cache.get("a", count)  # the next lookup starts over, whatever its key
    await cache.get("b", count)
    assert count.calls == 5


async def test_only_the_newest_arrays_are_kept(
    connections: tuple[aiosqlite.Connection, aiosqlite.Connection], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, reader = connections
    monkeypatch.setattr(read_cache, "MAX_ARRAYS", 2)
    cache, calls = ReadCache(reader), []

    def mask(key: str) -> Callable[[], Awaitable[np.ndarray]]:
        async def compute() -> np.ndarray:
            calls.append(key)
            return np.zeros(4, dtype=bool)

        return compute

    for key in ("a", "b", "c"):  # the third array drops the first
        await cache.get(key, mask(key))
    await cache.get("number", Counted(reader))  # not an array: it takes no array's place
    for key in ("c", "b", "a"):
        await cache.get(key, mask(key))
    assert calls == ["a", "b", "c", "a"]  # "b" and "c" were kept; "a" was read again
