"""Small pure pieces: settings, the rate limiter, URL checks, mention parsing, endpoint overrides."""

from __future__ import annotations

import discord
import pytest
import yarl
from pydantic import ValidationError

from bot.client import apply_endpoint_overrides, scope_of, scopes_for
from bot.cogs.ask import question_from_mention
from bot.errors import describe_error
from bot.config import BotSettings
from bot.errors import RateLimitedError, UsageError
from bot.ratelimit import RateLimiter
from bot.urls import check_public_url, check_url_syntax
from index.errors import FetchError, SourceNotFoundError
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


def test_rate_limiter_window() -> None:
    now = [0.0]
    limiter = RateLimiter(2, 10, clock=lambda: now[0])
    assert limiter.hit("u") == 0 and limiter.hit("u") == 0
    assert limiter.hit("u") == 10
    assert limiter.hit("other") == 0
    now[0] = 4
    assert limiter.hit("u") == 6  # refused attempts don't extend the wait
    now[0] = 10
    assert limiter.hit("u") == 0
    assert RateLimiter(0, 0).hit("u") == 0
    assert str(RateLimitedError(0.2)).endswith("try again in 1 s.")


@pytest.mark.parametrize(
    "url", ["/etc/passwd", "file:///etc/passwd", "ftp://x.example/a", "https://", "data/x"]
)
def test_only_http_urls_are_accepted(url: str) -> None:
    with pytest.raises(UsageError):
        check_url_syntax(url)


async def test_private_addresses_are_refused_unless_allowed() -> None:
    assert check_url_syntax(" <https://news.example/a> ") == "https://news.example/a"
    for url in (
        "http://127.0.0.1:8080/x",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data",
        "http://10.1.2.3/",
        "http://localhost/",
    ):
        with pytest.raises(UsageError):
            await check_public_url(url)
    assert await check_public_url("http://127.0.0.1:8080/x", allow_private=True) == "http://127.0.0.1:8080/x"
    assert await check_public_url("https://8.8.8.8/feed") == "https://8.8.8.8/feed"


def test_question_from_mention() -> None:
    assert question_from_mention("<@1000> who said it?", 1000) == "who said it?"
    assert question_from_mention("hey <@!1000>   who  said it?", 1000) == "hey who said it?"
    assert question_from_mention("<@1000>", 1000) == ""
    assert question_from_mention("thanks!", 1000) is None  # e.g. a reply that pings the bot
    assert question_from_mention("<@10001> hi", 1000) is None


def test_scopes() -> None:
    assert scopes_for(None) == ("global",)
    assert scopes_for(3000) == ("global", "3000") and scope_of(3000) == "3000"


def test_error_messages() -> None:
    assert describe_error(SourceNotFoundError("no source #3 in this server")) == "no source #3 in this server"
    assert describe_error(FetchError("https://x.example: HTTP 404")) == "https://x.example: HTTP 404"
    assert describe_error(UsageError("Give a url.")) == "Give a url."
    assert describe_error(discord.app_commands.NoPrivateMessage()) == "That command only works in a server."
    assert describe_error(RuntimeError("bug")) is None


def test_endpoint_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    )
    apply_endpoint_overrides(settings(api_base="http://proxy:8080/api/v10/", gateway_url="ws://proxy:8081/"))
    assert discord.http.Route("GET", "/users/@me").url == "http://proxy:8080/api/v10/users/@me"
    assert yarl.URL("ws://proxy:8081/") == discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


def test_main_exits_with_a_message_without_a_token(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    import bot.__main__ as main

    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]  # no .env here
    with pytest.raises(SystemExit) as exc:
        main.main()
    assert "Bot settings are incomplete" in str(exc.value.code)


def test_env_example_lists_every_bot_setting_with_its_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

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
