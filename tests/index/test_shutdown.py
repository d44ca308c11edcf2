"""Closing an engine never waits on another process that shares its data dir.

Two bots and a CLI on one data dir each filled sentence vectors at start-up; a fill's write then sat
in SQLite's busy handler (up to 60 s, uncancellable) while another process wrote, and ``close``
waited for it. Now a fill waits for the data dir's locks on the event loop, where a cancel ends it.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from index.engine import Engine
from index.storage.sqlite.locking import FILL_LOCK, WRITE_LOCK
from tests.conftest import FakeEmbedder

REPORT = "Shelling hit the Orvik grain silo on Monday, the regional governor said. Two workers were hurt."


def hold(path: Path) -> int:
    """An exclusive flock on ``path`` through a descriptor of its own, as another process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def sentence_rows(data: Path) -> int:
    with closing(sqlite3.connect(data / "sitrep.db")) as db:
        return int(db.execute("SELECT COUNT(*) FROM sentence_vectors").fetchone()[0])


@pytest.mark.parametrize("held", [WRITE_LOCK, FILL_LOCK])
async def test_a_fill_waiting_for_another_process_is_cancelled_by_close(tmp_path: Path, held: str) -> None:
    data = tmp_path / "data"
    source = tmp_path / "report.txt"
    source.write_text(REPORT, encoding="utf-8")
    async with await Engine.open(data, embedder=FakeEmbedder()) as engine:  # keeps no sentence vectors
        await engine.ingest([str(source)])
    fd = hold(data / held)
    try:
        # Another process holds the lock, and a write transaction of its own is open in SQLite.
        with closing(sqlite3.connect(data / "sitrep.db", timeout=0)) as other:
            other.execute("BEGIN IMMEDIATE")
            engine = await Engine.open(data, embedder=FakeEmbedder(), sentence_vectors=True)
            fill = engine.sentences.filling
            assert fill is not None
            for _ in range(20):
                await asyncio.sleep(0)  # let the fill run up to its wait
            assert not fill.done()  # waiting on the lock, on the event loop
            await asyncio.wait_for(engine.close(), 60)  # a hang guard only: cancelled, not waited for
            assert fill.cancelled()
            other.rollback()
    finally:
        os.close(fd)
    assert sentence_rows(data) == 0  # nothing half-written
    async with await Engine.open(data, embedder=FakeEmbedder(), sentence_vectors=True) as engine:
        assert await engine.fill_sentence_vectors() > 0  # the next process fills what was left
