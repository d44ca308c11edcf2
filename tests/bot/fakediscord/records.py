"""What the fake records: each REST request, each interaction and what the bot did with it, each
gateway dispatch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.bot.fakediscord.protocol import CHANNEL_MESSAGE, UPDATE_MESSAGE


@dataclass
class Dispatch:
    """One event the fake sent: on which connection's shard (None: an unsharded connection), about which guild."""

    shard: int | None
    event: str
    guild_id: str | None


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]
    at: float
    status: int = 0


@dataclass
class Interaction:
    """One interaction the fake dispatched, and everything the bot did with it."""

    id: str
    token: str
    type: int
    payload: dict[str, Any]
    created_at: float
    channel_id: str
    guild_id: str | None
    ack_type: int | None = None
    ack_at: float | None = None
    ack_body: dict[str, Any] | None = None
    ephemeral: bool = False
    original_id: str | None = None  # the message @original refers to
    loading: bool = False  # the original is a "thinking…" message a followup will replace
    followups: list[dict[str, Any]] = field(default_factory=list)  # messages created via POST /webhooks
    original_edits: list[dict[str, Any]] = field(default_factory=list)  # PATCH @original bodies
    choices: list[dict[str, Any]] | None = None  # autocomplete result
    modal: dict[str, Any] | None = None
    errors: list[tuple[int, int]] = field(default_factory=list)  # (status, code) the fake answered

    @property
    def ack_latency(self) -> float | None:
        return None if self.ack_at is None else self.ack_at - self.created_at

    @property
    def answered(self) -> bool:
        """The bot said something beyond a bare defer."""
        return bool(
            self.followups or self.original_edits or self.ack_type in (CHANNEL_MESSAGE, UPDATE_MESSAGE)
        )
