"""Autocomplete for outlet and label options: the outlets a server's questions are answered from and
the labels its admins set, cached briefly, because an autocomplete must answer within Discord's 3 s and
cannot be deferred."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

import discord
from discord import app_commands

from bot.config import own_scope, scopes_for
from bot.formatting import CHOICE_NAME_MAX, CHOICES_MAX, truncate
from index.engine import Engine

log = logging.getLogger(__name__)

FRESH_FOR = 60.0  # seconds a server's list is reused (a new outlet shows up within a minute)
# An autocomplete can't be deferred: past this, no suggestions rather than a failed interaction.
AUTOCOMPLETE_TIMEOUT = 2.0


def choices(names: Sequence[str], current: str) -> list[app_commands.Choice[str]]:
    """Names matching what was typed: those starting with it first, then those containing it (case and
    spacing ignored), at most 25, each shown in at most 100 characters."""
    typed = " ".join(current.split()).casefold()
    starts = [n for n in names if n.casefold().startswith(typed)]
    contains = [n for n in names if typed in n.casefold() and n not in starts]
    return [
        app_commands.Choice(name=truncate(n, CHOICE_NAME_MAX), value=n[:CHOICE_NAME_MAX])
        for n in (starts + contains)[:CHOICES_MAX]
    ]


class Suggestions:
    """Per-server outlets and labels for autocomplete."""

    def __init__(self, engine: Engine, *, fresh_for: float = FRESH_FOR) -> None:
        self.engine = engine
        self.fresh_for = fresh_for
        self._cache: dict[tuple[str, int | None], tuple[float, list[str]]] = {}

    async def _cached(
        self, kind: str, guild_id: int | None, load: Callable[[], Awaitable[list[str]]]
    ) -> list[str]:
        key = (kind, guild_id)
        hit = self._cache.get(key)
        if hit and time.monotonic() - hit[0] < self.fresh_for:
            return hit[1]
        try:
            names = await asyncio.wait_for(load(), AUTOCOMPLETE_TIMEOUT)
        except TimeoutError:
            log.warning("%s autocomplete timed out", kind)
            return hit[1] if hit else []
        self._cache[key] = (time.monotonic(), names)
        return names

    async def outlets(self, guild_id: int | None) -> list[str]:
        """The outlets of the articles a server's questions are answered from, by name."""

        async def load() -> list[str]:
            return sorted(await self.engine.store.search.outlets(scopes_for(guild_id)), key=str.casefold)

        return await self._cached("outlet", guild_id, load)

    async def labels(self, guild_id: int | None) -> list[str]:
        """The labels a server's admins gave outlets ("state media"), each once."""

        async def load() -> list[str]:
            found = await self.engine.outlet_labels(own_scope(guild_id))
            return sorted({label.label for label in found}, key=str.casefold)

        return await self._cached("label", guild_id, load)

    def forget(self, guild_id: int | None) -> None:
        """Drop a server's cached lists (after a label changes)."""
        for kind in ("outlet", "label"):
            self._cache.pop((kind, guild_id), None)


async def outlet_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for an ``outlet`` option (any command): this server's archive's outlets."""
    suggestions: Suggestions = interaction.client.suggestions  # type: ignore[attr-defined]
    return choices(await suggestions.outlets(interaction.guild_id), current)


async def label_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for a label option: the labels this server's admins gave outlets."""
    suggestions: Suggestions = interaction.client.suggestions  # type: ignore[attr-defined]
    return choices(await suggestions.labels(interaction.guild_id), current)
