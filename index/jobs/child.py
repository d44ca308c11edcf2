"""The bot's ingest process: ingests, uploads and feed refreshes run in a child process at a lower
CPU priority, so the bot's own process spends its time on answers.

Why a process: an ingest is mostly Python (fetching, cleaning, attribution, claims) plus model calls
on every core. In the bot's process it holds the GIL while questions wait, and threads alone cannot
stop that (``benchmarks/ask_during_ingest.py``: answers' p95 3-4x idle). A child process at ``nice``
10 gets the cores whenever the bot is idle and yields them to the bot when both want them: the
kernel, not Python, decides.

Protocol, JSON lines over the child's stdin and stdout:
- the parent writes the engine's options first (``IngestProcess`` documents them); the child opens
  its engine on the same store and answers ``{"ready": true}``, or ``{"error": …}`` and ends;
- then one job per line: ``{"kind", "scope", "added_by", "payload", "data"}`` (``index.jobs.execute``
  describes kinds and payloads; ``data``: an upload's bytes in base64, or null). The child answers
  with any number of ``{"progress": …}`` lines and one ``{"result": …}`` or
  ``{"error": {"type", "message"}}``;
- the child ends when its stdin closes (its engine closes first: background work stops cleanly).

Each batch of articles the child commits is in the shared store at once; the bot's engine loads the
saved vector index before its next answer (``VectorSearch.follow``), as it does for a ``sitrep ingest``
run beside it. A child that dies mid-job leaves the store as the kill tests require (each source
is one transaction); the job fails with a message, and the next job starts a new child.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from index import errors
from index.errors import JobFailedError, SitrepError
from index.jobs.wire import progress_dict, progress_of
from index.models import Progress

log = logging.getLogger(__name__)

DEFAULT_NICE = 10  # the ingest's CPU weight is ~1/9 of the bot's when both are busy (CFS weights)
LINE_LIMIT = 1 << 20  # the longest answer line the parent reads (progress and results are small)
CLOSE_SECONDS = 30.0  # how long a closing child may take to stop its background work


def _error_of(payload: dict[str, Any]) -> SitrepError:
    """The error the child reported, as its own class where it is one of sitrep's (else JobFailedError)."""
    kind = getattr(errors, str(payload.get("type")), None)
    message = str(payload.get("message") or "the ingest process failed")
    if isinstance(kind, type) and issubclass(kind, SitrepError):
        return kind(message)
    return JobFailedError(message)


class IngestProcess:
    """The parent's side: starts the child on first use, sends it one job at a time, relays progress.

    ``options`` are ``Engine.open``'s keyword arguments (JSON values only) plus ``data_dir``; the child
    opens its own engine with them, on the same store as the caller's engine.
    """

    def __init__(self, options: dict[str, Any], *, nice: int = DEFAULT_NICE) -> None:
        self.options = {**options, "data_dir": str(options["data_dir"])}
        self.nice = nice
        self._proc: asyncio.subprocess.Process | None = None
        self._lock = asyncio.Lock()  # one job at a time: the child reads the next line only when done

    @property
    def pid(self) -> int | None:
        """The running child's process id (None before the first job, or after it stopped)."""
        return self._proc.pid if self._proc is not None and self._proc.returncode is None else None

    async def run(
        self,
        kind: str,
        *,
        scope: str,
        added_by: str | None = None,
        payload: dict[str, Any],
        data: bytes | None = None,
        progress: Callable[[Progress], None] | None = None,
    ) -> dict[str, Any]:
        """Run one job in the child and return its result (``index.jobs.execute.execute``'s).

        Raises:
            SitrepError: the job failed (the child's own error class where it is sitrep's), or the
                child could not start or stopped mid-job (``JobFailedError``, saying so).
        """
        request = {
            "kind": kind,
            "scope": scope,
            "added_by": added_by,
            "payload": payload,
            "data": base64.b64encode(data).decode("ascii") if data is not None else None,
        }
        async with self._lock:
            proc = await self._started()
            try:
                await self._send(proc, request)
                while True:
                    answer = await self._receive(proc)
                    if "progress" in answer:
                        if progress is not None:
                            try:
                                progress(progress_of(answer["progress"]))
                            except Exception:  # a caller's display failing must not desync the pipe
                                log.exception("a progress callback raised; the job goes on")
                    elif "result" in answer:
                        result: dict[str, Any] = answer["result"]
                        return result
                    else:
                        raise _error_of(answer.get("error") or {})
            except asyncio.CancelledError:
                # The child is still working on a job nobody waits for: its answers would be read as
                # the next job's. It stops now; what it committed stays, the rest was never stored.
                await self._stop(proc, gently=False)
                raise

    async def close(self) -> None:
        """End the child: gently when idle (its background work stops cleanly, within ``CLOSE_SECONDS``),
        at once mid-job (that job then fails; what the child committed stays)."""
        if self._proc is not None:
            await self._stop(self._proc, gently=not self._lock.locked())

    async def _started(self) -> asyncio.subprocess.Process:
        if self._proc is not None and self._proc.returncode is None:
            return self._proc
        self._proc = None
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "index.jobs.child",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=LINE_LIMIT,
            # Its own session: Ctrl-C in the bot's terminal reaches the bot, which closes the child
            # cleanly; a bot killed outright closes the child's stdin, which ends it too.
            start_new_session=True,
        )
        try:
            # The child logs at the parent's level, to the parent's stderr (inherited).
            level = logging.getLogger().getEffectiveLevel()
            await self._send(proc, {**self.options, "nice": self.nice, "log_level": level})
            answer = await self._receive(proc)
        except BaseException:
            await self._stop(proc, gently=False)
            raise
        if not answer.get("ready"):
            await self._stop(proc, gently=False)
            raise _error_of(answer.get("error") or {})
        log.info("ingest process %d started (nice %d)", proc.pid, self.nice)
        self._proc = proc
        return proc

    async def _send(self, proc: asyncio.subprocess.Process, message: dict[str, Any]) -> None:
        assert proc.stdin is not None
        try:
            proc.stdin.write(json.dumps(message).encode() + b"\n")
            await proc.stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            await self._lost(proc)

    async def _receive(self, proc: asyncio.subprocess.Process) -> dict[str, Any]:
        assert proc.stdout is not None
        line = await proc.stdout.readline()
        if not line:
            await self._lost(proc)
        answer: dict[str, Any] = json.loads(line)
        return answer

    async def _lost(self, proc: asyncio.subprocess.Process) -> None:
        status = await proc.wait()
        self._proc = None
        raise JobFailedError(
            f"the ingest process stopped (exit status {status}) before it finished; what it had not"
            " committed was not stored, and the bot's log says why. Try again: a new one starts."
        )

    async def _stop(self, proc: asyncio.subprocess.Process, *, gently: bool) -> None:
        self._proc = None
        if proc.returncode is not None:
            return
        if gently and proc.stdin is not None:
            proc.stdin.close()  # the child's loop ends; its engine closes
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(proc.wait(), CLOSE_SECONDS)
                return
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()
        try:
            await asyncio.wait_for(proc.wait(), 5.0)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()


# -- the child ----------------------------------------------------------------------------------------


def _answer(out: IO[bytes], message: dict[str, Any]) -> None:
    out.write(json.dumps(message).encode() + b"\n")
    out.flush()


def _failure(e: BaseException) -> dict[str, Any]:
    if isinstance(e, SitrepError):
        return {"error": {"type": type(e).__name__, "message": str(e)}}
    return {"error": {"type": "JobFailedError", "message": f"{type(e).__name__}: {e}"}}


async def _serve(out: IO[bytes]) -> int:
    from index.engine import Engine  # here: the parent imports this module without loading the engine
    from index.jobs.execute import execute

    loop = asyncio.get_running_loop()

    async def next_line() -> dict[str, Any] | None:
        line = await loop.run_in_executor(None, sys.stdin.buffer.readline)
        return json.loads(line) if line.strip() else None

    options = await next_line()
    if options is None:
        return 0
    os.nice(int(options.pop("nice", 0)))
    logging.getLogger().setLevel(int(options.pop("log_level", logging.WARNING)))
    try:
        engine = await Engine.open(Path(options.pop("data_dir")), **options)
    except Exception as e:
        log.exception("the ingest process could not open the engine")
        _answer(out, _failure(e))
        return 1
    try:
        _answer(out, {"ready": True})
        while (job := await next_line()) is not None:
            data = base64.b64decode(job["data"]) if job.get("data") is not None else None
            try:
                result = await execute(
                    engine,
                    job["kind"],
                    scope=job["scope"],
                    added_by=job.get("added_by"),
                    payload=job.get("payload") or {},
                    data=data,
                    progress=lambda p: _answer(out, {"progress": progress_dict(p)}),
                )
            except Exception as e:
                if not isinstance(e, SitrepError):
                    log.exception("an ingest job raised")
                _answer(out, _failure(e))
            else:
                _answer(out, {"result": result})
    finally:
        await engine.close()
    return 0


def main() -> int:
    """The child's entry point (``python -m index.jobs.child``): serve jobs until stdin closes."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s ingest-process %(name)s: %(message)s"
    )
    # Answers go to the pipe alone: file descriptor 1 becomes stderr (the log), so nothing else that
    # prints, from Python or a C library, can corrupt them.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return asyncio.run(_serve(out))


if __name__ == "__main__":
    sys.exit(main())
