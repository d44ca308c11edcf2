"""End to end: an answer's buttons — pages anyone can turn, after a restart too; the other side; citations
to copy; a vote per quote with a reason; and a private ``/ask``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.client import SitrepBot, create_bot
from bot.formatting import render_answer
from bot.runner import LocalRunner
from index.engine import Engine
from index.models import GLOBAL_SCOPE
from tests.bot.conftest import settings_for
from tests.bot.fakediscord import EPHEMERAL, FakeDiscord, connected, opt, wait_until
from tests.bot.helpers import ask, done, labels, reply_of, text_of

pytestmark = [pytest.mark.e2e, pytest.mark.model]

PELLIN = "Who reported casualties in Pellin on March 12?"
ALL_BUTTONS = {"Previous", "More quotes", "Sources", "Other side", "Cite", "Rate quotes"}


def footer(message: dict[str, Any]) -> str:
    return str(message["embeds"][-1]["footer"]["text"])


async def page_turned(
    fake: FakeDiscord, message: dict[str, Any], label: str, user_id: str, page: str
) -> None:
    click = await fake.click(message, label=label, user_id=user_id)
    await wait_until(lambda: click.original_edits or click.errors, 60, f"{label} by {user_id}")
    assert click.ack_type == 6 and not click.errors  # a deferred update: the message itself changes
    assert f"page {page}" in footer(fake.current(message))


async def test_anyone_turns_the_pages_and_the_buttons_outlive_a_restart(
    fake_discord: FakeDiscord, sample_engine: Engine
) -> None:
    settings = settings_for(fake_discord)
    first_bot = create_bot(sample_engine, LocalRunner(sample_engine), settings, guild_ready_timeout=0.05)
    async with connected(first_bot, fake_discord):
        it = await ask(fake_discord, PELLIN)
        answer = reply_of(fake_discord, it)
        assert set(labels(answer)) == ALL_BUTTONS and labels(answer)["Previous"] is True
        assert "page 1/2" in footer(answer)
        await page_turned(fake_discord, answer, "More quotes", "9002", "2/2")  # not the asker
    # A new bot (a restart): nothing in memory, the buttons of the old message still work.
    second_bot = create_bot(sample_engine, LocalRunner(sample_engine), settings, guild_ready_timeout=0.05)
    async with connected(second_bot, fake_discord):
        current = fake_discord.current(answer)
        assert labels(current)["More quotes"] is True and labels(current)["Previous"] is False
        await page_turned(fake_discord, current, "Previous", "9003", "1/2")
        assert text_of(fake_discord.current(answer)) == text_of(answer)
        # An answer that is no longer kept says so instead of failing silently.
        assert await sample_engine.store.posted.prune("2999-01-01T00:00:00+00:00") >= 1
        second_bot.posted._recent.clear()
        gone = await done(fake_discord, await fake_discord.click(answer, label="Sources"))
        assert gone.ephemeral and "no longer kept" in reply_of(fake_discord, gone)["content"]
    fake_discord.assert_clean()


async def test_the_other_side_shows_both_tolls_side_by_side(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    answer = reply_of(fake_discord, await ask(fake_discord, PELLIN))
    side = await done(fake_discord, await fake_discord.click(answer, label="Other side", user_id="9002"))
    shown = reply_of(fake_discord, side)
    assert side.ephemeral and shown["flags"] & EPHEMERAL
    first = shown["embeds"][0]
    assert first["title"].startswith("⚖️ Rival figures: killed")
    fields = {f["name"]: f["value"] for f in first["fields"]}
    assert all(f["inline"] for f in first["fields"])
    ministry = next(v for k, v in fields.items() if "Defence Ministry" in k)
    command = next(v for k, v in fields.items() if "Zeltran Eastern Command" in k)
    assert ministry.startswith("**Three**") and "Orvenian National Herald" in ministry
    assert command.startswith("**11**") and "Northline Wire" in command


async def test_cite_gives_the_pages_quotes_as_markdown_and_json(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    it = await ask(fake_discord, PELLIN)
    cite = await done(fake_discord, await fake_discord.click(reply_of(fake_discord, it), label="Cite"))
    shown = reply_of(fake_discord, cite)
    assert cite.ephemeral and "```md\n> " in shown["content"]
    files = {a["filename"]: fake_discord.attachment_data(a) for a in shown["attachments"]}
    assert set(files) == {"citations.md", "citations.json"}
    records = json.loads(files["citations.json"])
    posted = await _last_posted(sitrep)
    assert [r["text"] for r in records] == [
        posted.answer.quotes[i].text for i in render_answer(posted.answer)[0].quotes
    ]
    for record in records:
        article = await sitrep.engine.store.articles.get(GLOBAL_SCOPE, record["document"]["id"])
        assert article is not None and article.text[record["start"] : record["end"]] == record["text"]
        assert record["question"] == PELLIN and record["markdown"] in files["citations.md"].decode()
        assert record["document"]["url"].startswith("https://")


async def _last_posted(sitrep: SitrepBot) -> Any:
    return next(reversed(sitrep.posted._recent.values()))


async def test_a_vote_is_per_quote_one_per_user_and_changeable_with_a_reason(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    answer = reply_of(fake_discord, await ask(fake_discord, PELLIN))
    posted = await _last_posted(sitrep)
    rate = await done(fake_discord, await fake_discord.click(answer, label="Rate quotes", user_id="9002"))
    menu = reply_of(fake_discord, rate)
    assert rate.ephemeral
    up = await done(fake_discord, await fake_discord.choose(menu, ["0:1"], user_id="9002"))
    assert "Recorded 👍 on quote 1" in reply_of(fake_discord, up)["content"]
    down = await fake_discord.choose(menu, ["0:-1"], user_id="9002")
    await wait_until(lambda: down.modal or down.errors, 60, "the reason form")
    form = await done(
        fake_discord,
        await fake_discord.submit_modal(down, {"Why (optional)": "wrong speaker"}, user_id="9002"),
    )
    assert "Recorded 👎 on quote 1" in reply_of(fake_discord, form)["content"]
    other = await done(fake_discord, await fake_discord.choose(menu, ["1:1"], user_id="9003"))
    assert not other.errors
    votes = sorted(
        (v.user_id, v.quote, v.vote, v.reason) for v in await sitrep.engine.store.posted.votes(posted.id)
    )
    assert votes == [("9002", 0, -1, "wrong speaker"), ("9003", 1, 1, None)]


async def test_a_private_question_is_answered_to_the_asker_alone(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    it = await fake_discord.slash("ask", [opt("question", PELLIN), opt("private", True, 5)])
    await done(fake_discord, it)
    assert it.ack_type == 5 and it.ephemeral
    answer = reply_of(fake_discord, it)
    assert answer["flags"] & EPHEMERAL and "Defence Ministry" in text_of(answer)
    await page_turned(fake_discord, answer, "More quotes", "9001", "2/2")
