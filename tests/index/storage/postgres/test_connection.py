"""The Postgres store and job queue after the server drops their connections (restart, failover).

Each test kills the server side of every other session of its database with
``pg_terminate_backend``, as a restarting or failing-over server does, then uses the store again.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from index.engine import Engine
from index.errors import DatabaseConnectionError
from index.jobs.queue import JobQueue
from index.storage.postgres.articles import PgArticles
from index.storage.postgres.connection import CONNECT_ATTEMPTS
from index.storage.postgres.store import PgStore
from tests.conftest import FakeEmbedder

pytestmark = pytest.mark.model

QUESTION = "Who denied attacking Tolvik Regional Hospital?"
OTHERS = "datname = current_database() AND pid <> pg_backend_pid()"


def terminate_sessions(url: str, timeout: float = 60) -> None:
    """Kill every other session on the database and wait until they are gone (``timeout``: a hang guard)."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE {OTHERS}")
        while time.monotonic() < deadline:
            row = conn.execute(f"SELECT count(*) FROM pg_stat_activity WHERE {OTHERS}").fetchone()
            if row is not None and row[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError(f"the sessions were not gone after {timeout} s")


def store_of(engine: Engine) -> PgStore:
    """The engine's Postgres store."""
    assert isinstance(engine.store, PgStore)
    return engine.store


async def backend_pids(store: PgStore) -> tuple[int, int]:
    """Server process ids of the store's (writer, reader) sessions."""
    return (await store.db.writer.get()).info.backend_pid, (await store.db.reader.get()).info.backend_pid


def quotes(answer: Any) -> list[tuple[str, str]]:
    """The quotes of an answer, as a reader sees them."""
    return [(q.text, q.document.id) for q in answer.quotes]


def write_article(folder: Path, name: str, text: str) -> str:
    """A small text file to ingest; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


ARTICLE = (
    "Officials in Pellin said on Monday that the northern bridge reopened after repairs. "
    "“Traffic is moving again,” the mayor's office said in a statement."
)
OTHER_ARTICLE = (
    "A convoy carrying medical supplies reached Kavel late on Tuesday, aid workers said. "
    "“We delivered everything we brought,” a coordinator told reporters."
)


@pytest.mark.parametrize("sample_engine", ["postgres"], indirect=True)
async def test_ask_and_ingest_after_the_connections_are_killed(sample_engine: Engine, tmp_path: Path) -> None:
    store = store_of(sample_engine)
    before = await sample_engine.ask(QUESTION)
    assert before.quotes
    pids = await backend_pids(store)

    terminate_sessions(store.url)
    after = await sample_engine.ask(QUESTION)
    assert quotes(after) == quotes(before)
    new_pids = await backend_pids(store)
    assert new_pids[1] != pids[1]  # the reader was replaced

    counts = await store.counts()
    terminate_sessions(store.url)
    report = await sample_engine.ingest([write_article(tmp_path / "in", "bridge.txt", ARTICLE)])
    assert report.added == 1 and not report.failed
    sources, articles, chunks = await store.counts()
    assert (sources, articles) == (counts[0] + 1, counts[1] + 1) and chunks > counts[2]
    assert (await backend_pids(store))[0] != new_pids[0]  # the writer was replaced


@pytest.mark.parametrize("sample_engine", ["postgres"], indirect=True)
async def test_a_write_cut_off_midway_leaves_the_store_as_it_was(
    sample_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = store_of(sample_engine)
    counts = await store.counts()
    insert = PgArticles._insert_article

    async def insert_then_lose_the_connection(self: PgArticles, *args: Any) -> int:
        rowid = await insert(self, *args)  # the article row is written, not yet committed
        terminate_sessions(self.db.url)
        return rowid

    monkeypatch.setattr(PgArticles, "_insert_article", insert_then_lose_the_connection)
    folder = tmp_path / "in"
    with pytest.raises(DatabaseConnectionError, match="nothing of it was saved"):
        await sample_engine.ingest([write_article(folder, "bridge.txt", ARTICLE)])
    assert await store.counts() == counts

    monkeypatch.setattr(PgArticles, "_insert_article", insert)
    report = await sample_engine.ingest([str(folder), write_article(folder, "convoy.txt", OTHER_ARTICLE)])
    assert report.added == 2 and not report.failed
    sources, articles, _ = await store.counts()
    assert (sources, articles) == (counts[0] + 2, counts[1] + 2)


async def test_the_job_queue_works_after_its_connection_is_killed(pg_url: str) -> None:
    queue = await JobQueue.open(pg_url)
    try:
        first = await queue.enqueue(scope="g", kind="rebuild", payload={})
        terminate_sessions(pg_url)
        assert (await queue.status(first)).state == "queued"  # a read, retried on a new connection
        terminate_sessions(pg_url)
        second = await queue.enqueue(scope="g", kind="rebuild", payload={"n": 2})  # a write
        job = await queue.status(second)
        assert (job.state, job.payload) == ("queued", {"n": 2})
        assert await queue.pending("rebuild") == 2
        terminate_sessions(pg_url)
        claimed = await queue.claim("w", lease=30)
        assert claimed is not None and claimed[0].id == first
    finally:
        await queue.close()


async def test_a_stopped_server_gives_a_clear_error_after_a_few_tries(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import pgserver

    # A server of its own: stopping the shared one would break every other test.
    server = pgserver.get_server(tmp_path / "pg", cleanup_mode="delete")
    try:
        server.psql("CREATE EXTENSION IF NOT EXISTS vector;")
        engine = await Engine.open(
            tmp_path / "data", embedder=FakeEmbedder(), database_url=str(server.get_uri())
        )
        try:
            await engine.ingest([write_article(tmp_path / "in", "bridge.txt", ARTICLE)])
            assert (await engine.ask("Who said traffic is moving again?")).quotes
            server.cleanup()  # stops it
            caplog.clear()
            with pytest.raises(
                DatabaseConnectionError, match=f"Cannot reach the database after {CONNECT_ATTEMPTS} tries"
            ):
                # A hang guard only: it gives up after CONNECT_ATTEMPTS tries, not after a time.
                await asyncio.wait_for(engine.ask("Who said traffic is moving again?"), 120)
            tries = {
                m.split("(try ")[1].split(")")[0] for r in caplog.records if "(try " in (m := r.getMessage())
            }
            assert tries == {f"{n} of {CONNECT_ATTEMPTS}" for n in range(1, CONNECT_ATTEMPTS + 1)}
        finally:
            await engine.close()
    finally:
        server.cleanup()
