"""The Postgres store's connections: one write transaction at a time, committed or rolled back whole;
the reader sees committed data only; the meta table; vectors as pgvector text."""

from __future__ import annotations

import asyncio

import numpy as np
import psycopg
import pytest

from index.storage.postgres.database import FRESH_META, Database, vector_literal


async def test_a_new_database_is_marked_as_holding_every_derived_table(pg_url: str) -> None:
    db = await Database.open(pg_url)
    try:
        assert {k: await db.get_meta(k) for k in FRESH_META} == FRESH_META
    finally:
        await db.close()
    again = await Database.open(pg_url)  # the schema again, and the marks kept, not reset
    try:
        await again.set_meta(chunk_dates="0")
        await (await Database.open(pg_url)).close()
        assert await again.get_meta("chunk_dates") == "0"
    finally:
        await again.close()


async def test_a_write_commits_at_its_end_and_rolls_back_on_error(pg_url: str) -> None:
    db = await Database.open(pg_url)
    try:
        before = db.writes
        async with db.writing() as w:
            await w.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
            assert await db.get_meta("a") is None  # the reader sees committed data only
        assert await db.get_meta("a") == "1" and db.writes == before + 1
        with pytest.raises(RuntimeError, match="half-way"):
            async with db.writing() as w:
                await w.execute("INSERT INTO meta (key, value) VALUES ('b', '1')")
                raise RuntimeError("half-way")
        with pytest.raises(psycopg.errors.UniqueViolation):
            async with db.writing() as w:
                await w.execute("INSERT INTO meta (key, value) VALUES ('a', '2')")
        assert (await db.get_meta("a"), await db.get_meta("b"), db.writes) == ("1", None, before + 1)
        await db.set_meta(a="3", c="4")  # the writer is usable after both
        assert (await db.get_meta("a"), await db.get_meta("c")) == ("3", "4")
    finally:
        await db.close()


async def test_writes_take_turns(pg_url: str) -> None:
    db = await Database.open(pg_url)
    order: list[str] = []
    inside, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with db.writing():
            order.append("first in")
            inside.set()
            await release.wait()
            order.append("first out")

    async def second() -> None:
        async with db.writing():
            order.append("second in")

    try:
        one = asyncio.create_task(first())
        await asyncio.wait_for(inside.wait(), 120)
        two = asyncio.create_task(second())
        await asyncio.sleep(0)  # the second reaches the write lock (no I/O before it) and waits
        assert order == ["first in"]
        release.set()
        await asyncio.wait_for(asyncio.gather(one, two), 120)
        assert order == ["first in", "first out", "second in"]
    finally:
        await db.close()


async def test_fetch_all_and_fetch_one(pg_url: str) -> None:
    db = await Database.open(pg_url)
    try:
        await db.set_meta(x="1", y="2")
        rows = await db.fetch_all(
            "SELECT key, value FROM meta WHERE key = ANY(%s) ORDER BY key", (["x", "y"],)
        )
        assert [(r["key"], r["value"]) for r in rows] == [("x", "1"), ("y", "2")]
        assert await db.fetch_one("SELECT value FROM meta WHERE key = %s", ("none",)) is None
    finally:
        await db.close()


def test_vector_literals_parse_back_to_the_same_float32s() -> None:
    vec = np.array([0.1, -1 / 3, 1e-8, 123456.789], dtype="float32")
    literal = vector_literal(vec)
    assert literal.startswith("[") and literal.endswith("]")
    assert np.array_equal(np.array([float(x) for x in literal[1:-1].split(",")], dtype="float32"), vec)
    assert vector_literal(np.zeros(0)) == "[]"
