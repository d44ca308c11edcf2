"""The fake's threads: starting a public thread from a message (``POST /channels/{id}/messages/{id}/threads``)
and what Discord refuses there (a second thread on one message, a thread in a thread, a bad name)."""

from __future__ import annotations

from aiohttp import web

from tests.bot.fakediscord.protocol import BODY, UNKNOWN_MESSAGE, error_response, json_response
from tests.bot.fakediscord.state import FakeState

ARCHIVE_MINUTES = (60, 1440, 4320, 10080)
THREAD_ALREADY_CREATED = 160004  # opcodes-and-status-codes.mdx


class ThreadRoutes(FakeState):
    """Threads started from messages; a thread is a channel of its server (messages, interactions)."""

    async def _start_thread(self, request: web.Request) -> web.Response:
        cid, mid = request.match_info["cid"], request.match_info["mid"]
        where = f"POST thread from message {mid}"
        if request.headers.get("Authorization") != f"Bot {self.token}":
            return self._reject(where, 401, 0, "401: Unauthorized")
        message = self.messages.get(mid)
        if message is None or message.get("channel_id") != cid:
            return self._reject(where, 404, UNKNOWN_MESSAGE, "Unknown Message")
        if cid in self.threads:
            return self._invalid_form(where, ["a thread can't be started inside a thread"])
        if message.get("thread"):
            return error_response(
                400, THREAD_ALREADY_CREATED, "A thread has already been created for this message"
            )
        body = request[BODY] or {}
        name = body.get("name") or ""
        minutes = body.get("auto_archive_duration", 4320)
        problems = [] if 1 <= len(name) <= 100 else [f"thread name: {len(name)} characters (must be 1-100)"]
        if minutes not in ARCHIVE_MINUTES:
            problems.append(f"auto_archive_duration {minutes} not one of {ARCHIVE_MINUTES}")
        if problems:
            return self._invalid_form(where, problems)
        thread_id = mid  # Discord gives a thread started from a message that message's id
        guild_id = message.get("guild_id")
        self.threads[thread_id] = {
            "guild_id": guild_id,
            "parent_id": cid,
            "name": name,
            "auto_archive_duration": minutes,
            "starter": mid,
        }
        self.channels[thread_id] = str(guild_id)
        thread = self.thread_payload(thread_id)
        message["thread"] = thread
        await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        return json_response(thread)
