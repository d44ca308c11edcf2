"""The data dir's locks: writes exclusive across processes, "open" shared, restore exclusive.

flock locks belong to an open file, so two lock objects in one process conflict as two processes
would; the probes below take the lock without waiting, from another open file, to see its state.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from pathlib import Path

import pytest

from index.storage.sqlite.locking import OPEN_LOCK, WRITE_LOCK, OpenLock, StoreInUseError, write_locked
from tests.conftest import wait_until


def free(path: Path, *, exclusive: bool = True) -> bool:
    """Whether another open file could take the lock at ``path`` now."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing releases what was taken
    return True


async def test_the_write_lock_is_exclusive_while_held(tmp_path: Path) -> None:
    lock = tmp_path / WRITE_LOCK
    async with write_locked(tmp_path):
        assert lock.exists() and not free(lock) and not free(lock, exclusive=False)
    assert free(lock)


async def test_the_write_lock_is_released_when_the_write_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="failed write"):
        async with write_locked(tmp_path):
            raise RuntimeError("failed write")
    assert free(tmp_path / WRITE_LOCK)


async def test_a_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    order: list[str] = []
    release = asyncio.Event()

    async def writer(name: str, hold: asyncio.Event | None) -> None:
        async with write_locked(tmp_path):
            order.append(f"{name} in")
            if hold is not None:
                await hold.wait()
            order.append(f"{name} out")

    first = asyncio.create_task(writer("first", release))
    await wait_until(lambda: order == ["first in"], "the first writer holds the lock")
    second = asyncio.create_task(writer("second", None))
    # The second waits in a thread on flock: it cannot get in while the first holds the lock.
    await asyncio.sleep(0)
    assert order == ["first in"] and not free(tmp_path / WRITE_LOCK)
    release.set()
    await asyncio.wait_for(asyncio.gather(first, second), 120)  # a hang guard
    assert order == ["first in", "first out", "second in", "second out"]


def test_open_locks_are_shared_and_a_restore_needs_them_all_gone(tmp_path: Path) -> None:
    a, b = OpenLock(tmp_path), OpenLock(tmp_path)
    a.acquire()
    b.acquire()  # two engines may have one data dir open
    restore = OpenLock(tmp_path)
    with pytest.raises(StoreInUseError, match="is open in another process"):
        restore.acquire(exclusive=True)
    a.release()
    with pytest.raises(StoreInUseError):
        restore.acquire(exclusive=True)  # b still has it open
    b.release()
    restore.acquire(exclusive=True)
    with pytest.raises(StoreInUseError, match=f"the data dir {tmp_path} is being restored"):
        OpenLock(tmp_path).acquire()
    restore.release()
    restore.release()  # releasing twice is harmless
    assert free(tmp_path / OPEN_LOCK)
