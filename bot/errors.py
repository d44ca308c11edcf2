"""The bot's own user-facing errors, raised by checks and handlers and shown by ``cogs/errors.py``."""

from __future__ import annotations

import math

from discord import app_commands


class RateLimitedError(app_commands.CheckFailure):
    """The user has used a rate-limited command too often; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(f"You're going too fast — try again in {max(1, math.ceil(retry_after))} s.")


class NotAllowedError(app_commands.CheckFailure):
    """The user lacks the role or permission the bot's configuration asks for."""


class UsageError(app_commands.AppCommandError):
    """The command was used wrongly (both or neither of two options, a bad date, a non-http URL)."""
