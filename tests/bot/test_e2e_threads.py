"""End to end: answers that open a thread, follow-ups there that keep the first question's context, by
mention and by ``/ask``, after a restart too."""

from __future__ import annotations

from typing import Any

import pytest

from bot.client import create_bot
from bot.runner import LocalRunner
from index.engine import Engine
from tests.bot.conftest import settings_for
from tests.bot.fakediscord import FakeDiscord, connected, opt, wait_until
from tests.bot.helpers import CHANNEL_A, admin, ask, done, reply_of, text_of

pytestmark = [pytest.mark.e2e, pytest.mark.model]

PELLIN = "Who reported casualties in Pellin on March 12?"


def outlets_quoted(message: dict[str, Any]) -> set[str]:
    return {e["title"].split(" · ")[-1] for e in message["embeds"]}


async def in_thread(fake: FakeDiscord, thread: str, text: str, user_id: str = "9002") -> dict[str, Any]:
    asked = await fake.mention_message(text, channel_id=thread, user_id=user_id)
    [reply] = await wait_until(lambda: fake.replies_to(asked), 90, f"the answer to {text!r}")
    assert reply["channel_id"] == thread
    return reply


async def test_a_thread_per_question_and_follow_ups_that_keep_its_context(
    fake_discord: FakeDiscord, sample_engine: Engine
) -> None:
    settings = settings_for(fake_discord)
    bot = create_bot(sample_engine, LocalRunner(sample_engine), settings, guild_ready_timeout=0.05)
    async with connected(bot, fake_discord):
        before = reply_of(fake_discord, await ask(fake_discord, PELLIN))
        assert "thread" not in fake_discord.messages[before["id"]]  # off by default: no thread

        switched = await admin(fake_discord, "threads", options={"mode": "thread"})
        assert (
            switched.ephemeral and "Answers now open a thread" in reply_of(fake_discord, switched)["content"]
        )
        answer = reply_of(fake_discord, await ask(fake_discord, PELLIN))
        await wait_until(lambda: fake_discord.threads, 60, "the thread")
        [(thread, info)] = fake_discord.threads.items()
        assert (info["starter"], info["parent_id"], info["name"]) == (answer["id"], CHANNEL_A, PELLIN)
        hint = await wait_until(
            lambda: [m for m in fake_discord.channel_messages if m["channel_id"] == thread], 60, "the hint"
        )
        assert "Follow-ups here keep this question's places, days and outlet" in hint[0]["content"]
        assert len(outlets_quoted(answer)) > 1

        # A filter only: the same question, one outlet.
        only = await in_thread(fake_discord, thread, "only Northline Wire")
        assert only["content"].startswith(f"**Q:** {PELLIN}")
        assert outlets_quoted(only) == {"Northline Wire"}
        assert "11 Orvenian soldiers" in text_of(only)

        # A question of its own: Pellin and March 12 carried over.
        ministry = await in_thread(fake_discord, thread, "what did the Zeltran Eastern Command say?")
        assert ministry["content"].startswith("**Q:** what did the Zeltran Eastern Command say in Pellin?")
        assert "Zeltran Eastern Command" in text_of(ministry)
        assert "2025-03-12" in ministry["embeds"][-1]["footer"]["text"]  # the first question's day

        # /ask typed in the thread is a follow-up too; the thread opens no thread of its own.
        it = await done(
            fake_discord,
            await fake_discord.slash("ask", [opt("question", "only OVMM Daily Bulletin")], channel_id=thread),
        )
        assert outlets_quoted(reply_of(fake_discord, it)) == {"OVMM Daily Bulletin"}
        assert len(fake_discord.threads) == 1

    # After a restart the thread still knows its first question.
    again = create_bot(sample_engine, LocalRunner(sample_engine), settings, guild_ready_timeout=0.05)
    async with connected(again, fake_discord):
        later = await in_thread(fake_discord, thread, "only Northline Wire", user_id="9003")
        assert later["content"].startswith(f"**Q:** {PELLIN}") and outlets_quoted(later) == {"Northline Wire"}
    fake_discord.assert_clean()
