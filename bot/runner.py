"""Where the bot's side effects run: in this process (``LocalRunner``), in the bot's own ingest process
(``ProcessRunner``, the default) or on ``sitrep worker`` processes through the job queue (``QueuedRunner``).

The composition root (``bot/__main__.py``) builds one runner and hands it to the bot; cogs call
``bot.runner`` and never ask which kind it is. Reads (``/ask``, ``/source list``, ``/admin status``)
and small writes (labels, feedback) go to the engine directly in both deployments: every process has
an engine over the shared store, and only ingesting, removing and rebuilding are worth a worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from index.engine import Engine
from index.ingest.readers import TextMeta
from index.jobs.child import IngestProcess
from index.jobs.queue import Job, JobQueue
from index.jobs.wire import JobKind, meta_payload, report_of
from index.models import GLOBAL_SCOPE, IngestReport, Progress, Stats

log = logging.getLogger(__name__)

ProgressCallback = Callable[[Progress], None]


class Runner(Protocol):
    """The work a command starts that changes the store: ingest, remove, rebuild, refresh feeds."""

    @property
    def polls_feeds(self) -> bool:
        """Whether this process runs the feed poller itself (False: the workers poll)."""
        ...

    async def ingest_url(
        self, url: str, *, scope: str, added_by: str, progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Ingest an article or feed URL into ``scope``; ``progress`` is called on the event loop."""
        ...

    async def ingest_upload(
        self,
        filename: str,
        data: bytes,
        *,
        scope: str,
        added_by: str,
        progress: ProgressCallback | None = None,
        meta: TextMeta | None = None,
    ) -> IngestReport:
        """Ingest an uploaded file's bytes (read by its extension) into ``scope``; ``meta``: what the
        uploader said about it (outlet, date, link)."""
        ...

    async def remove_source(self, source_id: int, *, scope: str) -> int:
        """Remove a source of ``scope`` and its articles; returns the articles removed.

        Raises:
            SourceNotFoundError: no such source in ``scope``.
        """
        ...

    async def rebuild(self) -> Stats:
        """Rebuild the vector index; returns the stats after it."""
        ...

    async def refresh_feeds(self, scope: str | None = None) -> IngestReport:
        """Poll the feeds of ``scope`` (every scope's when None) and ingest new entries."""
        ...


class LocalRunner:
    """Runs everything on this process's engine (the default, single-machine deployment)."""

    polls_feeds = True

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def ingest_url(
        self, url: str, *, scope: str, added_by: str, progress: ProgressCallback | None = None
    ) -> IngestReport:
        return await self.engine.ingest([url], scope=scope, added_by=added_by, progress=progress)

    async def ingest_upload(
        self,
        filename: str,
        data: bytes,
        *,
        scope: str,
        added_by: str,
        progress: ProgressCallback | None = None,
        meta: TextMeta | None = None,
    ) -> IngestReport:
        return await self.engine.ingest_bytes(
            filename, data, scope=scope, added_by=added_by, progress=progress, meta=meta
        )

    async def remove_source(self, source_id: int, *, scope: str) -> int:
        return await self.engine.remove_source(source_id, scope=scope)

    async def rebuild(self) -> Stats:
        return await self.engine.rebuild()

    async def refresh_feeds(self, scope: str | None = None) -> IngestReport:
        return await self.engine.refresh_feeds(scope)


class ProcessRunner(LocalRunner):
    """Ingests, uploads and feed refreshes in a child process (``index.jobs.child``) on the same store;
    removals and rebuilds on this process's engine (they are short, or rare and asked for).

    The child runs at a lower CPU priority, so the answers this process gives while an ingest runs are
    not held up by it. Its commits reach this process's engine before its next answer, as a
    ``sitrep ingest`` run beside the bot does. The caller owns ``process`` (closes it).
    """

    def __init__(self, engine: Engine, process: IngestProcess) -> None:
        super().__init__(engine)
        self.process = process

    async def ingest_url(
        self, url: str, *, scope: str, added_by: str, progress: ProgressCallback | None = None
    ) -> IngestReport:
        result = await self.process.run(
            "ingest", scope=scope, added_by=added_by, payload={"locations": [url]}, progress=progress
        )
        return report_of(result)

    async def ingest_upload(
        self,
        filename: str,
        data: bytes,
        *,
        scope: str,
        added_by: str,
        progress: ProgressCallback | None = None,
        meta: TextMeta | None = None,
    ) -> IngestReport:
        result = await self.process.run(
            "ingest_bytes",
            scope=scope,
            added_by=added_by,
            payload={"filename": filename, "meta": meta_payload(meta)},
            data=data,
            progress=progress,
        )
        return report_of(result)

    async def refresh_feeds(self, scope: str | None = None) -> IngestReport:
        payload = {"all_scopes": True} if scope is None else {}
        result = await self.process.run("refresh_feeds", scope=scope or GLOBAL_SCOPE, payload=payload)
        return report_of(result)


class QueuedRunner:
    """Enqueues each piece of work for ``sitrep worker`` processes and waits for its result.

    Every shard's commands then go to whichever worker is free, and the bot process never embeds
    for an ingest. The caller owns ``queue`` (opens and closes it); ``wait_seconds`` is how long a
    command waits for a worker before it gives up with ``JobTimeoutError``.
    """

    # The workers poll feeds (the one holding the poller lock), so N bot processes don't.
    polls_feeds = False

    def __init__(self, queue: JobQueue, *, wait_seconds: float, poll_seconds: float = 0.5) -> None:
        self.queue = queue
        self.wait_seconds = wait_seconds
        self.poll_seconds = poll_seconds

    async def _run(
        self,
        kind: JobKind,
        *,
        scope: str,
        payload: dict[str, Any],
        data: bytes | None = None,
        added_by: str | None = None,
        progress: ProgressCallback | None = None,
    ) -> Job:
        """Enqueue a job and wait until a worker has finished it (done or failed)."""
        job_id = await self.queue.enqueue(
            scope=scope, kind=kind, payload=payload, data=data, added_by=added_by
        )
        return await self.queue.wait(
            job_id, timeout=self.wait_seconds, poll=self.poll_seconds, on_progress=progress
        )

    async def ingest_url(
        self, url: str, *, scope: str, added_by: str, progress: ProgressCallback | None = None
    ) -> IngestReport:
        job = await self._run(
            "ingest", scope=scope, payload={"locations": [url]}, added_by=added_by, progress=progress
        )
        return job.report()

    async def ingest_upload(
        self,
        filename: str,
        data: bytes,
        *,
        scope: str,
        added_by: str,
        progress: ProgressCallback | None = None,
        meta: TextMeta | None = None,
    ) -> IngestReport:
        job = await self._run(
            "ingest_bytes",
            scope=scope,
            payload={"filename": filename, "meta": meta_payload(meta)},
            data=data,
            added_by=added_by,
            progress=progress,
        )
        return job.report()

    async def remove_source(self, source_id: int, *, scope: str) -> int:
        job = await self._run("remove_source", scope=scope, payload={"source_id": source_id})
        return int(job.checked_result()["removed"])

    async def rebuild(self) -> Stats:
        return (await self._run("rebuild", scope=GLOBAL_SCOPE, payload={})).stats()

    async def refresh_feeds(self, scope: str | None = None) -> IngestReport:
        # A job has one scope; "every scope" is the global job with the flag the worker's poller uses.
        if scope is None:
            job = await self._run("refresh_feeds", scope=GLOBAL_SCOPE, payload={"all_scopes": True})
        else:
            job = await self._run("refresh_feeds", scope=scope, payload={})
        return job.report()
