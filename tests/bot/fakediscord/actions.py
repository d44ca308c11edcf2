"""What a test makes a Discord user do: run a slash command, type into an autocomplete, press a button,
upload an attachment, mention the bot; and the option shapes commands take (``opt``, ``sub``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tests.bot.fakediscord.gateway import Gateway
from tests.bot.fakediscord.harness import wait_until
from tests.bot.fakediscord.protocol import MESSAGE_CONTENT_INTENT, snowflake
from tests.bot.fakediscord.records import Interaction
from tests.bot.fakediscord.threads import ThreadRoutes


class UserActions(Gateway, ThreadRoutes):
    """Interactions and messages, built as Discord would send them and dispatched over the gateway."""

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
        channel_id: str | None = None,
    ) -> Interaction:
        iid = snowflake()
        token = f"tok-{iid}"
        guild_id = guild_id if guild_id is not None else self.default_guild
        cid = channel_id or self.guilds[guild_id]
        payload: dict[str, Any] = {
            "id": iid,
            "application_id": self.app_id,
            "type": itype,
            "token": token,
            "version": 1,
            "guild_id": guild_id,
            "channel_id": cid,
            "channel": self.thread_payload(cid)
            if cid in self.threads
            else {"id": cid, "type": 0, "guild_id": guild_id, "name": "general", "position": 0},
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

    def add_channel(self, guild_id: str) -> str:
        """Another text channel in a server (sent with the server to clients that connect later)."""
        cid = snowflake()
        self.channels[cid] = guild_id
        return cid

    async def delete_channel(self, channel_id: str) -> None:
        """Delete a channel as a server admin would: clients are told, posts there are refused (404)."""
        guild_id = self._channel_guild(channel_id)
        self.deleted_channels.add(channel_id)
        await self.dispatch(
            "CHANNEL_DELETE", {"id": channel_id, "type": 0, "guild_id": guild_id, "name": "gone"}
        )

    def _channel_guild(self, channel_id: str) -> str | None:
        return next((g for g, c in self.guilds.items() if c == channel_id), None) or self.channels.get(
            channel_id
        )

    async def slash(
        self,
        name: str,
        options: list[dict[str, Any]] | None = None,
        *,
        member_permissions: str = "0",
        guild_id: str | None = None,
        user_id: str = "9001",
        resolved: dict[str, Any] | None = None,
        channel_id: str | None = None,
    ) -> Interaction:
        """Dispatch a chat-input command; ``options`` in Discord's shape (see ``opt`` and ``sub``);
        ``channel_id`` where it is typed (a thread's id, say), else the server's first channel."""
        data: dict[str, Any] = {
            "id": self._command_id(name),
            "name": name,
            "type": 1,
            "options": options or [],
        }
        if resolved:
            data["resolved"] = resolved
        it = self._base_interaction(
            2,
            data,
            guild_id=guild_id,
            user_id=user_id,
            member_permissions=member_permissions,
            channel_id=channel_id,
        )
        return await self._fire(it)

    async def message_command(
        self,
        name: str,
        target: dict[str, Any],
        *,
        content: str | None = None,
        user_id: str = "9001",
        member_permissions: str = "0",
    ) -> Interaction:
        """Run a message context-menu command (Apps → ``name``) on ``target``. Discord sends the target
        with its content in ``resolved.messages`` whatever the intents; ``content`` overrides what the
        fake stored (blank for a message that did not mention the bot)."""
        message = dict(self._public(self.messages.get(target["id"], target)))
        if content is not None:
            message["content"] = content
        data = {
            "id": self._command_id(name),
            "name": name,
            "type": 3,
            "target_id": message["id"],
            "resolved": {"messages": {message["id"]: message}},
        }
        it = self._base_interaction(
            2, data, guild_id=message.get("guild_id"), user_id=user_id, member_permissions=member_permissions
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
        return await self._component(message, data, user_id, member_permissions)

    async def choose(
        self,
        message: dict[str, Any],
        values: list[str],
        *,
        custom_id: str | None = None,
        user_id: str = "9001",
        member_permissions: str = "0",
    ) -> Interaction:
        """Pick ``values`` in a message's select menu (its first, or the one with ``custom_id``);
        Discord refuses values the menu does not offer, so the fake does too (AssertionError)."""
        message = self._public(self.messages.get(message["id"], message))
        menus = [c for c in self.buttons(message) if c.get("type") == 3]
        menu = next((m for m in menus if custom_id in (None, m.get("custom_id"))), None)
        assert menu is not None, f"no select menu {custom_id or ''} on message {message['id']}"
        offered = {o["value"] for o in menu.get("options") or []}
        assert set(values) <= offered, f"{values} not among the menu's options {sorted(offered)}"
        data = {"custom_id": menu["custom_id"], "component_type": 3, "values": values}
        return await self._component(message, data, user_id, member_permissions)

    async def _component(
        self, message: dict[str, Any], data: dict[str, Any], user_id: str, member_permissions: str
    ) -> Interaction:
        """A component interaction (type 3) on ``message``, from the channel the message is in."""
        it = self._base_interaction(
            3,
            data,
            guild_id=message.get("guild_id"),
            user_id=user_id,
            member_permissions=member_permissions,
            message=message,
            channel_id=message.get("channel_id"),
        )
        return await self._fire(it)

    async def submit_modal(
        self, opened_by: Interaction, values: dict[str, str], *, user_id: str = "9001"
    ) -> Interaction:
        """Send the form the bot answered ``opened_by`` with (callback type 9), its text inputs filled
        from ``values`` by their labels (left empty otherwise)."""
        modal = opened_by.modal
        assert modal is not None, f"interaction {opened_by.id} was not answered with a form"
        rows = []
        for row in modal.get("components") or []:
            inputs = row.get("components") or [row.get("component") or {}]
            for field in inputs:
                value = values.get(field.get("label") or "", "")
                rows.append(
                    {"type": 1, "components": [{"type": 4, "custom_id": field["custom_id"], "value": value}]}
                )
        data = {"custom_id": modal["custom_id"], "components": rows}
        it = self._base_interaction(
            5,
            data,
            guild_id=opened_by.guild_id,
            user_id=user_id,
            member_permissions="0",
        )
        return await self._fire(it)

    def add_attachment(self, filename: str, data: bytes, content_type: str = "text/plain") -> dict[str, Any]:
        """Serve ``data`` at a 127.0.0.1 URL; returns the attachment payload for ``resolved.attachments``."""
        return self.store_attachment(filename, data, content_type)

    async def mention_message(
        self,
        content: str,
        *,
        guild_id: str | None = None,
        user_id: str = "9001",
        mention_bot: bool = True,
        channel_id: str | None = None,
    ) -> dict[str, Any]:
        """A user's message (in ``channel_id``, a thread say, else the server's first channel); with
        ``mention_bot`` the content starts with the bot's mention.

        Without the MESSAGE_CONTENT intent Discord blanks ``content`` unless the message mentions the app.
        """
        guild_id = guild_id or self.default_guild
        if mention_bot:
            content = f"<@{self.bot_user['id']}> {content}"
        intents = (self.identify or {}).get("intents", 0)
        visible = mention_bot or bool(intents & MESSAGE_CONTENT_INTENT)
        msg = {
            "id": snowflake(),
            "channel_id": channel_id or self.guilds[guild_id],
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


def channel_resolved(channel_id: str, guild_id: str) -> dict[str, Any]:
    """The ``resolved`` data Discord sends with a channel option (type 7)."""
    return {
        "channels": {
            channel_id: {
                "id": channel_id,
                "type": 0,
                "name": f"channel-{channel_id}",
                "guild_id": guild_id,
                "permissions": "2147483647",
                "position": 1,
            }
        }
    }


def opt(name: str, value: Any, type: int = 3, *, focused: bool = False) -> dict[str, Any]:
    """A command option in Discord's shape (3 string, 4 integer, 11 attachment)."""
    out: dict[str, Any] = {"name": name, "type": type, "value": value}
    if focused:
        out["focused"] = True
    return out


def sub(name: str, *options: dict[str, Any], group: bool = False) -> dict[str, Any]:
    """A subcommand (type 1) or subcommand group (type 2) option."""
    return {"name": name, "type": 2 if group else 1, "options": list(options)}
