"""End to end: ``/ask`` and mention questions, through the production bot, the real engine and discord.py."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import pytest

from bot.client import SitrepBot
from tests.bot.fakediscord import EPHEMERAL, FakeDiscord, opt, wait_until
from tests.bot.helpers import (
    CHANNEL_A,
    GUILD_A,
    GUILD_B,
    add_file,
    ask,
    done,
    is_ephemeral,
    labels,
    reply_of,
    text_of,
)

pytestmark = [pytest.mark.e2e, pytest.mark.model]

PELLIN = "Who reported casualties in Pellin on March 12?"


async def test_ask_is_deferred_then_answered_with_attributed_quotes(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    it = await ask(fake_discord, PELLIN)
    # A public "thinking…"; the fake refuses an acknowledgement later than Discord's 3 s (and the
    # fixture fails on any refusal), so this one was on time.
    assert it.ack_type == 5 and not it.ephemeral and not it.errors
    [answer] = it.followups
    assert answer["id"] == it.original_id, "the answer replaces the thinking message"
    text = text_of(answer)
    question, rivals = answer["content"].split("\n")
    assert question == "**Q:** " + PELLIN
    # The two governments' tolls for the same soldiers, side by side.
    assert rivals.startswith(
        "⚖️ Sources disagree — killed: Defence Ministry (Orvenian National Herald) says Three"
    )
    assert "Zeltran Eastern Command (Northline Wire) says 11" in rivals
    assert "OVMM Daily Bulletin · 2025-03-13 · about 12 March 2025" in text  # the day the report is about
    assert "Defence Ministry · Orvenian National Herald" in text  # a quote, attributed
    assert "Mission · OVMM Daily Bulletin" in text
    assert "(https://orvenia-herald.example/2025/03/12/three-soldiers-killed-pellin)" in text  # linked
    assert "Searched " in answer["embeds"][-1]["footer"]["text"]
    assert {"Sources", "Other side", "Cite", "Rate quotes"} <= set(labels(answer))
    body = fake_discord.requests_to("POST", r"/webhooks/2000/")[0].body
    assert body["allowed_mentions"] == {"parse": []}


async def test_a_slow_answer_is_still_deferred_first(
    fake_discord: FakeDiscord, sitrep: SitrepBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_ask = sitrep.engine.ask
    asked, release = asyncio.Event(), asyncio.Event()

    async def slow_ask(*args: Any, **kwargs: Any) -> Any:
        asked.set()
        await release.wait()  # as long as the test likes: longer than Discord's 3 s window, say
        return await real_ask(*args, **kwargs)

    monkeypatch.setattr(sitrep.engine, "ask", slow_ask)
    it = await fake_discord.slash("ask", [opt("question", PELLIN)])
    await asyncio.wait_for(asked.wait(), 60)
    await wait_until(lambda: it.ack_type is not None, 60, "the acknowledgement")
    assert it.ack_type == 5 and not it.answered  # acknowledged while the answer is still being found
    release.set()
    await done(fake_discord, it)
    assert "Defence Ministry" in text_of(reply_of(fake_discord, it))


async def test_sources_lists_the_quoted_articles_to_anyone(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    first = reply_of(fake_discord, await ask(fake_discord, PELLIN))
    sources = await done(fake_discord, await fake_discord.click(first, label="Sources", user_id="9002"))
    listing = reply_of(fake_discord, sources)
    assert sources.ephemeral and listing["embeds"][0]["title"].startswith("Sources (")
    assert "(https://orvenia-herald.example/" in listing["embeds"][0]["description"]


async def test_a_quoted_everyone_pings_no_one_and_cannot_format(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    notice = (
        "Dunmere Valley evacuation ordered\n\n"
        "The regional council ordered the evacuation of the Dunmere valley on Thursday as the reservoir rose.\n\n"
        'Councillor Mara Veldt said: "@everyone in the Dunmere valley must leave before the dam releases '
        'water on Friday, and **nobody** should go back for livestock."\n\n'
        "Buses will leave from the market square every hour, the council said.\n"
    )
    added = await add_file(fake_discord, "dunmere.txt", notice.encode())
    assert "1 article added" in text_of(reply_of(fake_discord, added))

    it = await ask(fake_discord, "What did Councillor Mara Veldt say about leaving the Dunmere valley?")
    shown = text_of(reply_of(fake_discord, it))
    assert "@\u200beveryone in the Dunmere valley must leave" in shown
    assert "\\*\\*nobody\\*\\*" in shown  # the quote's markdown is shown literally
    assert "@everyone" not in shown
    assert fake_discord.pinged == []  # checked for every message the bot sent
    assert all(
        r.body.get("allowed_mentions", {}).get("parse") == []
        for r in fake_discord.requests_to("POST", "/webhooks/")
    )


async def test_a_429_on_the_followup_route_is_retried(fake_discord: FakeDiscord, sitrep: SitrepBot) -> None:
    fake_discord.inject_429("POST", r"^/webhooks/2000/tok-", retry_after=0.2)
    it = await ask(fake_discord, PELLIN)
    assert fake_discord.rate_limited == [f"POST /api/v10/webhooks/2000/{it.token}"]
    posts = fake_discord.requests_to("POST", rf"/webhooks/2000/{it.token}$")
    assert [p.status for p in posts] == [429, 200]
    assert "Defence Ministry" in text_of(reply_of(fake_discord, it))


async def test_a_mention_gets_the_same_answer_as_a_reply_without_the_message_content_intent(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    assert fake_discord.identify is not None and not fake_discord.identify["intents"] & (1 << 15)
    question = "Who denied attacking Tolvik Regional Hospital?"
    await fake_discord.mention_message(
        "what is the weather like?", mention_bot=False
    )  # content is blank to us
    message = await fake_discord.mention_message(question)
    [reply] = await wait_until(lambda: fake_discord.replies_to(message), 60, "the reply")
    assert str(reply["message_reference"]["message_id"]) == message["id"]
    assert "Castavy" in text_of(reply)
    assert fake_discord.typing and set(fake_discord.typing) == {CHANNEL_A}  # discord.py may repeat it
    body = fake_discord.requests_to("POST", rf"/channels/{CHANNEL_A}/messages")[0].body
    assert body["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert len(fake_discord.channel_messages) == 1, "only the mention was answered"

    it = await ask(fake_discord, question)
    assert reply_of(fake_discord, it)["embeds"] == reply["embeds"]


async def test_a_mention_with_no_question_gets_a_hint(fake_discord: FakeDiscord, sitrep: SitrepBot) -> None:
    message = await fake_discord.mention_message("")
    [reply] = await wait_until(lambda: fake_discord.replies_to(message), 60, "the hint")
    assert "Ask me a question" in reply["content"]


@pytest.mark.bot_settings(ask_rate="1/60")
async def test_asking_too_often_is_refused_with_the_wait(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    await ask(fake_discord, PELLIN)
    again = await ask(fake_discord, PELLIN)
    assert again.ack_type == 4 and again.ephemeral
    assert re.search(r"try again in (5\d|60) s\.$", text_of(reply_of(fake_discord, again)))
    other = await ask(fake_discord, PELLIN, user_id="9002")
    assert other.ack_type == 5
    message = await fake_discord.mention_message(PELLIN)
    [reply] = await wait_until(lambda: fake_discord.replies_to(message), 60, "the refusal")
    assert "try again in" in reply["content"]


async def test_an_unexpected_error_is_logged_and_the_user_gets_a_short_ephemeral_apology(
    fake_discord: FakeDiscord,
    sitrep: SitrepBot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(sitrep.engine, "ask", broken)
    with caplog.at_level(logging.ERROR, logger="bot"):
        it = await ask(fake_discord, PELLIN)
        await wait_until(lambda: it.followups, 60, "the apology")
    assert it.ack_type == 5
    assert fake_discord.requests_to("DELETE", "/messages/@original"), "the public thinking message is removed"
    [apology] = it.followups
    assert apology["flags"] & EPHEMERAL and apology["content"].startswith("Sorry, something went wrong")
    assert "the disk is on fire" not in apology["content"]
    assert any(r.exc_info and "the disk is on fire" in str(r.exc_info[1]) for r in caplog.records)


async def test_bad_options_get_an_ephemeral_explanation(fake_discord: FakeDiscord, sitrep: SitrepBot) -> None:
    it = await ask(fake_discord, PELLIN, since="last week")
    assert it.ack_type == 4 and is_ephemeral(fake_discord, it)
    assert "is not a date; use YYYY-MM-DD" in text_of(reply_of(fake_discord, it))
    backwards = await ask(fake_discord, PELLIN, since="2025-03-20", until="2025-03-01")
    assert backwards.ack_type == 4 and backwards.ephemeral
    assert "`since` is after `until`" in text_of(reply_of(fake_discord, backwards))


async def test_outlet_and_date_options_filter_the_answer(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    it = await ask(fake_discord, "How many Orvenian soldiers were killed at Pellin?", outlet="Zeltran Voice")
    message = reply_of(fake_discord, it)
    assert message["embeds"] and all(e["title"].endswith("· Zeltran Voice") for e in message["embeds"])
    empty = await ask(fake_discord, PELLIN, since="2030-01-01")
    assert "Nothing found" in text_of(reply_of(fake_discord, empty))
    assert "Sources" not in labels(reply_of(fake_discord, empty))


async def test_answers_come_from_the_global_corpus_in_every_server(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    a = await ask(fake_discord, PELLIN, guild_id=GUILD_A)
    b = await ask(fake_discord, PELLIN, guild_id=GUILD_B)
    assert reply_of(fake_discord, a)["embeds"] == reply_of(fake_discord, b)["embeds"]


async def test_a_mention_replys_buttons_page_for_anyone(fake_discord: FakeDiscord, sitrep: SitrepBot) -> None:
    message = await fake_discord.mention_message(PELLIN)
    [reply] = await wait_until(lambda: fake_discord.replies_to(message), 60, "the reply")
    assert "page 1/2" in reply["embeds"][-1]["footer"]["text"]
    click = await fake_discord.click(reply, label="More quotes", user_id="9002")
    await wait_until(lambda: click.original_edits or click.errors, 60, "the page turn")
    assert click.ack_type == 6 and not click.errors
    assert "page 2/2" in fake_discord.current(reply)["embeds"][-1]["footer"]["text"]
