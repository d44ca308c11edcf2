"""A job queue in PostgreSQL for ``sitrep worker``: ingests, uploads, rebuilds, feed refreshes, removals.

Whoever accepts the work (a bot shard, the CLI) enqueues a row and waits on it; whichever worker is
free claims it with ``SELECT … FOR UPDATE SKIP LOCKED``, so two workers never take the same job.

A claim is a **lease**, not a transaction held open for the job's duration. A held row lock would
free a dead worker's job at once, but it keeps one connection idle in a transaction for minutes
(managed Postgres kills those with ``idle_in_transaction_session_timeout``, and transaction-mode
poolers such as PgBouncer can't carry it), and the job's progress could not be written to the row
it holds locked from elsewhere. So a claim sets ``lease_until`` and the worker renews it while it
runs (``renew``, which also writes progress); a worker that dies stops renewing, and once the lease
has run out another worker claims the job again. Every claim counts an attempt; after
``max_attempts`` the job fails with the last error. A retried ingest adds exactly what is missing:
the engine commits 32 articles per transaction and recognises stored ones by content hash.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import psycopg
from psycopg.types.json import Jsonb

from index.errors import JobFailedError, JobTimeoutError
from index.jobs.wire import KINDS, JobKind, report_of
from index.models import IngestReport, Progress, Stats
from index.storage.postgres.connection import Conn, PgConnection

JobState = Literal["queued", "running", "done", "failed"]

# The corpus key (scope) leads the primary key, so Citus can distribute the table by it like the
# store's tables. Ids come from one identity sequence, so an id alone still names one job.
SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    scope text NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    kind text NOT NULL CHECK (kind IN ('ingest', 'ingest_bytes', 'rebuild', 'refresh_feeds', 'remove_source')),
    payload jsonb NOT NULL DEFAULT '{}'::jsonb,
    data bytea,
    state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    added_by text,
    worker text,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz,
    lease_until timestamptz,
    progress_done integer,
    progress_total integer,
    progress_stage text,
    result jsonb,
    error text,
    PRIMARY KEY (scope, id)
);
CREATE INDEX IF NOT EXISTS jobs_open ON jobs (id) WHERE state IN ('queued', 'running');
-- Passages embedded so far: added after the table first shipped, so queues made before get them here
-- (checked first: ALTER TABLE locks the table even when there is nothing to add).
DO $$ BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'jobs' AND column_name = 'progress_chunks'
    ) THEN
        ALTER TABLE jobs ADD COLUMN progress_chunks integer, ADD COLUMN progress_chunks_total integer;
    END IF;
END $$;
"""

_COLUMNS = (
    "scope, id, kind, payload, state, attempts, added_by, worker, created_at, started_at, finished_at,"
    " progress_done, progress_total, progress_stage, progress_chunks, progress_chunks_total, result, error"
)


@dataclass(frozen=True)
class Job:
    """One row of the queue (without its upload bytes, which only the worker reads)."""

    id: int
    scope: str
    kind: JobKind
    payload: dict[str, Any]
    state: JobState
    attempts: int
    added_by: str | None
    worker: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    progress: Progress | None
    result: dict[str, Any] | None
    error: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Job:
        progress = None
        if row["progress_done"] is not None:
            progress = Progress(
                row["progress_done"],
                row["progress_total"],
                row["progress_stage"] or "",
                chunks=row["progress_chunks"] or 0,
                chunks_total=row["progress_chunks_total"],
            )
        return cls(
            id=row["id"],
            scope=row["scope"],
            kind=row["kind"],
            payload=row["payload"],
            state=row["state"],
            attempts=row["attempts"],
            added_by=row["added_by"],
            worker=row["worker"],
            created_at=row["created_at"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            progress=progress,
            result=row["result"],
            error=row["error"],
        )

    @property
    def finished(self) -> bool:
        """Done or failed: nothing more will happen to it."""
        return self.state in ("done", "failed")

    def report(self) -> IngestReport:
        """The ingest report of a done ingest or feed refresh.

        Raises:
            JobFailedError: the job failed; the message is the worker's last error.
        """
        return report_of(self.checked_result())

    def stats(self) -> Stats:
        """The index stats a done rebuild reports.

        Raises:
            JobFailedError: the job failed; the message is the worker's last error.
        """
        return Stats(**self.checked_result())

    def checked_result(self) -> dict[str, Any]:
        """The result of a done job.

        Raises:
            JobFailedError: the job failed; the message is the worker's last error.
        """
        if self.state == "failed" or self.result is None:
            raise JobFailedError(self.error or f"job #{self.id} failed")
        return self.result


class JobQueue:
    """The ``jobs`` table: enqueue and wait (callers), claim, renew and finish (workers)."""

    def __init__(self, conn: PgConnection, max_attempts: int) -> None:
        """Use ``JobQueue.open``."""
        # Reconnects after the server drops it; writes run in transactions, so a dropped
        # connection is noticed at BEGIN, before anything is sent (see pg_connection).
        self.conn = conn
        self.max_attempts = max_attempts

    @classmethod
    async def open(cls, url: str, *, max_attempts: int = 3) -> JobQueue:
        """Connect to ``url`` (postgresql://…) and create the table if it is missing.

        Args:
            url: the database holding the queue.
            max_attempts: claims of one job before it fails for good (a worker died, or it raised).
        """
        conn = await PgConnection.open(url)
        try:
            # Two processes creating the table at once would race on the catalog: serialise them.
            async with conn.transaction() as db:
                await db.execute("SELECT pg_advisory_xact_lock(hashtext('sitrep.jobs.schema'))")
                await db.execute(SCHEMA)
        except BaseException:
            await conn.close()
            raise
        return cls(conn, max_attempts)

    async def close(self) -> None:
        """Close the connection."""
        await self.conn.close()

    async def enqueue(
        self,
        *,
        scope: str,
        kind: JobKind,
        payload: dict[str, Any],
        data: bytes | None = None,
        added_by: str | None = None,
    ) -> int:
        """Add a job; returns its id.

        Args:
            scope: the corpus it works on (a guild id, or the global scope).
            kind: what to do; ``payload`` holds its arguments (JSON), ``data`` an upload's bytes.
            added_by: who asked (kept with the sources an ingest adds).
        """
        if kind not in KINDS:
            raise ValueError(f"unknown job kind {kind!r}")
        async with self.conn.transaction() as db:
            cur = await db.execute(
                "INSERT INTO jobs (scope, kind, payload, data, added_by) VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (scope, kind, Jsonb(payload), data, added_by),
            )
            row = await cur.fetchone()
        assert row is not None
        return int(row["id"])

    async def status(self, job_id: int) -> Job:
        """The job as it stands now.

        Raises:
            KeyError: no such job.
        """
        row = await self._fetch_one(f"SELECT {_COLUMNS} FROM jobs WHERE id = %s", (job_id,))
        if row is None:
            raise KeyError(job_id)
        return Job.from_row(row)

    async def wait(
        self,
        job_id: int,
        *,
        timeout: float,
        poll: float = 0.5,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Job:
        """Poll until the job is done or failed; ``on_progress`` gets each new progress report.

        Raises:
            JobTimeoutError: still unfinished after ``timeout`` seconds (it stays queued).
        """
        deadline = time.monotonic() + timeout
        seen: Progress | None = None
        while True:
            job = await self.status(job_id)
            if on_progress is not None and job.progress is not None and job.progress != seen:
                seen = job.progress
                on_progress(seen)
            if job.finished:
                return job
            if time.monotonic() >= deadline:
                what = "no worker has taken it yet" if job.state == "queued" else "a worker is still on it"
                raise JobTimeoutError(f"Job #{job_id} is not finished after {timeout:g} s ({what}).")
            await asyncio.sleep(poll)

    # -- workers ------------------------------------------------------------------------------------

    async def claim(self, worker: str, *, lease: float) -> tuple[Job, bytes | None] | None:
        """Take the oldest queued job, or one whose worker's lease ran out; None when there is none.

        A job whose lease ran out after its last allowed attempt is marked failed instead.
        """
        while True:
            async with self.conn.transaction() as db:
                cur = await db.execute(
                    "SELECT scope, id, attempts, error FROM jobs"
                    " WHERE state = 'queued' OR (state = 'running' AND lease_until < now())"
                    " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
                )
                row = await cur.fetchone()
                if row is None:
                    return None
                key = (row["scope"], row["id"])
                if row["attempts"] >= self.max_attempts:
                    error = row["error"] or "the worker running it stopped (killed, or lost its connection)"
                    await db.execute(
                        "UPDATE jobs SET state = 'failed', finished_at = now(), lease_until = NULL,"
                        " error = %s WHERE scope = %s AND id = %s",
                        (f"gave up after {row['attempts']} attempts: {error}", *key),
                    )
                    continue
                cur = await db.execute(
                    "UPDATE jobs SET state = 'running', attempts = attempts + 1, worker = %s,"
                    " started_at = now(), lease_until = now() + make_interval(secs => %s),"
                    " progress_done = NULL, progress_total = NULL, progress_stage = NULL,"
                    " progress_chunks = NULL, progress_chunks_total = NULL"
                    f" WHERE scope = %s AND id = %s RETURNING {_COLUMNS}, data",
                    (worker, lease, *key),
                )
                claimed = await cur.fetchone()
                assert claimed is not None
                return Job.from_row(claimed), claimed["data"]

    async def renew(self, job: Job, worker: str, *, lease: float, progress: Progress | None) -> bool:
        """Extend the lease and record progress; False when the job is no longer this worker's."""
        cur = await self._write(
            "UPDATE jobs SET lease_until = now() + make_interval(secs => %s),"
            " progress_done = %s, progress_total = %s, progress_stage = %s,"
            " progress_chunks = %s, progress_chunks_total = %s"
            " WHERE scope = %s AND id = %s AND worker = %s AND state = 'running'",
            (
                lease,
                progress.done if progress else None,
                progress.total if progress else None,
                progress.stage if progress else None,
                progress.chunks if progress else None,
                progress.chunks_total if progress else None,
                job.scope,
                job.id,
                worker,
            ),
        )
        return cur.rowcount == 1

    async def finish(self, job: Job, worker: str, result: dict[str, Any]) -> None:
        """Mark the job done with its result."""
        await self._write(
            "UPDATE jobs SET state = 'done', result = %s, error = NULL, finished_at = now(),"
            " lease_until = NULL, data = NULL WHERE scope = %s AND id = %s AND worker = %s",
            (Jsonb(result), job.scope, job.id, worker),
        )

    async def fail(self, job: Job, worker: str, error: str, *, retry: bool) -> None:
        """Record an error: the job goes back to the queue (``retry``, attempts left) or fails."""
        again = retry and job.attempts < self.max_attempts
        await self._write(
            "UPDATE jobs SET state = %s, error = %s, lease_until = NULL,"
            " finished_at = CASE WHEN %s THEN NULL ELSE now() END,"
            # A job that has ended keeps no upload bytes (up to SITREP_MAX_UPLOAD_MB each), as in finish.
            " data = CASE WHEN %s THEN data ELSE NULL END"
            " WHERE scope = %s AND id = %s AND worker = %s",
            ("queued" if again else "failed", error, again, again, job.scope, job.id, worker),
        )

    async def pending(self, kind: JobKind) -> int:
        """How many jobs of ``kind`` are queued or running."""
        row = await self._fetch_one(
            "SELECT count(*) AS n FROM jobs WHERE kind = %s AND state IN ('queued', 'running')", (kind,)
        )
        assert row is not None
        return int(row["n"])

    async def _fetch_one(self, sql: str, args: tuple[Any, ...]) -> dict[str, Any] | None:
        """The first row of a read-only query (retried once if the connection was dropped)."""

        async def query(conn: Conn) -> dict[str, Any] | None:
            cur = await conn.execute(sql, args)
            return await cur.fetchone()

        return await self.conn.read(query)

    async def _write(self, sql: str, args: tuple[Any, ...]) -> psycopg.AsyncCursor[dict[str, Any]]:
        """Run one statement in its own transaction; returns its cursor (for ``rowcount``)."""
        async with self.conn.transaction() as db:
            return await db.execute(sql, args)


def dumps(result: dict[str, Any]) -> str:
    """A job result as one JSON line (the worker logs it)."""
    return json.dumps(result, ensure_ascii=False, default=str)
