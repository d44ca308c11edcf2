"""``/ask`` and mention questions, called directly with spec'd mocks: acknowledge, ask, render, reply."""

from __future__ import annotations

from datetime import date
from typing import Any
from unittest.mock import AsyncMock

import pytest

from bot.cogs.ask import Ask, IsoDate, question_from_mention
from bot.errors import APOLOGY, UsageError
from index.models import GLOBAL_SCOPE, Answer, DocumentRef, Quote
from tests.bot.mocks import MockBot, MockInteraction, MockMember, MockMessage, MockUser

QUESTION = "Who reported casualties in Pellin?"


def answer(found: bool = True) -> Answer:
    document = DocumentRef(
        id="d1", title="Pellin", outlet="Herald", url="https://h.example/1", published=None
    )
    quote = Quote(text="Three soldiers were killed.", speaker="Defence Ministry", start=0, end=1, score=0.9,
                  document=document)  # fmt: skip
    return Answer(question=QUESTION, found=found, quotes=(quote,) if found else ())


def custom_ids(view: Any) -> list[str]:
    return [str(item.item.custom_id) for item in view.children]


@pytest.fixture
def bot() -> MockBot:
    bot = MockBot()
    bot.engine.ask.return_value = answer()
    return bot


async def test_ask_defers_publicly_before_asking_then_sends_the_first_page_with_buttons(bot: MockBot) -> None:
    interaction = MockInteraction(bot=bot, guild_id=3000)

    async def ask(*args: Any, **kwargs: Any) -> Answer:
        interaction.response.defer.assert_awaited_once_with(thinking=True, ephemeral=False)  # first
        return answer()

    bot.engine.ask.side_effect = ask
    await Ask.ask.callback(Ask(bot), interaction, QUESTION)

    bot.engine.ask.assert_awaited_once_with(
        QUESTION, scopes=(GLOBAL_SCOPE, "3000"), outlet=None, since=None, until=None, exclude_labels=[]
    )
    interaction.followup.send.assert_awaited_once()
    sent = interaction.followup.send.await_args.kwargs
    assert sent["content"].startswith(f"**Q:** {QUESTION}")
    assert "Defence Ministry" in sent["embeds"][0].title
    # The answer is kept under the server's scope, and its buttons carry the kept answer's id.
    bot.posted.keep.assert_awaited_once_with("3000", str(interaction.user.id), answer())
    assert "sitrep:a:77:src:0" in custom_ids(sent["view"])


async def test_a_private_question_is_deferred_and_answered_ephemerally(bot: MockBot) -> None:
    interaction = MockInteraction(bot=bot, guild_id=3000)
    await Ask.ask.callback(Ask(bot), interaction, QUESTION, private=True)
    interaction.response.defer.assert_awaited_once_with(thinking=True, ephemeral=True)
    # A followup after an ephemeral defer replaces the private "thinking…": it is private too.
    assert "sitrep:a:77:cite:0" in custom_ids(interaction.followup.send.await_args.kwargs["view"])


async def test_ask_passes_the_filters_and_a_dm_asks_the_global_corpus_only(bot: MockBot) -> None:
    interaction = MockInteraction(bot=bot, guild_id=None)
    await Ask.ask.callback(
        Ask(bot), interaction, QUESTION, outlet="Reuters", since=date(2025, 3, 1), until=date(2025, 3, 2),
        exclude_label="state media",
    )  # fmt: skip
    bot.engine.ask.assert_awaited_once_with(
        QUESTION,
        scopes=(GLOBAL_SCOPE,),
        outlet="Reuters",
        since=date(2025, 3, 1),
        until=date(2025, 3, 2),
        exclude_labels=["state media"],
    )
    assert bot.posted.keep.await_args.args[0] == GLOBAL_SCOPE


async def test_nothing_found_is_a_normal_reply_without_buttons(bot: MockBot) -> None:
    bot.engine.ask.return_value = answer(found=False)
    interaction = MockInteraction(bot=bot)
    await Ask.ask.callback(Ask(bot), interaction, QUESTION)
    sent = interaction.followup.send.await_args.kwargs
    assert "view" not in sent and sent["embeds"][0].title == "Nothing found"


async def test_since_after_until_is_a_usage_error_before_anything_is_done(bot: MockBot) -> None:
    interaction = MockInteraction(bot=bot)
    with pytest.raises(UsageError, match="`since` is after `until`"):
        await Ask.ask.callback(
            Ask(bot), interaction, QUESTION, since=date(2025, 3, 2), until=date(2025, 3, 1)
        )
    interaction.response.defer.assert_not_awaited()
    bot.engine.ask.assert_not_awaited()


@pytest.mark.parametrize(
    ("typed", "day"), [("2025-03-01", date(2025, 3, 1)), (" 2024-02-29 ", date(2024, 2, 29))]
)
async def test_iso_date_option(typed: str, day: date) -> None:
    assert await IsoDate().transform(MockInteraction(), typed) == day


async def test_a_bad_date_option_says_how_to_write_one() -> None:
    with pytest.raises(UsageError, match="“last week” is not a date; use YYYY-MM-DD"):
        await IsoDate().transform(MockInteraction(), "last week")


def test_question_from_mention() -> None:
    assert question_from_mention("<@1000> who said it?", 1000) == "who said it?"
    assert question_from_mention("hey <@!1000>   who  said it?", 1000) == "hey who said it?"
    assert question_from_mention("<@1000>", 1000) == ""
    assert question_from_mention("thanks!", 1000) is None  # e.g. a reply that pings the bot
    assert question_from_mention("<@10001> hi", 1000) is None


async def test_a_mention_is_answered_in_a_reply_while_typing(bot: MockBot) -> None:
    message = MockMessage(content=f"<@1000> {QUESTION}", guild_id=3001)
    await Ask(bot).on_message(message)
    bot.engine.ask.assert_awaited_once_with(
        QUESTION, scopes=(GLOBAL_SCOPE, "3001"), outlet=None, since=None, until=None, exclude_labels=[]
    )
    message.channel.typing.assert_called_once_with()
    message.reply.assert_awaited_once()
    sent = message.reply.await_args.kwargs
    assert sent["mention_author"] is False and sent["content"].startswith(f"**Q:** {QUESTION}")
    bot.posted.keep.assert_awaited_once_with("3001", str(message.author.id), answer())
    assert "sitrep:a:77:rate:0" in custom_ids(sent["view"])


@pytest.mark.parametrize(
    "message",
    [
        MockMessage(content="<@1000> hi", author=MockUser(bot=True)),  # bots (itself included) are ignored
        MockMessage(content="no mention here"),
    ],
)
async def test_messages_without_a_question_for_the_bot_are_ignored(
    bot: MockBot, message: MockMessage
) -> None:
    await Ask(bot).on_message(message)
    message.reply.assert_not_awaited()
    bot.engine.ask.assert_not_awaited()


async def test_a_bare_mention_gets_a_hint(bot: MockBot) -> None:
    message = MockMessage(content="<@1000>")
    await Ask(bot).on_message(message)
    message.reply.assert_awaited_once()
    assert message.reply.await_args.args[0].startswith("Ask me a question after the mention")
    bot.engine.ask.assert_not_awaited()


async def test_a_mention_over_the_rate_limit_is_told_to_wait() -> None:
    bot = MockBot(ask_rate="1/60")
    bot.engine.ask.return_value = answer()
    author = MockMember(id=42)
    await Ask(bot).on_message(MockMessage(content=f"<@1000> {QUESTION}", author=author))
    refused = MockMessage(content=f"<@1000> {QUESTION}", author=author)
    await Ask(bot).on_message(refused)
    assert bot.engine.ask.await_count == 1
    refused.reply.assert_awaited_once()
    assert "try again in" in refused.reply.await_args.args[0]


async def test_a_failing_mention_answer_gets_the_apology(bot: MockBot) -> None:
    bot.engine.ask.side_effect = RuntimeError("disk on fire")
    message = MockMessage(content=f"<@1000> {QUESTION}")
    await Ask(bot).on_message(message)
    message.reply.assert_awaited_once_with(APOLOGY, mention_author=False)


async def test_in_a_thread_a_question_is_read_as_a_follow_up_of_its_first(bot: MockBot) -> None:
    from index.answering.followup import FollowUp
    from index.storage.posted_role import PostedAnswer

    first = PostedAnswer(5, "3000", "9001", "2026-12-06T00:00:00+00:00", answer())
    bot.conversations.first_answer.return_value = first
    bot.conversations.follow_up = AsyncMock(
        return_value=FollowUp(QUESTION + " since March 14", "Northline Wire", None, None, new_subject=False)
    )
    interaction = MockInteraction(bot=bot, guild_id=3000)
    await Ask.ask.callback(Ask(bot), interaction, "since March 14")
    bot.conversations.follow_up.assert_awaited_once_with(first, "since March 14", 3000)
    bot.engine.ask.assert_awaited_once_with(
        QUESTION + " since March 14",
        scopes=(GLOBAL_SCOPE, "3000"),
        outlet="Northline Wire",
        since=None,
        until=None,
        exclude_labels=[],
    )
    bot.conversations.open_thread.assert_not_awaited()  # a follow-up opens no thread of its own


async def test_with_threads_on_an_answer_opens_its_thread_but_a_private_one_does_not(bot: MockBot) -> None:
    bot.conversations.threads_on.return_value = True
    interaction = MockInteraction(bot=bot, guild_id=3000)
    await Ask.ask.callback(Ask(bot), interaction, QUESTION)
    sent = interaction.followup.send.return_value
    bot.conversations.open_thread.assert_awaited_once_with(interaction.channel, sent.id, 77, QUESTION)
    await Ask.ask.callback(Ask(bot), MockInteraction(bot=bot, guild_id=3000), QUESTION, private=True)
    assert bot.conversations.open_thread.await_count == 1
