"""Driving a discord.py client against the fake from a test: connect it, and wait for a condition."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.bot.fakediscord.server import FakeDiscord


async def wait_until(pred: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    """Poll ``pred`` until it returns something truthy (returned), or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or pred}")
        await asyncio.sleep(0.01)


@contextlib.asynccontextmanager
async def connected(client: Any, fake: FakeDiscord, timeout: float = 30.0) -> AsyncIterator[Any]:
    """Log ``client`` (a discord.py Client) in to ``fake``, connect it, and close it afterwards."""
    await asyncio.wait_for(client.login(fake.token), timeout)
    task = asyncio.create_task(client.connect(reconnect=False))
    try:
        ready = asyncio.create_task(client.wait_until_ready())
        done, _ = await asyncio.wait({ready, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            if task in done:
                task.result()  # raise the connection error
            raise AssertionError("the client did not become ready")
        yield client
    finally:
        await asyncio.wait_for(client.close(), timeout)
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout)
