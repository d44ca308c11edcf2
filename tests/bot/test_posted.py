"""``bot.posted.PostedAnswers``: answers kept through the store, the recent ones from memory, none kept
(and no buttons) on a read-only store."""

from __future__ import annotations

from unittest import mock

from bot.posted import PostedAnswers
from index.errors import StoreReadOnlyError
from index.models import Answer
from index.storage.posted_role import PostedAnswer

ANSWER = Answer("q", True, (), 1)


def answers_over(store: mock.Mock, cached: int = 2) -> PostedAnswers:
    engine = mock.Mock()
    engine.store.posted = store
    engine.store.read_only = False
    return PostedAnswers(engine, cached=cached)


async def test_a_kept_answer_is_read_from_memory_until_it_falls_out() -> None:
    store = mock.Mock()
    store.save = mock.AsyncMock(side_effect=[1, 2, 3])
    store.get = mock.AsyncMock(return_value=PostedAnswer(1, "3000", "9001", "t", ANSWER))
    answers = answers_over(store)
    assert [await answers.keep("3000", "9001", ANSWER) for _ in range(3)] == [1, 2, 3]
    assert (await answers.get(3)) is not None and (await answers.get(2)) is not None
    store.get.assert_not_awaited()  # the two most recent: from memory
    assert await answers.get(1) == store.get.return_value  # fell out: from the store
    store.get.assert_awaited_once_with(1)


async def test_a_read_only_store_keeps_nothing_and_prunes_nothing() -> None:
    store = mock.Mock()
    store.save = mock.AsyncMock(side_effect=StoreReadOnlyError("read-only"))
    store.prune = mock.AsyncMock(side_effect=StoreReadOnlyError("read-only"))
    answers = answers_over(store)
    assert await answers.keep("3000", "9001", ANSWER) is None
    assert await answers.prune(30) == 0


async def test_a_read_only_store_is_not_read_for_answers_it_cannot_have_kept() -> None:
    store = mock.Mock()
    store.get = mock.AsyncMock(side_effect=AssertionError("an old store may lack the table"))
    answers = answers_over(store)
    answers.engine.store.read_only = True
    assert await answers.get(5) is None


async def test_a_long_running_bot_prunes_on_its_first_keep_and_then_daily() -> None:
    store = mock.Mock()
    store.save = mock.AsyncMock(side_effect=[1, 2])
    store.prune = mock.AsyncMock(return_value=0)
    engine = mock.Mock()
    engine.store.posted = store
    answers = PostedAnswers(engine, keep_days=30)
    await answers.keep("3000", "9001", ANSWER)
    await answers.keep("3000", "9001", ANSWER)  # within the day: no second prune
    store.prune.assert_awaited_once()


async def test_pruning_asks_the_store_for_answers_older_than_the_days_kept() -> None:
    store = mock.Mock()
    store.prune = mock.AsyncMock(return_value=4)
    assert await answers_over(store).prune(30) == 4
    [before] = store.prune.await_args.args
    assert before.endswith("+00:00") and before[:4].isdigit()
