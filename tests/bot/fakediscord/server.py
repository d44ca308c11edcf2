"""``FakeDiscord``: the REST, interaction and gateway halves on one aiohttp app on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from aiohttp import web

from tests.bot.fakediscord.actions import UserActions
from tests.bot.fakediscord.interactions import InteractionRoutes
from tests.bot.fakediscord.rest import RestRoutes


class FakeDiscord(RestRoutes, InteractionRoutes, UserActions):
    """REST under ``/api/v10`` and a gateway at ``/gateway``; start with ``await fake.start()``.

    Options (keyword only, see ``FakeState``): ``token``, ``guilds`` (guild id -> its one text channel),
    ``ack_deadline``, ``token_ttl``, ``heartbeat_interval_ms``, ``message_content_allowed``, ``roles``,
    ``shard_count``.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
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
        r.add_post(api + "/channels/{cid}/messages/{mid}/threads", self._start_thread)
        r.add_post(api + "/users/@me/channels", self._create_dm)
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
