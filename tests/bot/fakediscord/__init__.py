"""A fake Discord (REST + gateway) on 127.0.0.1 that the real discord.py client connects to.

The fake records every request, answers what discord.py 2.7 calls (see ``/work/shared/discord-testing.md`` §5)
and rejects what real Discord would reject: over-long messages and embeds, missing ``allowed_mentions``,
late (> 3 s) or double acknowledgements, followups after the interaction token expired. Each rejection is
also appended to ``violations`` so a test can fail on it even when the bot swallows the HTTP error, and
every unknown route is answered 404 and appended to ``unknown_routes``.

Semantics that are a best guess rather than documented are marked ``BEST GUESS``.

Modules, one concept each:

- ``protocol``: Discord's flags, callback types, error codes, snowflakes, shard routing, JSON responses;
- ``validation``: the limits Discord enforces on messages and commands, and who a message pings;
- ``records``: what is recorded (requests, interactions, dispatches);
- ``state``: the fake's data, its rejections and the queries tests use;
- ``rest``, ``interactions``, ``gateway``: the routes and the websocket;
- ``actions``: what a test makes a user do (slash commands, buttons, uploads, mentions);
- ``server``: ``FakeDiscord`` itself; ``harness``: connecting a client, waiting for conditions.
"""

from tests.bot.fakediscord.actions import channel_resolved, opt, sub
from tests.bot.fakediscord.harness import connected, wait_until
from tests.bot.fakediscord.protocol import (
    ALREADY_ACKNOWLEDGED,
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    EMPTY_MESSAGE,
    EPHEMERAL,
    INVALID_FORM_BODY,
    INVALID_SHARD,
    INVALID_WEBHOOK_TOKEN,
    LOADING,
    MESSAGE_CONTENT_INTENT,
    MODAL,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    UPDATE_MESSAGE,
    shard_of,
    snowflake,
)
from tests.bot.fakediscord.records import Dispatch, Interaction, Request
from tests.bot.fakediscord.server import FakeDiscord
from tests.bot.fakediscord.validation import (
    embed_length,
    pings,
    validate_command,
    validate_components,
    validate_embed,
    validate_message,
)

__all__ = [
    "ALREADY_ACKNOWLEDGED",
    "AUTOCOMPLETE_RESULT",
    "CHANNEL_MESSAGE",
    "DEFERRED_CHANNEL_MESSAGE",
    "DEFERRED_UPDATE_MESSAGE",
    "EMPTY_MESSAGE",
    "EPHEMERAL",
    "INVALID_FORM_BODY",
    "INVALID_SHARD",
    "INVALID_WEBHOOK_TOKEN",
    "LOADING",
    "MESSAGE_CONTENT_INTENT",
    "MODAL",
    "UNKNOWN_INTERACTION",
    "UNKNOWN_MESSAGE",
    "UNKNOWN_WEBHOOK",
    "UPDATE_MESSAGE",
    "Dispatch",
    "FakeDiscord",
    "Interaction",
    "Request",
    "channel_resolved",
    "connected",
    "embed_length",
    "opt",
    "pings",
    "shard_of",
    "snowflake",
    "sub",
    "validate_command",
    "validate_components",
    "validate_embed",
    "validate_message",
    "wait_until",
]
