"""The fake gateway at ``/gateway``: HELLO, heartbeats, IDENTIFY (with shards), READY and GUILD_CREATE,
and dispatching events only to the connection of a guild's shard, as Discord does."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from aiohttp import WSMsgType, web

from tests.bot.fakediscord.protocol import INVALID_SHARD, MESSAGE_CONTENT_INTENT, shard_of
from tests.bot.fakediscord.records import Dispatch
from tests.bot.fakediscord.state import FakeState


class Gateway(FakeState):
    """The websocket half of the fake."""

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
                *(
                    {"id": c, "type": 0, "name": f"channel-{c}", "position": 1, "permission_overwrites": []}
                    for c, g in self.channels.items()
                    if g == gid and c not in self.threads
                ),
            ],
            # Active threads come with their server to a client that connects later (a restart).
            "threads": [
                self.thread_payload(t) for t, info in self.threads.items() if info["guild_id"] == gid
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
