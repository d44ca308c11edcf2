"""``bot.views.AnswerView``: only the asker turns pages, anyone lists sources or votes, and the buttons
go when the view times out."""

from __future__ import annotations

import discord
import pytest

from bot.formatting import render_answer
from bot.views import AnswerView
from index.models import Answer, DocumentRef, Quote
from tests.bot.mocks import MockEngine, MockInteraction, MockMember, MockMessage

ASKER = 9001


def answer(quotes: int) -> Answer:
    def quote(n: int) -> Quote:
        document = DocumentRef(id=f"d{n}", title=f"T{n}", outlet=f"Outlet {n}", url=f"https://n.example/{n}",
                               published=None)  # fmt: skip
        return Quote(text=f"Quote number {n}.", speaker=f"Speaker {n}", start=0, end=1, score=0.5,
                     document=document)  # fmt: skip

    return Answer(question="Who said what?", found=True, quotes=tuple(quote(n) for n in range(quotes)))


def view_of(quotes: int, engine: MockEngine | None = None) -> AnswerView:
    found = answer(quotes)
    return AnswerView(engine or MockEngine(), found, render_answer(found), asker_id=ASKER, scope="3000")


def labels(view: AnswerView) -> dict[str, bool]:
    """Button label (or emoji) -> disabled."""
    return {
        str(item.label or item.emoji): item.disabled
        for item in view.children
        if isinstance(item, discord.ui.Button)
    }


async def test_one_page_has_no_paging_buttons() -> None:
    assert labels(view_of(2)) == {"Sources": False, "👍": False, "👎": False}


async def test_the_asker_turns_pages_and_the_message_is_edited_in_place() -> None:
    view = view_of(8)
    assert labels(view) == {
        "Previous": True,
        "More quotes": False,
        "Sources": False,
        "👍": False,
        "👎": False,
    }
    interaction = MockInteraction(user=MockMember(id=ASKER))
    await view.more.callback(interaction)
    page = view.pages[1]
    interaction.response.edit_message.assert_awaited_once_with(
        content=page.content, embeds=list(page.embeds), view=view
    )
    assert view.index == 1 and labels(view)["Previous"] is False and labels(view)["More quotes"] is True


async def test_someone_else_cannot_turn_the_pages() -> None:
    view = view_of(8)
    stranger = MockInteraction(user=MockMember(id=1234))
    await view.more.callback(stranger)
    stranger.response.send_message.assert_awaited_once()
    assert stranger.response.send_message.await_args.kwargs == {"ephemeral": True}
    assert stranger.response.send_message.await_args.args[0].startswith("Only the person who asked")
    stranger.response.edit_message.assert_not_awaited()
    assert view.index == 0


async def test_sources_are_listed_to_whoever_asks_ephemerally() -> None:
    interaction = MockInteraction(user=MockMember(id=1234))
    await view_of(2).sources.callback(interaction)
    kwargs = interaction.response.send_message.await_args.kwargs
    assert kwargs["ephemeral"] is True and kwargs["embed"].title.startswith("Sources (")


@pytest.mark.parametrize(("button", "vote"), [("upvote", 1), ("downvote", -1)])
async def test_a_vote_is_recorded_with_the_quotes_shown_under_the_servers_scope(
    button: str, vote: int
) -> None:
    engine = MockEngine()
    view = view_of(2, engine)
    interaction = MockInteraction(user=MockMember(id=77))
    await getattr(view, button).callback(interaction)
    interaction.response.defer.assert_awaited_once_with(thinking=True, ephemeral=True)
    engine.record_feedback.assert_awaited_once_with(
        question="Who said what?", quotes=view.answer.quotes, user_id="77", vote=vote, scope="3000"
    )
    interaction.followup.send.assert_awaited_once_with("Thanks, your feedback was recorded.", ephemeral=True)


async def test_the_buttons_are_removed_on_timeout() -> None:
    view = view_of(2)
    view.message = MockMessage()
    await view.on_timeout()
    view.message.edit.assert_awaited_once_with(view=None)


async def test_an_error_in_a_button_is_reported_to_the_user() -> None:
    interaction = MockInteraction()
    await view_of(2).on_error(interaction, RuntimeError("bug"), view_of(2).sources)
    assert interaction.response.send_message.await_args.args[0].startswith("Sorry, something went wrong")
