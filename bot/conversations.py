"""Answers that continue in a thread: a per-server choice (``/admin threads``), the thread an answer opens,
and follow-ups asked there, read against the thread's first question (``index.answering.followup``)."""

from __future__ import annotations

import logging
from typing import Literal

import discord

from bot.config import scope_of
from bot.formatting import truncate
from bot.posted import PostedAnswers
from bot.suggestions import Suggestions
from index.answering.followup import FollowUp, follow_up
from index.engine import Engine
from index.storage.posted_role import PostedAnswer

log = logging.getLogger(__name__)

THREAD_NAME_MAX = 100
ARCHIVE_AFTER_MINUTES: Literal[1440] = (
    1440  # a day without messages: Discord hides the thread, its buttons still work
)
HINT = (
    "Follow-ups here keep this question's places, days and outlet unless you change them: mention me with"
    " the change (`@sitrep only Northline Wire`, `@sitrep since March 14`, `@sitrep what did the ministry"
    " say?`) or use `/ask` here. Anyone can turn the pages."
)


def _meta_key(guild_id: int) -> str:
    return f"answer_threads_{scope_of(guild_id)}"


class Conversations:
    """Whether a server's answers open threads, and the first answer of each thread."""

    def __init__(self, engine: Engine, posted: PostedAnswers, suggestions: Suggestions) -> None:
        self.engine, self.posted, self.suggestions = engine, posted, suggestions
        self._threads_on: dict[int, bool] = {}  # a server is served by one shard: its cache is the truth

    async def threads_on(self, guild_id: int | None) -> bool:
        """Whether answers in this server open a thread (never in DMs)."""
        if guild_id is None:
            return False
        if guild_id not in self._threads_on:
            self._threads_on[guild_id] = await self.engine.store.get_meta(_meta_key(guild_id)) == "on"
        return self._threads_on[guild_id]

    async def set_threads(self, guild_id: int, on: bool) -> None:
        """Make this server's answers open threads (or not)."""
        await self.engine.store.set_meta(**{_meta_key(guild_id): "on" if on else "off"})
        self._threads_on[guild_id] = on

    async def first_answer(self, channel: object) -> PostedAnswer | None:
        """The answer that opened the thread ``channel``, or None outside such a thread. Only a thread
        (or a channel discord.py has not cached, whose kind it can't tell) is looked up: every question
        asks this, and most are asked in channels that no answer opened."""
        if not isinstance(channel, discord.Thread | discord.PartialMessageable):
            return None
        if self.engine.store.read_only:  # a read-only store opened no threads
            return None
        return await self.posted.store.thread_start(str(channel.id))

    async def follow_up(self, first: PostedAnswer, text: str, guild_id: int | None) -> FollowUp:
        """What to ask for ``text`` typed in the thread ``first`` opened."""
        return follow_up(first.answer, text, await self.suggestions.outlets(guild_id))

    async def open_thread(self, channel: object, message_id: int, answer_id: int, question: str) -> None:
        """Start a thread on the answer's message in a text ``channel``, remember it, and say there how
        to follow up. Elsewhere (a DM, a forum, a thread already) no thread is opened; a server where
        the bot may not create threads gets the answer without one (logged)."""
        if not isinstance(channel, discord.TextChannel):
            return
        try:
            # The channel builds the thread (an interaction's followup message carries no server).
            thread = await channel.create_thread(
                name=truncate(" ".join(question.split()) or "Question", THREAD_NAME_MAX),
                message=discord.Object(message_id),
                auto_archive_duration=ARCHIVE_AFTER_MINUTES,
            )
            await self.posted.store.open_thread(answer_id, str(thread.id))
            await thread.send(HINT)
        except Exception:
            # The answer is out already: a thread that can't be opened (or told about) must not turn
            # it into an error message.
            log.warning("could not open a thread on message %s", message_id, exc_info=True)
