"""The engine's worker threads, and the rule that questions go first.

The embedding model is touched only by one worker thread, ``on_model``, so encodes never run
concurrently: a shared model encoded from several threads has crashed elsewhere, and concurrent
encodes gain nothing under the GIL. The live FAISS index of the embedded store has a thread of its own,
``on_index`` (searches, adds, removals and saves, one at a time, in order), and questions are embedded
on a third, ``on_question``, where the embedder can do that without the model (numpy_bert): a question
asked while an ingest batch is being encoded then waits for neither. Building a fresh index for a
rebuild, and other CPU work on whole texts (cleaning, claims), runs on ``on_build``. The event loop
only awaits.

The model thread runs one job at a time, in order: a question that needs it (an embedder without a
separate question encoder, sentences without stored vectors) would queue behind every batch submitted
before it. So ingest and rebuild work waits (``when_idle``) while any question is being answered
(``question()``), between its small batches.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypeVar

T = TypeVar("T")


class EngineThreads:
    """The model thread, the build thread, and the questions in progress."""

    def __init__(self) -> None:
        self._model = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitrep-model")
        self._build = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitrep-build")
        self._index = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitrep-index")
        self._asked = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitrep-question")
        self._questions = 0
        self._no_questions = asyncio.Event()
        self._no_questions.set()
        self._last_question = -math.inf  # time.monotonic() when the last question ended

    async def on_model(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the model thread."""
        return await asyncio.get_running_loop().run_in_executor(self._model, fn, *args)

    async def on_build(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the build thread."""
        return await asyncio.get_running_loop().run_in_executor(self._build, fn, *args)

    async def on_index(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the live vector index's thread."""
        return await asyncio.get_running_loop().run_in_executor(self._index, fn, *args)

    async def on_question(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the question thread (question encoders that don't use the model)."""
        return await asyncio.get_running_loop().run_in_executor(self._asked, fn, *args)

    async def on_model_when_idle(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the model thread once no question is being answered (ingest, rebuild)."""
        await self.when_idle()
        return await self.on_model(fn, *args)

    async def when_idle(self) -> None:
        """Return once no question is being answered."""
        await self._no_questions.wait()

    @property
    def answering(self) -> bool:
        """Whether a question is being answered now."""
        return not self._no_questions.is_set()

    def asked_within(self, seconds: float) -> bool:
        """Whether a question is being answered, or one ended less than ``seconds`` ago."""
        return self.answering or time.monotonic() - self._last_question < seconds

    @asynccontextmanager
    async def question(self) -> AsyncIterator[None]:
        """Mark an ask in progress: ingest and rebuild work waits for it between batches."""
        self._questions += 1
        self._no_questions.clear()
        try:
            yield
        finally:
            self._questions -= 1
            self._last_question = time.monotonic()
            if not self._questions:
                self._no_questions.set()

    def shutdown(self) -> None:
        """Wait for the work in progress on every thread, then stop them."""
        for pool in (self._model, self._build, self._index, self._asked):
            pool.shutdown(wait=True)


def one_blas_thread() -> Any:
    """Limit numpy's and FAISS's BLAS to one thread in this process; returns the limiter, whose
    ``restore_original_limits()`` undoes it.

    A question's matrix work is small (its own tokens, ~30 candidate sentences), and OpenBLAS's
    threads spin while they wait for more. Beside a busy ingest, in the ingest process or in this one,
    every question then waited for a core: 1.1 s at p50 against 0.1 s idle, with one BLAS thread 70 ms
    (benchmarks/ask_during_ingest.py). The bot calls it once its engine is open, when both libraries
    are loaded (the limit applies to the libraries loaded when it is set).
    """
    import faiss  # noqa: F401  # loaded first: its bundled OpenBLAS is limited too
    import numpy  # noqa: F401
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1, user_api="blas")
