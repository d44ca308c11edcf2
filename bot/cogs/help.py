"""``/help``: what the bot does, with example questions that work on this server's archive."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import scopes_for
from bot.formatting import COLOUR, plain
from index.answering.examples import example_questions

if TYPE_CHECKING:
    from bot.client import SitrepBot

EXAMPLES_FOR = 10 * 60  # seconds a server's examples are reused: finding them asks the archive
FALLBACK = "who reported casualties in <place> on <day>?"


def render_help(examples: list[str]) -> discord.Embed:
    """The help embed: one field per feature, each with a short example (``examples`` are questions the
    archive answers; without any, a pattern to fill in)."""
    first = plain(examples[0], 200) if examples else FALLBACK
    place_note = "" if examples else " (nothing in this archive has a place and a day yet: add sources first)"
    embed = discord.Embed(
        title="sitrep — attributed quotes from your archive",
        description=(
            "Every answer is verbatim quotes from the reporting this server added, each with who said it, "
            "the outlet, the day and a link. When the archive has nothing on a question, it says so."
            + place_note
        ),
        colour=COLOUR,
    )
    asks = "\n".join(f"`/ask question: {plain(q, 200)}`" for q in examples) or f"`/ask question: {first}`"
    embed.add_field(
        name="Ask",
        value=asks + "\nOptions: `outlet`, `since`/`until` (YYYY-MM-DD), `exclude_label`, `private` (only you"
        " see it). Or mention the bot with a question. Under an answer: pages, **Sources**, **Other side**"
        " (rival claims side by side), **Cite** (Markdown + JSON), **Rate quotes**.",
        inline=False,
    )
    embed.add_field(
        name="Check this claim",
        value="Right-click (long-press) any message → Apps → **Check this claim**: who in the archive reported"
        " it, and who contradicts it. Only you see the result.",
        inline=False,
    )
    embed.add_field(
        name="Timeline",
        value=f"`/timeline query: {first.removeprefix('who reported ').rstrip('?')}` — each claimant's figures"
        " by day, as a chart with the dated claims under it.",
        inline=False,
    )
    embed.add_field(
        name="Watches and the daily sitrep",
        value="`/watch add query: shelling near the plant` posts new matching reporting in a channel;"
        " `/digest set channel: #sitrep at: 07:30 timezone: Europe/Kyiv` posts the day's events daily.",
        inline=False,
    )
    embed.add_field(
        name="Sources (Manage Messages or the source roles)",
        value="`/source add url: https://…` (an article, an RSS/Atom feed, a Telegram channel `https://t.me/s/…`)"
        " or `file:`; `/source list`; `/source remove`.",
        inline=False,
    )
    embed.add_field(
        name="Admins (Manage Server)",
        value="`/admin status`, `/admin label outlet: … label: state media` (then `exclude_label`), `/admin"
        " rebuild`, `/admin feeds refresh`.",
        inline=False,
    )
    return embed


class Help(commands.Cog):
    """``/help``."""

    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot
        self._examples: dict[int | None, tuple[float, list[str]]] = {}

    async def _examples_for(self, guild_id: int | None) -> list[str]:
        cached = self._examples.get(guild_id)
        if cached and time.monotonic() - cached[0] < EXAMPLES_FOR:
            return cached[1]
        examples = await example_questions(self.bot.engine, scopes_for(guild_id))
        self._examples[guild_id] = (time.monotonic(), examples)
        return examples

    @app_commands.command(name="help")
    async def help_(self, interaction: discord.Interaction) -> None:
        """What sitrep can do, with examples that work on this server's archive."""
        await interaction.response.defer(thinking=True, ephemeral=True)  # examples are asked first
        examples = await self._examples_for(interaction.guild_id)
        await interaction.followup.send(embed=render_help(examples), ephemeral=True)


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Help(bot))
