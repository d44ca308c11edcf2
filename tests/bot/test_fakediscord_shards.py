"""The fake Discord's sharding, proven with throwaway ``AutoShardedClient``s (not the production bot).

Each identified connection gets only its shard's guilds, ``(guild_id >> 22) % shard_count``, in READY and
GUILD_CREATE, and a guild's interactions only on that connection, as on Discord.
"""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from tests.bot.fakediscord import INVALID_SHARD, FakeDiscord, connected, opt, shard_of, wait_until

# Two guilds on different shards of 2 (shard = (id >> 22) % 2), one channel each.
GUILD_0, GUILD_1 = "3000", str((1 << 22) | 3001)
SHARDED_GUILDS = {GUILD_0: "4000", GUILD_1: "4001"}
pytestmark = pytest.mark.fake_discord(guilds=SHARDED_GUILDS, shard_count=2)


class MiniShardedBot(discord.AutoShardedClient):
    """``/say``, answered with the guild and the shard discord.py files that guild under."""

    def __init__(self, **shards: object) -> None:
        super().__init__(
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=0.05,
            **shards,  # type: ignore[arg-type]
        )
        self.tree = app_commands.CommandTree(self)
        self.seen: list[tuple[int | None, int | None]] = []  # (guild id, its shard id) per /say

        @self.tree.command()
        async def say(interaction: discord.Interaction, text: str) -> None:
            """Say something."""
            guild = interaction.guild
            self.seen.append((interaction.guild_id, guild.shard_id if guild else None))
            await interaction.response.send_message(f"shard {guild.shard_id if guild else '?'}: {text}")

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """No 5 s pause between this test client's IDENTIFYs (discord.py's default rate-limit spacing)."""


def test_shard_of_follows_discords_formula() -> None:
    assert shard_of(GUILD_0, 2) == 0 and shard_of(GUILD_1, 2) == 1
    assert shard_of("81384788765712384", 16) == (81384788765712384 >> 22) % 16
    assert {shard_of(g, 1) for g in SHARDED_GUILDS} == {0}


async def test_one_client_gets_its_shard_count_from_gateway_bot_and_each_guild_on_its_shard(
    fake_discord: FakeDiscord,
) -> None:
    bot = MiniShardedBot()  # no shard_count: discord.py asks GET /gateway/bot
    async with connected(bot, fake_discord):
        assert len(fake_discord.requests_to("GET", r"/gateway/bot$")) == 1
        assert bot.shard_count == 2
        assert fake_discord.shards_connected() == [(0, 2), (1, 2)]
        assert [i["shard"] for i in fake_discord.identifies] == [[0, 2], [1, 2]]
        assert {g.id: g.shard_id for g in bot.guilds} == {int(GUILD_0): 0, int(GUILD_1): 1}
        creates = [(d.shard, d.guild_id) for d in fake_discord.dispatched if d.event == "INTERACTION_CREATE"]
        assert creates == []
        a = await fake_discord.slash("say", [opt("text", "a")], guild_id=GUILD_0)
        b = await fake_discord.slash("say", [opt("text", "b")], guild_id=GUILD_1)
        await wait_until(lambda: a.answered and b.answered, 5, "both answers")
        assert fake_discord.current({"id": a.original_id})["content"] == "shard 0: a"
        assert fake_discord.current({"id": b.original_id})["content"] == "shard 1: b"
    creates = [(d.shard, d.guild_id) for d in fake_discord.dispatched if d.event == "INTERACTION_CREATE"]
    assert creates == [(0, GUILD_0), (1, GUILD_1)]  # each on its guild's shard only, once
    fake_discord.assert_clean()


async def test_two_clients_with_one_shard_each_split_the_guilds_and_their_interactions(
    fake_discord: FakeDiscord,
) -> None:
    first, second = MiniShardedBot(shard_count=2, shard_ids=[0]), MiniShardedBot(shard_count=2, shard_ids=[1])
    async with connected(first, fake_discord), connected(second, fake_discord):
        assert fake_discord.requests_to("GET", r"/gateway/bot$") == []  # a given count needs no lookup
        assert [g.id for g in first.guilds] == [int(GUILD_0)]
        assert [g.id for g in second.guilds] == [int(GUILD_1)]
        its = [await fake_discord.slash("say", [opt("text", t)], guild_id=GUILD_1) for t in "xy"]
        its.append(await fake_discord.slash("say", [opt("text", "z")], guild_id=GUILD_0))
        await wait_until(lambda: all(it.answered for it in its), 5, "three answers")
    assert first.seen == [(int(GUILD_0), 0)]
    assert second.seen == [(int(GUILD_1), 1), (int(GUILD_1), 1)]
    fake_discord.assert_clean()


async def test_an_unsharded_connection_still_gets_every_guild(fake_discord: FakeDiscord) -> None:
    bot = MiniShardedBot(shard_count=1)
    async with connected(bot, fake_discord):
        assert fake_discord.shards_connected() == [(0, 1)]
        assert {g.id for g in bot.guilds} == {int(g) for g in SHARDED_GUILDS}
    plain = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.05)
    async with connected(plain, fake_discord):
        assert fake_discord.identify is not None and "shard" not in fake_discord.identify
        assert fake_discord.shards_connected() == [None]
        assert {g.id for g in plain.guilds} == {int(g) for g in SHARDED_GUILDS}


async def test_a_shard_outside_the_count_is_refused(fake_discord: FakeDiscord) -> None:
    bot = MiniShardedBot(shard_count=2, shard_ids=[2])
    with pytest.raises(discord.ConnectionClosed) as closed:
        async with connected(bot, fake_discord):
            pass
    assert closed.value.code == INVALID_SHARD
    assert fake_discord.shards_connected() == []
