"""The runners do the same work with the same results: ``LocalRunner`` on the engine, ``ProcessRunner`` in
a child process with an engine of its own on the same store, ``QueuedRunner`` through the PostgreSQL job
queue and a worker with an engine of its own on the same store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.runner import LocalRunner, ProcessRunner, QueuedRunner, Runner
from index.engine import Engine
from index.errors import JobFailedError, JobTimeoutError, SourceNotFoundError
from index.ingest.readers import TextMeta
from index.jobs.child import IngestProcess
from index.jobs.queue import JobQueue
from index.jobs.worker import Worker
from index.models import GLOBAL_SCOPE, Progress
from tests.bot.conftest import NewsSite, article_html
from tests.conftest import FakeEmbedder

NOTES = b"Harbour notes\n\nThe harbour master Eda Lund said the pier at Varn reopened on Monday.\n"


@dataclass
class Setup:
    """A runner, the engine the bot would read from, and (queued) the queue the jobs went through."""

    runner: Runner
    engine: Engine
    queue: JobQueue | None = None


async def _engine(data: Path) -> Engine:
    # The fake embedder: these tests are about where work runs, not about what it finds.
    return await Engine.open(data, embedder=FakeEmbedder(), public_urls_only=False)


@pytest.fixture(params=["local", "process", "queued"])
async def setup(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Setup]:
    if request.param == "process":
        # The child loads the real model itself: the parent's engine must store under the same name.
        engine = await Engine.open(
            tmp_path / "data", embedder=request.getfixturevalue("embedder"), public_urls_only=False
        )
        process = IngestProcess({"data_dir": tmp_path / "data", "public_urls_only": False}, nice=0)
        yield Setup(ProcessRunner(engine, process), engine)
        await process.close()
        await engine.close()
        return
    engine = await _engine(tmp_path / "data")
    if request.param == "local":
        yield Setup(LocalRunner(engine), engine)
        await engine.close()
        return
    url = request.getfixturevalue("pg_url")
    # The worker's engine is another engine on the same data dir, as a `sitrep worker` process has.
    worker_engine = await _engine(tmp_path / "data")
    worker_queue, queue = await JobQueue.open(url), await JobQueue.open(url)
    worker = Worker(worker_engine, worker_queue, worker_id="w1", idle_poll=0.05)
    task = asyncio.create_task(worker.run())
    try:
        yield Setup(QueuedRunner(queue, wait_seconds=120, poll_seconds=0.05), engine, queue)
    finally:
        worker.stop()
        await task
        for closing in (queue.close(), worker_queue.close(), worker_engine.close(), engine.close()):
            await closing


async def _jobs(queue: JobQueue | None) -> list[tuple[str, str, dict[str, Any], str | None, str]]:
    if queue is None:
        return []
    cur = await (await queue.conn.get()).execute(
        "SELECT kind, scope, payload, added_by, state FROM jobs ORDER BY id"
    )
    return [(r["kind"], r["scope"], r["payload"], r["added_by"], r["state"]) for r in await cur.fetchall()]


async def test_an_upload_is_ingested_into_its_scope_and_removed_from_there_only(setup: Setup) -> None:
    runner, engine = setup.runner, setup.engine
    seen: list[Progress] = []
    told = TextMeta(
        outlet="Varn Harbour Gazette", url="https://varn.example/notes", published=date(2025, 9, 2)
    )
    report = await runner.ingest_upload(
        "notes.txt", NOTES, scope="3000", added_by="9001", progress=seen.append, meta=told
    )
    assert (report.added, report.failed) == (1, [])
    assert seen and seen[-1].done == 1  # the ingest's progress reached the caller
    [source] = await engine.sources("3000")
    assert (source.location, source.added_by, source.articles) == ("upload:notes.txt", "9001", 1)
    [(rowid, _)] = await engine.store.articles.texts(0, 10)
    article = (await engine.store.articles.by_rowid([rowid]))[rowid]
    assert (article.outlet, article.url, article.published) == (told.outlet, told.url, told.published)

    with pytest.raises((SourceNotFoundError, JobFailedError), match=f"no source #{source.id} in this server"):
        await runner.remove_source(source.id, scope="3001")
    assert await runner.remove_source(source.id, scope="3000") == 1
    assert await engine.sources("3000") == []
    if setup.queue is not None:
        assert await _jobs(setup.queue) == [
            (
                "ingest_bytes",
                "3000",
                {
                    "filename": "notes.txt",
                    "meta": {
                        "outlet": told.outlet,
                        "url": told.url,
                        "published": "2025-09-02",
                        "title": None,
                    },
                },
                "9001",
                "done",
            ),
            ("remove_source", "3001", {"source_id": source.id}, None, "failed"),
            ("remove_source", "3000", {"source_id": source.id}, None, "done"),
        ]


async def test_a_url_and_its_feed_refresh(setup: Setup, news_site: NewsSite) -> None:
    runner = setup.runner
    news_site.pages["a.html"] = article_html("Breakwater approved", ["The council approved a breakwater."])
    news_site.feed_items = ["a.html"]
    feed = news_site.url("feed.xml")
    report = await runner.ingest_url(feed, scope="3000", added_by="9001")
    assert report.added == 1 and report.source_ids

    news_site.pages["b.html"] = article_html("School reopens", ["The island school reopened on Monday."])
    news_site.feed_items.append("b.html")
    assert (await runner.refresh_feeds("3001")).added == 0  # another server's feeds: none
    refreshed = await runner.refresh_feeds("3000")
    assert (refreshed.added, refreshed.duplicates) == (1, 1)
    assert (await runner.refresh_feeds()).added == 0  # every scope's feeds: nothing new
    assert "/b.html" in news_site.hits
    if setup.queue is not None:
        assert [(k, s, p) for k, s, p, _, _ in await _jobs(setup.queue)] == [
            ("ingest", "3000", {"locations": [feed]}),
            ("refresh_feeds", "3001", {}),
            ("refresh_feeds", "3000", {}),
            ("refresh_feeds", GLOBAL_SCOPE, {"all_scopes": True}),  # the worker poller's shape
        ]


async def test_rebuild_returns_the_stats_after_it(setup: Setup) -> None:
    await setup.runner.ingest_upload("notes.txt", NOTES, scope=GLOBAL_SCOPE, added_by="9001")
    stats = await setup.runner.rebuild()
    assert (stats.articles, stats.chunks, stats.index_vectors) == (1, 1, 1)
    assert stats.last_rebuild is not None


def test_only_the_local_runners_poll_feeds_themselves() -> None:
    assert LocalRunner.polls_feeds is True and ProcessRunner.polls_feeds is True
    assert QueuedRunner.polls_feeds is False


async def test_a_job_no_worker_takes_times_out_and_stays_queued(pg_url: str) -> None:
    queue = await JobQueue.open(pg_url)
    try:
        runner = QueuedRunner(queue, wait_seconds=0.2, poll_seconds=0.05)
        with pytest.raises(JobTimeoutError, match="no worker has taken it yet"):
            await runner.rebuild()
        assert [(k, state) for k, _, _, _, state in await _jobs(queue)] == [("rebuild", "queued")]
    finally:
        await queue.close()
