"""End to end in queue mode (``SITREP_QUEUE_URL``): ``/source add|remove``, ``/admin rebuild`` and
``/admin feeds refresh`` are run by a worker with its own engine, and the bot answers from the result."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.client import SitrepBot, create_bot
from bot.runner import QueuedRunner
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.jobs.queue import JobQueue
from index.jobs.worker import Worker
from tests.bot.conftest import NewsSite, article_html, settings_for
from tests.bot.fakediscord import FakeDiscord, connected, opt, wait_until
from tests.bot.helpers import (
    GUILD_A,
    HARBOUR_JSONL,
    MANAGE_GUILD,
    add_file,
    add_url,
    admin,
    ask,
    confirm_removal,
    reply_of,
    says_added,
    source,
    text_of,
)
from tests.bot.processes import bot_env, running
from tests.bot.test_e2e_shards import GUILD_0, GUILD_1, SHARDED_GUILDS, articles_stored, ask_in
from tests.bot.test_e2e_sources import FERRY, FERRY_QUESTION

pytestmark = [pytest.mark.e2e, pytest.mark.model]

WORKER = "worker-1"


@pytest.fixture
async def worker_queue(
    pg_url: str, sample_engine: Engine, embedder: SentenceTransformerEmbedder
) -> AsyncIterator[JobQueue]:
    """A worker with an engine of its own on the bot's data dir, running jobs until the test ends."""
    engine = await Engine.open(
        sample_engine.data_dir,
        embedder=embedder,
        public_urls_only=False,
        database_url=getattr(sample_engine.store, "url", None),  # the same Postgres store, when it is one
    )
    queue = await JobQueue.open(pg_url)
    worker = Worker(engine, queue, worker_id=WORKER, idle_poll=0.1)
    task = asyncio.create_task(worker.run())
    yield queue
    worker.stop()
    await task
    await queue.close()
    await engine.close()


@pytest.fixture
async def queued_bot(
    fake_discord: FakeDiscord,
    sample_engine: Engine,
    pg_url: str,
    worker_queue: JobQueue,
) -> AsyncIterator[SitrepBot]:
    """The production bot with a queued runner on a connection of its own, as ``python -m bot`` builds it
    with ``SITREP_QUEUE_URL`` set (and feed polling asked for, every minute)."""
    queue = await JobQueue.open(pg_url)
    runner = QueuedRunner(queue, wait_seconds=3600)
    settings = settings_for(fake_discord, feed_poll_minutes=1)
    bot = create_bot(sample_engine, runner, settings, guild_ready_timeout=0.05)
    try:
        async with connected(bot, fake_discord):
            yield bot
    finally:
        await queue.close()
    fake_discord.assert_clean()


async def _jobs(queue: JobQueue) -> list[tuple[str, str, str | None, str | None]]:
    cur = await (await queue.conn.get()).execute("SELECT kind, state, worker, added_by FROM jobs ORDER BY id")
    return [(r["kind"], r["state"], r["worker"], r["added_by"]) for r in await cur.fetchall()]


async def test_sources_are_added_and_removed_by_a_worker(
    fake_discord: FakeDiscord, queued_bot: SitrepBot, worker_queue: JobQueue, news_site: NewsSite
) -> None:
    feeds = queued_bot.get_cog("Feeds")  # loaded as an extension: not this module's Feeds class
    assert feeds is not None and getattr(feeds, "_task", "missing") is None  # workers poll, not the bot

    added = await add_file(fake_discord, "harbour.jsonl", HARBOUR_JSONL)
    assert "**harbour.jsonl**: 1 article added, 0 skipped as duplicate, 0 failed" in text_of(
        reply_of(fake_discord, added)
    )
    news_site.pages["keeper.html"] = article_html(
        "Lighthouse keeper retires",
        [
            "Anders Morlan, the last keeper of the Varn lighthouse, retired on Monday after 31 years.",
            '"I will miss the gulls more than the stairs," Morlan said.',
        ],
    )
    url = news_site.url("keeper.html")
    by_url = await add_url(fake_discord, url)
    assert text_of(reply_of(fake_discord, by_url)).startswith(f"**{url}**: 1 article added")
    assert await _jobs(worker_queue) == [
        ("ingest_bytes", "done", WORKER, "9001"),
        ("ingest", "done", WORKER, "9001"),
    ]
    # The bot's engine never ingested: it sees what the worker's engine committed.
    answer = await ask(fake_discord, "What did port director Ivo Brask say about the quay?")
    assert "rebuild the quay in stone" in text_of(reply_of(fake_discord, answer))
    by_kind = {s.kind: s for s in await queued_bot.engine.sources(GUILD_A)}
    upload, page = by_kind["file"], by_kind["url"]
    assert (upload.location, upload.articles, page.location) == ("upload:harbour.jsonl", 1, url)

    wrong = await source(fake_discord, "remove", opt("source", "999"))
    assert "no source #999 in this server" in text_of(reply_of(fake_discord, wrong))
    removed = await confirm_removal(
        fake_discord, await source(fake_discord, "remove", opt("source", str(upload.id)))
    )
    assert removed.followups[0]["content"] == f"Removed source #{upload.id} and its 1 article."
    assert [s.id for s in await queued_bot.engine.sources(GUILD_A)] == [page.id]
    # An unknown source is refused before any job is queued; the confirmed removal ran on the worker.
    assert [j[:3] for j in (await _jobs(worker_queue))[2:]] == [("remove_source", "done", WORKER)]


async def test_rebuild_and_feed_refresh_are_run_by_a_worker(
    fake_discord: FakeDiscord, queued_bot: SitrepBot, worker_queue: JobQueue
) -> None:
    it = await admin(fake_discord, "rebuild", permissions=MANAGE_GUILD)
    assert "Rebuilding the index in the background" in text_of(reply_of(fake_discord, it))
    [done] = await wait_until(
        lambda: [m for m in fake_discord.channel_messages if m["content"].startswith("Index rebuilt")],
        60,
        "the completion message",
    )
    assert "(asked by <@9001>): 134 vectors over 55 articles" in done["content"]
    refreshed = await admin(fake_discord, "feeds", "refresh", permissions=MANAGE_GUILD)
    await wait_until(lambda: says_added(text_of(reply_of(fake_discord, refreshed))), 30, "the refresh")
    assert "**this server's feeds**: 0 articles added" in text_of(reply_of(fake_discord, refreshed))
    assert [j[:3] for j in await _jobs(worker_queue)] == [
        ("rebuild", "done", WORKER),
        ("refresh_feeds", "done", WORKER),
    ]


@pytest.mark.fake_discord(guilds=SHARDED_GUILDS, shard_count=2)
async def test_two_shard_processes_and_two_workers_share_one_postgres(
    fake_discord: FakeDiscord,
    new_database: Callable[..., str],
    pg_filled_sample_template: str,
    news_site: NewsSite,
    tmp_path: Path,
) -> None:
    """Issue 7's set-up: two bot processes (shards 0 and 1 of 2) and two ``sitrep worker`` processes,
    all on one PostgreSQL store and queue. A URL added in the curator server (on shard 0) goes to the
    global corpus through a worker and is answered in the other server (on shard 1)."""
    url_db = new_database(pg_filled_sample_template)  # the sample corpus, in a database of its own
    shared = {
        "SITREP_DATABASE_URL": url_db,  # the store and the job queue
        "SITREP_ALLOW_PRIVATE_URLS": "true",  # the news site is on 127.0.0.1
        "SITREP_FEED_POLL_MINUTES": "0",
    }
    bots = {
        **shared,
        "DISCORD_SHARD_COUNT": "2",
        "SITREP_ASK_RATE": "off",
        "SITREP_SOURCE_ADD_RATE": "off",
        "SITREP_CURATOR_GUILD_ID": GUILD_0,
    }
    worker_args = ("-m", "index", "-v", "worker", "--lease-seconds", "5", "--id")
    data_0, data_1, data_w = (tmp_path / name for name in ("bot0", "bot1", "workers"))  # model caches only
    async with (
        running(
            "-m", "bot", env=bot_env(fake_discord, data_0, DISCORD_SHARD_IDS="0", **bots), cwd=tmp_path
        ) as b0,
        running(
            "-m", "bot", env=bot_env(fake_discord, data_1, DISCORD_SHARD_IDS="1", **bots), cwd=tmp_path
        ) as b1,
        running(*worker_args, "w1", env=bot_env(fake_discord, data_w, **shared), cwd=tmp_path) as w1,
        running(*worker_args, "w2", env=bot_env(fake_discord, data_w, **shared), cwd=tmp_path) as w2,
    ):
        for process in (b0, b1):
            await process.printed("connected as sitrep to 1 servers", 180)
        for process in (w1, w2):
            await process.printed("ready", 180)
        before = await articles_stored(fake_discord, GUILD_1)
        assert "No vessel will dock" not in await ask_in(fake_discord, GUILD_1, FERRY_QUESTION)

        # Added in the curator server (shard 0's process), stored by a worker, answered on shard 1.
        news_site.pages["ferry.html"] = FERRY
        url = news_site.url("ferry.html")
        added = await add_url(fake_discord, url, guild_id=GUILD_0)
        assert text_of(reply_of(fake_discord, added)).startswith(f"**{url}**: 1 article added")
        assert await articles_stored(fake_discord, GUILD_1) == before + 1
        assert f"({url})" in await ask_in(fake_discord, GUILD_1, FERRY_QUESTION)
        # An upload through shard 1's process stays that server's own: answered there, not on shard 0.
        uploaded = await add_file(fake_discord, "harbour.jsonl", HARBOUR_JSONL, guild_id=GUILD_1)
        assert "**harbour.jsonl**: 1 article added" in text_of(reply_of(fake_discord, uploaded))
        harbour = "What did port director Ivo Brask say about the quay?"
        assert "rebuild the quay in stone" in await ask_in(fake_discord, GUILD_1, harbour)
        assert "rebuild the quay in stone" not in await ask_in(fake_discord, GUILD_0, harbour)

        jobs = await JobQueue.open(url_db)
        try:
            done = await _jobs(jobs)
        finally:
            await jobs.close()
    assert [(kind, state, by) for kind, state, _, by in done] == [
        ("ingest", "done", "9001"),
        ("ingest_bytes", "done", "9001"),
    ]
    assert {worker for _, _, worker, _ in done} <= {"w1", "w2"}
    assert not (data_0 / "sitrep.db").exists() and not (data_w / "sitrep.db").exists()  # no SQLite anywhere
    for process in (b0, b1, w1, w2):
        assert process.proc.returncode == 0, process.output  # Ctrl-C: each stopped cleanly
        assert "Traceback" not in process.output, process.output
    fake_discord.assert_clean()
