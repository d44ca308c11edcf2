"""Everything the fake knows and records (requests, interactions, messages, synced commands, gateway
sessions), the rejections it hands out, and the queries tests read it through."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from aiohttp import web

from tests.bot.fakediscord.protocol import INVALID_FORM_BODY, LOADING, error_response, snowflake
from tests.bot.fakediscord.records import Dispatch, Interaction, Request
from tests.bot.fakediscord.validation import pings


class FakeState:
    """The fake Discord's data; the route and gateway mixins read and write it."""

    def __init__(
        self,
        *,
        token: str = "fake-token",
        guilds: dict[str, str] | None = None,
        ack_deadline: float = 3.0,
        token_ttl: float = 15 * 60,
        heartbeat_interval_ms: int = 41250,
        message_content_allowed: bool = False,
        roles: dict[str, str] | None = None,
        shard_count: int = 1,
    ) -> None:
        self.token = token
        self.shard_count = shard_count  # what GET /gateway/bot recommends
        self.roles = roles or {}  # role id -> name, in every guild besides @everyone
        self.member_roles: dict[str, list[str]] = {}  # user id -> role ids sent with their interactions
        self.app_id = "2000"
        self.bot_user = {
            "id": "1000",
            "username": "sitrep",
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "bot": True,
        }
        self.owner = {"id": "1", "username": "owner", "discriminator": "0", "avatar": None}
        # guild id -> its one text channel
        self.guilds = guilds or {"3000": "4000", "3001": "4001"}
        self.default_guild = next(iter(self.guilds))
        self.ack_deadline = ack_deadline
        self.token_ttl = token_ttl
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.message_content_allowed = message_content_allowed

        self.requests: list[Request] = []
        self.unknown_routes: list[str] = []
        self.violations: list[str] = []
        self.pinged: list[str] = []
        self.interactions: dict[str, Interaction] = {}
        self.messages: dict[str, dict[str, Any]] = {}  # id -> current message payload
        self.channel_messages: list[dict[str, Any]] = []  # created with POST /channels/{id}/messages
        self.typing: list[str] = []
        self.synced_global: list[dict[str, Any]] = []
        self.synced_guild: dict[str, list[dict[str, Any]]] = {}
        self.heartbeats: list[float] = []
        self.identify: dict[str, Any] | None = None  # the latest IDENTIFY
        self.identifies: list[dict[str, Any]] = []  # every IDENTIFY, in order
        self.dispatched: list[Dispatch] = []
        self.rate_limited: list[str] = []
        self.attachments: dict[str, tuple[bytes, str]] = {}
        # Channels besides each guild's first (channel id -> guild id), DM channels (id -> user id), and
        # channels the bot may not post in (403 Missing Permissions) or that were deleted (404).
        self.channels: dict[str, str] = {}
        # Threads started from messages (thread id -> guild, parent channel, name, starter message).
        self.threads: dict[str, dict[str, Any]] = {}
        self.dm_channels: dict[str, str] = {}
        self.forbidden_channels: set[str] = set()
        self.deleted_channels: set[str] = set()
        self.refused_posts: list[tuple[str, int]] = []  # (channel id, status): refused as Discord would
        self._inject: list[dict[str, Any]] = []
        self._sockets: list[web.WebSocketResponse] = []
        # Identified connections -> their (shard id, shard count); None for an unsharded connection.
        self._shards: dict[web.WebSocketResponse, tuple[int, int] | None] = {}
        self._seqs: dict[web.WebSocketResponse, int] = {}  # sequence numbers are per session
        self._identified = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self.ws_url = ""

    def thread_payload(self, thread_id: str) -> dict[str, Any]:
        """The channel object Discord sends for a thread (in responses, events and interactions)."""
        t = self.threads[thread_id]
        return {
            "id": thread_id,
            "type": 11,  # a public thread
            "guild_id": t["guild_id"],
            "parent_id": t["parent_id"],
            "owner_id": self.bot_user["id"],
            "name": t["name"],
            "last_message_id": None,
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": t["auto_archive_duration"],
                "archive_timestamp": "2024-01-01T00:00:00+00:00",
                "locked": False,
            },
        }

    # -- rejections and assertions -------------------------------------------------------------------

    def _reject(
        self, where: str, status: int, code: int, message: str, it: Interaction | None = None
    ) -> web.Response:
        self.violations.append(f"{where}: {status}/{code} {message}")
        if it is not None:
            it.errors.append((status, code))
        return error_response(status, code, message)

    def _invalid_form(self, where: str, problems: list[str], it: Interaction | None = None) -> web.Response:
        for p in problems:
            self.violations.append(f"{where}: {p}")
        if it is not None:
            it.errors.append((400, INVALID_FORM_BODY))
        return error_response(400, INVALID_FORM_BODY, "Invalid Form Body", {"_errors": problems})

    def requests_to(self, method: str, pattern: str) -> list[Request]:
        rx = re.compile(pattern)
        return [r for r in self.requests if r.method == method and rx.search(r.path)]

    def assert_clean(self) -> None:
        """What every end-to-end test ends with."""
        assert self.unknown_routes == [], f"unknown routes: {self.unknown_routes}"
        assert self.violations == [], f"violations: {self.violations}"
        assert self.pinged == [], f"pinged: {self.pinged}"

    # -- attachments ---------------------------------------------------------------------------------

    def store_attachment(self, filename: str, data: bytes, content_type: str) -> dict[str, Any]:
        """Keep ``data`` and serve it at a 127.0.0.1 URL; returns Discord's attachment object for it."""
        aid = snowflake()
        self.attachments[aid] = (data, content_type)
        url = f"{self.base_url}/attachments/{aid}/{filename}"
        return {
            "id": aid,
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
        }

    def attachment_data(self, attachment: dict[str, Any]) -> bytes:
        """The bytes of an attachment of a message (as uploaded by the bot, or added by a test)."""
        return self.attachments[attachment["id"]][0]

    # -- messages ------------------------------------------------------------------------------------

    def _new_message(
        self,
        body: dict[str, Any],
        *,
        channel_id: str,
        guild_id: str | None,
        msg_type: int = 0,
        webhook: bool = False,
        flags: int = 0,
        message_id: str | None = None,
    ) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "id": message_id or snowflake(),
            "channel_id": channel_id,
            "type": msg_type,
            "content": body.get("content") or "",
            "author": dict(self.bot_user),
            "embeds": [{"type": "rich", **e} for e in body.get("embeds") or []],
            "attachments": list(body.get("_uploads") or []),  # the files sent with it (rest.py)
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "components": body.get("components") or [],
            "flags": flags,
            "pinned": False,
            "tts": False,
            "timestamp": "2024-01-01T00:00:00+00:00",
            "edited_timestamp": None,
        }
        if guild_id is not None:
            msg["guild_id"] = guild_id
        if webhook:
            msg["webhook_id"] = self.app_id
            msg["application_id"] = self.app_id
        if body.get("message_reference"):
            msg["message_reference"] = body["message_reference"]
        self.pinged += pings(body)
        self.messages[msg["id"]] = msg
        return msg

    def _edit_message(self, mid: str, body: dict[str, Any]) -> dict[str, Any]:
        msg = self.messages[mid]
        if "content" in body:
            msg["content"] = body["content"] or ""
        if "embeds" in body:
            msg["embeds"] = [{"type": "rich", **e} for e in body["embeds"] or []]
        if "components" in body:
            msg["components"] = body["components"] or []
        if body.get("_uploads"):
            # BEST GUESS: an edit that uploads files shows those (the bot never keeps old ones alongside).
            msg["attachments"] = list(body["_uploads"])
        msg["flags"] &= ~LOADING
        msg["edited_timestamp"] = "2024-01-01T00:00:01+00:00"
        msg.setdefault("edits", []).append(body)
        self.pinged += pings(body)
        return msg

    @staticmethod
    def _public(msg: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in msg.items() if k != "edits"}

    @property
    def synced(self) -> dict[str, dict[str, Any]]:
        """Every synced command by name (global, then guild commands)."""
        out = {c["name"]: c for c in self.synced_global}
        for cmds in self.synced_guild.values():
            out.update({c["name"]: c for c in cmds})
        return out

    # -- reading what users see ------------------------------------------------------------------------

    @staticmethod
    def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
        return [c for row in message.get("components") or [] for c in row.get("components") or []]

    def custom_id(self, message: dict[str, Any], label: str) -> str:
        for button in self.buttons(message):
            if button.get("label") == label or (button.get("emoji") or {}).get("name") == label:
                return str(button["custom_id"])
        raise AssertionError(f"no button {label!r} on message {message['id']}: {self.buttons(message)}")

    def replies_to(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            m
            for m in self.channel_messages
            if str((m.get("message_reference") or {}).get("message_id")) == message["id"]
        ]

    def current(self, message: dict[str, Any]) -> dict[str, Any]:
        """The latest state of a message the fake knows."""
        return self._public(self.messages[message["id"]])

    def last_message(self, it: Interaction) -> dict[str, Any]:
        """What the user sees as the interaction's newest message (latest followup or the edited original)."""
        if it.followups:
            mid = it.followups[-1]["id"]
        else:
            assert it.original_id is not None, "no message for this interaction"
            mid = it.original_id
        return self.current({"id": mid})
