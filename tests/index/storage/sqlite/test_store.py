"""SqliteStore: one sitrep.db in its folder, the data dir held open until closed, counts and meta."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from index.storage.sqlite.locking import OpenLock, StoreInUseError, write_locked
from index.storage.sqlite.schema import SCHEMA
from index.storage.sqlite.store import DB_FILE, SqliteStore
from tests.index.storage.contracts import A1, A2, add, new_article


async def test_opening_creates_the_folder_and_database(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "new" / "dir")
    try:
        assert (tmp_path / "new" / "dir" / DB_FILE).is_file() and store.folder == tmp_path / "new" / "dir"
        assert await store.counts() == (0, 0, 0)
    finally:
        await store.close()


async def test_a_store_another_process_is_creating_is_waited_for_not_refused_as_empty(
    tmp_path: Path,
) -> None:
    # Another process is creating the store: it holds the write lock, and SQLite's file is still empty.
    creator_done = asyncio.Event()

    async def creator() -> None:
        async with write_locked(tmp_path):
            (tmp_path / DB_FILE).touch()
            await creator_done.wait()
            with sqlite3.connect(tmp_path / DB_FILE) as db:  # the creator's first page and tables
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(SCHEMA)
            db.close()

    creating = asyncio.create_task(creator())
    while not (tmp_path / DB_FILE).exists():
        await asyncio.sleep(0)
    opening = asyncio.create_task(SqliteStore.open(tmp_path))
    for _ in range(50):
        await asyncio.sleep(0.01)
    assert not opening.done()  # waiting on the creator's lock, not refusing a 0-byte file
    creator_done.set()
    await creating
    store = await opening
    try:
        assert await store.counts() == (0, 0, 0)
    finally:
        await store.close()


async def test_the_data_dir_is_held_open_until_closed(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path)
    restore = OpenLock(tmp_path)
    with pytest.raises(StoreInUseError, match="is open in another process"):
        restore.acquire(exclusive=True)
    other = await SqliteStore.open(tmp_path)  # a second engine may open it too
    await store.close()
    with pytest.raises(StoreInUseError):
        restore.acquire(exclusive=True)
    await other.close()
    restore.acquire(exclusive=True)  # nobody has it open now
    try:
        with pytest.raises(StoreInUseError, match="is being restored"):
            await SqliteStore.open(tmp_path)
    finally:
        restore.release()


async def test_counts_and_meta(store: SqliteStore) -> None:
    _, added = await add(store, new_article("a1", A1), new_article("a2", A2))
    assert await store.counts() == (1, 2, len(added))
    assert await store.get_meta("nothing") is None
    await store.set_meta(index_model="m", index_dim="64")
    assert (await store.get_meta("index_model"), await store.get_meta("index_dim")) == ("m", "64")


async def test_what_is_committed_survives_reopening(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path)
    await add(store, new_article("a1", A1))
    await store.close()
    again = await SqliteStore.open(tmp_path)
    try:
        assert (await again.counts())[1] == 1 and await again.articles.get("global", "a1") is not None
    finally:
        await again.close()
