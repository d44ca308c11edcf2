"""``/timeline``: defer, build the timeline, draw its chart off the event loop, reply with both."""

from __future__ import annotations

import asyncio
import io
from datetime import date
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import rate_limited
from bot.cogs.ask import IsoDate
from bot.config import scopes_for
from bot.errors import UsageError
from bot.timeline_format import CHART_FILE, render_timeline
from index.answering.timeline import timeline as claims_over_time

if TYPE_CHECKING:
    from bot.client import SitrepBot


class Timelines(commands.Cog):
    """Each claimant's figures about an event or place, by day, as a chart and a list."""

    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot
        self.engine = bot.engine

    @app_commands.command()
    @app_commands.describe(
        query="An event or place, e.g. casualties in Tovuz. Dates and places in it are used as filters.",
        since="Only articles published on or after this day (YYYY-MM-DD)",
        until="Only articles published on or before this day (YYYY-MM-DD)",
    )
    @rate_limited("ask_limiter")
    async def timeline(
        self,
        interaction: discord.Interaction,
        query: app_commands.Range[str, 1, 500],
        since: app_commands.Transform[date, IsoDate] | None = None,
        until: app_commands.Transform[date, IsoDate] | None = None,
    ) -> None:
        """Chart each claimant's figures and denials about an event or place, by day."""
        if since and until and since > until:
            raise UsageError("`since` is after `until`.")
        await interaction.response.defer(thinking=True)  # Discord wants an acknowledgement within 3 s
        tl = await claims_over_time(
            self.engine, query, scopes=scopes_for(interaction.guild_id), since=since, until=until
        )
        page = render_timeline(tl)
        if not tl.drawable:  # nothing found, or nothing dated: the message says so, no empty chart
            await interaction.followup.send(content=page.content, embeds=list(page.embeds))
            return
        from index.charts.timeline_png import render_png  # matplotlib loads here, on the first chart

        # Drawing takes a CPU-second or so: not on the event loop, which must keep the gateway alive.
        png = await asyncio.get_running_loop().run_in_executor(None, render_png, tl)
        await interaction.followup.send(
            content=page.content,
            embeds=list(page.embeds),
            file=discord.File(io.BytesIO(png), filename=CHART_FILE),
        )


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Timelines(bot))
