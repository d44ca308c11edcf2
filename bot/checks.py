"""Command checks that read the bot's settings: who may manage sources, and per-user rate limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

import discord
from discord import app_commands

from bot.errors import NotAllowedError, RateLimitedError

if TYPE_CHECKING:
    from bot.client import SitrepBot

T = TypeVar("T")


def _bot(interaction: discord.Interaction) -> SitrepBot:
    return cast("SitrepBot", interaction.client)


def rate_limited(limiter: str) -> Callable[[T], T]:
    """Refuse a user who used the command too often; ``limiter`` names a RateLimiter on the bot."""

    async def predicate(interaction: discord.Interaction) -> bool:
        wait = getattr(_bot(interaction), limiter).hit(interaction.user.id)
        if wait > 0:
            raise RateLimitedError(wait)
        return True

    return app_commands.check(predicate)


def can_manage_sources() -> Callable[[T], T]:
    """Only members the configuration names (default: Manage Messages; administrators always)."""

    async def predicate(interaction: discord.Interaction) -> bool:
        settings = _bot(interaction).settings
        roles = {r.id for r in getattr(interaction.user, "roles", ())}  # a Member in a server
        if settings.may_add_sources(interaction.permissions, roles):
            return True
        who = settings.source_managers
        needed = "administrators" if who == "admins" else f"members with {who.replace('_', ' ').title()}"
        if settings.source_roles and who != "admins":
            needed = f"administrators and {needed} and one of the bot's source roles"
        raise NotAllowedError(f"Only {needed} can add or remove this server's sources.")

    return app_commands.check(predicate)
