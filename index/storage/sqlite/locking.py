"""Locks on the data dir shared by every process that opens it (the CLI, the bot, a backup).

Two ``flock`` files, released by the kernel when a process dies, so a SIGKILL never leaves one held:

- ``.write.lock``: held exclusively around every write — the SQLite transaction(s) of an ingest,
  removal or rebuild *and* the FAISS save that follows — so two processes never interleave writes
  and the index file always matches some committed state of the database.
- ``.open.lock``: held shared by every open engine; ``restore`` takes it exclusively, so it cannot
  replace files under a running bot or CLI.
- ``.fill.lock``: held by the one process embedding stored articles' sentences (sentence_vectors.py),
  so bots and CLIs sharing a data dir don't embed the same sentences and contend on writing them.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from index.errors import SitrepError

WRITE_LOCK = ".write.lock"
OPEN_LOCK = ".open.lock"
FILL_LOCK = ".fill.lock"


class StoreInUseError(SitrepError):
    """Another process has the data dir open (or is restoring it)."""


def _open_fd(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


@asynccontextmanager
async def write_locked(data_dir: Path) -> AsyncIterator[None]:
    """Hold the data dir's write lock; waits while another process writes."""
    async with file_locked(data_dir / WRITE_LOCK):
        yield


@asynccontextmanager
async def file_locked(path: Path) -> AsyncIterator[None]:
    """Hold an exclusive ``flock`` on ``path``, waiting for it on the event loop.

    The wait polls a non-blocking ``flock`` (every 5 ms at first, then every 100 ms) instead of
    blocking a thread: a waiter cancelled at shutdown is gone at once, where a thread blocked in
    ``flock`` kept the process alive until the other process let go.
    """
    fd = _open_fd(path)
    try:
        delay = 0.005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 0.1)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class OpenLock:
    """The shared "this data dir is open" lock, or the exclusive one a restore needs."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / OPEN_LOCK
        self._fd: int | None = None

    def acquire(self, *, exclusive: bool = False, read_only: bool = False) -> None:
        """Take the lock without waiting; StoreInUseError if it conflicts with another process.

        ``read_only``: the data dir can't be written, so the lock file is only used if it exists
        (nothing can restore into such a dir either).
        """
        if read_only:
            try:
                fd = os.open(self.path, os.O_RDONLY)
            except OSError:
                return
        else:
            fd = _open_fd(self.path)
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            what = (
                "is open in another process (stop the bot or CLI first)" if exclusive else "is being restored"
            )
            raise StoreInUseError(f"the data dir {self.path.parent} {what}") from None
        self._fd = fd

    def release(self) -> None:
        """Drop the lock (closing the file releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
