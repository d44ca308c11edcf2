"""End to end, hostile users: role-restricted source management, binary uploads, odd questions, per-server data."""

from __future__ import annotations

import pytest

from bot.client import SitrepBot
from tests.bot.fakediscord import FakeDiscord, opt
from tests.bot.helpers import GUILD_A, GUILD_B, add_file, ask, done, reply_of, source, text_of
from tests.index.test_bad_input import _elf, _png, _zip

pytestmark = [pytest.mark.e2e, pytest.mark.model]

EDITORS = "5555"


@pytest.mark.fake_discord(roles={EDITORS: "Source editors", "5556": "Readers"})
@pytest.mark.bot_settings(source_roles=EDITORS)
async def test_only_the_configured_roles_may_manage_sources(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    fake_discord.member_roles = {"9002": [EDITORS], "9003": ["5556"]}
    for user in ("9001", "9003"):  # Manage Messages, but no editor role
        it = await source(fake_discord, "remove", opt("source", "999"), user_id=user)
        assert it.ephemeral, user
        assert "one of the bot's source roles" in text_of(reply_of(fake_discord, it))
    editor = await source(fake_discord, "remove", opt("source", "999"), user_id="9002")
    assert "no source #999 in this server" in text_of(reply_of(fake_discord, editor))
    admin = await source(
        fake_discord, "remove", opt("source", "999"), user_id="9001", permissions=str(1 << 3)
    )
    assert "no source #999 in this server" in text_of(reply_of(fake_discord, admin))  # administrators may


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (_png(), "a PNG image"),
        (_zip(), "a ZIP archive (or an Office document)"),
        (_elf(), "an ELF executable"),
    ],
)
async def test_binary_files_renamed_txt_are_refused_by_content(
    fake_discord: FakeDiscord, sitrep: SitrepBot, data: bytes, kind: str
) -> None:
    it = await add_file(fake_discord, "report.txt", data)
    shown = text_of(reply_of(fake_discord, it))
    assert f"this is {kind}, not text" in shown and "0 articles added" in shown
    assert await sitrep.engine.sources(GUILD_A) == []


@pytest.mark.parametrize(
    "question",
    [
        "@everyone <@&123456789012345678> **who** reported casualties in ||Pellin|| on March 12? <@9002>",
        "🔥💥🚀😀" * 20,
        "Who reported casualties in Pellin? " * 14,
        "# heading\n> quote\n```code``` [link](http://evil.example) @here",
    ],
)
async def test_odd_questions_are_answered_without_pings_or_formatting(
    fake_discord: FakeDiscord, sitrep: SitrepBot, question: str
) -> None:
    it = await ask(fake_discord, question)
    shown = text_of(reply_of(fake_discord, it))
    assert shown.strip() and "Sorry, something went wrong" not in shown
    for raw in ("@everyone", "@here", "<@&123456789012345678>"):
        assert raw not in shown
    assert "[link](http://evil.example)" not in shown.replace("\\[link]", "")  # shown escaped, not as a link
    assert fake_discord.pinged == []
    assert all(
        r.body.get("allowed_mentions", {}).get("parse") == []
        for r in fake_discord.requests_to("POST", "/webhooks/")
    )


async def test_one_servers_sources_and_feedback_are_invisible_from_another(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    notes = b"Harbour notes\n\nThe harbour master Eda Lund said the pier at Varn reopened on Monday after repairs.\n"
    await add_file(fake_discord, "a-notes.txt", notes, guild_id=GUILD_A)
    listed_b = await source(fake_discord, "list", guild_id=GUILD_B)
    assert "a-notes.txt" not in text_of(reply_of(fake_discord, listed_b))
    in_b = await ask(
        fake_discord, "What did the harbour master Eda Lund say about the pier at Varn?", guild_id=GUILD_B
    )
    assert "reopened on Monday" not in text_of(reply_of(fake_discord, in_b))
    in_a = await ask(
        fake_discord, "What did the harbour master Eda Lund say about the pier at Varn?", guild_id=GUILD_A
    )
    assert "reopened on Monday" in text_of(reply_of(fake_discord, in_a))
    rate = await done(
        fake_discord, await fake_discord.click(reply_of(fake_discord, in_a), label="Rate quotes")
    )
    vote = await done(fake_discord, await fake_discord.choose(reply_of(fake_discord, rate), ["0:1"]))
    assert "Recorded 👍" in reply_of(fake_discord, vote)["content"]
    [row] = await sitrep.engine.store.posted.votes()
    posted = await sitrep.engine.store.posted.get(row.answer_id)
    assert posted is not None and posted.scope == GUILD_A  # the voted answer is kept under its server
