"""Queue mode: with ``SITREP_QUEUE_URL`` set, ingests, removals, rebuilds and feed refreshes are
enqueued for ``sitrep worker`` processes and awaited, instead of run in the bot's process.

Every shard's commands then go to whichever worker is free, and the bot process never embeds. The
cogs that need it call ``attach_queue`` in their ``setup``; the first opens the queue, the others
find it on the bot.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from discord.ext import commands

from index.config import IndexSettings
from index.jobs.queue import Job, JobKind, JobQueue
from index.models import Progress

log = logging.getLogger(__name__)

_ATTRIBUTE = "sitrep_jobs"


@dataclass(frozen=True)
class Jobs:
    """The bot's job queue, and how long a command waits for a job's result."""

    queue: JobQueue
    timeout: float

    async def run(
        self,
        kind: JobKind,
        *,
        scope: str,
        payload: dict[str, Any],
        data: bytes | None = None,
        added_by: str | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Job:
        """Enqueue a job and wait until a worker has finished it (done or failed)."""
        job_id = await self.queue.enqueue(
            scope=scope, kind=kind, payload=payload, data=data, added_by=added_by
        )
        return await self.queue.wait(job_id, timeout=self.timeout, on_progress=on_progress)


def jobs_of(bot: commands.Bot) -> Jobs | None:
    """The bot's job queue in queue mode; None when the bot runs jobs itself (embedded mode)."""
    jobs: Jobs | None = getattr(bot, _ATTRIBUTE, None)
    return jobs


async def attach_queue(bot: commands.Bot) -> None:
    """Open the job queue once per bot, if ``SITREP_QUEUE_URL`` names one.

    Read here rather than in ``bot/__main__.py`` so that queue mode needs no change to the
    composition root; a bot that already has a queue (set by its creator) keeps it.
    """
    if hasattr(bot, _ATTRIBUTE):
        return
    settings = IndexSettings()
    url = settings.jobs_url
    jobs = None
    if url:
        jobs = Jobs(
            await JobQueue.open(url, max_attempts=settings.job_max_attempts), settings.job_wait_seconds
        )
        log.info("queue mode: ingests, removals, rebuilds and feed refreshes go to sitrep workers")
    setattr(bot, _ATTRIBUTE, jobs)


async def detach_queue(bot: commands.Bot) -> None:
    """Close the bot's job queue (the first cog to unload does it; later calls find nothing)."""
    jobs = jobs_of(bot)
    if hasattr(bot, _ATTRIBUTE):
        delattr(bot, _ATTRIBUTE)
    if jobs is not None:
        await jobs.queue.close()
