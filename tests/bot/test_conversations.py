"""``bot.conversations``: the per-server thread choice, and opening a thread only where one can be."""

from __future__ import annotations

from unittest import mock

import discord
import pytest

from bot.conversations import HINT, Conversations


def conversations(meta: str | None = None) -> tuple[Conversations, mock.Mock]:
    engine = mock.Mock()
    engine.store.read_only = False
    engine.store.get_meta = mock.AsyncMock(return_value=meta)
    engine.store.set_meta = mock.AsyncMock()
    posted = mock.Mock()
    posted.store.open_thread = mock.AsyncMock()
    return Conversations(engine, posted, mock.Mock()), engine


async def test_the_thread_choice_is_stored_per_server_and_read_once() -> None:
    talks, engine = conversations(meta="on")
    assert await talks.threads_on(3000) and await talks.threads_on(3000)
    engine.store.get_meta.assert_awaited_once_with("answer_threads_3000")
    await talks.set_threads(3000, False)
    engine.store.set_meta.assert_awaited_once_with(answer_threads_3000="off")
    assert not await talks.threads_on(3000)
    assert not await talks.threads_on(None)  # a DM has no threads


async def test_a_thread_opens_on_a_text_channel_and_says_how_to_follow_up() -> None:
    talks, _ = conversations()
    channel = mock.Mock(spec=discord.TextChannel)
    thread = mock.Mock(id=555)
    thread.send = mock.AsyncMock()
    channel.create_thread = mock.AsyncMock(return_value=thread)
    await talks.open_thread(channel, 42, 7, "who reported casualties in Pellin? " + "x" * 200)
    kwargs = channel.create_thread.await_args.kwargs
    assert (
        len(kwargs["name"]) == 100 and kwargs["message"].id == 42 and kwargs["auto_archive_duration"] == 1440
    )
    talks.posted.store.open_thread.assert_awaited_once_with(7, "555")
    thread.send.assert_awaited_once_with(HINT)


async def test_a_thread_that_cannot_be_told_about_leaves_the_answer_alone() -> None:
    talks, _ = conversations()
    channel = mock.Mock(spec=discord.TextChannel)
    thread = mock.Mock(id=555)
    refused = discord.Forbidden(mock.Mock(status=403, reason="Forbidden"), "Missing Permissions")
    thread.send = mock.AsyncMock(side_effect=refused)  # may create threads, may not post in them
    channel.create_thread = mock.AsyncMock(return_value=thread)
    await talks.open_thread(channel, 42, 7, "q")  # logged, not raised: the answer is out already


async def test_no_follow_up_context_on_a_read_only_store() -> None:
    talks, engine = conversations()
    engine.store.read_only = True
    talks.posted.store.thread_start = mock.AsyncMock(side_effect=AssertionError("not asked"))
    assert await talks.first_answer(mock.Mock(spec=discord.Thread, id=555)) is None


async def test_only_a_thread_is_looked_up_for_its_first_answer() -> None:
    talks, _ = conversations()
    talks.posted.store.thread_start = mock.AsyncMock(return_value=None)
    for channel in (mock.Mock(spec=discord.TextChannel, id=1), mock.Mock(spec=discord.DMChannel, id=2), None):
        assert await talks.first_answer(channel) is None
    talks.posted.store.thread_start.assert_not_awaited()  # a question in a channel costs no lookup
    await talks.first_answer(mock.Mock(spec=discord.Thread, id=555))
    await talks.first_answer(mock.Mock(spec=discord.PartialMessageable, id=556))  # kind unknown: asked
    assert [c.args for c in talks.posted.store.thread_start.await_args_list] == [("555",), ("556",)]


@pytest.mark.parametrize("where", ["dm", "refused"])
async def test_no_thread_where_none_can_be_opened(where: str) -> None:
    talks, _ = conversations()
    if where == "dm":
        channel: object = mock.Mock(spec=discord.DMChannel)
    else:
        channel = mock.Mock(spec=discord.TextChannel)
        refused = discord.Forbidden(mock.Mock(status=403, reason="Forbidden"), "Missing Permissions")
        channel.create_thread = mock.AsyncMock(side_effect=refused)
    await talks.open_thread(channel, 42, 7, "q")
    talks.posted.store.open_thread.assert_not_awaited()
