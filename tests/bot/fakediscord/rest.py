"""The fake's REST routes other than interactions: the recording middleware (and injected 429s),
login, application commands, channel messages, typing, attachments, and the 404 for anything else."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from tests.bot.fakediscord.gateway import Gateway
from tests.bot.fakediscord.protocol import (
    BODY,
    UNKNOWN_MESSAGE,
    error_response,
    json_response,
    snowflake,
)
from tests.bot.fakediscord.records import Request
from tests.bot.fakediscord.validation import validate_command, validate_message


class RestRoutes(Gateway):
    """REST handlers; channel messages are echoed over the gateway as MESSAGE_CREATE."""

    @web.middleware
    async def _record(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path == "/gateway":
            return await handler(request)
        body: Any = None
        if request.can_read_body:
            ctype = request.headers.get("Content-Type", "")
            if ctype.startswith("multipart/"):
                form = await request.post()
                body = json.loads(str(form.get("payload_json") or "{}"))
                body["_files"] = [k for k in form if k != "payload_json"]
                # Each file kept and served, as Discord's attachment objects of the message it makes.
                body["_uploads"] = [
                    self.store_attachment(
                        f.filename, data := f.file.read(), _content_type(data, f.content_type)
                    )
                    for f in form.values()
                    if isinstance(f, web.FileField)
                ]
            else:
                raw = await request.read()
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode(errors="replace")
        rec = Request(
            request.method, request.path, dict(request.query), body, dict(request.headers), time.monotonic()
        )
        self.requests.append(rec)
        request[BODY] = body
        injected = self._take_injection(request.method, request.path)
        if injected is not None:
            rec.status = 429
            self.rate_limited.append(f"{request.method} {request.path}")
            retry = injected["retry_after"]
            return json_response(
                {"message": "You are being rate limited.", "retry_after": retry, "global": False},
                429,
                headers={
                    "Via": "1.1 google",
                    "Retry-After": str(max(1, round(retry))),
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset-After": str(retry),
                    "X-RateLimit-Bucket": "fake-bucket",
                    "X-RateLimit-Scope": "user",
                },
            )
        response = await handler(request)
        rec.status = response.status
        return response

    def inject_429(self, method: str, path_regex: str, *, retry_after: float = 0.05, times: int = 1) -> None:
        """Answer the next ``times`` requests matching ``method`` and ``path_regex`` (after /api/v10): 429."""
        self._inject.append(
            {"method": method, "re": re.compile(path_regex), "retry_after": retry_after, "n": times}
        )

    def _take_injection(self, method: str, path: str) -> dict[str, Any] | None:
        sub = path.removeprefix("/api/v10")
        for inj in self._inject:
            if inj["n"] > 0 and inj["method"] == method and inj["re"].search(sub):
                inj["n"] -= 1
                return inj
        return None

    # -- REST: login ---------------------------------------------------------------------------------

    async def _users_me(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bot {self.token}":
            return error_response(401, 0, "401: Unauthorized")
        return json_response(self.bot_user)

    async def _application(self, request: web.Request) -> web.Response:
        return json_response(
            {
                "id": self.app_id,
                "name": "sitrep",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": self.owner,
                "verify_key": "00",
                "flags": 0,
                "bot": self.bot_user,
            }
        )

    async def _gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return json_response({"url": self.ws_url, "shards": self.shard_count, "session_start_limit": limit})

    async def _gateway_plain(self, request: web.Request) -> web.Response:
        return json_response({"url": self.ws_url})

    # -- REST: commands ------------------------------------------------------------------------------

    async def _put_commands(self, request: web.Request) -> web.Response:
        body = request[BODY] or []
        gid = request.match_info.get("gid")
        where = f"PUT commands ({'guild ' + gid if gid else 'global'})"
        problems = [p for cmd in body for p in validate_command(cmd)]
        if len(body) > 100:
            problems.append(f"{len(body)} > 100 commands")
        if problems:
            return self._invalid_form(where, problems)
        out = []
        for cmd in body:
            # Discord answers every command with a description ("" for user and message commands).
            item = {
                "description": "",
                **cmd,
                "id": snowflake(),
                "application_id": self.app_id,
                "version": snowflake(),
            }
            item.setdefault("type", 1)
            if gid:
                item["guild_id"] = gid
            out.append(item)
        if gid:
            self.synced_guild[gid] = out
        else:
            self.synced_global = out
        return json_response(out)

    async def _get_commands(self, request: web.Request) -> web.Response:
        gid = request.match_info.get("gid")
        return json_response(self.synced_guild.get(gid, []) if gid else self.synced_global)

    # -- REST: channels ------------------------------------------------------------------------------

    def _guild_of_channel(self, cid: str) -> str | None:
        if cid in self.deleted_channels:
            return None
        return next((g for g, c in self.guilds.items() if c == cid), None) or self.channels.get(cid)

    async def _channel_message(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"]
        where = f"POST channel {cid} message"
        if request.headers.get("Authorization") != f"Bot {self.token}":
            return self._reject(where, 401, 0, "401: Unauthorized")
        gid = self._guild_of_channel(cid)
        if cid in self.forbidden_channels or (gid is None and cid not in self.dm_channels):
            # What Discord answers a bot that lacks Send Messages there, or for a deleted channel: the
            # bot finds out by posting, so it is no violation of the test's.
            status = 403 if cid in self.forbidden_channels else 404
            self.refused_posts.append((cid, status))
            if status == 403:
                return error_response(403, 50013, "Missing Permissions")
            return error_response(404, 10003, "Unknown Channel")
        body = request[BODY] or {}
        problems = validate_message(body)
        if problems:
            return self._invalid_form(where, problems)
        msg_type = 19 if body.get("message_reference") else 0
        msg = self._new_message(body, channel_id=cid, guild_id=gid, msg_type=msg_type)
        self.channel_messages.append(self._public(msg))
        await self.dispatch("MESSAGE_CREATE", self._public(msg))  # Discord echoes the bot's own messages
        return json_response(self._public(msg))

    async def _edit_channel_message(self, request: web.Request) -> web.Response:
        mid = request.match_info["mid"]
        where = f"PATCH channel message {mid}"
        if mid not in self.messages:
            return self._reject(where, 404, UNKNOWN_MESSAGE, "Unknown Message")
        body = request[BODY] or {}
        problems = validate_message(body, create=False)
        if problems:
            return self._invalid_form(where, problems)
        return json_response(self._public(self._edit_message(mid, body)))

    async def _create_dm(self, request: web.Request) -> web.Response:
        body = request[BODY] or {}
        user_id = str(body.get("recipient_id", ""))
        cid = next((c for c, u in self.dm_channels.items() if u == user_id), None) or snowflake()
        self.dm_channels[cid] = user_id
        user = {"id": user_id, "username": f"user{user_id}", "discriminator": "0", "avatar": None}
        return json_response({"id": cid, "type": 1, "last_message_id": None, "recipients": [user]})

    async def _typing(self, request: web.Request) -> web.Response:
        self.typing.append(request.match_info["cid"])
        return web.Response(status=204)

    async def _attachment(self, request: web.Request) -> web.Response:
        entry = self.attachments.get(request.match_info["aid"])
        if entry is None:
            return web.Response(status=404)
        data, ctype = entry
        return web.Response(body=data, headers={"Content-Type": ctype})

    async def _unknown(self, request: web.Request) -> web.Response:
        self.unknown_routes.append(f"{request.method} {request.path}")
        return error_response(404, 0, "404: Not Found")


def _content_type(data: bytes, sent: str) -> str:
    """What Discord reports for an upload: it reads images' types from their bytes (discord.py sends
    every file as application/octet-stream)."""
    return "image/png" if data.startswith(b"\x89PNG\r\n\x1a\n") else sent
