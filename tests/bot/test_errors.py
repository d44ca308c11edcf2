"""``bot.errors``: the message each known error gets, sent only to the user who hit it; the apology and
a logged traceback for bugs."""

from __future__ import annotations

import logging
import unittest.mock

import discord
import pytest
from discord import app_commands

from bot.errors import (
    APOLOGY,
    NotAllowedError,
    RateLimitedError,
    UsageError,
    describe_error,
    report_error,
    report_message_error,
)
from index.errors import FetchError, SourceNotFoundError
from tests.bot.mocks import MockInteraction, MockMessage


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (SourceNotFoundError("no source #3 in this server"), "no source #3 in this server"),
        (FetchError("https://x.example: HTTP 404"), "https://x.example: HTTP 404"),
        (UsageError("Give a url."), "Give a url."),
        (NotAllowedError("Only editors."), "Only editors."),
        (RateLimitedError(0.2), "You're going too fast — try again in 1 s."),
        (app_commands.NoPrivateMessage(), "That command only works in a server."),
        (
            app_commands.MissingPermissions(["manage_guild"]),
            "You need the Manage Server permission for that.",
        ),
        (app_commands.CheckFailure(), "You can't use that command here."),
        (RuntimeError("bug"), None),
    ],
)
def test_describe_error(error: BaseException, message: str | None) -> None:
    assert describe_error(error) == message


def test_a_wrapped_error_is_described_by_its_cause() -> None:
    wrapped = app_commands.CommandInvokeError(unittest.mock.MagicMock(), UsageError("Give a url."))
    assert describe_error(wrapped) == "Give a url."


async def test_an_error_before_the_acknowledgement_is_answered_ephemerally() -> None:
    interaction = MockInteraction()
    await report_error(interaction, UsageError("Give a url."))
    interaction.response.send_message.assert_awaited_once_with("Give a url.", ephemeral=True)
    interaction.followup.send.assert_not_awaited()


async def test_after_a_public_defer_the_thinking_message_goes_and_the_error_is_ephemeral() -> None:
    interaction = MockInteraction()
    await interaction.response.defer(thinking=True)
    await report_error(interaction, SourceNotFoundError("no source #3 in this server"))
    interaction.delete_original_response.assert_awaited_once_with()
    interaction.followup.send.assert_awaited_once_with("no source #3 in this server", ephemeral=True)


async def test_a_bug_gets_the_apology_and_its_traceback_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    interaction = MockInteraction()
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        await report_error(interaction, RuntimeError("the disk is on fire"))
    interaction.response.send_message.assert_awaited_once_with(APOLOGY, ephemeral=True)
    [record] = caplog.records
    assert record.exc_info is not None and "the disk is on fire" in str(record.exc_info[1])


async def test_when_discord_refuses_the_report_it_is_logged_not_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    interaction = MockInteraction()
    interaction.response.send_message.side_effect = discord.NotFound(
        unittest.mock.MagicMock(status=404), "Unknown interaction"
    )
    with caplog.at_level(logging.WARNING, logger="bot.errors"):
        await report_error(interaction, UsageError("Give a url."))
    assert "could not report an error" in caplog.text


@pytest.mark.parametrize(("error", "text"), [(UsageError("Bad."), "Bad."), (RuntimeError("bug"), APOLOGY)])
async def test_a_mention_question_error_is_a_reply_that_pings_no_one(error: BaseException, text: str) -> None:
    message = MockMessage()
    await report_message_error(message, error)
    message.reply.assert_awaited_once_with(text, mention_author=False)
