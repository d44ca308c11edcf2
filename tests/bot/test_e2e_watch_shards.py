"""End to end, in processes: two sharded bot processes over one store, a watch in each server, and a
CLI process ingesting into the same store. One process holds the notifications lease, so each alert is
posted once, in its watch's channel; an unrelated article and a re-ingested copy post nothing."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from index.storage.sqlite.store import SqliteStore
from tests.bot.fakediscord import FakeDiscord, opt, sub, wait_until
from tests.bot.helpers import MANAGE_MESSAGES, done, reply_of, text_of
from tests.bot.processes import bot_env, run_to_end, running
from tests.bot.test_e2e_shards import GUILD_0, GUILD_1, SHARDED_GUILDS
from tests.index.watching.articles import HARBOUR, SCHOOL

pytestmark = [pytest.mark.e2e, pytest.mark.model]

QUERY = "civilians killed in Pellin"


def alerts_in(fake: FakeDiscord, channel: str) -> list[str]:
    return [
        text_of(m) for m in fake.channel_messages if m["channel_id"] == channel and "🔔 **Watch" in text_of(m)
    ]


async def wait_until_async(check: Callable[[], Awaitable[bool]], timeout: float, what: str) -> None:
    """Poll an async condition until it holds (or fail after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)


@pytest.mark.fake_discord(guilds=SHARDED_GUILDS, shard_count=2)
async def test_two_shards_post_each_alert_once_for_an_article_a_cli_process_ingests(
    fake_discord: FakeDiscord, filled_sample_template: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(filled_sample_template, data)
    settings = {
        "DISCORD_SHARD_COUNT": "2",
        "SITREP_ASK_RATE": "off",
        "SITREP_FEED_POLL_MINUTES": "0",
        "SITREP_WATCH_POLL_SECONDS": "0.5",
    }
    cli_env = bot_env(fake_discord, data)

    async def ingest(name: str, text: str, outlet: str) -> str:
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        args = ["-m", "index", "ingest", str(path), "--outlet", outlet, "--published", "2025-03-20"]
        status, output = await run_to_end(
            *args, "--url", f"https://news.example/{name}", env=cli_env, cwd=tmp_path, timeout=300
        )
        assert status == 0, output
        return output

    async with (
        running(
            "-m", "bot", env=bot_env(fake_discord, data, DISCORD_SHARD_IDS="0", **settings), cwd=tmp_path
        ) as first,
        running(
            "-m", "bot", env=bot_env(fake_discord, data, DISCORD_SHARD_IDS="1", **settings), cwd=tmp_path
        ) as second,
    ):
        await first.printed("connected as sitrep to 1 servers", 180)
        await second.printed("connected as sitrep to 1 servers", 180)
        for guild in (GUILD_0, GUILD_1):
            it = await fake_discord.slash(
                "watch", [sub("add", opt("query", QUERY))], guild_id=guild, member_permissions=MANAGE_MESSAGES
            )
            await done(fake_discord, it, 120)
            assert "added" in text_of(reply_of(fake_discord, it)), text_of(reply_of(fake_discord, it))

        await ingest("school", SCHOOL, "Ossel Courier")
        channels = [SHARDED_GUILDS[GUILD_0], SHARDED_GUILDS[GUILD_1]]
        await wait_until(
            lambda: all(alerts_in(fake_discord, c) for c in channels), 120, "an alert in each server"
        )
        for channel in channels:
            (alert,) = alerts_in(fake_discord, channel)
            assert "Two civilians were killed in Pellin" in alert and "Ossel Courier" in alert

        # An unrelated article, then the same file again (a duplicate, nothing stored): nothing more,
        # once the watches have looked at everything stored (their marks reach the newest article).
        await ingest("harbour", HARBOUR, "Vestby Tidende")
        assert "0 articles added" in await ingest("school", SCHOOL, "Ossel Courier")
        store = await SqliteStore.open(data)
        try:
            newest = await store.search.newest_rowid()
            marks: list[int] = []

            async def looked() -> bool:
                marks[:] = [w.after_rowid for w in await store.watches.watches()]
                return len(marks) == 2 and min(marks) >= newest

            await wait_until_async(looked, 120, "the watches to look at the new articles")
        finally:
            await store.close()
        for channel in channels:
            assert len(alerts_in(fake_discord, channel)) == 1, alerts_in(fake_discord, channel)

    for bot in (first, second):
        assert bot.proc.returncode == 0, bot.output
        assert "Traceback" not in bot.output, bot.output
    fake_discord.assert_clean()
