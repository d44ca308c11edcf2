"""The one error hook: installs ``bot.errors.report_error`` as the command tree's error handler."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import report_error

if TYPE_CHECKING:
    from bot.client import SitrepBot


class Errors(commands.Cog):
    """Known errors become a short ephemeral message; anything else is logged (see ``bot.errors``)."""

    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot
        self._previous = bot.tree.on_error

    async def cog_load(self) -> None:
        self.bot.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    async def cog_unload(self) -> None:
        self.bot.tree.on_error = self._previous  # type: ignore[method-assign]

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Errors(bot))
