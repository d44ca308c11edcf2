"""End to end: the bot sharded (``DISCORD_SHARD_COUNT``/``DISCORD_SHARD_IDS``), in one process and in two.

Two servers on different shards of 2 (shard = ``(guild_id >> 22) % 2``); the fake Discord sends each
server's interactions only on the connection of its shard, so a process answers only its own servers.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.client import ShardedSitrepBot
from tests.bot.conftest import NewsSite
from tests.bot.fakediscord import FakeDiscord, Interaction, opt, shard_of
from tests.bot.helpers import SYNCED_COMMANDS, add_url, admin, done, reply_of, text_of
from tests.bot.processes import bot_env, run_to_end, running
from tests.bot.test_e2e_sources import FERRY, FERRY_QUESTION, LIGHTHOUSE

pytestmark = [pytest.mark.e2e, pytest.mark.model]

GUILD_0, GUILD_1 = "3000", str((1 << 22) | 3001)
SHARDED_GUILDS = {GUILD_0: "4000", GUILD_1: "4001"}
PELLIN = "Who reported casualties in Pellin on March 12?"
KEEPER = "What did the Skellholm lighthouse keeper Anders Morlan say when he retired?"


def interactions_by_shard(fake: FakeDiscord) -> dict[int | None, set[str | None]]:
    """Which servers' interactions each shard's connection was sent."""
    out: dict[int | None, set[str | None]] = {}
    for d in fake.dispatched:
        if d.event == "INTERACTION_CREATE":
            out.setdefault(d.shard, set()).add(d.guild_id)
    return out


async def ask_in(fake: FakeDiscord, guild_id: str, question: str) -> str:
    """Ask in a server (a generous timeout: a subprocess bot may be loading its index) and read the answer.

    The fake refuses an acknowledgement later than Discord's 3 s, so a deferred answer was on time.
    """
    it: Interaction = await fake.slash("ask", [opt("question", question)], guild_id=guild_id)
    await done(fake, it, 120)
    assert it.ack_type == 5 and not it.errors
    return text_of(reply_of(fake, it))


@pytest.mark.fake_discord(guilds=SHARDED_GUILDS, shard_count=2)
@pytest.mark.bot_settings(shard_count=2, shard_ids="0-1")
async def test_one_process_running_both_shards_answers_in_both_servers(
    fake_discord: FakeDiscord, sitrep: ShardedSitrepBot
) -> None:
    assert isinstance(sitrep, ShardedSitrepBot) and sorted(sitrep.shards) == [0, 1]
    assert fake_discord.shards_connected() == [(0, 2), (1, 2)]
    assert {g.id: g.shard_id for g in sitrep.guilds} == {int(GUILD_0): 0, int(GUILD_1): 1}
    assert fake_discord.requests_to("GET", r"/gateway/bot$") == []  # the configured count is used as is
    assert len(fake_discord.requests_to("PUT", r"/applications/2000/commands$")) == 1
    for guild in (GUILD_0, GUILD_1):
        answer = await ask_in(fake_discord, guild, PELLIN)
        assert "Defence Ministry · Orvenian National Herald" in answer
    assert interactions_by_shard(fake_discord) == {0: {GUILD_0}, 1: {GUILD_1}}


async def articles_stored(fake: FakeDiscord, guild_id: str) -> int:
    """The store's article count, as ``/admin status`` in that server shows it to the bot's owner."""
    status = text_of(reply_of(fake, await admin(fake, "status", guild_id=guild_id, user_id=fake.owner["id"])))
    match = re.search(r"sources?, ([\d,]+) articles? and [\d,]+ passages? across every server", status)
    assert match, status
    return int(match.group(1).replace(",", ""))


@pytest.mark.fake_discord(guilds=SHARDED_GUILDS, shard_count=2)
async def test_two_bot_processes_split_the_servers_over_one_store(
    fake_discord: FakeDiscord, filled_sample_template: Path, news_site: NewsSite, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(filled_sample_template, data)  # one data dir, shared by both bots and the CLI
    settings = {
        "DISCORD_SHARD_COUNT": "2",
        "SITREP_ASK_RATE": "off",
        "SITREP_SOURCE_ADD_RATE": "off",
        "SITREP_ALLOW_PRIVATE_URLS": "true",  # the news site is on 127.0.0.1
        "SITREP_FEED_POLL_MINUTES": "0",
    }
    env_0 = bot_env(fake_discord, data, DISCORD_SHARD_IDS="0", **settings)
    # Shard 1's process also polls feeds (its first poll would come after 30 min): it warns about that.
    env_1 = bot_env(
        fake_discord, data, **{**settings, "DISCORD_SHARD_IDS": "1", "SITREP_FEED_POLL_MINUTES": "30"}
    )
    async with (
        running("-m", "bot", env=env_0, cwd=tmp_path) as first,
        running("-m", "bot", env=env_1, cwd=tmp_path) as second,
    ):
        # Ready when each says so; the two start side by side.
        await first.printed("connected as sitrep to 1 servers", 180)
        await second.printed("connected as sitrep to 1 servers", 180)
        assert "running shards 0 of 2" in first.output and "running shards 1 of 2" in second.output
        assert fake_discord.shards_connected() == [(0, 2), (1, 2)]
        # Only shard 0's process pushes the (global) command list.
        assert len(fake_discord.requests_to("PUT", r"/applications/2000/commands$")) == 1
        assert {c["name"] for c in fake_discord.synced_global} == SYNCED_COMMANDS
        assert "not syncing application commands" in second.output
        # Feeds are polled once for the store, by shard 0's process.
        assert "polled by the process running shard 0" in second.output
        assert "polled by the process running shard 0" not in first.output

        # A global source, ingested by a third process while both bots run (and after both loaded
        # their index), is answered by each bot in its own server.
        assert "Skellholm Courier" not in await ask_in(fake_discord, GUILD_1, KEEPER)
        page = tmp_path / "lighthouse.html"
        page.write_text(LIGHTHOUSE)
        cli = [
            "-m",
            "index",
            "ingest",
            str(page),
            "--outlet",
            "Skellholm Courier",
            "--published",
            "2025-09-02",
        ]
        status, output = await run_to_end(*cli, env=bot_env(fake_discord, data), cwd=tmp_path, timeout=300)
        assert status == 0, output
        for guild in (GUILD_1, GUILD_0):
            assert "Skellholm Courier" in await ask_in(fake_discord, guild, KEEPER), guild

        # A server's own source, added through shard 0's process: stored where shard 1's process reads
        # (its article count moves), answered in that server only.
        before = await articles_stored(fake_discord, GUILD_1)
        news_site.pages["ferry.html"] = FERRY
        url = news_site.url("ferry.html")
        added = await add_url(fake_discord, url, guild_id=GUILD_0)
        assert "1 article added" in text_of(reply_of(fake_discord, added))
        assert await articles_stored(fake_discord, GUILD_1) == before + 1
        assert f"({url})" in await ask_in(fake_discord, GUILD_0, FERRY_QUESTION)
        assert f"({url})" not in await ask_in(fake_discord, GUILD_1, FERRY_QUESTION)

    for bot in (first, second):
        assert bot.proc.returncode == 0, bot.output
        assert "Traceback" not in bot.output, bot.output
    # Each process (one connection, one shard) was sent only its own server's interactions.
    by_shard = interactions_by_shard(fake_discord)
    assert by_shard == {0: {GUILD_0}, 1: {GUILD_1}}
    assert all(shard_of(g, 2) == s for s, guilds in by_shard.items() for g in guilds if g and s is not None)
    fake_discord.assert_clean()
