"""The "Check this claim" message command: who in the archive reported what a message says, and whether
other claimants contradict it — or that the archive has nothing on it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import scopes_for
from bot.errors import RateLimitedError
from bot.formatting import render_answer
from bot.views import keep_with_buttons

if TYPE_CHECKING:
    from bot.client import SitrepBot

CLAIM_MAX = 500  # what /ask takes as a question
CHECK_PREFIX = "Check this claim: "


def claim_text(message: discord.Message) -> str:
    """The words of a message to check: its text, else its embeds' titles and descriptions (a quote
    the bot or another bot posted), on one line."""
    parts = [message.content] if message.content.strip() else []
    if not parts:
        for embed in message.embeds:
            parts += [embed.title or "", embed.description or ""]
    return " ".join(" ".join(parts).split())


class CheckClaim(commands.Cog):
    """A message command (right-click a message → Apps → Check this claim)."""

    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot
        # Context menus can't be declared inside a cog class (discord.py): build one bound to this cog.
        self.menu = app_commands.ContextMenu(name="Check this claim", callback=self.check_claim)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def check_claim(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Find who reported what ``message`` says; the result is shown to the checker alone."""
        claim = claim_text(message)
        if not claim:
            await interaction.response.send_message("That message has no text to check.", ephemeral=True)
            return
        wait = self.bot.ask_limiter.hit(interaction.user.id)  # the same allowance as /ask
        if wait > 0:
            raise RateLimitedError(wait)
        await interaction.response.defer(thinking=True, ephemeral=True)
        answer = await self.bot.engine.ask(claim[:CLAIM_MAX], scopes=scopes_for(interaction.guild_id))
        # Kept and shown as "Check this claim: …", so its pages read the same after a restart.
        answer = replace(answer, question=CHECK_PREFIX + claim[:CLAIM_MAX])
        pages = render_answer(answer)
        first = pages[0]
        _, view = await keep_with_buttons(
            self.bot.posted, answer, len(pages), interaction.user.id, interaction.guild_id
        )
        if view is None:
            await interaction.followup.send(content=first.content, embeds=list(first.embeds), ephemeral=True)
            return
        # wait=True: the view is filed under its message's id (under None, its 15-minute timeout
        # could take every answer's persistent buttons with it).
        await interaction.followup.send(
            content=first.content, embeds=list(first.embeds), view=view, ephemeral=True, wait=True
        )


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(CheckClaim(bot))
