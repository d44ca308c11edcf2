"""``sitrep worker``: claims jobs from the queue and runs them on an engine; one worker also polls feeds.

Jobs are leased (see ``index.jobs.queue``): while one runs, a heartbeat renews the lease and writes its
progress, so a worker that dies leaves the job to another once the lease runs out. Feed polling is
done by the one worker holding a session-level advisory lock: Postgres releases it when that
worker's connection goes (the process died, the machine went away), and the next worker to try
takes the lock and the polling over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket

import psycopg

from index.engine import Engine
from index.errors import DatabaseConnectionError, SitrepError
from index.jobs.execute import execute
from index.jobs.queue import JobQueue, dumps
from index.models import GLOBAL_SCOPE, Progress
from index.signals import forget_stop_signals, stop_on_signals
from index.storage.postgres.connection import Conn

log = logging.getLogger(__name__)

# Key of the advisory lock whose holder polls feeds (any 64-bit number other code doesn't use).
FEED_POLLER_LOCK = 0x5177_2E9F_0000_0001
POLLER_PREFIX = "feed-poller:"  # the added_by of the refresh jobs a poller enqueues


def default_worker_id() -> str:
    """host:pid — unique among live workers, and says where to look when one misbehaves."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Worker:
    """Runs queued jobs on one engine, one at a time (the engine writes one thing at a time anyway)."""

    def __init__(
        self,
        engine: Engine,
        queue: JobQueue,
        *,
        worker_id: str | None = None,
        lease: float = 60.0,
        idle_poll: float = 1.0,
    ) -> None:
        """Args:
        engine: where the jobs' work is done.
        queue: where jobs come from.
        worker_id: recorded on the jobs it claims (default host:pid).
        lease: seconds a claim lasts without a heartbeat; heartbeats come every third of it.
        idle_poll: seconds between looks at an empty queue.
        """
        self.engine = engine
        self.queue = queue
        self.id = worker_id or default_worker_id()
        self.lease = lease
        self.idle_poll = idle_poll
        self.jobs_run = 0
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """Finish the current job (if any), then leave ``run``."""
        self._stopping.set()

    async def run(self, *, once: bool = False) -> int:
        """Claim and run jobs until ``stop`` (or, with ``once``, until the queue is empty); returns jobs run."""
        before = self.jobs_run
        while not self._stopping.is_set():
            if await self.run_one():
                continue
            if once:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.idle_poll)
        return self.jobs_run - before

    async def run_one(self) -> bool:
        """Claim one job and run it to the end; False when there was none to claim."""
        claimed = await self.queue.claim(self.id, lease=self.lease)
        if claimed is None:
            return False
        job, data = claimed
        log.info("job #%d (%s, scope %s, attempt %d) started", job.id, job.kind, job.scope, job.attempts)
        latest: list[Progress] = []
        changed = asyncio.Event()

        def on_progress(p: Progress) -> None:
            latest[:] = [p]
            if p.added_ids:  # written at once: a waiting user sees each committed group; the reports
                changed.set()  # between commits (passages embedded) go with the next lease renewal

        work = asyncio.create_task(
            execute(
                self.engine,
                job.kind,
                scope=job.scope,
                added_by=job.added_by,
                payload=job.payload,
                data=data,
                progress=on_progress,
            )
        )
        while not work.done():
            woken = asyncio.create_task(changed.wait())
            await asyncio.wait({work, woken}, timeout=self.lease / 3, return_when=asyncio.FIRST_COMPLETED)
            woken.cancel()
            changed.clear()
            if not await self.queue.renew(
                job, self.id, lease=self.lease, progress=latest[0] if latest else None
            ):
                # The lease ran out (a long stall) and another worker took the job. The work is not
                # cancelled mid-transaction; it finishes, and its result is not recorded.
                log.warning("job #%d was taken over by another worker; its result will be dropped", job.id)
        self.jobs_run += 1
        try:
            result = work.result()
        except SitrepError as e:
            log.info("job #%d failed: %s", job.id, e)
            # A dropped database connection is worth another attempt; bad input (no such source,
            # unreadable upload) is not.
            await self.queue.fail(job, self.id, str(e), retry=isinstance(e, DatabaseConnectionError))
        except Exception as e:
            log.exception("job #%d raised", job.id)
            await self.queue.fail(job, self.id, f"{type(e).__name__}: {e}", retry=True)
        else:
            log.info("job #%d done: %s", job.id, dumps(result))
            await self.queue.finish(job, self.id, result)
        return True


class FeedPoller:
    """Enqueues a refresh of every feed each interval, in the one worker holding the poller lock.

    It has a connection of its own: the session-level lock lives and dies with it. When that
    connection breaks, the lock is gone too; the poller reconnects and competes for it again.
    """

    def __init__(self, url: str, worker_id: str, *, minutes: float) -> None:
        self.url = url
        self.worker_id = worker_id
        self.interval = minutes * 60
        self.queue: JobQueue | None = None
        self.holding = False
        self._locked_on: Conn | None = None  # the session holding the lock
        self.enqueued = 0

    async def run(self) -> None:
        """Try for the lock every interval; while holding it, enqueue a refresh each interval."""
        try:
            while True:
                await asyncio.sleep(self.interval)  # the first poll waits one interval, as the bot's does
                try:
                    await self._step()
                except (psycopg.Error, DatabaseConnectionError) as e:
                    log.warning("feed poller: %s; reconnecting at the next interval", e)
                    await self.close()
        finally:
            await self.close()

    async def close(self) -> None:
        """Drop the connection, and with it the lock (if held)."""
        queue, self.queue, self.holding = self.queue, None, False
        if queue is not None:
            with contextlib.suppress(psycopg.Error):
                await queue.close()

    async def _step(self) -> None:
        if self.queue is None:
            self.queue = await JobQueue.open(self.url)
        conn = await self.queue.conn.get()
        if conn is not self._locked_on:
            # The queue reconnected (or never locked): the lock went with the old session.
            self.holding = False
        if not self.holding:
            cur = await conn.execute("SELECT pg_try_advisory_lock(%s) AS ok", (FEED_POLLER_LOCK,))
            row = await cur.fetchone()
            self.holding = bool(row and row["ok"])
            self._locked_on = conn if self.holding else None
            if self.holding:
                log.info("this worker (%s) polls the feeds now", self.worker_id)
        if self.holding:
            await self.poll_once()

    async def poll_once(self) -> None:
        """Enqueue a refresh of every scope's feeds, unless one is still waiting or running."""
        assert self.queue is not None
        if await self.queue.pending("refresh_feeds"):
            return
        await self.queue.enqueue(
            scope=GLOBAL_SCOPE,
            kind="refresh_feeds",
            payload={"all_scopes": True},
            added_by=POLLER_PREFIX + self.worker_id,
        )
        self.enqueued += 1


async def serve(
    engine: Engine,
    url: str,
    *,
    once: bool = False,
    worker_id: str | None = None,
    lease: float = 60.0,
    max_attempts: int = 3,
    feed_poll_minutes: float = 0.0,
) -> int:
    """Run a worker (and a feed poller) until SIGTERM/SIGINT, or until the queue is empty with ``once``.

    The first signal lets the current job finish; a second one ends the process at once (its job is
    then retried by another worker when the lease runs out). Returns the number of jobs run.
    """
    queue = await JobQueue.open(url, max_attempts=max_attempts)
    worker = Worker(engine, queue, worker_id=worker_id, lease=lease)
    stop_on_signals(worker.stop, log, "stopping after the current job (again: at once)")
    poller_task: asyncio.Task[None] | None = None
    if feed_poll_minutes > 0 and not once:
        poller = FeedPoller(url, worker.id, minutes=feed_poll_minutes)
        poller_task = asyncio.create_task(poller.run(), name="sitrep-feed-poller")
    log.info("worker %s ready", worker.id)
    try:
        return await worker.run(once=once)
    finally:
        if poller_task is not None:
            poller_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller_task  # its connection closes: the lock goes to the next worker
        await queue.close()
        forget_stop_signals()
