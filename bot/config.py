"""Bot settings (pydantic-settings): ``DISCORD_*`` for the connection, ``SITREP_*`` for the bot's behaviour.

Read only in ``bot/__main__.py``; everything else receives a ``BotSettings``. The library's own settings
(data dir, model) are ``index.config.IndexSettings``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Annotated

import discord
from pydantic import BeforeValidator, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.ratelimit import RateLimiter
from index.models import GLOBAL_SCOPE

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*s?\s*$")


def _parse_rate(value: object) -> tuple[int, float]:
    """``"5/60"`` (5 uses per 60 s) -> (5, 60.0); ``"0"``, ``"off"`` or ``""`` -> no limit."""
    if isinstance(value, tuple):
        return int(value[0]), float(value[1])
    text = str(value).strip().lower()
    if text in ("", "0", "off", "none"):
        return (0, 0.0)
    match = _RATE.match(text)
    if not match or float(match.group(2)) <= 0:
        raise ValueError(f"expected USES/SECONDS such as 5/60, or off; got {value!r}")
    return int(match.group(1)), float(match.group(2))


def _parse_ids(value: object) -> tuple[int, ...]:
    """``"123, 456"`` (Discord role ids) -> (123, 456); ``""`` -> no restriction."""
    if isinstance(value, tuple | list):
        return tuple(int(v) for v in value)
    parts = [p.strip() for p in str(value).split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        raise ValueError(f"expected comma-separated role ids such as 123456789012345678; got {value!r}")
    return tuple(int(p) for p in parts)


def _parse_shard_ids(value: object) -> tuple[int, ...] | None:
    """``"0,1"``, ``"0-3"`` or ``"0-3,6"`` -> sorted shard ids; ``""`` -> None (every shard of the count)."""
    if value is None or isinstance(value, tuple | list):
        return None if value is None else tuple(sorted({int(v) for v in value}))
    ids: set[int] = set()
    for part in (p.strip() for p in str(value).split(",")):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)\s*(?:-\s*(\d+))?", part)
        if not match or (match.group(2) is not None and int(match.group(2)) < int(match.group(1))):
            raise ValueError(f"expected shard ids such as 0,1 or 0-3; got {value!r}")
        first = int(match.group(1))
        ids.update(range(first, int(match.group(2) or first) + 1))
    return tuple(sorted(ids)) or None


# NoDecode: the environment holds text like 5/60, not the JSON pydantic-settings expects for a tuple.
Rate = Annotated[tuple[int, float], NoDecode, BeforeValidator(_parse_rate)]
RoleIds = Annotated[tuple[int, ...], NoDecode, BeforeValidator(_parse_ids)]
ShardIds = Annotated[tuple[int, ...] | None, NoDecode, BeforeValidator(_parse_shard_ids)]


def scope_of(guild_id: int) -> str:
    """The library scope that holds a server's own sources."""
    return str(guild_id)


def own_scope(guild_id: int | None) -> str:
    """The scope of what a server adds or keeps (a DM's: the global one)."""
    return GLOBAL_SCOPE if guild_id is None else scope_of(guild_id)


def scopes_for(guild_id: int | None) -> tuple[str, ...]:
    """What a server's questions are answered from: the global corpus plus its own sources."""
    return (GLOBAL_SCOPE,) if guild_id is None else (GLOBAL_SCOPE, scope_of(guild_id))


class BotSettings(BaseSettings):
    """Everything the bot reads from the environment (or ``.env``)."""

    # env_ignore_empty: .env.example's empty lines (DISCORD_GUILD_ID=) mean "not set".
    model_config = SettingsConfigDict(
        env_prefix="DISCORD_", env_file=".env", extra="ignore", populate_by_name=True, env_ignore_empty=True
    )

    token: SecretStr
    guild_id: int | None = None  # sync commands to this one server (instant) instead of globally
    api_base: str | None = None  # e.g. a REST proxy: http://proxy:8080/api/v10
    gateway_url: str | None = None  # e.g. ws://proxy:8081/
    sync_commands: bool = True  # push the command list to Discord at start-up
    # Sharding: this process runs shard_ids of shard_count (all of them when ids are unset); unset = one
    # plain connection. Discord sends a server's events to shard (guild_id >> 22) % shard_count.
    shard_count: int | None = Field(None, ge=1)
    shard_ids: ShardIds = None

    source_managers: str = Field("manage_messages", validation_alias="SITREP_SOURCE_MANAGERS")
    # If set, only members with one of these roles (and administrators) may add or remove sources.
    source_roles: RoleIds = Field((), validation_alias="SITREP_SOURCE_ROLES")
    ask_rate: Rate = Field((5, 60.0), validation_alias="SITREP_ASK_RATE")
    source_add_rate: Rate = Field((3, 300.0), validation_alias="SITREP_SOURCE_ADD_RATE")
    feed_poll_minutes: float = Field(30.0, ge=0, validation_alias="SITREP_FEED_POLL_MINUTES")
    # How often new articles are checked against the servers' watches and digests are looked at (0 = off).
    watch_poll_seconds: float = Field(60.0, ge=0, validation_alias="SITREP_WATCH_POLL_SECONDS")
    # Alerts one channel may get; more wait and are merged into the next post the limit allows.
    watch_channel_rate: Rate = Field((6, 3600.0), validation_alias="SITREP_WATCH_CHANNEL_RATE")
    max_watches: int = Field(25, ge=1, validation_alias="SITREP_MAX_WATCHES")  # per server
    # Posted answers are kept this long for their buttons (pages, Cite, Other side); voted ones always.
    answer_keep_days: float = Field(30.0, gt=0, validation_alias="SITREP_ANSWER_KEEP_DAYS")
    allow_private_urls: bool = Field(False, validation_alias="SITREP_ALLOW_PRIVATE_URLS")
    max_upload_mb: float = Field(5.0, gt=0, validation_alias="SITREP_MAX_UPLOAD_MB")
    # Ingests, uploads and feed refreshes run in a child process at this CPU priority, so answers
    # don't wait for them (false: in the bot's own process, one model in memory instead of two).
    ingest_process: bool = Field(True, validation_alias="SITREP_INGEST_PROCESS")
    ingest_nice: int = Field(10, ge=0, le=19, validation_alias="SITREP_INGEST_NICE")
    # The operators' own server: its /source add|list|remove manage the global archive that every server
    # answers from (elsewhere they manage that server's own sources). Unset: the CLI alone curates it.
    curator_guild_id: int | None = Field(None, validation_alias="SITREP_CURATOR_GUILD_ID")

    @field_validator("token")
    @classmethod
    def _token_given(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("DISCORD_TOKEN is empty")
        return value

    @field_validator("source_managers")
    @classmethod
    def _known_permission(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in ("everyone", "admins") and value not in discord.Permissions.VALID_FLAGS:
            raise ValueError(
                f"{value!r} is not a Discord permission name (e.g. manage_messages), 'everyone' or 'admins'"
            )
        return value

    @model_validator(mode="after")
    def _shards_fit(self) -> BotSettings:
        if self.shard_ids is not None and self.shard_count is None:
            raise ValueError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (the total over all processes)")
        if self.shard_ids is not None and self.shard_count is not None:
            outside = [i for i in self.shard_ids if i >= self.shard_count]
            if outside:
                raise ValueError(
                    f"DISCORD_SHARD_IDS {outside} outside 0-{self.shard_count - 1} "
                    f"(DISCORD_SHARD_COUNT={self.shard_count})"
                )
        return self

    @property
    def sharded(self) -> bool:
        """Whether the bot runs as an ``AutoShardedClient`` (DISCORD_SHARD_COUNT is set)."""
        return self.shard_count is not None

    @property
    def own_shards(self) -> tuple[int, ...]:
        """The shard ids this process runs (``(0,)`` for a plain, unsharded connection)."""
        if self.shard_count is None:
            return (0,)
        return self.shard_ids if self.shard_ids is not None else tuple(range(self.shard_count))

    @property
    def polls_feeds(self) -> bool:
        """Whether this process runs the feed poller: with shards, only the process running shard 0, so
        N processes over one store don't fetch every feed N times."""
        return self.feed_poll_minutes > 0 and 0 in self.own_shards

    def source_scope(self, guild_id: int) -> str:
        """Where a server's ``/source`` commands add, list and remove: the global archive in the
        curator server, that server's own sources elsewhere."""
        return GLOBAL_SCOPE if guild_id == self.curator_guild_id else scope_of(guild_id)

    @property
    def syncs_commands(self) -> bool:
        """Whether this process pushes the command list: only the one running shard 0, so N processes
        don't overwrite one another's identical sync (and spend Discord's daily command-create limit)."""
        return self.sync_commands and 0 in self.own_shards

    def may_add_sources(self, permissions: discord.Permissions, role_ids: Collection[int] = ()) -> bool:
        """Whether a member with ``permissions`` and roles ``role_ids`` may add or remove this server's sources.

        Administrators always may. Otherwise the member needs one of ``source_roles`` (when the owner
        set any) and the ``source_managers`` permission.
        """
        if permissions.administrator:
            return True
        if self.source_roles and not set(role_ids) & set(self.source_roles):
            return False
        if self.source_managers == "everyone":
            return True
        if self.source_managers == "admins":
            return False
        return bool(getattr(permissions, self.source_managers))

    def ask_limiter(self) -> RateLimiter:
        return RateLimiter(*self.ask_rate)

    def source_add_limiter(self) -> RateLimiter:
        return RateLimiter(*self.source_add_rate)
