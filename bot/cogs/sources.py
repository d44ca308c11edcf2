"""``/source add|list|remove``: this server's own sources (scope = the guild id), or the global archive
in the curator server (``SITREP_CURATOR_GUILD_ID``)."""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import can_manage_sources, rate_limited
from bot.cogs.ask import IsoDate
from bot.errors import UsageError
from bot.formatting import plain, render_report, render_source_list, source_choices
from bot.progress import ProgressMessage
from bot.removal import ConfirmRemove, render_removal_question
from bot.suggestions import AUTOCOMPLETE_TIMEOUT, outlet_choices
from bot.urls import check_public_url, check_url_syntax
from index.ingest.readers import TEXT_SUFFIXES, TextMeta
from index.ingest.telegram import channel_of

if TYPE_CHECKING:
    from bot.client import SitrepBot

log = logging.getLogger(__name__)

URL_CHECK_WAIT = 1.5  # seconds of the 3 s acknowledgement window a URL's name lookup may take


def upload_meta(
    filename: str | None, outlet: str | None, published: date | None, link: str | None
) -> TextMeta:
    """What the uploader says about a file, checked before anything is shown: the options go with a
    file only, a link must be http(s), and a plain-text file needs its outlet, or its quotes would be
    cited as "unknown outlet" (``TEXT_SUFFIXES`` carry no metadata of their own)."""
    if filename is None:
        if outlet or published or link:
            raise UsageError(
                "`outlet`, `published` and `link` describe an uploaded `file`; a page says its own."
            )
        return TextMeta()
    if link is not None:
        link = check_url_syntax(link)
    if outlet is None and Path(filename).suffix.lower() in TEXT_SUFFIXES:
        raise UsageError(
            f"{plain(filename, 100)} says nothing about where it was published: give `outlet:` (and"
            " `published:` and `link:` if you know them), so its quotes are cited."
        )
    return TextMeta(outlet=" ".join(outlet.split()) if outlet else None, url=link, published=published)


class Sources(commands.Cog):
    """Add, list and remove a server's sources."""

    source = app_commands.Group(name="source", description="This server's own sources", guild_only=True)

    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot
        self.engine = bot.engine
        self.runner = bot.runner
        self.settings = bot.settings

    def _scope(self, interaction: discord.Interaction) -> str:
        assert interaction.guild_id is not None  # the group is guild_only
        return self.settings.source_scope(interaction.guild_id)

    @source.command(name="add")
    @app_commands.describe(
        url="A link to an article, an RSS/Atom feed, or a public Telegram channel (t.me/s/NAME) or post",
        file="A .txt, .md, .html or .jsonl file of articles",
        outlet="With a file: who published it (needed for .txt/.md; fills in JSONL records that lack one)",
        published="With a file: the day it was published (YYYY-MM-DD)",
        link="With a file: where it was published (https://…), cited with its quotes",
    )
    @rate_limited("source_add_limiter")
    @can_manage_sources()
    async def add(
        self,
        interaction: discord.Interaction,
        url: str | None = None,
        file: discord.Attachment | None = None,
        outlet: app_commands.Range[str, 1, 100] | None = None,
        published: app_commands.Transform[date, IsoDate] | None = None,
        link: app_commands.Range[str, 1, 500] | None = None,
    ) -> None:
        """Add an article, a feed or a file to this server's sources."""
        if (url is None) == (file is None):
            raise UsageError("Give either a `url` or a `file` (one of them).")
        meta = upload_meta(file.filename if file else None, outlet, published, link)
        channel = channel_of(url) if url is not None else None
        if channel is not None:
            url = channel.location  # canonical: one source per channel, however it was spelt
        elif url is not None:
            url = check_url_syntax(url)
        if file is not None:
            self._check_upload_size(file.size)
        checking: asyncio.Task[str] | None = None
        if url is not None and channel is None:  # t.me is public; the fetcher checks the host it reaches
            # A bad address is told privately, before any public "thinking…": the name lookup gets
            # what is left of Discord's 3 s, and is awaited after the acknowledgement if it needs more.
            checking = asyncio.create_task(
                check_public_url(url, allow_private=self.settings.allow_private_urls)
            )
            await asyncio.wait({checking}, timeout=URL_CHECK_WAIT)
            if checking.done():
                url, checking = checking.result(), None
        await interaction.response.defer(thinking=True)
        scope, added_by = self._scope(interaction), str(interaction.user.id)
        if checking is not None:
            url = await checking
        progress = ProgressMessage(interaction, url if url is not None else file.filename if file else "")
        progress.start()
        try:
            if url is not None:
                report = await self.runner.ingest_url(url, scope=scope, added_by=added_by, progress=progress)
            else:
                assert file is not None
                data = await file.read()
                self._check_upload_size(len(data))  # the declared size can lie
                report = await self.runner.ingest_upload(
                    file.filename, data, scope=scope, added_by=added_by, progress=progress, meta=meta
                )
        finally:
            progress.stop()
        await progress.finish(render_report(progress.location, report))

    def _check_upload_size(self, size: int) -> None:
        if size > self.settings.max_upload_mb * 1024 * 1024:
            raise UsageError(f"That file is larger than the {self.settings.max_upload_mb:g} MB limit.")

    @source.command(name="list")
    async def list_(self, interaction: discord.Interaction) -> None:
        """List this server's sources."""
        await interaction.response.defer(thinking=True, ephemeral=True)
        sources = await self.engine.sources(self._scope(interaction))
        await interaction.followup.send(embed=render_source_list(sources), ephemeral=True)

    @source.command(name="remove")
    @app_commands.describe(source="The source to remove (type to search this server's sources)")
    @can_manage_sources()
    async def remove(self, interaction: discord.Interaction, source: app_commands.Range[str, 1, 100]) -> None:
        """Remove one of this server's sources and its articles."""
        try:
            source_id = int(source.strip().lstrip("#").split()[0])
        except (ValueError, IndexError):
            raise UsageError(
                "Pick a source from the list, or give its number (see `/source list`)."
            ) from None
        await interaction.response.defer(thinking=True, ephemeral=True)
        scope = self._scope(interaction)
        found = next((s for s in await self.engine.sources(scope) if s.id == source_id), None)
        if found is None:
            raise UsageError(f"There is no source #{source_id} in this server; see `/source list`.")
        view = ConfirmRemove(self.runner, found, scope, interaction.user.id)
        # wait=True: the view is filed under its message's id, so its timeout touches no other view.
        await interaction.followup.send(render_removal_question(found), view=view, ephemeral=True, wait=True)

    add.autocomplete("outlet")(outlet_choices)

    @remove.autocomplete("source")
    async def remove_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        try:
            sources = await asyncio.wait_for(
                self.engine.sources(self._scope(interaction)), AUTOCOMPLETE_TIMEOUT
            )
        except TimeoutError:
            log.warning("source autocomplete timed out")
            return []
        return [
            app_commands.Choice(name=c.name, value=str(c.value)) for c in source_choices(sources, current)
        ]


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Sources(bot))
