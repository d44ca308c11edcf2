"""``/watch add|list|remove`` and ``/digest set|off``, and the poller that posts what they find.

One process posts for the whole store: every ``SITREP_WATCH_POLL_SECONDS`` each bot process (each shard,
on any machine) tries to hold the store's "notifications" lease, and only its holder checks watches and
digests. Each alert's articles are also claimed in the store before posting, so a holder that was
replaced mid-poll can't post them a second time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections import deque
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.alerts import digest_pages_for, query_text, render_alert, render_watch_list
from bot.checks import can_manage_sources
from bot.config import scope_of
from bot.errors import UsageError
from bot.ratelimit import RateLimiter
from bot.suggestions import label_choices, outlet_choices
from index.answering.coverage import question_problem
from index.models import DigestSchedule, Watch
from index.watching.matching import Alert, WatchMatcher
from index.watching.schedule import ScheduleError, due_day, parse_time_of_day, parse_timezone

if TYPE_CHECKING:
    from bot.client import SitrepBot

log = logging.getLogger(__name__)

LEASE = "notifications"
QUERY_MAX = 300  # a watch is a question or a topic, not an article
TEXT_CHANNELS = (discord.ChannelType.text, discord.ChannelType.news)


class CannotPost(Exception):
    """Discord refused a post: the channel is gone, or the bot may not write there."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Watches(commands.Cog):
    """Standing questions and the daily sitrep, per server."""

    watch = app_commands.Group(
        name="watch", description="New reporting on a question, posted to a channel", guild_only=True
    )
    digest = app_commands.Group(name="digest", description="The daily sitrep of this server", guild_only=True)

    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot
        self.engine = bot.engine
        self.settings = bot.settings
        self.matcher = WatchMatcher(bot.engine)
        self.interval = bot.settings.watch_poll_seconds
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.channel_limiter = RateLimiter(*bot.settings.watch_channel_rate)
        self._posted: dict[int, deque[float]] = {}  # watch id -> when it posted (the last 24 hours)
        self._task: asyncio.Task[None] | None = None
        self.polls = 0

    async def cog_load(self) -> None:
        if self.interval > 0 and self.engine.store.read_only:
            # Posting an alert records it (and takes the lease): a read-only store can't, so none is posted.
            log.warning("watches and daily digests are not checked: the store is read-only")
        elif self.interval > 0:
            self._task = asyncio.create_task(self._poll_forever(), name="sitrep-watch-poller")

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    # -- commands -----------------------------------------------------------------------------------

    @watch.command(name="add")
    @app_commands.describe(
        query="A question or topic, e.g. “casualties in Tovuz” or “shelling of the Zaporizhzhia plant”",
        channel="Where new reporting is posted (default: this channel)",
        outlet="Only reporting by this outlet",
        exclude_label="Leave out outlets this server labelled so (e.g. state media)",
    )
    @can_manage_sources()
    async def add(
        self,
        interaction: discord.Interaction,
        query: str,
        channel: app_commands.AppCommandChannel | None = None,
        outlet: app_commands.Range[str, 1, 100] | None = None,
        exclude_label: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        """Post new reporting that answers a question to a channel, as it arrives."""
        query = " ".join(query.split())
        problem = _query_problem(query)
        if problem:
            raise UsageError(problem)
        if channel is not None and channel.type not in TEXT_CHANNELS:
            raise UsageError("Pick a text or announcement channel for the alerts.")
        assert interaction.guild_id is not None and interaction.channel_id is not None
        scope = scope_of(interaction.guild_id)
        store = self.engine.store.watches
        if len(await store.watches(scope)) >= self.settings.max_watches:
            raise UsageError(
                f"This server has {self.settings.max_watches} watches, the most it may have:"
                " remove one first (`/watch list`, `/watch remove`)."
            )
        await interaction.response.defer(thinking=True, ephemeral=True)
        target = channel.id if channel is not None else interaction.channel_id
        await self._announce(
            target,
            f"🔔 New reporting on {query_text(query)} will be posted in this channel (set up with `/watch add`).",
        )
        newest = await self.engine.store.search.newest_rowid()  # what is in the archive now never alerts
        added = await store.add_watch(
            scope,
            str(target),
            query,
            outlet=outlet,
            exclude_label=exclude_label,
            created_by=str(interaction.user.id),
            after_rowid=newest,
        )
        await interaction.followup.send(
            f"Watch #{added.id} added: new reporting on {query_text(query)} goes to <#{target}>.",
            ephemeral=True,
        )

    add.autocomplete("outlet")(outlet_choices)
    add.autocomplete("exclude_label")(label_choices)

    @watch.command(name="list")
    async def list_(self, interaction: discord.Interaction) -> None:
        """This server's watches."""
        assert interaction.guild_id is not None
        await interaction.response.defer(thinking=True, ephemeral=True)
        watches = await self.engine.store.watches.watches(scope_of(interaction.guild_id))
        await interaction.followup.send(embed=render_watch_list(watches), ephemeral=True)

    @watch.command(name="remove")
    @app_commands.describe(watch="The watch's number (see /watch list)")
    @can_manage_sources()
    async def remove(self, interaction: discord.Interaction, watch: app_commands.Range[int, 1]) -> None:
        """Stop a watch."""
        assert interaction.guild_id is not None
        if not await self.engine.store.watches.remove_watch(scope_of(interaction.guild_id), watch):
            raise UsageError(f"There is no watch #{watch} in this server (see `/watch list`).")
        await interaction.response.send_message(f"Watch #{watch} removed.", ephemeral=True)

    @digest.command(name="set")
    @app_commands.describe(
        channel="Where the daily sitrep is posted",
        time="Local time of day, 24-hour HH:MM (e.g. 07:30)",
        timezone="An IANA time zone such as Europe/Kyiv (default UTC)",
    )
    @can_manage_sources()
    async def digest_set(
        self,
        interaction: discord.Interaction,
        channel: app_commands.AppCommandChannel,
        time: app_commands.Range[str, 1, 10],
        timezone: app_commands.Range[str, 1, 64] = "UTC",
    ) -> None:
        """Post what the archive received in the last 24 hours to a channel, once a day."""
        try:
            at, zone = parse_time_of_day(time), parse_timezone(timezone)
        except ScheduleError as e:
            raise UsageError(str(e)) from None
        if channel.type not in TEXT_CHANNELS:
            raise UsageError("Pick a text or announcement channel for the daily sitrep.")
        assert interaction.guild_id is not None
        await interaction.response.defer(thinking=True, ephemeral=True)
        await self._announce(channel.id, f"🗞️ The daily sitrep will be posted here at {at} ({zone}).")
        # Today's is not due after setting it past today's time: the first one comes tomorrow.
        today = datetime.now(UTC).astimezone(ZoneInfo(zone)).date().isoformat()
        schedule = DigestSchedule(
            scope_of(interaction.guild_id), str(channel.id), at, zone, str(interaction.user.id), today
        )
        await self.engine.store.watches.set_digest(schedule)
        await interaction.followup.send(
            f"The daily sitrep goes to <#{channel.id}> at {at} ({zone}), from tomorrow.", ephemeral=True
        )

    @digest.command(name="off")
    @can_manage_sources()
    async def digest_off(self, interaction: discord.Interaction) -> None:
        """Stop the daily sitrep."""
        assert interaction.guild_id is not None
        if not await self.engine.store.watches.remove_digest(scope_of(interaction.guild_id)):
            raise UsageError("This server has no daily sitrep (`/digest set` starts one).")
        await interaction.response.send_message("The daily sitrep is off.", ephemeral=True)

    # -- the poller ---------------------------------------------------------------------------------

    async def _poll_forever(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            await self.poll_once()
            await asyncio.sleep(self.interval)

    async def poll_once(self) -> None:
        """If this process holds the lease: post new alerts and due digests. Failures are logged."""
        try:
            store = self.engine.store.watches
            watches = await store.watches()
            # Nothing to do is found by reading: no write (the lease) competes with an ingest's then.
            if not any(w.enabled for w in watches) and not await store.digests():
                return
            if not await store.hold_lease(LEASE, self.holder, max(60.0, self.interval * 3)):
                return
            for alert in await self.matcher.check(watches):
                await self._post_alert(alert)
            await self._post_digests()
        except Exception:
            log.exception("checking watches failed")
        finally:
            self.polls += 1

    async def _post_alert(self, alert: Alert) -> None:
        watch = alert.watch
        if self.channel_limiter.full(watch.channel):
            return  # not marked: the next post the limit allows covers these articles too
        claimed = await self.matcher.claim(alert)
        if claimed is None:
            await self.matcher.done(alert, posted=False)  # posted already (by another process)
            return
        alert = claimed
        content, embeds = render_alert(alert, posts_today=self._posts_today(watch.id))
        try:
            await self._send(int(watch.channel), content, embeds)
        except CannotPost as e:
            await self._stop_watch(watch, e.reason)
            await self.matcher.done(alert, posted=False)
            return
        self.channel_limiter.hit(watch.channel)
        self._posted.setdefault(watch.id, deque()).append(time.monotonic())
        await self.matcher.done(alert, posted=True)

    def _posts_today(self, watch_id: int) -> int:
        posted = self._posted.get(watch_id, deque())
        while posted and posted[0] < time.monotonic() - 86_400:
            posted.popleft()
        return len(posted) + 1  # with the one being posted

    async def _stop_watch(self, watch: Watch, reason: str) -> None:
        """Disable a watch whose channel can't be posted in, and tell whoever added it."""
        await self.engine.store.watches.disable_watch(watch.id, reason)
        log.warning("watch #%d disabled: %s", watch.id, reason)
        if watch.created_by:
            await self._tell(
                int(watch.created_by),
                f"Your watch #{watch.id} {query_text(watch.query)} has stopped: {reason}."
                " Add it again with `/watch add` and another channel.",
            )

    async def _post_digests(self) -> None:
        """Post each server's daily sitrep when due (see ``index.watching.schedule``)."""
        now = datetime.now(UTC)
        for schedule in await self.engine.store.watches.digests():
            day = due_day(schedule, now)
            if day is None or not await self.engine.store.watches.digest_sent(schedule.scope, day):
                continue
            try:
                for page in await digest_pages_for(self.engine, schedule.scope, now):
                    await self._send(int(schedule.channel), page)
            except CannotPost as e:
                await self.engine.store.watches.remove_digest(schedule.scope)
                log.warning("daily sitrep of %s stopped: %s", schedule.scope, e.reason)
                if schedule.created_by:
                    await self._tell(
                        int(schedule.created_by),
                        f"The daily sitrep has stopped: {e.reason}. Start it again with `/digest set`.",
                    )

    # -- posting ------------------------------------------------------------------------------------

    async def _announce(self, channel_id: int, text: str) -> None:
        """Say in a channel what will be posted there: the one real check that the bot may write there
        (permission overwrites, a deleted channel), or a UsageError saying why not."""
        try:
            await self._send(channel_id, text)
        except CannotPost as e:
            raise UsageError(f"I can't post in <#{channel_id}>: {e.reason}. Pick another channel.") from None

    async def _send(self, channel_id: int, content: str, embeds: list[discord.Embed] | None = None) -> None:
        """Post in a channel by id (no cache needed), or raise CannotPost saying why not."""
        channel = self.bot.get_partial_messageable(channel_id)
        try:
            await channel.send(content=content, embeds=embeds or [])
        except discord.NotFound:
            raise CannotPost(f"its channel <#{channel_id}> was deleted") from None
        except discord.Forbidden:
            raise CannotPost(f"I may not post in <#{channel_id}> (View Channel and Send Messages)") from None

    async def _tell(self, user_id: int, text: str) -> None:
        """A direct message to a server admin; logged when it can't be sent (DMs closed)."""
        try:
            dm = await self.bot.create_dm(discord.Object(id=user_id))
            await dm.send(text)
        except discord.HTTPException as e:
            log.warning("could not tell user %d (%s): %s", user_id, e, text)


def _query_problem(query: str) -> str | None:
    """Why a watch's question can't be used, or None."""
    if not query:
        return "Give the watch a question or topic, e.g. “casualties in Tovuz”."
    if len(query) > QUERY_MAX:
        return f"A watch is a short question or topic (at most {QUERY_MAX} characters; this one has {len(query):,})."
    return question_problem(query)


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Watches(bot))
