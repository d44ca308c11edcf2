"""``bot.progress``: throttled progress edits, and the final message that still arrives (in the channel,
with the bot's token) once the 15-minute interaction token has run out."""

from __future__ import annotations

import re
import unittest.mock
from datetime import timedelta

import discord

from bot.progress import ProgressMessage, send_final, token_fresh
from index.models import Progress
from tests.bot.mocks import MockInteraction


def expired(interaction: MockInteraction) -> MockInteraction:
    interaction.created_at -= timedelta(minutes=14, seconds=30)  # past the 15 minutes less the margin
    return interaction


def test_token_fresh() -> None:
    assert token_fresh(MockInteraction())
    assert not token_fresh(expired(MockInteraction()))


async def test_the_final_message_replaces_the_deferred_response_while_the_token_lives() -> None:
    interaction = MockInteraction()
    await send_final(interaction, "**a.txt**: 1 articles added")
    interaction.edit_original_response.assert_awaited_once_with(content="**a.txt**: 1 articles added")
    interaction.channel.send.assert_not_awaited()


async def test_after_the_token_expired_it_goes_to_the_channel_addressed_to_the_user() -> None:
    interaction = expired(MockInteraction())
    await send_final(interaction, "x" * 2100)
    interaction.edit_original_response.assert_not_awaited()
    [sent] = interaction.channel.send.await_args.args
    assert sent.startswith(f"<@{interaction.user.id}> xxx") and len(sent) == 2000


async def test_progress_edits_at_most_every_few_seconds_and_the_summary_comes_last() -> None:
    interaction = MockInteraction()
    progress = ProgressMessage(interaction, "https://news.example/feed", every=3600)
    progress(Progress(1, 10, "fetching"))
    progress(Progress(2, 10, "fetching"))  # within the hour: skipped
    await progress.finish("**https://news.example/feed**: 10 articles added")
    edits = [c.kwargs["content"] for c in interaction.edit_original_response.await_args_list]
    assert len(edits) == 2 and edits[1] == "**https://news.example/feed**: 10 articles added"
    assert re.fullmatch(
        r"Adding https://news\.example/feed: fetching · 1/10 articles stored… \(\d+ s\)", edits[0]
    )


async def test_no_progress_edit_once_the_token_is_stale() -> None:
    interaction = expired(MockInteraction())
    ProgressMessage(interaction, "a.txt", every=0)(Progress(1, 1, "storing"))
    await ProgressMessage(interaction, "a.txt").finish("done")
    interaction.edit_original_response.assert_not_awaited()


async def test_a_failed_progress_edit_is_not_fatal() -> None:
    interaction = MockInteraction()
    refused = discord.HTTPException(unittest.mock.MagicMock(status=500, reason="Server Error"), "x")
    interaction.edit_original_response.side_effect = [refused, None]
    progress = ProgressMessage(interaction, "a.txt", every=0)
    progress(Progress(1, 1, "storing"))
    await progress.finish("done")
    edits = [c.kwargs["content"] for c in interaction.edit_original_response.await_args_list]
    assert edits[0].startswith("Adding a.txt: storing · 1/1 articles stored…") and edits[1:] == ["done"]


async def test_the_message_moves_with_passages_embedded_and_time_while_nothing_is_reported() -> None:
    interaction = MockInteraction()
    progress = ProgressMessage(interaction, "a.txt", every=3600)
    progress.start()  # the ticker's first tick is an hour away: ticks are called directly below
    progress.tick()
    await progress._task  # type: ignore[misc]
    progress(Progress(0, 3, "embedding", chunks=8, chunks_total=20))  # within `every` of the tick: kept
    progress.tick()  # what the ticker does every `every` seconds
    await progress._task  # type: ignore[misc]
    await progress.finish("done")
    edits = [c.kwargs["content"] for c in interaction.edit_original_response.await_args_list]
    assert re.fullmatch(r"Adding a\.txt: fetching… \(\d+ s\)", edits[0])
    assert re.fullmatch(
        r"Adding a\.txt: embedding · 0/3 articles stored · 8/20 passages embedded… \(\d+ s\)", edits[1]
    )
    assert edits[2:] == ["done"] and progress._ticker is not None and progress._ticker.done()
