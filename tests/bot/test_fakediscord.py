"""The fake Discord, proven with a throwaway minimal discord.py bot (not the production bot).

Each test checks one rule the fake must enforce, so the end-to-end tests of the real bot can trust
``fake.violations == []`` to mean "Discord would have accepted all of this".
"""

from __future__ import annotations

import io
from typing import Any

import discord
import pytest
from discord import app_commands

from tests.bot.fakediscord import (
    ALREADY_ACKNOWLEDGED,
    INVALID_FORM_BODY,
    INVALID_WEBHOOK_TOKEN,
    UNKNOWN_INTERACTION,
    FakeDiscord,
    connected,
    opt,
    pings,
    validate_message,
    wait_until,
)


class MiniBot(discord.Client):
    """One command, ``/say``, whose behaviour each test sets through ``self.behaviour``."""

    def __init__(self, *, allowed_mentions: discord.AllowedMentions | None = None) -> None:
        super().__init__(
            intents=discord.Intents.default(),
            allowed_mentions=allowed_mentions
            if allowed_mentions is not None
            else discord.AllowedMentions.none(),
            guild_ready_timeout=0.05,
        )
        self.tree = app_commands.CommandTree(self)
        self.errors: list[BaseException] = []
        self.behaviour: Any = None
        self.messages: list[discord.Message] = []

        @self.tree.command()
        async def say(interaction: discord.Interaction, text: str) -> None:
            """Say something."""
            await self.behaviour(interaction, text)

        @self.tree.error
        async def on_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
            self.errors.append(getattr(error, "original", error))

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def on_message(self, message: discord.Message) -> None:
        self.messages.append(message)


def test_discord_py_attributes_the_fixture_patches_exist() -> None:
    """Guard: the fixture relies on these undocumented class attributes (doc §5.6)."""
    assert discord.__version__.startswith("2.7")
    assert isinstance(discord.http.Route.BASE, str)
    assert discord.http.Route.BASE.endswith("/api/v10")
    assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY).startswith("wss://")
    # The webhook adapter (interaction callbacks, followups) uses the very same Route class.
    import discord.webhook.async_ as webhook_async

    assert webhook_async.Route is discord.http.Route


async def test_login_connect_sync_and_a_reply(fake_discord: FakeDiscord) -> None:
    bot = MiniBot()

    async def reply(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(f"you said {text} @everyone")

    bot.behaviour = reply
    async with connected(bot, fake_discord):
        assert fake_discord.synced["say"]["description"] == "Say something."
        assert fake_discord.identify is not None
        assert not fake_discord.identify["intents"] & (1 << 15), "Intents.default() has no message content"
        it = await fake_discord.slash("say", [opt("text", "hi")])
        await wait_until(lambda: it.ack_type is not None, 30)
        assert it.ack_type == 4 and not it.errors
        assert fake_discord.current({"id": it.original_id})["content"] == "you said hi @everyone"
        assert it.ack_body is not None and it.ack_body["data"]["allowed_mentions"] == {"parse": []}
    assert bot.errors == []
    fake_discord.assert_clean()  # no ping: parse is empty


async def test_files_a_bot_sends_become_the_messages_attachments_with_their_bytes(
    fake_discord: FakeDiscord,
) -> None:
    bot = MiniBot()
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))  # binary: every byte value must come back as sent

    async def with_files(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send(text, file=discord.File(io.BytesIO(png), filename="chart.png"))
        await interaction.followup.send(
            "notes", file=discord.File(io.BytesIO(b"a,b\n"), filename="notes.csv")
        )

    bot.behaviour = with_files
    async with connected(bot, fake_discord):
        it = await fake_discord.slash("say", [opt("text", "hi")])
        await wait_until(lambda: len(it.followups) == 2, 30)
        # The first followup replaces the "thinking…" original: its file shows there.
        [chart] = fake_discord.current({"id": it.original_id})["attachments"]
        assert (chart["filename"], chart["content_type"], chart["size"]) == (
            "chart.png",
            "image/png",
            len(png),
        )
        assert fake_discord.attachment_data(chart) == png
        [notes] = fake_discord.current(it.followups[1])["attachments"]
        assert fake_discord.attachment_data(notes) == b"a,b\n"
        assert notes["content_type"] == "application/octet-stream"
    assert bot.errors == []
    fake_discord.assert_clean()


async def test_rejects_over_long_content(fake_discord: FakeDiscord) -> None:
    bot = MiniBot()

    async def too_long(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("x" * 2001)

    bot.behaviour = too_long
    async with connected(bot, fake_discord):
        it = await fake_discord.slash("say", [opt("text", "hi")])
        await wait_until(lambda: bot.errors, 30)
    assert isinstance(bot.errors[0], discord.HTTPException) and bot.errors[0].code == INVALID_FORM_BODY
    assert it.errors == [(400, INVALID_FORM_BODY)]
    assert any("content: 2001 > 2000" in v for v in fake_discord.violations)


async def test_rejects_missing_allowed_mentions_and_records_the_ping(fake_discord: FakeDiscord) -> None:
    bot = MiniBot()
    # A client without a default allowed_mentions sends none: Discord would then ping @everyone.
    bot._connection.allowed_mentions = None

    async def ping(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message("@everyone look")

    bot.behaviour = ping
    async with connected(bot, fake_discord):
        await fake_discord.slash("say", [opt("text", "hi")])
        await wait_until(lambda: bot.errors, 30)
    assert bot.errors[0].code == INVALID_FORM_BODY  # type: ignore[attr-defined]
    assert any("allowed_mentions: missing" in v for v in fake_discord.violations)
    assert pings({"content": "@everyone look"}) == ["@everyone"]


async def test_rejects_a_late_acknowledgement(fake_discord: FakeDiscord) -> None:
    fake_discord.ack_deadline = -1.0  # the real 3 s, already past: no waiting in the test
    bot = MiniBot()

    async def slow(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer(thinking=True)

    bot.behaviour = slow
    async with connected(bot, fake_discord):
        it = await fake_discord.slash("say", [opt("text", "hi")])
        await wait_until(lambda: bot.errors, 30)
    assert isinstance(bot.errors[0], discord.NotFound) and bot.errors[0].code == UNKNOWN_INTERACTION
    assert it.ack_type is None
    assert any("too late" in v for v in fake_discord.violations)


async def test_rejects_a_double_acknowledgement(fake_discord: FakeDiscord) -> None:
    """Two processes running with the same token both answer: the second gets 40060."""
    first, second = MiniBot(), MiniBot()

    async def defer(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer()

    first.behaviour = second.behaviour = defer
    async with connected(first, fake_discord), connected(second, fake_discord):
        it = await fake_discord.slash("say", [opt("text", "hi")])
        await wait_until(lambda: first.errors or second.errors, 30)
    errors = first.errors + second.errors
    assert len(errors) == 1 and isinstance(errors[0], discord.HTTPException)
    assert errors[0].code == ALREADY_ACKNOWLEDGED
    assert it.ack_type == 5
    assert any("already been acknowledged" in v for v in fake_discord.violations)


async def test_first_followup_replaces_the_deferred_original_and_later_ones_are_new(
    fake_discord: FakeDiscord,
) -> None:
    bot = MiniBot()

    async def two(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        first = await interaction.followup.send("one")
        second = await interaction.followup.send("two", ephemeral=True)
        assert first.id == (await interaction.original_response()).id
        assert second.id != first.id

    bot.behaviour = two
    async with connected(bot, fake_discord):
        it = await fake_discord.slash("say", [opt("text", "hi")])
        await wait_until(lambda: len(it.followups) == 2 or bot.errors, 30)
        await wait_until(lambda: fake_discord.requests_to("GET", "@original"), 30)
    assert bot.errors == []
    assert it.followups[0]["id"] == it.original_id and it.followups[0]["content"] == "one"
    assert it.followups[0]["flags"] & 64, "the defer made the original ephemeral"
    assert it.followups[1]["id"] != it.original_id
    fake_discord.assert_clean()


async def test_followup_after_token_expiry_is_refused(fake_discord: FakeDiscord) -> None:
    fake_discord.token_ttl = -1.0  # the real 15 minutes, already past (the acknowledgement has its own 3 s)
    bot = MiniBot()

    async def late(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("too late")

    bot.behaviour = late
    async with connected(bot, fake_discord):
        it = await fake_discord.slash("say", [opt("text", "hi")])
        await wait_until(lambda: bot.errors, 30)
    assert bot.errors[0].code == INVALID_WEBHOOK_TOKEN  # type: ignore[attr-defined]
    assert it.errors == [(401, INVALID_WEBHOOK_TOKEN)]


async def test_injected_429_on_the_followup_route_is_retried(fake_discord: FakeDiscord) -> None:
    fake_discord.inject_429("POST", r"^/webhooks/", retry_after=0.05)
    bot = MiniBot()

    async def answer(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("after the rate limit")

    bot.behaviour = answer
    async with connected(bot, fake_discord):
        it = await fake_discord.slash("say", [opt("text", "hi")])
        await wait_until(lambda: it.followups or bot.errors, 30)
    assert bot.errors == []
    assert len(fake_discord.rate_limited) == 1
    assert len(fake_discord.requests_to("POST", r"/webhooks/2000/")) == 2
    assert it.followups[0]["content"] == "after the rate limit"
    fake_discord.assert_clean()


async def test_unknown_routes_are_recorded(fake_discord: FakeDiscord) -> None:
    bot = MiniBot()
    async with connected(bot, fake_discord):
        with pytest.raises(discord.NotFound):
            await bot.http.get_message(4000, 1)
    assert fake_discord.unknown_routes == ["GET /api/v10/channels/4000/messages/1"]


async def test_buttons_route_by_message_id_and_custom_id(fake_discord: FakeDiscord) -> None:
    bot = MiniBot()
    pressed: list[str] = []

    class Counter(discord.ui.View):
        @discord.ui.button(label="More")
        async def more(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
            pressed.append(str(interaction.user.id))
            await interaction.response.edit_message(content=f"pressed {len(pressed)}")

    async def with_view(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("start", view=Counter())

    bot.behaviour = with_view
    async with connected(bot, fake_discord):
        it = await fake_discord.slash("say", [opt("text", "hi")])
        await wait_until(lambda: it.followups, 30)
        click = await fake_discord.click(it.followups[0], label="More", user_id="9002")
        await wait_until(lambda: click.ack_type is not None, 30)
    assert pressed == ["9002"] and click.ack_type == 7
    assert fake_discord.current(it.followups[0])["content"] == "pressed 1"
    fake_discord.assert_clean()


async def test_message_content_is_blank_without_the_intent_unless_the_bot_is_mentioned(
    fake_discord: FakeDiscord,
) -> None:
    bot = MiniBot()
    async with connected(bot, fake_discord):
        await fake_discord.mention_message("not for you", mention_bot=False)
        await fake_discord.mention_message("what happened?")
        await wait_until(lambda: len(bot.messages) == 2, 30)
    assert bot.messages[0].content == ""
    assert bot.messages[1].content == "<@1000> what happened?"
    assert bot.user in bot.messages[1].mentions


def test_validator_limits() -> None:
    ok = {"content": "x" * 2000, "allowed_mentions": {"parse": []}}
    assert validate_message(ok) == []
    embed = {"description": "d" * 4096}
    assert validate_message({"embeds": [embed], "allowed_mentions": {"parse": []}}) == []
    too_big = {
        "embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}],
        "allowed_mentions": {"parse": []},
    }
    assert any("6001" in p for p in validate_message(too_big))
    assert validate_message({"embeds": [{"description": "d" * 4097}], "allowed_mentions": {"parse": []}})
    fields = {"fields": [{"name": "n", "value": "v"}] * 26}
    assert validate_message({"embeds": [fields], "allowed_mentions": {"parse": []}})
    assert validate_message({"embeds": [{}] * 11, "allowed_mentions": {"parse": []}})
    row = {"type": 1, "components": [{"type": 2, "label": str(i), "custom_id": str(i)} for i in range(6)]}
    assert validate_message({"content": "x", "components": [row], "allowed_mentions": {"parse": []}})
    long_id = {"type": 1, "components": [{"type": 2, "label": "x", "custom_id": "c" * 101}]}
    assert validate_message({"content": "x", "components": [long_id], "allowed_mentions": {"parse": []}})
    assert validate_message({"content": "x", "allowed_mentions": {"parse": ["everyone"]}})
    assert validate_message({"content": "x", "allowed_mentions": {"parse": ["roles"]}})
    assert validate_message({"allowed_mentions": {"parse": []}}), "an empty message is refused"
