"""Polls every added feed on an interval and ingests new entries (``SITREP_FEED_POLL_MINUTES``; 0 = off).

Off where the runner says the workers poll (queue mode), and in a sharded bot's processes that don't
run shard 0 (that one polls for all)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from discord.ext import commands

if TYPE_CHECKING:
    from bot.client import SitrepBot

log = logging.getLogger(__name__)


class Feeds(commands.Cog):
    """The background feed poller."""

    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot
        self.runner = bot.runner
        polls = bot.settings.polls_feeds and bot.runner.polls_feeds
        self.interval = bot.settings.feed_poll_minutes * 60 if polls else 0
        self._task: asyncio.Task[None] | None = None
        self.polls = 0

    async def cog_load(self) -> None:
        if self.interval > 0:
            self._task = asyncio.create_task(self._poll_forever(), name="sitrep-feed-poller")

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _poll_forever(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            await asyncio.sleep(self.interval)  # the first poll waits one interval: start-up stays quick
            await self.poll_once()

    async def poll_once(self) -> None:
        """Refresh every scope's feeds; a failure is logged and the next poll tries again."""
        try:
            report = await self.runner.refresh_feeds()
        except Exception:
            log.exception("polling feeds failed")
            return
        finally:
            self.polls += 1
        if report.added or report.failed:
            log.info("polled feeds: %s", report.summary())
        for failure in report.failed:
            log.warning("feed %s: %s", failure.location, failure.reason)


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Feeds(bot))
