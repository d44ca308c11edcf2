"""The bot's ingest process: jobs run in a real child process on the same store, at a lower priority;
its commits reach the parent's engine; its errors come back as theirs; a dead or abandoned child is
replaced by the next job, and the store stays whole."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.errors import JobFailedError, ModelLoadError, SitrepError, SourceNotFoundError
from index.jobs.child import IngestProcess
from index.jobs.wire import meta_payload, report_of
from index.models import GLOBAL_SCOPE, Progress
from tests.conftest import wait_until

pytestmark = pytest.mark.model

NOTES = (
    b"Varn quay notes\n\nHarbour master Eda Lund said the north quay at Varn would reopen to ferries on"
    b" Friday after divers finished inspecting its piles.\n"
)
QUESTION = "What did harbour master Eda Lund say about the north quay?"


@pytest.fixture
async def engine(tmp_path: Path, embedder: SentenceTransformerEmbedder) -> AsyncIterator[Engine]:
    opened = await Engine.open(tmp_path / "data", embedder=embedder, public_urls_only=False)
    yield opened
    await opened.close()


@pytest.fixture
async def process(engine: Engine) -> AsyncIterator[IngestProcess]:
    # nice 1: the lowering is checked, and a busy test machine still gives the child its share.
    child = IngestProcess({"data_dir": engine.data_dir, "public_urls_only": False}, nice=1)
    yield child
    await child.close()


async def _upload(process: IngestProcess, name: str = "quay.txt", seen: list[Progress] | None = None) -> dict:
    meta = {"meta": {**meta_payload(None), "outlet": "Varn Harbour Gazette", "published": "2025-09-05"}}
    return await process.run(
        "ingest_bytes",
        scope=GLOBAL_SCOPE,
        added_by="9001",
        payload={"filename": name, **meta},
        data=NOTES,
        progress=None if seen is None else seen.append,
    )


async def test_an_upload_ingested_by_the_child_is_answered_by_the_parent(
    engine: Engine, process: IngestProcess
) -> None:
    assert not (await engine.ask(QUESTION)).found  # nothing stored yet
    seen: list[Progress] = []
    report = report_of(await _upload(process, seen=seen))
    assert (report.added, report.failed) == (1, [])
    assert seen and seen[-1].done == 1 and any(p.added_ids for p in seen)  # progress crossed the pipe

    pid = process.pid
    assert pid is not None and pid != os.getpid()
    assert os.getpriority(os.PRIO_PROCESS, pid) == os.getpriority(os.PRIO_PROCESS, 0) + 1

    [source] = await engine.sources(GLOBAL_SCOPE)
    assert (source.location, source.added_by, source.articles) == ("upload:quay.txt", "9001", 1)
    answer = await engine.ask(QUESTION)  # the parent loads the index the child saved
    assert answer.quotes and "reopen to ferries on Friday" in answer.quotes[0].text
    assert answer.quotes[0].document.outlet == "Varn Harbour Gazette"

    again = report_of(await _upload(process))  # the same child, a duplicate
    assert (again.added, again.duplicates, process.pid) == (0, 1, pid)


async def test_the_childs_errors_come_back_as_their_own_class(engine: Engine, process: IngestProcess) -> None:
    with pytest.raises(SourceNotFoundError, match="no source #4242"):
        await process.run("remove_source", scope="3000", payload={"source_id": 4242})
    with pytest.raises(SitrepError, match="unknown job kind 'reindex'"):
        await process.run("reindex", scope=GLOBAL_SCOPE, payload={})
    report = report_of(await _upload(process, name="photo.png"))  # a bad source is a failure, not an error
    assert report.added == 0 and "unsupported file type .png" in report.failed[0].reason
    assert await engine.sources(GLOBAL_SCOPE) == []


async def test_a_child_that_cannot_open_its_engine_says_why(tmp_path: Path) -> None:
    broken = IngestProcess({"data_dir": tmp_path / "data", "model": str(tmp_path / "no-such-model")}, nice=0)
    with pytest.raises(ModelLoadError):
        await broken.run("rebuild", scope=GLOBAL_SCOPE, payload={})
    assert broken.pid is None


class StallingSite:
    """One page whose response waits until the test releases it (bounded: the test's own timeout)."""

    def __init__(self) -> None:
        self.requested = asyncio.Event()
        self.release = asyncio.Event()

    async def page(self, request: web.Request) -> web.Response:
        self.requested.set()
        await asyncio.wait_for(self.release.wait(), 120)
        return web.Response(text="<html><body><p>late</p></body></html>", content_type="text/html")


@pytest.fixture
async def stalling() -> AsyncIterator[tuple[StallingSite, str]]:
    site = StallingSite()
    app = web.Application()
    app.router.add_get("/slow.html", site.page)
    runner = web.AppRunner(app)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = tcp._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield site, f"http://127.0.0.1:{port}/slow.html"
    site.release.set()
    await runner.cleanup()


async def test_a_child_killed_mid_job_fails_that_job_and_the_next_starts_another(
    engine: Engine, process: IngestProcess, stalling: tuple[StallingSite, str]
) -> None:
    site, url = stalling
    stalled = asyncio.create_task(
        process.run("ingest", scope=GLOBAL_SCOPE, payload={"locations": [url]}, added_by="9001")
    )
    await asyncio.wait_for(site.requested.wait(), 120)
    first = process.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    with pytest.raises(JobFailedError, match="the ingest process stopped"):
        await stalled
    assert process.pid is None

    report = report_of(await _upload(process))
    assert report.added == 1 and process.pid not in (None, first)
    assert [s.articles for s in await engine.sources(GLOBAL_SCOPE)] == [1]  # the killed job stored nothing


async def test_an_abandoned_job_stops_its_child(
    engine: Engine, process: IngestProcess, stalling: tuple[StallingSite, str]
) -> None:
    site, url = stalling
    stalled = asyncio.create_task(process.run("ingest", scope=GLOBAL_SCOPE, payload={"locations": [url]}))
    await asyncio.wait_for(site.requested.wait(), 120)
    first = process.pid
    stalled.cancel()  # nobody waits for it: its answers must not be read as the next job's
    with pytest.raises(asyncio.CancelledError):
        await stalled
    assert process.pid is None
    await wait_until(lambda: not _alive(first), "the abandoned child to end", 60)
    assert report_of(await _upload(process)).added == 1


async def test_close_ends_an_idle_child(process: IngestProcess) -> None:
    await _upload(process)
    pid = process.pid
    await process.close()
    assert process.pid is None and not _alive(pid)


def _alive(pid: int | None) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped by asyncio's watcher has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
