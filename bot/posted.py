"""The answers the bot posted, kept in the store so their buttons work after a restart and on any shard
(a button carries only the answer's id), with the most recent in memory."""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from datetime import UTC, datetime, timedelta

import discord

from bot.config import scopes_for
from index.engine import Engine
from index.errors import StoreReadOnlyError
from index.models import Answer
from index.storage.posted_role import PostedAnswer, PostedAnswerStore
from index.storage.records import stored_time, utc_now

log = logging.getLogger(__name__)

CACHED = 256
PRUNE_EVERY = 24 * 3600.0  # seconds between prunes of old answers


class PostedAnswers:
    """Keep and look up posted answers; a read-only store keeps none (the answer goes out without
    buttons)."""

    def __init__(self, engine: Engine, *, cached: int = CACHED, keep_days: float | None = None) -> None:
        self.engine = engine
        self.cached = cached
        self.keep_days = keep_days
        self._pruned_at = -math.inf
        self._recent: OrderedDict[int, PostedAnswer] = OrderedDict()

    @property
    def store(self) -> PostedAnswerStore:
        """Where posted answers are kept: the engine's store (read when used, so a test's stand-in
        engine needs none)."""
        return self.engine.store.posted

    async def keep(self, scope: str, asker: str | None, answer: Answer) -> int | None:
        """Store an answer about to be posted; its id, or None when the store can't be written."""
        try:
            answer_id = await self.store.save(scope, asker, answer)
        except StoreReadOnlyError:
            log.info("read-only store: answers go out without buttons")
            return None
        if self.keep_days is not None and time.monotonic() - self._pruned_at > PRUNE_EVERY:
            await self.prune(self.keep_days)  # a bot that runs for months forgets old answers daily
        self._remember(PostedAnswer(answer_id, scope, asker, utc_now(), answer))
        return answer_id

    async def get(self, answer_id: int) -> PostedAnswer | None:
        """A posted answer by id, or None when it was never kept or has been pruned (or the store is
        read-only: one written by an older sitrep may not have the table)."""
        if answer_id in self._recent:
            self._recent.move_to_end(answer_id)
            return self._recent[answer_id]
        if self.engine.store.read_only:
            return None
        posted = await self.store.get(answer_id)
        if posted is not None:
            self._remember(posted)
        return posted

    def _remember(self, posted: PostedAnswer) -> None:
        self._recent[posted.id] = posted
        while len(self._recent) > self.cached:
            self._recent.popitem(last=False)

    async def prune(self, keep_days: float) -> int:
        """Forget answers older than ``keep_days`` that nobody voted on (none on a read-only store)."""
        before = stored_time(datetime.now(UTC) - timedelta(days=keep_days))
        self._pruned_at = time.monotonic()
        try:
            return await self.store.prune(before)
        except StoreReadOnlyError:
            return 0


async def posted_for(interaction: discord.Interaction, answer_id: int) -> PostedAnswer | None:
    """The kept answer a button of ``interaction`` acts on; when it is gone (pruned) or belongs to
    another server, say so in an ephemeral followup (the interaction is deferred) and return None."""
    answers: PostedAnswers = interaction.client.posted  # type: ignore[attr-defined]
    posted = await answers.get(answer_id)
    if posted is None or posted.scope not in scopes_for(interaction.guild_id):
        await interaction.followup.send(
            "This answer is no longer kept, so its buttons stopped working: ask again with `/ask`.",
            ephemeral=True,
        )
        return None
    return posted
