"""``sitrep worker`` over a real PostgreSQL queue and the real model: jobs run, a SIGKILLed worker's job is
finished by another with every article stored once, and exactly one worker polls feeds."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import psycopg
import pytest

from index.cli.commands import main
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.errors import JobFailedError
from index.ingest.pipeline import STORE_BATCH
from index.jobs.queue import Job, JobQueue
from index.jobs.worker import POLLER_PREFIX, FeedPoller, Worker
from tests.conftest import SAMPLES, wait_until
from tests.index.processes import Sitrep, check_database, write_corpus

pytestmark = pytest.mark.model


@pytest.fixture
async def queue(pg_url: str) -> AsyncIterator[JobQueue]:
    q = await JobQueue.open(pg_url)
    yield q
    await q.close()


async def test_a_worker_runs_ingest_and_removal_jobs(
    queue: JobQueue, tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    reports = SAMPLES / "reports.jsonl"
    lines = [line for line in reports.read_text(encoding="utf-8").splitlines() if line.strip()]
    engine = await Engine.open(tmp_path / "data", embedder=embedder)
    try:
        worker = Worker(engine, queue, worker_id="w1")
        ingest = await queue.enqueue(
            scope="3000", kind="ingest", payload={"locations": [str(reports)]}, added_by="9001"
        )
        assert await worker.run(once=True) == 1
        job = await queue.status(ingest)
        report = job.report()
        assert (job.state, job.attempts, job.worker) == ("done", 1, "w1")
        assert report.added == len(lines) and not report.failed
        assert job.result is not None and len(job.result["added_ids"]) == len(lines)
        [source] = await engine.sources("3000")
        assert (source.id, source.articles, source.added_by) == (report.source_ids[0], len(lines), "9001")

        # Another server can't remove it: a user's mistake fails at once, without retries.
        wrong = await queue.enqueue(scope="3001", kind="remove_source", payload={"source_id": source.id})
        right = await queue.enqueue(scope="3000", kind="remove_source", payload={"source_id": source.id})
        assert await worker.run(once=True) == 2
        refused = await queue.status(wrong)
        assert (refused.state, refused.attempts) == ("failed", 1)
        with pytest.raises(JobFailedError, match=f"no source #{source.id} in this server"):
            refused.checked_result()
        assert (await queue.status(right)).checked_result() == {"removed": len(lines)}
        assert await engine.sources("3000") == []
    finally:
        await engine.close()


def _worker(data: Path, name: str, *argv: str) -> Sitrep:
    return Sitrep(data, "worker", "--id", name, "--lease-seconds", "2", *argv)


async def _articles(data: Path, database_url: str | None) -> list[str]:
    """Ids of the stored articles, in the embedded store or in Postgres."""
    if database_url is None:
        con = sqlite3.connect(data / "sitrep.db")
        try:
            return [row[0] for row in con.execute("SELECT id FROM articles")]
        finally:
            con.close()
    async with await psycopg.AsyncConnection.connect(database_url) as conn:
        cur = await conn.execute("SELECT id FROM articles")
        return [row[0] for row in await cur.fetchall()]


async def _wait_for(queue: JobQueue, job_id: int, predicate: object, timeout: float = 180) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = await queue.status(job_id)
        if predicate(job):  # type: ignore[operator]
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job #{job_id} never got there: {job}")


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_a_killed_workers_ingest_is_completed_by_another(
    queue: JobQueue, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    ids = write_corpus(corpus)
    if len(ids) <= STORE_BATCH:
        pytest.skip("the corpus fits one transaction: nothing to kill between groups")
    data = tmp_path / "data"
    # Embedded: the queue alone is in Postgres. Postgres: the store too, and the queue shares its database.
    database_url = pg_url if backend == "postgres" else None
    monkeypatch.setenv("SITREP_QUEUE_URL" if database_url is None else "SITREP_DATABASE_URL", pg_url)
    monkeypatch.setenv("SITREP_FEED_POLL_MINUTES", "0")
    job_id = await queue.enqueue(scope="global", kind="ingest", payload={"locations": [str(corpus)]})

    first = _worker(data, "first")
    try:
        # Killed once its first group of articles is committed (progress is written as each commits).
        running = await _wait_for(
            queue, job_id, lambda j: j.finished or (j.progress is not None and j.progress.done >= STORE_BATCH)
        )
        assert running.state == "running", f"the job ended before it could be killed: {running}"
        assert first.kill()
    finally:
        first.kill()
    committed = await _articles(data, database_url)
    assert committed and len(committed) % STORE_BATCH == 0 and len(committed) < len(ids)  # whole groups only

    second = _worker(data, "second")
    try:
        # It takes the job over once the dead worker's lease has run out; stopped gracefully
        # meanwhile, it finishes the job before it exits.
        taken = await _wait_for(queue, job_id, lambda j: j.worker == "second" or j.finished)
        assert (taken.state, taken.worker) == ("running", "second")
        second.proc.send_signal(signal.SIGTERM)
        assert second.proc.wait(timeout=240) == 0
    finally:
        second.kill()
    done = await queue.status(job_id)
    report = done.report()
    assert (done.state, done.attempts, done.worker) == ("done", 2, "second")
    assert (report.added, report.duplicates) == (len(ids) - len(committed), len(committed))
    stored = await _articles(data, database_url)
    assert sorted(stored) == sorted(ids)  # every article, exactly once
    if database_url is None:
        check_database(data / "sitrep.db")
    assert any("worker stopped after 1 jobs" in line for line in second.output())


async def test_exactly_one_worker_polls_feeds_and_another_takes_over(
    queue: JobQueue, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITREP_QUEUE_URL", pg_url)
    data = tmp_path / "data"
    workers = {name: _worker(data, name, "--feed-poll-minutes", "0.005") for name in ("a", "b")}

    async def pollers(at_least: int) -> list[str]:
        deadline = time.monotonic() + 300  # a hang guard: two workers start (and load) under load
        while time.monotonic() < deadline:
            cur = await (await queue.conn.get()).execute(
                "SELECT added_by FROM jobs WHERE kind = 'refresh_feeds' ORDER BY id"
            )
            found = [row["added_by"].removeprefix(POLLER_PREFIX) for row in await cur.fetchall()]
            if len(found) >= at_least:
                return found
            await asyncio.sleep(0.1)
        raise AssertionError(f"fewer than {at_least} feed refreshes were enqueued: {workers['a'].lines[-5:]}")

    try:
        polled = await pollers(4)
        assert len(set(polled)) == 1, polled  # one poller at a time, never both
        poller = polled[0]
        assert workers[poller].kill()
        other = "b" if poller == "a" else "a"
        later = await pollers(len(polled) + 3)
        assert later[-1] == other, later
        assert set(later[later.index(other) :]) == {other}  # the killed poller enqueues nothing more
    finally:
        for w in workers.values():
            w.kill()
    cur = await (await queue.conn.get()).execute("SELECT count(*) AS n FROM jobs WHERE state = 'done'")
    row = await cur.fetchone()
    assert row is not None and row["n"] >= 4


def test_the_worker_command_needs_a_queue_and_drains_it_with_once(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SITREP_QUEUE_URL", raising=False)
    monkeypatch.delenv("SITREP_DATABASE_URL", raising=False)
    assert main(["--data-dir", str(tmp_path / "data"), "worker", "--once"]) == 2
    assert "SITREP_QUEUE_URL" in capsys.readouterr().err
    monkeypatch.setenv("SITREP_QUEUE_URL", pg_url)
    assert main(["--data-dir", str(tmp_path / "data"), "worker", "--once"]) == 0
    assert capsys.readouterr().out == "worker stopped after 0 jobs\n"


class GatedPoller(FeedPoller):
    """A feed poller that counts its steps and can be held before the next one (``gate``)."""

    def __init__(self, url: str, name: str) -> None:
        super().__init__(url, name, minutes=0.05 / 60)
        self.steps = 0
        self.gate = asyncio.Event()
        self.gate.set()
        self.held = False  # waiting at the closed gate

    async def _step(self) -> None:
        self.held = not self.gate.is_set()
        await self.gate.wait()
        self.held = False
        try:
            await super()._step()
        finally:
            self.steps += 1


async def test_one_feed_poller_holds_the_lock_and_another_takes_over_when_its_connection_goes(
    queue: JobQueue, pg_url: str
) -> None:
    pollers = [GatedPoller(pg_url, name) for name in ("p1", "p2")]
    tasks = [asyncio.create_task(p.run()) for p in pollers]

    async def refreshes_waiting() -> int:
        return await queue.pending("refresh_feeds")

    try:
        await wait_until(lambda: any(p.enqueued for p in pollers), "a poller enqueues a refresh")
        holder, other = pollers if pollers[0].holding else pollers[::-1]
        assert holder.holding and not other.holding and other.enqueued == 0

        # Both keep trying: the other is refused the lock, and the holder queues nothing while its
        # refresh waits (never two waiting refreshes).
        mark = {p: p.steps for p in pollers}
        await wait_until(lambda: all(p.steps >= mark[p] + 3 for p in pollers), "three more steps of each")
        assert (holder.enqueued, other.enqueued, other.holding) == (1, 0, False)
        assert await refreshes_waiting() == 1
        claimed = await queue.claim("w", lease=30)
        assert claimed is not None and claimed[0].added_by == POLLER_PREFIX + holder.worker_id
        await queue.finish(claimed[0], "w", {})
        await wait_until(lambda: holder.enqueued == 2, "the holder queues the next refresh once one ran")

        # The holder's connection, and the lock with it, is lost while the holder is held back.
        holder.gate.clear()
        await wait_until(lambda: holder.held, "the holder waits at its gate")
        assert holder.queue is not None
        await holder.queue.conn.close()
        await wait_until(lambda: other.holding, "the other poller takes the lock")
        # Back, it finds its connection gone, reconnects and is refused the lock.
        back = holder.steps
        holder.gate.set()
        await wait_until(lambda: holder.steps >= back + 2, "two steps of the holder after its return")
        assert not holder.holding and other.holding

        # Run what is queued (the old holder's last refresh) until the new holder polls.
        async def the_other_polled() -> bool:
            while (claimed := await queue.claim("w", lease=30)) is not None:
                await queue.finish(claimed[0], "w", {})
            return other.enqueued > 0

        deadline = time.monotonic() + 60
        while not await the_other_polled():
            assert time.monotonic() < deadline, "the new holder never enqueued a refresh"
            await asyncio.sleep(0.02)
        newest = await queue.status(await _newest(queue))
        assert newest.added_by == POLLER_PREFIX + other.worker_id
        assert not holder.holding
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _newest(queue: JobQueue) -> int:
    cur = await (await queue.conn.get()).execute("SELECT max(id) AS id FROM jobs")
    row = await cur.fetchone()
    assert row is not None
    return int(row["id"])
