"""The fake's interaction routes: the initial callback (3 s deadline, one acknowledgement), followups
and ``@original`` edits through the webhook token (15-minute lifetime)."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from tests.bot.fakediscord.protocol import (
    ALREADY_ACKNOWLEDGED,
    AUTOCOMPLETE_RESULT,
    BODY,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    EPHEMERAL,
    INVALID_WEBHOOK_TOKEN,
    LOADING,
    MODAL,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    UPDATE_MESSAGE,
    json_response,
)
from tests.bot.fakediscord.records import Interaction
from tests.bot.fakediscord.state import FakeState
from tests.bot.fakediscord.validation import validate_message, validate_modal


class InteractionRoutes(FakeState):
    """Interaction callbacks and webhook (followup) routes."""

    def _interaction_by_token(self, token: str) -> Interaction | None:
        return next((it for it in self.interactions.values() if it.token == token), None)

    def _check_token(self, where: str, token: str) -> Interaction | web.Response:
        it = self._interaction_by_token(token)
        if it is None:
            return self._reject(where, 404, UNKNOWN_WEBHOOK, "Unknown Webhook")
        if time.monotonic() - it.created_at > self.token_ttl:
            return self._reject(where, 401, INVALID_WEBHOOK_TOKEN, "Invalid Webhook Token", it)
        if it.ack_type is None:
            # BEST GUESS: Discord answers a followup before the initial response with Unknown Webhook.
            return self._reject(where, 404, UNKNOWN_WEBHOOK, "Unknown Webhook (not acknowledged yet)", it)
        return it

    async def _callback(self, request: web.Request) -> web.Response:
        iid, token = request.match_info["iid"], request.match_info["token"]
        body = request[BODY] or {}
        where = f"POST callback {iid}"
        it = self.interactions.get(iid)
        if it is None or it.token != token:
            return self._reject(where, 404, UNKNOWN_INTERACTION, "Unknown interaction")
        now = time.monotonic()
        if it.ack_type is not None:
            return self._reject(
                where, 400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged.", it
            )
        if now - it.created_at > self.ack_deadline:
            return self._reject(
                where, 404, UNKNOWN_INTERACTION, "Unknown interaction (acknowledged too late)", it
            )
        ctype = body.get("type")
        data = body.get("data") or {}
        flags = int(data.get("flags") or 0)
        allowed = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}.get(it.type, set())
        if ctype not in allowed:
            return self._invalid_form(
                where, [f"callback type {ctype} not valid for interaction type {it.type}"], it
            )
        if ctype in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
            problems = validate_message(data, create=ctype == CHANNEL_MESSAGE)
            if problems:
                return self._invalid_form(where, problems, it)
        if ctype == MODAL:
            problems = validate_modal(data)
            if problems:
                return self._invalid_form(where, problems, it)
        if ctype == DEFERRED_CHANNEL_MESSAGE and flags & ~EPHEMERAL:
            return self._invalid_form(where, ["a deferred response may only carry the EPHEMERAL flag"], it)
        if ctype == AUTOCOMPLETE_RESULT:
            choices = data.get("choices") or []
            problems = [f"{len(choices)} > 25 choices"] if len(choices) > 25 else []
            problems += [
                f"choice name {c.get('name')!r} not 1-100 characters"
                for c in choices
                if not 1 <= len(c.get("name") or "") <= 100
            ]
            if problems:
                return self._invalid_form(where, problems, it)
            it.choices = choices

        it.ack_type, it.ack_at, it.ack_body = ctype, now, body
        it.ephemeral = bool(flags & EPHEMERAL)
        message: dict[str, Any] | None = None
        if ctype in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
            msg_type = 20 if it.type == 2 else 0
            msg_flags = (EPHEMERAL if it.ephemeral else 0) | (
                LOADING if ctype == DEFERRED_CHANNEL_MESSAGE else 0
            )
            payload = data if ctype == CHANNEL_MESSAGE else {"content": ""}
            if ctype == DEFERRED_CHANNEL_MESSAGE:
                # The "thinking…" message is Discord's, not the bot's: no mention parsing, no pings.
                payload = {"content": "", "allowed_mentions": {"parse": []}}
            message = self._new_message(
                payload,
                channel_id=it.channel_id,
                guild_id=it.guild_id,
                msg_type=msg_type,
                webhook=True,
                flags=msg_flags,
            )
            it.original_id = message["id"]
            it.loading = ctype == DEFERRED_CHANNEL_MESSAGE
        elif ctype in (UPDATE_MESSAGE, DEFERRED_UPDATE_MESSAGE):
            mid = (it.payload.get("message") or {}).get("id")
            it.original_id = mid
            if ctype == UPDATE_MESSAGE and mid in self.messages:
                message = self._edit_message(mid, data)
        elif ctype == MODAL:
            it.modal = data

        result: dict[str, Any] = {
            "interaction": {
                "id": iid,
                "type": it.type,
                "response_message_loading": ctype == DEFERRED_CHANNEL_MESSAGE,
                "response_message_ephemeral": it.ephemeral,
            }
        }
        if it.original_id and ctype in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, UPDATE_MESSAGE):
            result["interaction"]["response_message_id"] = it.original_id
        if ctype in (CHANNEL_MESSAGE, UPDATE_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE):
            result["resource"] = {"type": ctype}
            if message is not None and ctype in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
                result["resource"]["message"] = self._public(message)
        return json_response(result)

    async def _followup(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        where = "POST followup"
        checked = self._check_token(where, token)
        if isinstance(checked, web.Response):
            return checked
        it = checked
        body = request[BODY] or {}
        problems = validate_message(body)
        if problems:
            return self._invalid_form(where, problems, it)
        flags = int(body.get("flags") or 0)
        if it.loading and it.original_id in self.messages:
            # The first followup after a deferred response replaces the "thinking…" original
            # (receiving-and-responding.mdx:470-478); its ephemerality was fixed by the defer.
            it.loading = False
            msg = self._edit_message(it.original_id, body)
        else:
            msg = self._new_message(
                body, channel_id=it.channel_id, guild_id=it.guild_id, webhook=True, flags=flags & EPHEMERAL
            )
        it.followups.append(self._public(msg))
        return json_response(self._public(msg))

    def _resolve_mid(self, it: Interaction, mid: str) -> str | None:
        if mid == "@original":
            return it.original_id
        return mid if mid in self.messages else None

    def _webhook_message(
        self, request: web.Request, verb: str
    ) -> tuple[str, Interaction, str] | web.Response:
        """(where, interaction, message id) of a webhook-message route, or the rejection to send."""
        where = f"{verb} webhook message {request.match_info['mid']}"
        checked = self._check_token(where, request.match_info["token"])
        if isinstance(checked, web.Response):
            return checked
        mid = self._resolve_mid(checked, request.match_info["mid"])
        if mid is None or mid not in self.messages:
            return self._reject(where, 404, UNKNOWN_MESSAGE, "Unknown Message", checked)
        return where, checked, mid

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        found = self._webhook_message(request, "GET")
        if isinstance(found, web.Response):
            return found
        _, _, mid = found
        return json_response(self._public(self.messages[mid]))

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        found = self._webhook_message(request, "PATCH")
        if isinstance(found, web.Response):
            return found
        where, it, mid = found
        body = request[BODY] or {}
        problems = validate_message(body, create=False)
        if problems:
            return self._invalid_form(where, problems, it)
        if request.match_info["mid"] == "@original":
            it.loading = False
            it.original_edits.append(body)
        msg = self._edit_message(mid, body)
        return json_response(self._public(msg))

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        found = self._webhook_message(request, "DELETE")
        if isinstance(found, web.Response):
            return found
        _, it, mid = found
        self.messages[mid]["deleted"] = True
        if request.match_info["mid"] == "@original":
            it.loading = False
            it.original_id = None
        return web.Response(status=204)
