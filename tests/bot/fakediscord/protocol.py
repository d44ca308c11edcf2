"""Discord's numbers and wire format as the fake speaks them: flags, callback types, error codes,
snowflakes, shard routing and JSON responses discord.py accepts."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from aiohttp import web

DISCORD_EPOCH_MS = 1420070400000
EPHEMERAL = 1 << 6
LOADING = 1 << 7
MESSAGE_CONTENT_INTENT = 1 << 15

# Callback types (receiving-and-responding.mdx)
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8
MODAL = 9

# Gateway close codes (opcodes-and-status-codes.mdx)
INVALID_SHARD = 4010

# Error codes (opcodes-and-status-codes.mdx)
UNKNOWN_WEBHOOK = 10015
UNKNOWN_MESSAGE = 10008
UNKNOWN_INTERACTION = 10062
ALREADY_ACKNOWLEDGED = 40060
INVALID_WEBHOOK_TOKEN = 50027
INVALID_FORM_BODY = 50035
EMPTY_MESSAGE = 50006


# The parsed request body, stored on the request by the recording middleware for the handlers.
BODY = web.RequestKey("body", object)
_ids = itertools.count(1)


def snowflake() -> str:
    """A time-based snowflake, unique within the process."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return str((ms << 22) | (next(_ids) & 0x3FFFFF))


def shard_of(guild_id: str | int, shard_count: int) -> int:
    """The shard Discord sends a guild's events on (developers/events/gateway.mdx, "Sharding")."""
    return (int(guild_id) >> 22) % shard_count


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with exactly ``Content-Type: application/json``: discord.py compares the header verbatim."""
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def error_response(status: int, code: int, message: str, errors: Any = None) -> web.Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if errors is not None:
        body["errors"] = errors
    return json_response(body, status)
