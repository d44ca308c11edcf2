"""Questions go first: work submitted to wait for idle (ingest embedding, index rebuilds) waits while a
question is in progress; the model and build threads are two threads of their own."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from index.answering.sentence_vectors import quote_windows
from index.engine import Engine
from index.threads import EngineThreads
from tests.conftest import CountingEmbedder, FakeEmbedder, wait_until

HANG_GUARD = 120  # seconds: only a hung test waits this long


@pytest.fixture
async def threads() -> Any:
    t = EngineThreads()
    yield t
    t.shutdown()


@pytest.mark.model
async def test_a_question_is_answered_while_the_model_encodes_a_batch(
    filled_sample_template: Path, tmp_path: Path
) -> None:
    """With the default model, a question (its sentences' vectors stored) needs neither the model's
    thread nor the model: asked while an ingest batch holds that thread, it is answered at once."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(filled_sample_template, data)
    async with await Engine.open(data, load_model=False) as engine:
        started, release = threading.Event(), threading.Event()

        def batch() -> None:
            started.set()
            release.wait(HANG_GUARD)

        encoding = asyncio.create_task(engine.threads.on_model(batch))
        assert await asyncio.to_thread(started.wait, HANG_GUARD)
        try:
            answer = await asyncio.wait_for(
                engine.ask("who reported casualties in Pellin on March 12?"), HANG_GUARD
            )
            assert answer.found and not encoding.done()
            assert any(q.speaker == "Zeltran Eastern Command" for q in answer.quotes)
        finally:
            release.set()
        await encoding


# -- EngineThreads ----------------------------------------------------------------------------------


async def test_model_and_build_work_run_on_two_threads_of_their_own(threads: EngineThreads) -> None:
    model = await threads.on_model(lambda: threading.current_thread().name)
    build = await threads.on_build(lambda: threading.current_thread().name)
    assert model.startswith("sitrep-model") and build.startswith("sitrep-build")
    assert threading.current_thread().name not in (model, build)  # the event loop only awaits
    # One thread each: every job of a kind runs on the same one, in the order submitted.
    names = await asyncio.gather(
        *(threads.on_model(lambda: threading.current_thread().name) for _ in range(4))
    )
    assert set(names) == {model}


async def test_index_and_question_work_need_not_wait_for_a_model_batch(threads: EngineThreads) -> None:
    started, release = threading.Event(), threading.Event()

    def batch() -> str:  # an ingest batch being encoded
        started.set()
        release.wait(HANG_GUARD)
        return "batch"

    encoding = asyncio.create_task(threads.on_model(batch))
    assert await asyncio.to_thread(started.wait, HANG_GUARD)
    try:
        # While the model thread is busy, a question is embedded and the index searched on threads of
        # their own (in the order each got them, one at a time).
        index = await asyncio.wait_for(threads.on_index(lambda: threading.current_thread().name), HANG_GUARD)
        asked = await asyncio.wait_for(
            threads.on_question(lambda: threading.current_thread().name), HANG_GUARD
        )
        assert index.startswith("sitrep-index") and asked.startswith("sitrep-question")
        assert not encoding.done()
    finally:
        release.set()
    assert await encoding == "batch"


async def test_model_jobs_run_one_at_a_time_in_order(threads: EngineThreads) -> None:
    order: list[int] = []
    running = 0
    most = 0
    lock = threading.Lock()

    def job(n: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        order.append(n)
        with lock:
            running -= 1
        return n * n

    assert await asyncio.gather(*(threads.on_model(job, n) for n in range(8))) == [n * n for n in range(8)]
    assert order == list(range(8)) and most == 1


async def test_work_for_when_idle_waits_while_a_question_is_open(threads: EngineThreads) -> None:
    ran: list[str] = []
    async with threads.question():
        assert threads.answering
        waiting = asyncio.create_task(threads.on_model_when_idle(ran.append, "ingest batch"))
        # A question asked meanwhile is not held back: it runs on the model thread at once.
        assert await threads.on_model(lambda: "question") == "question"
        assert ran == [] and not waiting.done()
    await asyncio.wait_for(waiting, HANG_GUARD)
    assert ran == ["ingest batch"] and not threads.answering


async def test_idle_waits_for_every_open_question(threads: EngineThreads) -> None:
    first, second = threads.question(), threads.question()
    await first.__aenter__()
    await second.__aenter__()
    idle = asyncio.create_task(threads.when_idle())
    await first.__aexit__(None, None, None)
    assert threads.answering  # one is still open
    await asyncio.sleep(0)  # let the waiter look (it must still be waiting)
    assert not idle.done()
    await second.__aexit__(None, None, None)
    await asyncio.wait_for(idle, HANG_GUARD)
    assert not threads.answering


async def test_a_question_that_raises_still_lets_work_through(threads: EngineThreads) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with threads.question():
            raise RuntimeError("boom")
    assert not threads.answering
    assert await asyncio.wait_for(threads.on_model_when_idle(lambda: 42), HANG_GUARD) == 42


async def test_shutdown_waits_for_the_work_in_progress() -> None:
    threads = EngineThreads()
    started, release = threading.Event(), threading.Event()
    finished: list[str] = []

    def slow() -> None:
        started.set()
        release.wait(HANG_GUARD)
        finished.append("model")

    job = asyncio.create_task(threads.on_model(slow))
    await wait_until(started.is_set, "the model job starts")
    release.set()
    threads.shutdown()  # returns only once the job is done
    assert finished == ["model"]
    await job
    with pytest.raises(RuntimeError):
        await threads.on_model(lambda: None)  # no new work after shutdown


# -- through the engine ------------------------------------------------------------------------------


class Gate:
    """Wraps a wait-for-idle step of the engine: notes when it is reached while a question is open,
    and whether it ever let work through before that question ended."""

    def __init__(self, wrapped: Callable[..., Awaitable[Any]], threads: EngineThreads) -> None:
        self.wrapped, self.threads = wrapped, threads
        self.reached = asyncio.Event()
        self.let_through: list[tuple[Any, ...]] = []

    async def __call__(self, *args: Any) -> Any:
        asked_while_answering = self.threads.answering
        if asked_while_answering:
            self.reached.set()
        result = await self.wrapped(*args)
        if asked_while_answering and self.threads.answering:
            self.let_through.append(args)
        return result


async def test_ingest_embedding_waits_for_questions_in_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = tmp_path / "report.txt"
    doc.write_text("Shelling hit the port overnight, officials said.\n\n" * 40, encoding="utf-8")
    embedder = CountingEmbedder()
    async with await Engine.open(tmp_path / "data", embedder=embedder) as engine:
        gate = Gate(engine.threads.on_model_when_idle, engine.threads)
        monkeypatch.setattr(engine.threads, "on_model_when_idle", gate)
        async with engine.threads.question():
            ingest = asyncio.create_task(engine.ingest([str(doc)]))
            await asyncio.wait_for(gate.reached.wait(), HANG_GUARD)  # it got as far as embedding
            # The question's own model work runs at once. The model thread runs jobs in order, so
            # an embedding the ingest had submitted would have run before this returns.
            assert await engine.threads.on_model(lambda: "question") == "question"
            assert embedder.embedded == 0 and not ingest.done()  # held back while a question runs
        report = await asyncio.wait_for(ingest, HANG_GUARD)
        assert gate.let_through == []
        [(_rowid, text)] = await engine.store.articles.texts(0, 10)
        distinct = {text[s:e] for s, e in quote_windows(text)}  # one sentence, 40 times: embedded once
        assert report.chunks >= 1 and embedder.embedded == len(distinct) == 1
        assert not engine.threads.answering
        answer = await engine.ask("What did shelling hit?")
        assert answer.found and not engine.threads.answering


async def test_a_rebuild_waits_for_questions_in_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = tmp_path / "report.txt"
    doc.write_text("Shelling hit the port overnight, officials said.\n\n" * 40, encoding="utf-8")
    async with await Engine.open(tmp_path / "data", embedder=FakeEmbedder()) as engine:
        await engine.ingest([str(doc)])
        before = await engine.store.get_meta("last_rebuild")
        # The FAISS rebuild waits for idle between its batches (the engine handed it when_idle).
        gate = Gate(engine.vectors._when_idle, engine.threads)  # type: ignore[attr-defined]
        monkeypatch.setattr(engine.vectors, "_when_idle", gate)
        async with engine.threads.question():
            rebuild = asyncio.create_task(engine.rebuild())
            await asyncio.wait_for(gate.reached.wait(), HANG_GUARD)  # it is waiting to read the vectors
            assert not rebuild.done() and await engine.store.get_meta("last_rebuild") == before
        stats = await asyncio.wait_for(rebuild, HANG_GUARD)
        assert gate.let_through == []
        assert stats.index_vectors == stats.chunks >= 1
        assert await engine.store.get_meta("last_rebuild") != before


def test_one_blas_thread_limits_numpys_and_faiss_blas_and_can_be_undone() -> None:
    from threadpoolctl import threadpool_info

    from index.threads import one_blas_thread

    def blas_threads() -> list[int]:
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    import faiss  # noqa: F401  # both BLAS libraries loaded, so "before" counts them
    import numpy  # noqa: F401

    before = blas_threads()
    limiter = one_blas_thread()
    try:
        assert len(blas_threads()) >= 2 and set(blas_threads()) == {1}  # numpy's and FAISS's OpenBLAS
    finally:
        limiter.restore_original_limits()
    assert blas_threads() == before


async def test_a_question_is_recent_while_open_and_for_the_seconds_after(threads: EngineThreads) -> None:
    assert not threads.asked_within(3600)  # none asked yet
    async with threads.question():
        assert threads.asked_within(0)
    assert threads.asked_within(3600) and not threads.asked_within(0)
