"""``python -m bot`` (and other entry points) as subprocesses of a test, configured only by the environment."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.bot.fakediscord import FakeDiscord, wait_until

ROOT = Path(__file__).resolve().parents[2]
# How long a stopping process may take. Closing the engine can wait for another process's SQLite
# write transaction (the store's busy timeout is 60 s), so allow more than that before calling it stuck.
STOP_TIMEOUT = 90.0
# What a process that would not stop shows in the failure: enough for the thread dump and its cause.
TAIL_LINES = 120


def bot_env(fake: FakeDiscord, data_dir: Path, **settings: str) -> dict[str, str]:
    """This environment without any DISCORD_/SITREP_ setting, plus the fake's URLs, the data dir and ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SITREP_"))}
    env.update(
        DISCORD_TOKEN=fake.token,
        DISCORD_API_BASE=fake.api_base,
        DISCORD_GATEWAY_URL=fake.ws_url,
        SITREP_DATA_DIR=str(data_dir),
        PYTHONPATH=str(ROOT),
    )
    env.update(settings)
    return env


@dataclass
class Process:
    """A running subprocess and every line it has printed (stdout and stderr together)."""

    proc: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def tail(self, lines: int = TAIL_LINES) -> str:
        """The last ``lines`` lines printed, without the model's progress bars (one per encode)."""
        shown = self.output.replace("\r", "\n").splitlines()
        return "\n".join([s for s in shown if s.strip() and not s.startswith("Batches:")][-lines:])

    async def printed(self, text: str, timeout: float) -> None:
        """Wait until a line containing ``text`` was printed; fail (with the output) if the process ended first."""
        await wait_until(
            lambda: any(text in line for line in self.lines) or self.proc.returncode is not None,
            timeout,
            repr(text),
        )
        assert any(text in line for line in self.lines), f"exited {self.proc.returncode}:\n{self.output}"

    async def stop(self, timeout: float) -> str | None:
        """Ctrl-C (SIGINT) and wait; None if it ended in time, else why not (it is then killed).

        A process still running after ``timeout`` gets SIGABRT first: with PYTHONFAULTHANDLER set (see
        ``_python``) it prints every thread's stack, which the returned text ends with.
        """
        proc = self.proc
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)  # what Ctrl-C does: a clean shutdown
        try:
            await asyncio.wait_for(proc.wait(), timeout)
            return None
        except TimeoutError:
            proc.send_signal(signal.SIGABRT)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(proc.wait(), 10)
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
            return f"still running {timeout:g} s after SIGINT; its last output and threads:\n{self.tail()}"


async def _python(args: tuple[str, ...], env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    """This interpreter on ``args``, its stdout and stderr merged into one pipe."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        cwd=cwd,
        env={**env, "PYTHONFAULTHANDLER": "1"},  # a fatal signal prints every thread's stack
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


@contextlib.asynccontextmanager
async def running(
    *args: str, env: dict[str, str], cwd: Path, stop_timeout: float = STOP_TIMEOUT
) -> AsyncIterator[Process]:
    """``python ARGS`` for the block; afterwards Ctrl-C (SIGINT), and SIGKILL if it has not ended in time.

    A process that does not stop fails the test with its output, unless the block already failed: then
    that failure is kept, with the stop problem added as a note.
    """
    proc = await _python(args, env, cwd)
    process = Process(proc)

    async def read() -> None:
        assert proc.stdout is not None
        async for line in proc.stdout:
            process.lines.append(line.decode(errors="replace"))

    reader = asyncio.create_task(read())
    what = f"python {' '.join(args)}"
    try:
        yield process
    except BaseException as e:
        problem = await process.stop(stop_timeout)
        await asyncio.wait_for(reader, 5)
        if problem is not None:
            e.add_note(f"{what}: {problem}")
        raise
    problem = await process.stop(stop_timeout)
    await asyncio.wait_for(reader, 5)
    assert problem is None, f"{what}: {problem}"


async def run_to_end(*args: str, env: dict[str, str], cwd: Path, timeout: float) -> tuple[int, str]:
    """``python ARGS`` to completion (killed after ``timeout`` seconds): exit status and output."""
    proc = await _python(args, env, cwd)
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        raise AssertionError(f"python {' '.join(args)} still running after {timeout:g} s") from None
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode is not None  # communicate() returns once the process has exited
    return proc.returncode, out.decode(errors="replace")
