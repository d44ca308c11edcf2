"""The feed poller: on only where this process polls (the runner says so, and shard 0 with shards), and
each poll refreshes every scope's feeds through the runner."""

from __future__ import annotations

import logging

import pytest

from bot.cogs.feeds import Feeds
from index.models import Failure, IngestReport
from tests.bot.mocks import FakeRunner, MockBot


@pytest.mark.parametrize(
    ("runner_polls", "settings", "interval"),
    [
        (True, {"feed_poll_minutes": 30}, 1800),
        (False, {"feed_poll_minutes": 30}, 0),  # queue mode: the workers poll
        (True, {"feed_poll_minutes": 0}, 0),  # off
        (True, {"feed_poll_minutes": 30, "shard_count": 2, "shard_ids": "1"}, 0),  # shard 0's process polls
        (True, {"feed_poll_minutes": 30, "shard_count": 2, "shard_ids": "0"}, 1800),
    ],
)
async def test_who_polls(runner_polls: bool, settings: dict[str, object], interval: float) -> None:
    cog = Feeds(MockBot(runner=FakeRunner(polls_feeds=runner_polls), **settings))
    assert cog.interval == interval
    await cog.cog_load()
    try:
        assert (cog._task is not None) == (interval > 0)
    finally:
        await cog.cog_unload()
    assert cog._task is None or cog._task.cancelled()


async def test_a_poll_refreshes_every_scope_through_the_runner(caplog: pytest.LogCaptureFixture) -> None:
    runner = FakeRunner(report=IngestReport(added=1, failed=[Failure("https://x.example/feed", "HTTP 500")]))
    cog = Feeds(MockBot(runner=runner, feed_poll_minutes=30))
    with caplog.at_level(logging.INFO, logger="bot.cogs.feeds"):
        await cog.poll_once()
    assert runner.calls == [("refresh_feeds", (None,), {})] and cog.polls == 1
    assert "feed https://x.example/feed: HTTP 500" in caplog.text


async def test_a_failed_poll_is_logged_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    cog = Feeds(MockBot(runner=FakeRunner(error=OSError("network down")), feed_poll_minutes=30))
    with caplog.at_level(logging.ERROR, logger="bot.cogs.feeds"):
        await cog.poll_once()  # no exception: the next poll tries again
    assert cog.polls == 1 and "polling feeds failed" in caplog.text
