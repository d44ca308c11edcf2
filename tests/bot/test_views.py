"""``bot.views``: which buttons an answer gets, their persistent custom ids, the vote menu, and what a
button does when its answer is gone or belongs to another server."""

from __future__ import annotations

from datetime import date
from typing import Any
from unittest import mock

import discord

from bot.posted import PostedAnswers, posted_for
from bot.views import ANSWER_BUTTON, AnswerButton, ReasonModal, VoteSelect, answer_view, vote_options
from index.models import Answer, Disagreement, DisputedClaim, DocumentRef, Quote
from index.storage.posted_role import PostedAnswer
from tests.bot.fakediscord.validation import validate_components
from tests.bot.mocks import MockInteraction


def answer(quotes: int, *, disputed: bool = False) -> Answer:
    def quote(n: int) -> Quote:
        doc = DocumentRef(f"d{n}", f"T{n}", f"Outlet {n}", f"https://n.example/{n}", date(2025, 3, 1))
        return Quote(f"Quote number {n}. " + "long " * 40, f"Speaker {n}", 0, 1, 0.5, doc)

    disagreements = (
        (Disagreement("killed", (DisputedClaim(0, "Speaker 0", "3"), DisputedClaim(1, "Speaker 1", "no"))),)
        if disputed
        else ()
    )
    return Answer(
        "Who said what?", True, tuple(quote(n) for n in range(quotes)), 9, disagreements=disagreements
    )


def items(view: discord.ui.View) -> list[Any]:
    """The view's components (a persistent item wraps its button or menu)."""
    return [i.item if isinstance(i, discord.ui.DynamicItem) else i for i in view.children]


def buttons(view: discord.ui.View) -> dict[str, bool]:
    """Button label -> disabled."""
    return {str(i.label): i.disabled for i in items(view) if isinstance(i, discord.ui.Button)}


def test_one_page_has_no_paging_and_no_other_side_without_a_disagreement() -> None:
    assert buttons(answer_view(7, answer(2), pages=1)) == {
        "Sources": False,
        "Cite": False,
        "Rate quotes": False,
    }


def test_paging_buttons_are_disabled_at_the_ends_and_other_side_shows_with_a_dispute() -> None:
    found = answer(8, disputed=True)
    first, last = answer_view(7, found, pages=2, page=0), answer_view(7, found, pages=2, page=1)
    assert buttons(first)["Previous"] is True and buttons(first)["More quotes"] is False
    assert buttons(last)["Previous"] is False and buttons(last)["More quotes"] is True
    assert "Other side" in buttons(first)


def test_custom_ids_carry_the_answer_and_page_and_are_valid_for_discord() -> None:
    view = answer_view(123456789012345678, answer(8, disputed=True), pages=3, page=2)
    assert validate_components(view.to_components()) == []
    ids = [i.custom_id for i in items(view) if isinstance(i, discord.ui.Button)]
    assert "sitrep:a:123456789012345678:next:2" in ids
    assert all(ANSWER_BUTTON.fullmatch(str(i)) for i in ids)


def test_the_vote_menu_offers_right_and_wrong_for_each_quote_on_the_page() -> None:
    found = answer(8)
    options = vote_options(found, (5, 6, 7))
    assert [o.value for o in options] == ["5:1", "6:1", "7:1", "5:-1", "6:-1", "7:-1"]
    assert options[0].label == "👍 1. Speaker 5" and options[3].label.startswith("👎 1.")
    assert all(len(o.label) <= 100 and len(o.description or "") <= 100 for o in options)
    view = discord.ui.View()
    view.add_item(VoteSelect(7, 1, found, tuple(range(8))))
    assert validate_components(view.to_components()) == []


def interaction_with(posted: PostedAnswer | None, guild_id: int | None = 3000) -> MockInteraction:
    interaction = MockInteraction(guild_id=guild_id)
    engine = mock.Mock()
    engine.store.read_only = False
    engine.store.posted.get = mock.AsyncMock(return_value=posted)
    interaction.client.posted = PostedAnswers(engine)
    return interaction


async def test_a_button_of_another_servers_answer_or_a_pruned_one_says_it_is_gone() -> None:
    elsewhere = PostedAnswer(7, "4000", "9001", "2026-12-01T00:00:00+00:00", answer(2))
    for interaction in (interaction_with(elsewhere), interaction_with(None)):
        assert await posted_for(interaction, 7) is None
        [text] = interaction.followup.send.await_args.args
        assert "no longer kept" in text and interaction.followup.send.await_args.kwargs == {"ephemeral": True}
    mine = PostedAnswer(7, "3000", "9001", "2026-12-01T00:00:00+00:00", answer(2))
    assert await posted_for(interaction_with(mine), 7) == mine


def test_each_reason_form_has_its_own_id() -> None:
    """discord.py files forms by custom_id alone: two people down-voting one quote get two forms."""
    first, second = ReasonModal(7, 2, opened_by=111), ReasonModal(7, 2, opened_by=222)
    assert first.custom_id != second.custom_id and len(first.custom_id) <= 100


async def test_an_error_in_a_button_is_reported_to_the_user() -> None:
    interaction = interaction_with(None)
    broken: Any = mock.AsyncMock(side_effect=RuntimeError("bug"))
    interaction.client.posted.get = broken
    await AnswerButton(7, "src", 0).callback(interaction)
    sent = interaction.followup.send.await_args
    assert sent.args[0].startswith("Sorry, something went wrong") and sent.kwargs["ephemeral"] is True
