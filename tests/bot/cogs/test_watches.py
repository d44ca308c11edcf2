"""The watch poller: on where polling is set, off (said once) on a read-only store, and a poll with
nothing to watch writes nothing."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any, cast
from unittest.mock import AsyncMock

import pytest

from bot.cogs.watches import Watches
from tests.bot.mocks import MockBot


@pytest.mark.parametrize(
    ("seconds", "read_only", "polls"), [(60, False, True), (0, False, False), (60, True, False)]
)
async def test_who_polls(
    seconds: float, read_only: bool, polls: bool, caplog: pytest.LogCaptureFixture
) -> None:
    bot = MockBot(watch_poll_seconds=seconds)
    bot.engine = cast(Any, SimpleNamespace(store=SimpleNamespace(read_only=read_only)))  # what the cog reads
    cog = Watches(bot)
    with caplog.at_level(logging.WARNING, logger="bot.cogs.watches"):
        await cog.cog_load()
    try:
        assert (cog._task is not None) == polls
        assert ("the store is read-only" in caplog.text) == (read_only and seconds > 0)
    finally:
        await cog.cog_unload()


async def test_a_poll_with_no_watch_or_digest_takes_no_lease() -> None:
    bot = MockBot(watch_poll_seconds=60)
    store = SimpleNamespace(
        watches=AsyncMock(return_value=[]), digests=AsyncMock(return_value=[]), hold_lease=AsyncMock()
    )
    bot.engine = cast(Any, SimpleNamespace(store=SimpleNamespace(read_only=False, watches=store)))
    cog = Watches(bot)
    await cog.poll_once()
    assert cog.polls == 1
    store.watches.assert_awaited_once()
    store.hold_lease.assert_not_awaited()
