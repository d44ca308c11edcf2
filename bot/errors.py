"""The bot's user-facing errors: the exceptions checks and handlers raise, the message each one gets,
and how that message reaches the user (``cogs/errors.py`` hooks ``report_error`` into the command tree;
views and mention questions call these helpers directly)."""

from __future__ import annotations

import logging
import math

import discord
from discord import app_commands
from discord.ext import commands

from index.errors import SitrepError

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again later."


class RateLimitedError(app_commands.CheckFailure):
    """The user has used a rate-limited command too often; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(f"You're going too fast — try again in {max(1, math.ceil(retry_after))} s.")


class NotAllowedError(app_commands.CheckFailure):
    """The user lacks the role or permission the bot's configuration asks for."""


class UsageError(app_commands.AppCommandError):
    """The command was used wrongly (both or neither of two options, a bad date, a non-http URL)."""


def describe_error(error: BaseException) -> str | None:
    """The message a user sees for an expected error, or None for a bug (which gets logged)."""
    if isinstance(error, app_commands.CommandInvokeError | commands.CommandInvokeError):
        error = error.original
    if isinstance(error, RateLimitedError | NotAllowedError | UsageError):
        return str(error)
    if isinstance(error, SitrepError):  # the library's messages are written for users
        return str(error) or type(error).__name__
    if isinstance(error, app_commands.CommandOnCooldown):
        return str(RateLimitedError(error.retry_after))
    if isinstance(error, app_commands.MissingPermissions):
        needed = ", ".join(
            p.replace("_", " ").replace("guild", "server").title() for p in error.missing_permissions
        )
        return f"You need the {needed} permission for that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command only works in a server."
    if isinstance(error, app_commands.TransformerError):
        return (
            f"“{discord.utils.escape_mentions(str(error.value))[:100]}” is not a valid value for that option."
        )
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    return None


async def _tell(interaction: discord.Interaction, message: str) -> None:
    if not interaction.response.is_done():
        await interaction.response.send_message(message, ephemeral=True)
        return
    if interaction.response.type is discord.InteractionResponseType.deferred_channel_message:
        # A deferred "thinking…" message may be public, and the first followup would replace it with
        # the same visibility: remove it so the error goes out as a fresh ephemeral message.
        try:
            await interaction.delete_original_response()
        except discord.HTTPException:
            log.debug("could not delete the deferred response", exc_info=True)
    await interaction.followup.send(message, ephemeral=True)


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the user what went wrong, briefly and only to them; log the traceback of unexpected errors."""
    message = describe_error(error)
    if message is None:
        command = interaction.command.qualified_name if interaction.command else interaction.type.name
        log.error("unhandled error in %s (user %s)", command, interaction.user.id, exc_info=error)
        message = APOLOGY
    else:
        log.info("user %s: %s", interaction.user.id, message)
    try:
        await _tell(interaction, message)
    except discord.HTTPException:
        # The token may have expired (15 min) or Discord may be unhappy; there is no one left to tell.
        log.warning("could not report an error to user %s", interaction.user.id, exc_info=True)


async def report_message_error(message: discord.Message, error: BaseException) -> None:
    """The same for a mention question: a short reply, and the log for bugs."""
    text = describe_error(error)
    if text is None:
        log.error("unhandled error answering message %s", message.id, exc_info=error)
        text = APOLOGY
    try:
        await message.reply(text, mention_author=False)
    except discord.HTTPException:
        log.warning("could not reply to message %s", message.id, exc_info=True)
