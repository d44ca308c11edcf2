"""``/admin rebuild|status|feeds refresh``, for members with Manage Server."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import scope_of
from bot.errors import UsageError
from bot.formatting import plain, render_labels, render_rebuild_done, render_report
from bot.progress import send_final
from bot.status_format import render_instance_status, render_server_status
from bot.suggestions import label_choices, outlet_choices
from index.models import GLOBAL_SCOPE

if TYPE_CHECKING:
    from bot.client import SitrepBot

log = logging.getLogger(__name__)


class Admin(commands.Cog):
    """Index maintenance. Discord hides the group from members without Manage Server
    (``default_permissions``, which admins can override per server); each command checks it again."""

    admin = app_commands.Group(
        name="admin",
        description="Manage the archive (Manage Server)",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )
    feeds = app_commands.Group(name="feeds", description="This server's feeds", parent=admin)

    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot
        self.engine = bot.engine
        self.runner = bot.runner
        self._rebuild: asyncio.Task[None] | None = None

    async def cog_unload(self) -> None:
        if self._rebuild is not None and not self._rebuild.done():
            self._rebuild.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._rebuild

    @property
    def rebuilding(self) -> bool:
        return self._rebuild is not None and not self._rebuild.done()

    @admin.command(name="rebuild")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def rebuild(self, interaction: discord.Interaction) -> None:
        """Rebuild the search index in the background; questions are answered meanwhile."""
        await interaction.response.defer(thinking=True)
        channel = interaction.channel
        if not isinstance(channel, discord.abc.Messageable):
            raise UsageError("Run this in a text channel, where I can report when the rebuild is done.")
        if self.rebuilding:
            await interaction.followup.send("A rebuild is already running; I'll post here when it's done.")
            return
        # A rebuild can outlive the interaction token (15 min): report in the channel, with the bot token.
        self._rebuild = asyncio.create_task(self._run_rebuild(channel, interaction.user.id))
        await interaction.followup.send(
            "Rebuilding the index in the background. Questions are still answered from the current index; "
            "I'll post here when the new one is in place."
        )

    async def _run_rebuild(self, channel: discord.abc.Messageable, requested_by: int) -> None:
        started = time.perf_counter()
        try:
            stats = await self.runner.rebuild()
            text = render_rebuild_done(stats, time.perf_counter() - started, requested_by)
        except Exception:
            log.exception("index rebuild failed")
            text = "The rebuild failed; the previous index is still in use (the log has the details)."
        try:
            await channel.send(text)
        except discord.HTTPException:
            log.warning("could not report the rebuild in the channel", exc_info=True)

    @admin.command(name="status")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def status(self, interaction: discord.Interaction) -> None:
        """Show this server's sources and what its questions draw on (the whole bot: its owner only)."""
        await interaction.response.defer(thinking=True, ephemeral=True)
        assert interaction.guild_id is not None
        scope = self.bot.settings.source_scope(interaction.guild_id)
        own = await self.engine.sources(scope)
        shared = own if scope == GLOBAL_SCOPE else await self.engine.sources(GLOBAL_SCOPE)
        embeds = [
            render_server_status(
                own,
                shared,
                rebuilding=self.rebuilding,
                feed_poll_minutes=self.bot.settings.feed_poll_minutes,
                curator=scope == GLOBAL_SCOPE,
            )
        ]
        if await self.bot.is_owner(interaction.user):  # instance totals span every server's sources
            embeds.append(render_instance_status(await self.engine.stats()))
        await interaction.followup.send(embeds=embeds, ephemeral=True)

    @feeds.command(name="refresh")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def refresh(self, interaction: discord.Interaction) -> None:
        """Poll this server's feeds now and add new entries."""
        await interaction.response.defer(thinking=True)
        assert interaction.guild_id is not None
        report = await self.runner.refresh_feeds(scope_of(interaction.guild_id))
        await send_final(interaction, render_report("this server's feeds", report))

    @admin.command(name="threads")
    @app_commands.describe(mode="Answer in the channel, or open a thread per question for follow-ups")
    @app_commands.choices(
        mode=[
            app_commands.Choice(name="a thread per question (follow-ups keep its context)", value="thread"),
            app_commands.Choice(name="in the channel", value="channel"),
        ]
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def threads(self, interaction: discord.Interaction, mode: app_commands.Choice[str]) -> None:
        """Choose whether this server's answers open a thread for follow-ups."""
        assert interaction.guild_id is not None
        await interaction.response.defer(thinking=True, ephemeral=True)
        await self.bot.conversations.set_threads(interaction.guild_id, mode.value == "thread")
        told = (
            "Answers now open a thread: follow-ups there keep the question's places, days and outlet."
            if mode.value == "thread"
            else "Answers now stay in the channel (threads opened before keep working)."
        )
        await interaction.followup.send(told, ephemeral=True)

    @admin.command(name="label")
    @app_commands.describe(
        outlet="The outlet, as articles name it (e.g. Zeltran Voice)",
        label="e.g. state media, party to the conflict, independent monitor",
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def label(
        self,
        interaction: discord.Interaction,
        outlet: app_commands.Range[str, 1, 100],
        label: app_commands.Range[str, 1, 40],
    ) -> None:
        """Label an outlet in this server; answers show it next to every citation."""
        assert interaction.guild_id is not None
        await interaction.response.defer(thinking=True, ephemeral=True)  # the store may be busy ingesting
        known = await self.engine.label_outlet(
            outlet, label, scope=scope_of(interaction.guild_id), by=str(interaction.user.id)
        )
        self.bot.suggestions.forget(interaction.guild_id)
        note = "" if known else " (no article from it yet)"
        await interaction.followup.send(
            f"{plain(outlet, 100)} is now labelled “{plain(label, 40)}”{note}.", ephemeral=True
        )

    @admin.command(name="unlabel")
    @app_commands.describe(outlet="The outlet whose label to remove")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def unlabel(
        self, interaction: discord.Interaction, outlet: app_commands.Range[str, 1, 100]
    ) -> None:
        """Remove an outlet's label in this server."""
        assert interaction.guild_id is not None
        await interaction.response.defer(thinking=True, ephemeral=True)
        await self.engine.unlabel_outlet(outlet, scope=scope_of(interaction.guild_id))
        self.bot.suggestions.forget(interaction.guild_id)
        await interaction.followup.send(f"Removed the label of {plain(outlet, 100)}.", ephemeral=True)

    @admin.command(name="labels")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def labels(self, interaction: discord.Interaction) -> None:
        """List this server's outlet labels."""
        assert interaction.guild_id is not None
        await interaction.response.defer(thinking=True, ephemeral=True)
        found = await self.engine.outlet_labels(scope_of(interaction.guild_id))
        await interaction.followup.send(embed=render_labels(found), ephemeral=True)

    label.autocomplete("outlet")(outlet_choices)
    label.autocomplete("label")(label_choices)
    unlabel.autocomplete("outlet")(outlet_choices)


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Admin(bot))
