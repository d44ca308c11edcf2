"""Reporting on long work from an interaction: throttled progress edits and a final message that still
arrives when the interaction token (valid 15 minutes) has expired."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from datetime import timedelta

import discord

from bot.formatting import render_progress
from index.models import Progress

log = logging.getLogger(__name__)

TOKEN_LIFETIME = timedelta(minutes=15)
TOKEN_MARGIN = timedelta(minutes=1)


def token_fresh(interaction: discord.Interaction) -> bool:
    """Whether the interaction's token can still be used (with a margin for the request itself)."""
    return discord.utils.utcnow() - interaction.created_at < TOKEN_LIFETIME - TOKEN_MARGIN


async def send_final(interaction: discord.Interaction, content: str) -> None:
    """Put ``content`` in the deferred response, or post it in the channel once the token has expired."""
    if token_fresh(interaction):
        await interaction.edit_original_response(content=content)
        return
    channel = interaction.channel
    if isinstance(channel, discord.abc.Messageable):
        await channel.send(f"{interaction.user.mention} {content}"[:2000])
    else:
        log.warning("interaction %s expired and its channel can't be messaged: %s", interaction.id, content)


class ProgressMessage:
    """A progress callback for the library that edits the deferred response at most every few seconds,
    and at least that often while the work goes on (``start``): a fetch or a long article that reports
    nothing for a while still shows its elapsed time moving.

    The library calls it on the event loop thread, so it may schedule tasks; at most one edit is in flight.
    """

    def __init__(self, interaction: discord.Interaction, location: str, *, every: float = 2.0) -> None:
        self.interaction = interaction
        self.location = location
        self.every = every
        self._last = -math.inf  # the first report is always shown, however young the monotonic clock
        self._task: asyncio.Task[None] | None = None
        self._latest: Progress | None = None
        self._started = time.monotonic()
        self._ticker: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Edit the message every ``every`` seconds until ``finish``, with the latest progress."""
        self._started = time.monotonic()
        self._ticker = asyncio.create_task(self._tick_forever())

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            self.tick()

    def stop(self) -> None:
        """Stop the ticking (the work failed: the error is reported instead of a summary)."""
        if self._ticker is not None:
            self._ticker.cancel()

    def tick(self) -> None:
        """Show the latest progress and the time elapsed, unless an edit is already in flight."""
        self._show(self._latest, force=True)

    def __call__(self, progress: Progress) -> None:
        self._latest = progress
        self._show(progress, force=False)

    def _show(self, progress: Progress | None, *, force: bool) -> None:
        now = time.monotonic()
        if (not force and now - self._last < self.every) or (
            self._task is not None and not self._task.done()
        ):
            return
        if not token_fresh(self.interaction):
            return
        self._last = now
        text = render_progress(self.location, progress, now - self._started)
        self._task = asyncio.create_task(self._edit(text))

    async def _edit(self, text: str) -> None:
        try:
            await self.interaction.edit_original_response(content=text)
        except discord.HTTPException:
            log.debug("progress edit failed", exc_info=True)

    async def finish(self, content: str) -> None:
        """Stop the ticking, wait for a pending progress edit (so it can't land last), then send the
        summary."""
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        if self._task is not None:
            with contextlib.suppress(Exception):
                await self._task
        await send_final(self.interaction, content)
