"""The embedded store's connections: one write transaction at a time, committed or rolled back whole;
the meta table; the reader sees committed data only."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from index.storage.sqlite.database import Database, bump_version, marks, put_meta


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "sitrep.db")
    yield database
    await database.close()


async def test_a_transaction_commits_at_its_end(db: Database) -> None:
    async with db.transaction() as w:
        await w.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
        assert await db.get_meta("a") is None  # the reader sees committed data only
    assert await db.get_meta("a") == "1"


async def test_a_transaction_rolls_back_on_any_error(db: Database) -> None:
    with pytest.raises(RuntimeError, match="half-way"):
        async with db.transaction() as w:
            await w.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
            raise RuntimeError("half-way")
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as w:
            await w.execute("INSERT INTO meta (key, value) VALUES ('b', '1')")
            await w.execute("INSERT INTO meta (key, value) VALUES ('b', '2')")  # the key is unique
    assert (await db.get_meta("a"), await db.get_meta("b")) == (None, None)
    # The writer is usable again afterwards.
    await db.set_meta(a="2")
    assert await db.get_meta("a") == "2"


async def test_transactions_take_turns(db: Database) -> None:
    inside = asyncio.Event()
    release = asyncio.Event()
    order: list[str] = []

    async def first() -> None:
        async with db.transaction() as w:
            order.append("first in")
            await w.execute("INSERT INTO meta (key, value) VALUES ('turn', 'first')")
            inside.set()
            await release.wait()
            order.append("first out")

    async def second() -> None:
        async with db.transaction() as w:
            order.append("second in")
            await w.execute("UPDATE meta SET value = 'second' WHERE key = 'turn'")

    one = asyncio.create_task(first())
    await asyncio.wait_for(inside.wait(), 120)
    two = asyncio.create_task(second())
    await asyncio.sleep(0)  # the second runs up to the write lock (no I/O before it) and waits
    assert order == ["first in"] and not two.done()
    release.set()
    await asyncio.wait_for(asyncio.gather(one, two), 120)
    assert order == ["first in", "first out", "second in"]
    assert await db.get_meta("turn") == "second"


async def test_meta_values_are_set_together_and_replaced(db: Database) -> None:
    assert await db.get_meta("missing") is None
    await db.set_meta(model="m1", dim="64")
    await db.set_meta(dim="384")
    assert (await db.get_meta("model"), await db.get_meta("dim")) == ("m1", "384")
    with pytest.raises(RuntimeError):
        async with db.transaction() as w:
            await put_meta(w, {"model": "m2", "dim": "768"})
            raise RuntimeError("neither is kept")
    assert (await db.get_meta("model"), await db.get_meta("dim")) == ("m1", "384")


async def test_the_data_version_counts_writes(db: Database) -> None:
    for expected in ("1", "2", "3"):
        async with db.transaction() as w:
            await bump_version(w)
        assert await db.get_meta("version") == expected


async def test_rows_row_and_number(db: Database) -> None:
    await db.set_meta(a="1", b="2")
    rows = await db.rows("SELECT key, value FROM meta WHERE key IN (?, ?) ORDER BY key", ("a", "b"))
    assert [(r["key"], r["value"]) for r in rows] == [("a", "1"), ("b", "2")]
    row = await db.row("SELECT value FROM meta WHERE key = ?", ("b",))
    assert row is not None and row["value"] == "2"
    assert await db.row("SELECT value FROM meta WHERE key = 'none'") is None
    assert await db.number("SELECT COUNT(*) FROM meta WHERE key IN ('a', 'b')") == 2
    assert await db.number("SELECT MAX(id) FROM chunks") == 0  # NULL
    assert await db.number("SELECT 1 WHERE 0") == 0  # no row


async def test_the_reader_cannot_write(db: Database) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await db.reader.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")


async def test_a_bulk_read_has_a_read_only_connection_of_its_own(db: Database) -> None:
    await db.set_meta(a="1")
    async with db.bulk_reader() as conn:
        assert conn is not db.reader and conn is not db.writer
        async with conn.execute("SELECT value FROM meta WHERE key = 'a'") as cur:
            assert (await cur.fetchone())[0] == "1"
        # The shared reader answers while the bulk read's statement is open.
        async with conn.execute("SELECT key FROM meta") as cur:
            await cur.fetchone()
            assert await db.number("SELECT COUNT(*) FROM meta WHERE key = 'a'") == 1
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await conn.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
    with pytest.raises(ValueError):  # closed at the end
        await conn.execute("SELECT 1")


async def test_reopening_keeps_what_was_committed(tmp_path: Path) -> None:
    first = await Database.open(tmp_path / "sitrep.db")
    await first.set_meta(kept="yes")
    await first.close()
    again = await Database.open(tmp_path / "sitrep.db")  # the schema script runs again, harmlessly
    try:
        assert await again.get_meta("kept") == "yes"
        mode = await again.row("PRAGMA journal_mode")
        assert mode is not None and mode[0] == "wal"
    finally:
        await again.close()


def test_marks() -> None:
    assert marks([1]) == "?" and marks(["a", "b", "c"]) == "?,?,?"
