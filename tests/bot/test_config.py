"""``bot.config``: settings from the environment, their validation, and what they decide (shards,
feed polling, the curator server, who may manage sources)."""

from __future__ import annotations

from pathlib import Path

import discord
import pytest
from pydantic import ValidationError

from bot.config import BotSettings
from index.models import GLOBAL_SCOPE


def settings(**values: object) -> BotSettings:
    return BotSettings(_env_file=None, token="t", **values)  # type: ignore[arg-type]


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "secret")
    monkeypatch.setenv("DISCORD_GUILD_ID", "123")
    monkeypatch.setenv("SITREP_ASK_RATE", "2/30")
    monkeypatch.setenv("SITREP_SOURCE_ADD_RATE", "off")
    monkeypatch.setenv("SITREP_SOURCE_MANAGERS", "Manage_Guild")
    monkeypatch.setenv("SITREP_FEED_POLL_MINUTES", "15")
    s = BotSettings(_env_file=None)  # type: ignore[call-arg]
    assert s.token.get_secret_value() == "secret" and "secret" not in repr(s)
    assert s.guild_id == 123 and s.ask_rate == (2, 30.0) and s.source_add_rate == (0, 0.0)
    assert s.source_managers == "manage_guild" and s.feed_poll_minutes == 15


@pytest.mark.parametrize(
    "bad",
    [{"ask_rate": "fast"}, {"ask_rate": "3/0"}, {"source_managers": "wizards"}, {"feed_poll_minutes": -1}],
)
def test_bad_settings_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        settings(**bad)


def test_shard_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings(shard_count=2, shard_ids="1,0").own_shards == (0, 1)
    everything = settings(shard_count=3)
    assert everything.own_shards == (0, 1, 2) and everything.syncs_commands
    unsharded = settings()
    assert not unsharded.sharded and unsharded.own_shards == (0,) and unsharded.syncs_commands
    assert not settings(shard_count=2, shard_ids="0", sync_commands=False).syncs_commands
    monkeypatch.setenv("DISCORD_TOKEN", "t")
    monkeypatch.setenv("DISCORD_SHARD_COUNT", "8")
    monkeypatch.setenv("DISCORD_SHARD_IDS", "4-5, 7")
    from_env = BotSettings(_env_file=None)  # type: ignore[call-arg]
    assert from_env.sharded and from_env.shard_count == 8 and from_env.own_shards == (4, 5, 7)
    assert not from_env.syncs_commands  # the process running shard 0 syncs


def test_only_the_shard_0_process_polls_feeds() -> None:
    assert settings(feed_poll_minutes=30).polls_feeds  # unsharded: the one process
    assert settings(shard_count=2, shard_ids="0", feed_poll_minutes=30).polls_feeds
    assert not settings(shard_count=2, shard_ids="1", feed_poll_minutes=30).polls_feeds
    assert not settings(feed_poll_minutes=0).polls_feeds


def test_the_curator_server_manages_the_global_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings().source_scope(3000) == "3000"  # unset: every server manages its own sources
    monkeypatch.setenv("DISCORD_TOKEN", "t")
    monkeypatch.setenv("SITREP_CURATOR_GUILD_ID", "3000")
    curated = BotSettings(_env_file=None)  # type: ignore[call-arg]
    assert curated.source_scope(3000) == GLOBAL_SCOPE
    assert curated.source_scope(3001) == "3001"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"shard_ids": "0"}, "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT"),
        ({"shard_count": 2, "shard_ids": "1-2"}, r"DISCORD_SHARD_IDS \[2\] outside 0-1"),
        ({"shard_count": 4, "shard_ids": "3-1"}, "shard ids such as 0,1 or 0-3"),
        ({"shard_count": 4, "shard_ids": "a"}, "shard ids such as 0,1 or 0-3"),
        ({"shard_count": 0}, "greater than or equal to 1"),
    ],
)
def test_bad_shard_settings_are_refused(bad: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        settings(**bad)


def test_who_may_add_sources() -> None:
    default = settings()
    assert default.may_add_sources(discord.Permissions(manage_messages=True))
    assert default.may_add_sources(discord.Permissions(administrator=True))
    assert not default.may_add_sources(discord.Permissions(send_messages=True))
    assert settings(source_managers="everyone").may_add_sources(discord.Permissions.none())
    admins = settings(source_managers="admins")
    assert not admins.may_add_sources(discord.Permissions(manage_messages=True, manage_guild=True))
    assert admins.may_add_sources(discord.Permissions(administrator=True))


def test_source_roles_restrict_who_may_add_sources() -> None:
    editors = settings(source_roles="111, 222")
    assert editors.source_roles == (111, 222)
    manage = discord.Permissions(manage_messages=True)
    assert editors.may_add_sources(manage, {222, 999})
    assert not editors.may_add_sources(manage, {999})  # the permission alone is not enough
    assert not editors.may_add_sources(discord.Permissions.none(), {111})  # nor the role alone
    assert editors.may_add_sources(discord.Permissions(administrator=True), set())
    assert settings(source_roles="111", source_managers="everyone").may_add_sources(
        discord.Permissions.none(), {111}
    )
    with pytest.raises(ValueError, match="comma-separated role ids"):
        settings(source_roles="editors")


def test_env_example_lists_every_bot_setting_with_its_default(monkeypatch: pytest.MonkeyPatch) -> None:
    example = Path(__file__).resolve().parents[2] / ".env.example"
    names = {
        line.split("=", 1)[0] for line in example.read_text().splitlines() if "=" in line and line[0] != "#"
    }
    for field_name, field in BotSettings.model_fields.items():
        assert (field.validation_alias or f"DISCORD_{field_name.upper()}") in names, field_name
    for name in list(names):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISCORD_TOKEN", "t")
    from_example = BotSettings(_env_file=example)  # type: ignore[call-arg]
    assert from_example.model_dump(exclude={"token"}) == settings().model_dump(exclude={"token"})
