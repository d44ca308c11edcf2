"""A fake Discord (REST + gateway) on 127.0.0.1 that the real discord.py client connects to.

The fake records every request, answers what discord.py 2.7 calls (see ``/work/shared/discord-testing.md`` §5)
and rejects what real Discord would reject: over-long messages and embeds, missing ``allowed_mentions``,
late (> 3 s) or double acknowledgements, followups after the interaction token expired. Each rejection is
also appended to ``violations`` so a test can fail on it even when the bot swallows the HTTP error, and
every unknown route is answered 404 and appended to ``unknown_routes``.

Semantics that are a best guess rather than documented are marked ``BEST GUESS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

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

BODY = web.RequestKey("body", object)
COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")
_ids = itertools.count(1)


def snowflake() -> str:
    """A time-based snowflake, unique within the process."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return str((ms << 22) | (next(_ids) & 0x3FFFFF))


def shard_of(guild_id: str | int, shard_count: int) -> int:
    """The shard Discord sends a guild's events on (developers/events/gateway.mdx, "Sharding")."""
    return (int(guild_id) >> 22) % shard_count


@dataclass
class Dispatch:
    """One event the fake sent: on which connection's shard (None: an unsharded connection), about which guild."""

    shard: int | None
    event: str
    guild_id: str | None


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


# ----------------------------------------------------------------------------------------------------
# Validation: what real Discord answers 400 / 50035 to (message.mdx, components/reference.mdx)
# ----------------------------------------------------------------------------------------------------

EMBED_LIMITS = {"title": 256, "description": 4096}
MAX_EMBEDS = 10
MAX_FIELDS = 25
MAX_EMBED_TOTAL = 6000
MAX_CONTENT = 2000


def embed_length(embed: dict[str, Any]) -> int:
    """The characters Discord counts towards the 6000 per-message total."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for f in embed.get("fields") or []:
        total += len(f.get("name") or "") + len(f.get("value") or "")
    return total


def _valid_url(url: Any) -> bool:
    return isinstance(url, str) and re.match(r"^https?://[^\s]+$", url) is not None and len(url) <= 2048


def validate_embed(embed: dict[str, Any], where: str) -> list[str]:
    problems = []
    for key, limit in EMBED_LIMITS.items():
        value = embed.get(key)
        if value is not None and len(value) > limit:
            problems.append(f"{where}.{key}: {len(value)} > {limit} characters")
    footer = (embed.get("footer") or {}).get("text")
    if footer is not None and len(footer) > 2048:
        problems.append(f"{where}.footer.text: {len(footer)} > 2048")
    author = (embed.get("author") or {}).get("name")
    if author is not None and len(author) > 256:
        problems.append(f"{where}.author.name: {len(author)} > 256")
    fields = embed.get("fields") or []
    if len(fields) > MAX_FIELDS:
        problems.append(f"{where}.fields: {len(fields)} > {MAX_FIELDS}")
    for i, f in enumerate(fields):
        name, value = f.get("name") or "", f.get("value") or ""
        if not name.strip() or len(name) > 256:
            problems.append(f"{where}.fields[{i}].name: must be 1-256 characters (got {len(name)})")
        if not value.strip() or len(value) > 1024:
            problems.append(f"{where}.fields[{i}].value: must be 1-1024 characters (got {len(value)})")
    for key in ("url",):
        if key in embed and embed[key] is not None and not _valid_url(embed[key]):
            problems.append(f"{where}.{key}: not a valid http(s) URL: {embed[key]!r}")
    if "author" in embed and (embed["author"] or {}).get("url") and not _valid_url(embed["author"]["url"]):
        problems.append(f"{where}.author.url: not a valid URL")
    return problems


def validate_components(rows: list[dict[str, Any]]) -> list[str]:
    problems = []
    if len(rows) > 5:
        problems.append(f"components: {len(rows)} > 5 action rows")
    custom_ids: set[str] = set()
    for r, row in enumerate(rows):
        if row.get("type") != 1:
            problems.append(f"components[{r}]: top level must be an action row (type 1)")
            continue
        children = row.get("components") or []
        if not 1 <= len(children) <= 5:
            problems.append(f"components[{r}]: {len(children)} components (must be 1-5)")
        for c, comp in enumerate(children):
            where = f"components[{r}].components[{c}]"
            if comp.get("type") == 2:
                label = comp.get("label") or ""
                if len(label) > 80:
                    problems.append(f"{where}.label: {len(label)} > 80")
                if not label and not comp.get("emoji"):
                    problems.append(f"{where}: a button needs a label or an emoji")
                if comp.get("style") == 5:
                    if not _valid_url(comp.get("url")):
                        problems.append(f"{where}.url: a link button needs a valid url")
                    continue
            cid = comp.get("custom_id")
            if not isinstance(cid, str) or not 1 <= len(cid) <= 100:
                problems.append(f"{where}.custom_id: must be 1-100 characters")
            elif cid in custom_ids:
                problems.append(f"{where}.custom_id: duplicate {cid!r}")
            else:
                custom_ids.add(cid)
    return problems


def validate_message(payload: dict[str, Any], *, create: bool = True) -> list[str]:
    """Everything Discord would reject in a message create/edit payload (empty list: valid).

    ``create`` adds the rules that apply to new messages only (not empty, allowed_mentions given).
    """
    problems: list[str] = []
    content = payload.get("content")
    if content is not None:
        if not isinstance(content, str):
            problems.append("content: not a string")
        elif len(content) > MAX_CONTENT:
            problems.append(f"content: {len(content)} > {MAX_CONTENT} characters")
    embeds = payload.get("embeds") or []
    if len(embeds) > MAX_EMBEDS:
        problems.append(f"embeds: {len(embeds)} > {MAX_EMBEDS}")
    for i, embed in enumerate(embeds):
        problems += validate_embed(embed, f"embeds[{i}]")
    total = sum(embed_length(e) for e in embeds)
    if total > MAX_EMBED_TOTAL:
        problems.append(f"embeds: {total} characters in all > {MAX_EMBED_TOTAL}")
    problems += validate_components(payload.get("components") or [])
    if create and not (content or embeds or payload.get("components") or payload.get("attachments")):
        problems.append("empty message (no content, embeds, components or files)")
    # Our own rule (stricter than Discord): every payload that carries content must say who may be pinged.
    if create or "content" in payload:
        mentions = payload.get("allowed_mentions")
        if not isinstance(mentions, dict):
            problems.append("allowed_mentions: missing (Discord would parse every mention in the content)")
        else:
            for kind in ("everyone", "roles"):
                if kind in (mentions.get("parse") or []):
                    problems.append(f"allowed_mentions.parse contains {kind!r}")
    return problems


def pings(payload: dict[str, Any]) -> list[str]:
    """Who Discord would notify for this message, given its content and allowed_mentions."""
    content = payload.get("content") or ""
    mentions = payload.get("allowed_mentions")
    if mentions is None:  # Discord's default: parse everything in the content
        mentions = {"parse": ["users", "roles", "everyone"]}
    parse = set(mentions.get("parse") or [])
    users = set(mentions.get("users") or [])
    roles = set(mentions.get("roles") or [])
    found = []
    for m in re.finditer(r"@(everyone|here)", content):
        if "everyone" in parse:
            found.append("@" + m.group(1))
    for m in re.finditer(r"<@!?(\d+)>", content):
        if "users" in parse or m.group(1) in users:
            found.append("user:" + m.group(1))
    for m in re.finditer(r"<@&(\d+)>", content):
        if "roles" in parse or m.group(1) in roles:
            found.append("role:" + m.group(1))
    return found


def validate_command(cmd: dict[str, Any]) -> list[str]:
    """Application command limits (application-commands.mdx)."""
    problems = []
    name = cmd.get("name") or ""
    if not COMMAND_NAME.match(name) or name != name.lower():
        problems.append(f"command name {name!r} invalid")
    desc = cmd.get("description") or ""
    if cmd.get("type", 1) == 1 and not 1 <= len(desc) <= 100:
        problems.append(f"/{name}: description must be 1-100 characters")

    def walk(options: list[dict[str, Any]], path: str) -> None:
        if len(options) > 25:
            problems.append(f"{path}: {len(options)} > 25 options")
        for opt in options:
            oname = opt.get("name") or ""
            if not COMMAND_NAME.match(oname):
                problems.append(f"{path} {oname!r}: invalid option name")
            if not 1 <= len(opt.get("description") or "") <= 100:
                problems.append(f"{path} {oname}: description must be 1-100 characters")
            if len(opt.get("choices") or []) > 25:
                problems.append(f"{path} {oname}: > 25 choices")
            walk(opt.get("options") or [], f"{path} {oname}")

    walk(cmd.get("options") or [], "/" + name)
    if len(json.dumps(cmd)) > 8000:
        problems.append(f"/{name}: over 8000 characters")
    return problems


# ----------------------------------------------------------------------------------------------------
# Records
# ----------------------------------------------------------------------------------------------------


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


# ----------------------------------------------------------------------------------------------------
# The server
# ----------------------------------------------------------------------------------------------------


class FakeDiscord:
    """REST under ``/api/v10`` and a gateway at ``/gateway``; start with ``await fake.start()``."""

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
        self._inject: list[dict[str, Any]] = []
        self._sockets: list[web.WebSocketResponse] = []
        # Identified connections -> their (shard id, shard count); None for an unsharded connection.
        self._shards: dict[web.WebSocketResponse, tuple[int, int] | None] = {}
        self._seqs: dict[web.WebSocketResponse, int] = {}  # sequence numbers are per session
        self._identified = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self.ws_url = ""

        self.app = web.Application(middlewares=[self._record])
        r = self.app.router
        r.add_get("/gateway", self._gateway)
        r.add_get("/attachments/{aid}/{filename}", self._attachment)
        api = "/api/v10"
        r.add_get(api + "/users/@me", self._users_me)
        r.add_get(api + "/oauth2/applications/@me", self._application)
        r.add_get(api + "/gateway/bot", self._gateway_bot)
        r.add_get(api + "/gateway", self._gateway_plain)
        for path in ("/applications/{app}/commands", "/applications/{app}/guilds/{gid}/commands"):
            r.add_put(api + path, self._put_commands)
            r.add_get(api + path, self._get_commands)
        r.add_post(api + "/interactions/{iid}/{token}/callback", self._callback)
        r.add_post(api + "/webhooks/{app}/{token}", self._followup)
        r.add_get(api + "/webhooks/{app}/{token}/messages/{mid}", self._get_webhook_message)
        r.add_patch(api + "/webhooks/{app}/{token}/messages/{mid}", self._edit_webhook_message)
        r.add_delete(api + "/webhooks/{app}/{token}/messages/{mid}", self._delete_webhook_message)
        r.add_post(api + "/channels/{cid}/messages", self._channel_message)
        r.add_patch(api + "/channels/{cid}/messages/{mid}", self._edit_channel_message)
        r.add_post(api + "/channels/{cid}/typing", self._typing)
        r.add_route("*", "/{tail:.*}", self._unknown)

    # -- lifecycle -----------------------------------------------------------------------------------

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.ws_url = f"ws://127.0.0.1:{port}/gateway"

    async def close(self) -> None:
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 2)
        if self._runner is not None:
            await asyncio.wait_for(self._runner.cleanup(), 5)

    @property
    def api_base(self) -> str:
        return self.base_url + "/api/v10"

    # -- recording -----------------------------------------------------------------------------------

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
            "attachments": [],
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
        msg["flags"] &= ~LOADING
        msg["edited_timestamp"] = "2024-01-01T00:00:01+00:00"
        msg.setdefault("edits", []).append(body)
        self.pinged += pings(body)
        return msg

    @staticmethod
    def _public(msg: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in msg.items() if k != "edits"}

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
            item = {**cmd, "id": snowflake(), "application_id": self.app_id, "version": snowflake()}
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

    @property
    def synced(self) -> dict[str, dict[str, Any]]:
        """Every synced command by name (global, then guild commands)."""
        out = {c["name"]: c for c in self.synced_global}
        for cmds in self.synced_guild.values():
            out.update({c["name"]: c for c in cmds})
        return out

    # -- REST: interactions --------------------------------------------------------------------------

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

    # -- REST: channels ------------------------------------------------------------------------------

    def _guild_of_channel(self, cid: str) -> str | None:
        return next((g for g, c in self.guilds.items() if c == cid), None)

    async def _channel_message(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"]
        where = f"POST channel {cid} message"
        if request.headers.get("Authorization") != f"Bot {self.token}":
            return self._reject(where, 401, 0, "401: Unauthorized")
        gid = self._guild_of_channel(cid)
        if gid is None:
            return self._reject(where, 404, 10003, "Unknown Channel")
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

    # -- gateway -------------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        try:
            await ws.send_str(
                json.dumps(
                    {"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None}
                )
            )
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                op = frame.get("op")
                if op == 1:
                    self.heartbeats.append(time.monotonic())
                    await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
                elif op == 2:
                    await self._on_identify(ws, frame["d"])
                elif op == 6:
                    await self._send(ws, "RESUMED", {})
        finally:
            self._sockets.remove(ws)
            self._shards.pop(ws, None)
            self._seqs.pop(ws, None)
        return ws

    async def _on_identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        self.identify = data
        self.identifies.append(data)
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        if data.get("intents", 0) & MESSAGE_CONTENT_INTENT and not self.message_content_allowed:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard = data.get("shard")
        if shard is not None:
            shard_id, count = shard
            if not 0 <= shard_id < count:
                await ws.close(code=INVALID_SHARD, message=b"Invalid shard.")
                return
            shard = (shard_id, count)
        self._shards[ws] = shard
        own = {g: c for g, c in self.guilds.items() if self._receives(ws, g)}
        ready: dict[str, Any] = {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": g, "unavailable": True} for g in own],
            "session_id": f"session-{len(self.identifies)}",
            "resume_gateway_url": self.ws_url,
            "application": {"id": self.app_id, "flags": 0},
            "private_channels": [],
            "relationships": [],
        }
        if shard is not None:
            ready["shard"] = list(shard)
        await self._send(ws, "READY", ready)
        for gid, cid in own.items():
            await self._send(ws, "GUILD_CREATE", self._guild_payload(gid, cid))
        self._identified.set()

    def _receives(self, ws: web.WebSocketResponse, guild_id: str | None) -> bool:
        """Whether an identified connection gets a guild's events (DMs, ``None``, go to shard 0)."""
        shard = self._shards[ws]
        if shard is None:
            return True
        shard_id, count = shard
        return shard_id == (0 if guild_id is None else shard_of(guild_id, count))

    def _guild_payload(self, gid: str, cid: str) -> dict[str, Any]:
        return {
            "id": gid,
            "name": f"Guild {gid}",
            "unavailable": False,
            "member_count": 2,
            "owner_id": self.owner["id"],
            "roles": [{"id": gid, "name": "@everyone", "permissions": "0", "position": 0}]
            + [
                {"id": rid, "name": name, "permissions": "0", "position": n + 1}
                for n, (rid, name) in enumerate(self.roles.items())
            ],
            "channels": [
                {"id": cid, "type": 0, "name": "general", "position": 0, "permission_overwrites": []},
            ],
            "members": [
                {"user": self.bot_user, "roles": [], "flags": 0, "joined_at": "2024-01-01T00:00:00+00:00"},
            ],
            "features": [],
            "emojis": [],
            "stickers": [],
        }

    async def _send(self, ws: web.WebSocketResponse, event: str, data: Any) -> None:
        self._seqs[ws] = seq = self._seqs.get(ws, 0) + 1
        await ws.send_str(json.dumps({"op": 0, "t": event, "s": seq, "d": data}))

    async def dispatch(self, event: str, data: Any) -> None:
        """Send a dispatch event to every identified connection that gets its guild's events.

        As on Discord, a guild's events go only to the connection of its shard (every unsharded
        connection gets all of them); each delivery is recorded in ``dispatched``.
        """
        guild_id = data.get("guild_id") if isinstance(data, dict) else None
        for ws, shard in list(self._shards.items()):
            if not ws.closed and self._receives(ws, guild_id):
                self.dispatched.append(Dispatch(None if shard is None else shard[0], event, guild_id))
                await self._send(ws, event, data)

    def shards_connected(self) -> list[tuple[int, int] | None]:
        """The (shard id, count) of every identified connection (None: unsharded), sorted."""
        return sorted(self._shards.values(), key=lambda s: (-1, 0) if s is None else s)

    async def wait_identified(self, timeout: float = 5.0) -> None:
        await asyncio.wait_for(self._identified.wait(), timeout)

    # -- test helpers --------------------------------------------------------------------------------

    def user(self, user_id: str = "9001", name: str | None = None) -> dict[str, Any]:
        return {
            "id": user_id,
            "username": name or f"user{user_id}",
            "discriminator": "0",
            "avatar": None,
            "global_name": None,
        }

    def _base_interaction(
        self,
        itype: int,
        data: dict[str, Any],
        *,
        guild_id: str | None,
        user_id: str,
        member_permissions: str,
        message: dict[str, Any] | None = None,
    ) -> Interaction:
        iid = snowflake()
        token = f"tok-{iid}"
        guild_id = guild_id if guild_id is not None else self.default_guild
        cid = self.guilds[guild_id]
        payload: dict[str, Any] = {
            "id": iid,
            "application_id": self.app_id,
            "type": itype,
            "token": token,
            "version": 1,
            "guild_id": guild_id,
            "channel_id": cid,
            "channel": {"id": cid, "type": 0, "guild_id": guild_id, "name": "general", "position": 0},
            "member": {
                "user": self.user(user_id),
                "roles": list(self.member_roles.get(user_id, [])),
                "flags": 0,
                "joined_at": "2024-01-01T00:00:00+00:00",
                "permissions": member_permissions,
            },
            "app_permissions": "2147483647",
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": guild_id},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
            "data": data,
        }
        if message is not None:
            payload["message"] = message
        it = Interaction(iid, token, itype, payload, 0.0, cid, guild_id)
        self.interactions[iid] = it
        return it

    async def _fire(self, it: Interaction) -> Interaction:
        it.created_at = time.monotonic()
        await self.dispatch("INTERACTION_CREATE", it.payload)
        return it

    def _command_id(self, name: str) -> str:
        cmd = self.synced.get(name)
        return cmd["id"] if cmd else snowflake()

    async def slash(
        self,
        name: str,
        options: list[dict[str, Any]] | None = None,
        *,
        member_permissions: str = "0",
        guild_id: str | None = None,
        user_id: str = "9001",
        resolved: dict[str, Any] | None = None,
    ) -> Interaction:
        """Dispatch a chat-input command; ``options`` in Discord's shape (see ``opt`` and ``sub``)."""
        data: dict[str, Any] = {
            "id": self._command_id(name),
            "name": name,
            "type": 1,
            "options": options or [],
        }
        if resolved:
            data["resolved"] = resolved
        it = self._base_interaction(
            2, data, guild_id=guild_id, user_id=user_id, member_permissions=member_permissions
        )
        return await self._fire(it)

    async def autocomplete(
        self,
        name: str,
        options: list[dict[str, Any]],
        *,
        guild_id: str | None = None,
        user_id: str = "9001",
        member_permissions: str = "0",
    ) -> Interaction:
        """Dispatch an autocomplete interaction; mark the option being typed with ``"focused": True``."""
        data = {"id": self._command_id(name), "name": name, "type": 1, "options": options}
        it = self._base_interaction(
            4, data, guild_id=guild_id, user_id=user_id, member_permissions=member_permissions
        )
        return await self._fire(it)

    async def click(
        self,
        message: dict[str, Any],
        custom_id: str | None = None,
        *,
        label: str | None = None,
        user_id: str = "9001",
        member_permissions: str = "0",
    ) -> Interaction:
        """Press a button on a message the fake returned (by ``custom_id`` or by ``label``)."""
        message = self._public(self.messages.get(message["id"], message))
        if custom_id is None:
            custom_id = self.custom_id(message, label or "")
        data = {"custom_id": custom_id, "component_type": 2}
        it = self._base_interaction(
            3,
            data,
            guild_id=message.get("guild_id"),
            user_id=user_id,
            member_permissions=member_permissions,
            message=message,
        )
        return await self._fire(it)

    @staticmethod
    def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
        return [c for row in message.get("components") or [] for c in row.get("components") or []]

    def custom_id(self, message: dict[str, Any], label: str) -> str:
        for button in self.buttons(message):
            if button.get("label") == label or (button.get("emoji") or {}).get("name") == label:
                return str(button["custom_id"])
        raise AssertionError(f"no button {label!r} on message {message['id']}: {self.buttons(message)}")

    def add_attachment(self, filename: str, data: bytes, content_type: str = "text/plain") -> dict[str, Any]:
        """Serve ``data`` at a 127.0.0.1 URL; returns the attachment payload for ``resolved.attachments``."""
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

    async def mention_message(
        self,
        content: str,
        *,
        guild_id: str | None = None,
        user_id: str = "9001",
        mention_bot: bool = True,
    ) -> dict[str, Any]:
        """A user's message; with ``mention_bot`` the content starts with the bot's mention.

        Without the MESSAGE_CONTENT intent Discord blanks ``content`` unless the message mentions the app.
        """
        guild_id = guild_id or self.default_guild
        if mention_bot:
            content = f"<@{self.bot_user['id']}> {content}"
        intents = (self.identify or {}).get("intents", 0)
        visible = mention_bot or bool(intents & MESSAGE_CONTENT_INTENT)
        msg = {
            "id": snowflake(),
            "channel_id": self.guilds[guild_id],
            "guild_id": guild_id,
            "type": 0,
            "content": content if visible else "",
            "author": self.user(user_id),
            "member": {"roles": [], "flags": 0, "joined_at": "2024-01-01T00:00:00+00:00"},
            "embeds": [],
            "attachments": [],
            "mentions": [self.bot_user] if mention_bot else [],
            "mention_roles": [],
            "mention_everyone": False,
            "components": [],
            "flags": 0,
            "pinned": False,
            "tts": False,
            "timestamp": "2024-01-01T00:00:00+00:00",
            "edited_timestamp": None,
        }
        self.messages[msg["id"]] = msg
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def wait_until(self, pred: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
        return await wait_until(pred, timeout, what)

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


async def wait_until(pred: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    """Poll ``pred`` until it returns something truthy (returned), or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or pred}")
        await asyncio.sleep(0.01)


@contextlib.asynccontextmanager
async def connected(client: Any, fake: FakeDiscord, timeout: float = 10.0) -> AsyncIterator[Any]:
    """Log ``client`` (a discord.py Client) in to ``fake``, connect it, and close it afterwards."""
    await asyncio.wait_for(client.login(fake.token), timeout)
    task = asyncio.create_task(client.connect(reconnect=False))
    try:
        ready = asyncio.create_task(client.wait_until_ready())
        done, _ = await asyncio.wait({ready, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            if task in done:
                task.result()  # raise the connection error
            raise AssertionError("the client did not become ready")
        yield client
    finally:
        await asyncio.wait_for(client.close(), timeout)
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout)


def opt(name: str, value: Any, type: int = 3, *, focused: bool = False) -> dict[str, Any]:
    """A command option in Discord's shape (3 string, 4 integer, 11 attachment)."""
    out: dict[str, Any] = {"name": name, "type": type, "value": value}
    if focused:
        out["focused"] = True
    return out


def sub(name: str, *options: dict[str, Any], group: bool = False) -> dict[str, Any]:
    """A subcommand (type 1) or subcommand group (type 2) option."""
    return {"name": name, "type": 2 if group else 1, "options": list(options)}
