"""The other side, citations and the vote menu: within Discord's limits for any answer, and nothing in
them pings; the citation files carry the quotes verbatim."""

from __future__ import annotations

import json
from datetime import date

import discord
from hypothesis import HealthCheck, given, settings

from bot.answer_extras import render_citations, render_other_side
from bot.cogs.help import render_help
from bot.formatting import render_answer
from bot.views import VoteSelect
from index.models import Answer, Disagreement, DisputedClaim, DocumentRef, Quote
from tests.bot.fakediscord import validate_message
from tests.bot.fakediscord.validation import validate_components
from tests.bot.test_formatting import UNESCAPED_MENTION, answers


def payload(content: str = "", embeds: list[discord.Embed] | None = None) -> dict[str, object]:
    return {
        "content": content,
        "embeds": [e.to_dict() for e in embeds or []],
        "allowed_mentions": {"parse": []},
    }


def embed_text(embeds: list[discord.Embed]) -> str:
    parts = []
    for e in embeds:
        parts += [e.title or "", e.description or ""]
        parts += [f.name or "" for f in e.fields] + [f.value or "" for f in e.fields]
    return "\n".join(parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers)
def test_the_other_side_fits_and_pings_no_one(answer: Answer) -> None:
    embeds = render_other_side(answer)
    assert validate_message(payload(embeds=embeds)) == []
    assert all(len(e.fields) <= 25 for e in embeds) and len(embeds) <= 10
    assert not UNESCAPED_MENTION.search(embed_text(embeds))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers.filter(lambda a: bool(a.quotes)))
def test_citations_fit_ping_no_one_and_carry_the_quotes_verbatim(answer: Answer) -> None:
    page = render_answer(answer)[0]
    preview, markdown, data = render_citations(answer, page.quotes)
    assert validate_message(payload(preview)) == []
    assert not UNESCAPED_MENTION.search(preview)
    records = json.loads(data)
    assert [r["text"] for r in records] == [answer.quotes[i].text for i in page.quotes]
    assert all(" ".join(answer.quotes[i].text.split()) in markdown for i in page.quotes)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers.filter(lambda a: a.found and bool(a.quotes)))
def test_the_vote_menu_is_valid_for_any_page(answer: Answer) -> None:  # only found answers have one
    view = discord.ui.View()
    view.add_item(VoteSelect(1, 0, answer, render_answer(answer)[0].quotes))
    assert validate_components(view.to_components()) == []


def test_a_side_by_side_record_names_each_party() -> None:
    doc = DocumentRef("d", "T", "Kyiv Post", "https://k.example/1", date(2022, 3, 1))
    quotes = (
        Quote("Russia said its forces destroyed 30 drones.", "Russian Defence Ministry", 0, 1, 0.8, doc),
        Quote("Ukraine said it downed 12 Russian jets.", "General Staff", 0, 1, 0.7, doc),
    )
    record = Disagreement(
        "claims",
        (
            DisputedClaim(0, "Russian Defence Ministry", "says", party="Russia"),
            DisputedClaim(1, "General Staff", "says", party="Ukraine"),
        ),
        kind="sides",
    )
    [embed] = render_other_side(Answer("what did each side claim?", True, quotes, 2, disagreements=(record,)))
    assert embed.title == "⚖️ Each side's claim: claims"
    assert [f.name for f in embed.fields] == ["Russia — Russian Defence Ministry", "Ukraine — General Staff"]
    assert embed.fields[0].value is not None and embed.fields[0].value.startswith("*says*\n> Russia said")


def test_help_fits_with_examples_and_without() -> None:
    for examples in ([], ["who reported casualties in Pellin on 12 March 2025?", "@everyone " + "x" * 300]):
        embed = render_help(examples)
        assert validate_message(payload(embeds=[embed])) == []
        assert not UNESCAPED_MENTION.search(embed_text([embed]))
