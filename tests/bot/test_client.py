"""``bot.client``: scopes, the REST/gateway overrides, and which bot ``create_bot`` builds."""

from __future__ import annotations

import discord
import pytest
import yarl

from bot.client import ShardedSitrepBot, apply_endpoint_overrides, create_bot
from bot.config import BotSettings, own_scope, scope_of, scopes_for
from tests.bot.mocks import FakeRunner, MockEngine


def settings(**values: object) -> BotSettings:
    return BotSettings(_env_file=None, token="t", **values)  # type: ignore[arg-type]


def test_scopes() -> None:
    assert scopes_for(None) == ("global",)
    assert scopes_for(3000) == ("global", "3000") and scope_of(3000) == "3000"
    assert own_scope(3000) == "3000" and own_scope(None) == "global"  # a DM keeps in the global scope


def test_endpoint_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    )
    apply_endpoint_overrides(settings(api_base="http://proxy:8080/api/v10/", gateway_url="ws://proxy:8081/"))
    assert discord.http.Route("GET", "/users/@me").url == "http://proxy:8080/api/v10/users/@me"
    assert yarl.URL("ws://proxy:8081/") == discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


@pytest.mark.parametrize(("values", "sharded"), [({}, False), ({"shard_count": 2, "shard_ids": "0"}, True)])
def test_create_bot_hands_the_bot_its_engine_runner_and_settings(
    values: dict[str, object], sharded: bool
) -> None:
    engine, runner = MockEngine(), FakeRunner()
    bot = create_bot(engine, runner, settings(**values))
    assert isinstance(bot, ShardedSitrepBot) is sharded
    assert (bot.engine, bot.runner, bot.settings.shard_count) == (engine, runner, values.get("shard_count"))
    assert bot.allowed_mentions is not None and bot.allowed_mentions.to_dict() == {"parse": []}
