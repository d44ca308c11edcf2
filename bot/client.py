"""The bot: a ``commands.Bot`` with the engine, the runner and settings; ``create_bot`` builds it for main
and tests."""

from __future__ import annotations

import logging
from typing import Any

import discord
import yarl
from discord.ext import commands

from bot.config import BotSettings
from bot.conversations import Conversations
from bot.posted import PostedAnswers
from bot.ratelimit import RateLimiter
from bot.runner import Runner
from bot.suggestions import Suggestions
from bot.views import AnswerButton, VoteSelect
from index.engine import Engine

log = logging.getLogger(__name__)

COGS = (
    "bot.cogs.errors",
    "bot.cogs.ask",
    "bot.cogs.sources",
    "bot.cogs.admin",
    "bot.cogs.feeds",
    "bot.cogs.watches",
    "bot.cogs.timeline",
    "bot.cogs.check_claim",
    "bot.cogs.help",
)


class SitrepBot(commands.Bot):
    """Slash commands plus mention Q&A over one ``Engine``; no prefix commands.

    ``engine`` answers questions and lists; ``runner`` does what changes the store (ingest, remove,
    rebuild, refresh feeds), here or on workers.
    """

    def __init__(self, engine: Engine, runner: Runner, settings: BotSettings, **client_kwargs: Any) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,  # unused: on_message below never parses commands
            help_command=None,
            # Mentions in answers never ping: quotes come from the outside world (doc §3, allowed_mentions).
            allowed_mentions=discord.AllowedMentions.none(),
            # No privileged intents: mention Q&A gets the content of messages that mention the bot anyway.
            intents=discord.Intents.default(),
            **client_kwargs,
        )
        self.engine = engine
        self.runner = runner
        self.settings = settings
        self.ask_limiter: RateLimiter = settings.ask_limiter()
        self.source_add_limiter: RateLimiter = settings.source_add_limiter()
        self.posted = PostedAnswers(engine, keep_days=settings.answer_keep_days)
        self.suggestions = Suggestions(engine)  # outlets and labels for autocomplete
        self.conversations = Conversations(
            engine, self.posted, self.suggestions
        )  # answers that continue in threads

    async def setup_hook(self) -> None:
        # Answer buttons are persistent: any message's buttons route here by their custom ids.
        self.add_dynamic_items(AnswerButton, VoteSelect)
        pruned = await self.posted.prune(self.settings.answer_keep_days)
        if pruned:
            log.info("forgot %d answers older than %g days", pruned, self.settings.answer_keep_days)
        await self._load_and_sync()

    async def _load_and_sync(self) -> None:
        for extension in COGS:
            await self.load_extension(extension)
        if not self.settings.syncs_commands:
            if self.settings.sync_commands:
                log.info("not syncing application commands: the process running shard 0 does")
            return
        if self.settings.guild_id is not None:
            # A guild sync shows up instantly: for development servers.
            guild = discord.Object(id=self.settings.guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("synced %d application commands", len(synced))

    async def on_message(self, message: discord.Message, /) -> None:
        """Don't run prefix commands; the Ask cog answers mentions."""

    async def on_ready(self) -> None:
        log.info("connected as %s to %d servers", self.user, len(self.guilds))


class ShardedSitrepBot(SitrepBot, commands.AutoShardedBot):
    """The same bot over several gateway connections (``AutoShardedClient``): shards ``shard_ids`` of
    ``shard_count``, so processes on several machines split the servers between them."""

    def __init__(self, engine: Engine, runner: Runner, settings: BotSettings, **client_kwargs: Any) -> None:
        ids = settings.own_shards
        # shard_count given: discord.py connects to DEFAULT_GATEWAY (so DISCORD_GATEWAY_URL applies) and
        # skips GET /gateway/bot, whose recommended count would differ between processes.
        super().__init__(
            engine,
            runner,
            settings,
            shard_count=settings.shard_count,
            shard_ids=list(ids),
            **client_kwargs,
        )
        log.info("running shards %s of %d", ",".join(map(str, ids)), settings.shard_count)
        if settings.feed_poll_minutes > 0 and runner.polls_feeds and not settings.polls_feeds:
            log.info("feeds are polled by the process running shard 0, not this one")

    async def on_shard_ready(self, shard_id: int) -> None:
        log.info("shard %d of %s ready", shard_id, self.shard_count)


def apply_endpoint_overrides(settings: BotSettings) -> None:
    """Point discord.py at another REST base / gateway (a proxy; the tests' fake Discord).

    discord.py reads ``Route.BASE`` for every REST call, including interaction callbacks and webhooks, and
    ``DiscordWebSocket.DEFAULT_GATEWAY`` for every gateway connection (sharded ones too: with the shard
    count configured, discord.py never asks ``GET /gateway/bot`` for a URL); set the attributes rather
    than replacing the classes, which other modules imported by name.
    """
    if settings.api_base:
        discord.http.Route.BASE = settings.api_base.rstrip("/")
    if settings.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


def create_bot(engine: Engine, runner: Runner, settings: BotSettings, **client_kwargs: Any) -> SitrepBot:
    """The production bot; ``client_kwargs`` go to ``discord.Client`` (tests pass ``guild_ready_timeout``).

    A ``ShardedSitrepBot`` when ``DISCORD_SHARD_COUNT`` is set, else one plain connection. The caller
    owns ``engine`` and what ``runner`` runs on (the job queue), and closes them after the bot.
    """
    if settings.sharded:
        return ShardedSitrepBot(engine, runner, settings, **client_kwargs)
    return SitrepBot(engine, runner, settings, **client_kwargs)
