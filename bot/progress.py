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
    """A progress callback for the library that edits the deferred response at most every few seconds.

    The library calls it on the event loop thread, so it may schedule tasks; at most one edit is in flight.
    """

    def __init__(self, interaction: discord.Interaction, location: str, *, every: float = 2.0) -> None:
        self.interaction = interaction
        self.location = location
        self.every = every
        self._last = -math.inf  # the first report is always shown, however young the monotonic clock
        self._task: asyncio.Task[None] | None = None

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self._last < self.every or (self._task is not None and not self._task.done()):
            return
        if not token_fresh(self.interaction):
            return
        self._last = now
        self._task = asyncio.create_task(self._edit(render_progress(self.location, progress)))

    async def _edit(self, text: str) -> None:
        try:
            await self.interaction.edit_original_response(content=text)
        except discord.HTTPException:
            log.debug("progress edit failed", exc_info=True)

    async def finish(self, content: str) -> None:
        """Wait for a pending progress edit (so it can't land last), then send the summary."""
        if self._task is not None:
            with contextlib.suppress(Exception):
                await self._task
        await send_final(self.interaction, content)
