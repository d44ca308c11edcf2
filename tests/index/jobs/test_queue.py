"""The job queue on a real PostgreSQL: enqueue/claim/finish, leases, retries, concurrent claimers."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from index.errors import JobFailedError, JobTimeoutError
from index.jobs.queue import JobQueue
from index.jobs.wire import report_dict
from index.models import Failure, IngestReport, Progress


@pytest.fixture
async def queue(pg_url: str) -> AsyncIterator[JobQueue]:
    q = await JobQueue.open(pg_url, max_attempts=2)
    yield q
    await q.close()


async def test_enqueue_claim_finish(queue: JobQueue) -> None:
    job_id = await queue.enqueue(
        scope="3000", kind="ingest_bytes", payload={"filename": "a.txt"}, data=b"hello", added_by="9001"
    )
    queued = await queue.status(job_id)
    assert (queued.state, queued.attempts, queued.scope, queued.added_by) == ("queued", 0, "3000", "9001")

    claimed = await queue.claim("w1", lease=30)
    assert claimed is not None
    job, data = claimed
    assert (job.id, job.state, job.attempts, job.worker, data) == (job_id, "running", 1, "w1", b"hello")
    assert await queue.claim("w2", lease=30) is None  # leased: nobody else gets it

    embedding = Progress(32, 70, "embedding", chunks=250, chunks_total=480)
    assert await queue.renew(job, "w1", lease=30, progress=embedding)
    assert (await queue.status(job_id)).progress == embedding  # passages embedded reach the waiter too
    assert not await queue.renew(job, "w2", lease=30, progress=None)  # not w2's job

    report = IngestReport(added=3, duplicates=1, failed=[Failure("x", "bad")], chunks=7, source_ids=[5])
    await queue.finish(job, "w1", report_dict(report, ["a", "b", "c"]))
    seen: list[Progress] = []
    done = await queue.wait(job_id, timeout=60, on_progress=seen.append)
    assert done.state == "done" and done.finished_at is not None
    assert done.report() == report
    assert done.result is not None and done.result["added_ids"] == ["a", "b", "c"]
    assert seen == [embedding]


async def test_an_error_is_retried_then_fails_for_good(queue: JobQueue) -> None:
    job_id = await queue.enqueue(scope="global", kind="rebuild", payload={})
    for attempt in (1, 2):
        claimed = await queue.claim("w1", lease=30)
        assert claimed is not None and claimed[0].attempts == attempt
        await queue.fail(claimed[0], "w1", f"RuntimeError: boom {attempt}", retry=True)
    assert await queue.claim("w1", lease=30) is None
    job = await queue.status(job_id)
    assert (job.state, job.attempts, job.error) == ("failed", 2, "RuntimeError: boom 2")
    with pytest.raises(JobFailedError, match="boom 2"):
        job.stats()


async def test_an_uploads_bytes_outlive_a_retry_but_not_the_job(queue: JobQueue) -> None:
    job_id = await queue.enqueue(
        scope="3000", kind="ingest_bytes", payload={"filename": "a.txt"}, data=b"x" * 10
    )
    first = await queue.claim("w1", lease=30)
    assert first is not None
    await queue.fail(first[0], "w1", "RuntimeError: boom", retry=True)
    second = await queue.claim("w2", lease=30)
    assert second is not None and second[1] == b"x" * 10  # the retry still has the upload
    await queue.fail(second[0], "w2", "RuntimeError: boom", retry=True)  # the last of 2 attempts
    cur = await (await queue.conn.get()).execute("SELECT state, data FROM jobs WHERE id = %s", (job_id,))
    row = await cur.fetchone()
    assert row is not None and (row["state"], row["data"]) == ("failed", None)


async def expire_lease(queue: JobQueue, job_id: int) -> None:
    """Time passes without a heartbeat: the job's lease runs out now."""
    async with queue.conn.transaction() as db:
        await db.execute("UPDATE jobs SET lease_until = now() - interval '1 second' WHERE id = %s", (job_id,))


async def test_a_silent_workers_job_is_taken_over_then_given_up(queue: JobQueue) -> None:
    job_id = await queue.enqueue(scope="global", kind="refresh_feeds", payload={})
    first = await queue.claim("dead", lease=60)
    assert first is not None
    assert await queue.claim("w2", lease=60) is None  # the lease still runs
    await expire_lease(queue, job_id)  # the first worker went silent
    second = await queue.claim("w2", lease=60)
    assert second is not None and (second[0].id, second[0].attempts) == (job_id, 2)
    # The first worker, back from a stall, no longer owns it and can't record anything.
    assert not await queue.renew(first[0], "dead", lease=30, progress=None)
    await queue.finish(first[0], "dead", {"ignored": True})
    assert (await queue.status(job_id)).state == "running"

    await expire_lease(queue, job_id)  # the second worker goes silent too: 2 attempts were allowed
    assert await queue.claim("w3", lease=60) is None
    job = await queue.status(job_id)
    assert job.state == "failed"
    assert job.error is not None and job.error.startswith("gave up after 2 attempts")


async def test_a_short_lease_runs_out_on_its_own(queue: JobQueue) -> None:
    """The lease is kept in the database's time: a claim whose worker never renews is free again."""
    job_id = await queue.enqueue(scope="global", kind="rebuild", payload={})
    first = await queue.claim("dead", lease=0.2)
    assert first is not None
    deadline = time.monotonic() + 60  # a hang guard, not a measurement
    while (second := await queue.claim("w2", lease=60)) is None:
        assert time.monotonic() < deadline, "the lease never ran out"
        await asyncio.sleep(0.05)
    assert (second[0].id, second[0].worker, second[0].attempts) == (job_id, "w2", 2)
    assert not await queue.renew(first[0], "dead", lease=30, progress=None)


async def test_wait_times_out_on_an_unclaimed_job(queue: JobQueue) -> None:
    job_id = await queue.enqueue(scope="global", kind="rebuild", payload={})
    with pytest.raises(JobTimeoutError, match="no worker has taken it"):
        await queue.wait(job_id, timeout=0.3, poll=0.1)


async def test_two_claimers_never_run_the_same_job(queue: JobQueue, pg_url: str) -> None:
    ids = [await queue.enqueue(scope=f"{i % 3}", kind="rebuild", payload={"n": i}) for i in range(20)]
    runs: Counter[int] = Counter()
    by_worker: dict[str, list[int]] = {"a": [], "b": []}

    both_running = asyncio.Event()

    async def claimer(name: str) -> None:
        own = await JobQueue.open(pg_url)  # a connection (a session) of its own, as a worker has
        try:
            while (claimed := await own.claim(name, lease=30)) is not None:
                job = claimed[0]
                runs[job.id] += 1
                by_worker[name].append(job.id)
                if all(by_worker.values()):
                    both_running.set()
                # Each holds its first job until the other has one too: they overlap, however the
                # two connections are scheduled (the wait is a hang guard).
                await asyncio.wait_for(both_running.wait(), 60)
                await own.finish(job, name, {"n": job.payload["n"]})
        finally:
            await own.close()

    await asyncio.gather(claimer("a"), claimer("b"))
    assert sorted(runs) == sorted(ids) and set(runs.values()) == {1}
    assert by_worker["a"] and by_worker["b"]  # both took part
    for job_id in ids:
        job = await queue.status(job_id)
        assert (job.state, job.attempts) == ("done", 1)
        assert job.worker in by_worker and job_id in by_worker[job.worker]


async def test_a_queue_made_before_passage_counts_gets_them(pg_url: str) -> None:
    old = await JobQueue.open(pg_url)
    conn = await old.conn.get()
    await conn.execute("ALTER TABLE jobs DROP COLUMN progress_chunks, DROP COLUMN progress_chunks_total")
    await old.close()
    queue = await JobQueue.open(pg_url)  # as a worker of this version opens an older queue
    try:
        job_id = await queue.enqueue(scope="3000", kind="rebuild", payload={}, added_by=None)
        claimed = await queue.claim("w1", lease=30)
        assert claimed is not None
        assert await queue.renew(
            claimed[0], "w1", lease=30, progress=Progress(1, 2, "embedding", chunks=3, chunks_total=9)
        )
        assert (await queue.status(job_id)).progress == Progress(1, 2, "embedding", chunks=3, chunks_total=9)
    finally:
        await queue.close()
