"""End to end: the "Check this claim" message command and ``/help`` with examples from the archive."""

from __future__ import annotations

import re

import pytest

from bot.client import SitrepBot
from tests.bot.fakediscord import EPHEMERAL, FakeDiscord
from tests.bot.helpers import ask, done, labels, reply_of, text_of

pytestmark = [pytest.mark.e2e, pytest.mark.model]

CLAIM = "Three Orvenian soldiers were killed by shelling in Pellin on March 12."


async def test_a_claim_is_checked_against_the_archive_and_its_contradiction_shown(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    posted = await fake_discord.mention_message("irrelevant", mention_bot=False)
    it = await done(
        fake_discord, await fake_discord.message_command("Check this claim", posted, content=CLAIM)
    )
    assert it.ack_type == 5 and it.ephemeral  # acknowledged privately, before the archive is searched
    shown = reply_of(fake_discord, it)
    assert shown["flags"] & EPHEMERAL
    assert shown["content"].startswith("**Q:** Check this claim: " + CLAIM)
    assert "Sources disagree — killed: Defence Ministry" in shown["content"]  # who contradicts whom
    assert "Zeltran Eastern Command (Northline Wire) says 11" in shown["content"]
    assert "Defence Ministry · Orvenian National Herald" in text_of(shown)  # who reported it, and where
    assert {"Other side", "Cite"} <= set(labels(shown))


async def test_a_claim_the_archive_has_nothing_on_says_so(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    posted = await fake_discord.mention_message("irrelevant", mention_bot=False)
    claim = "A volcano erupted under the glacier in southern Iceland on Sunday, the Met Office said."
    it = await done(
        fake_discord, await fake_discord.message_command("Check this claim", posted, content=claim)
    )
    shown = reply_of(fake_discord, it)
    assert shown["embeds"][0]["title"] == "Nothing found" and not labels(shown)


async def test_a_message_without_text_is_refused_in_one_line(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    posted = await fake_discord.mention_message("irrelevant", mention_bot=False)
    it = await done(fake_discord, await fake_discord.message_command("Check this claim", posted, content=""))
    assert reply_of(fake_discord, it)["content"] == "That message has no text to check."


async def test_help_shows_examples_that_work_on_this_archive(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    it = await done(fake_discord, await fake_discord.slash("help"), 120)
    shown = reply_of(fake_discord, it)
    assert it.ephemeral and shown["embeds"][0]["title"].startswith("sitrep")
    fields = {f["name"]: f["value"] for f in shown["embeds"][0]["fields"]}
    assert {"Ask", "Check this claim", "Timeline", "Watches and the daily sitrep"} <= set(fields)
    examples = re.findall(r"`/ask question: ([^`]+)`", fields["Ask"])
    assert examples and all("<place>" not in q for q in examples)
    for question in examples:  # each example answers on this archive
        answer = reply_of(fake_discord, await ask(fake_discord, question))
        assert answer["embeds"][0]["title"] != "Nothing found", question
