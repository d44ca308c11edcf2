"""Timelines from hand-made answers: which quotes become points, their days, claimants and order."""

from __future__ import annotations

import json
from datetime import date

import pytest

from index.answering.figures import Figure
from index.answering.timeline import (
    NOTHING_TO_DRAW,
    build_timeline,
    day_of,
    stated_value,
)
from index.models import Answer, Article, Disagreement, DisputedClaim, DocumentRef, Quote

MARCH_13 = date(2025, 3, 13)


def doc(
    outlet: str | None = "Zeltran Voice", published: date | None = MARCH_13, id: str = "zv-1"
) -> DocumentRef:
    return DocumentRef(
        id=id,
        title="Shelling in Pellin",
        outlet=outlet,
        url=f"https://news.example/{id}",
        published=published,
    )


def quote(
    text: str,
    speaker: str | None,
    *,
    days: tuple[date, ...] = (),
    document: DocumentRef | None = None,
    start: int = 0,
) -> Quote:
    return Quote(
        text=text,
        speaker=speaker,
        start=start,
        end=start + len(text),
        score=0.5,
        document=document or doc(),
        event_dates=days,
        language="en",
    )


def article(text: str, published: date | None = MARCH_13, id: str = "zv-1") -> Article:
    return Article(
        id=id,
        title="Shelling in Pellin",
        outlet="Zeltran Voice",
        url=f"https://news.example/{id}",
        published=published,
        published_from="given" if published else None,
        language="en",
        ingested_at="2025-03-14T00:00:00+00:00",
        text=text,
        source_id=1,
        scope="global",
    )


def answer(*quotes: Quote, disagreements: tuple[Disagreement, ...] = ()) -> Answer:
    return Answer(question="casualties in Pellin", found=True, quotes=quotes, disagreements=disagreements)


FIGURES = quote(
    "Three soldiers were killed and five were wounded in Pellin.",
    "Orvenian Defence Ministry",
    days=(date(2025, 3, 12),),
)
DENIAL = quote(
    "The ministry called the reports of a rocket attack on the market fabricated.",
    "Zeltran Defence Ministry",
    days=(date(2025, 3, 12),),
)
NONE_KILLED = quote(
    "No civilians were killed in Pellin.", "Governor Alina Korshev", days=(date(2025, 3, 11),)
)
NO_FIGURE = quote("The talks will resume on Monday.", "Estvale's foreign minister", days=(date(2025, 3, 10),))


def test_each_figure_a_claimant_states_is_a_point() -> None:
    tl = build_timeline(answer(FIGURES))
    assert tl.found and tl.note is None
    assert [(p.day, p.claimant, p.figure, p.value, p.category, p.subject, p.denial) for p in tl.points] == [
        (date(2025, 3, 12), "Orvenian Defence Ministry", "Three", 3.0, "killed", "soldiers", False),
        (date(2025, 3, 12), "Orvenian Defence Ministry", "five", 5.0, "wounded", "", False),
    ]
    assert all(p.quote is FIGURES and p.dated_by == "quote" for p in tl.points)


def test_a_denial_and_a_claim_of_none_are_marked_and_a_quote_without_a_figure_is_dropped() -> None:
    tl = build_timeline(answer(FIGURES, DENIAL, NONE_KILLED, NO_FIGURE))
    assert NO_FIGURE not in [p.quote for p in tl.points]
    denial = next(p for p in tl.points if p.quote is DENIAL)
    assert (denial.figure, denial.value, denial.denial) == ("denies", None, True)
    none = next(p for p in tl.points if p.quote is NONE_KILLED)
    assert (none.figure, none.value, none.category, none.subject, none.denial) == (
        "No",
        0.0,
        "killed",
        "civilians",
        True,
    )
    assert [p.denial for p in tl.points if p.quote is FIGURES] == [False, False]


def test_a_claim_reads_as_words() -> None:
    tl = build_timeline(answer(FIGURES, DENIAL, NONE_KILLED))
    assert [p.claim for p in tl.points] == [
        "none killed (civilians)",
        "three killed (soldiers)",
        "five wounded",
        "denies",
    ]
    tanks = quote("Two armoured vehicles were destroyed.", "Army", days=(date(2025, 3, 12),))
    assert build_timeline(answer(tanks)).points[0].claim == "two armoured vehicles destroyed"  # said once


def test_a_denial_names_what_it_denies() -> None:
    denied = quote("The ministry denied that 300 civilians were killed.", "Zeltran Defence Ministry")
    [p] = build_timeline(answer(denied)).points
    assert (p.figure, p.category, p.subject, p.denial, p.value) == (
        "denies",
        "killed",
        "civilians",
        True,
        None,
    )


def test_a_quote_that_names_no_one_is_claimed_by_its_outlet() -> None:
    unnamed = quote("At least 12 people were killed in the strike on Pellin.", None)
    [p] = build_timeline(answer(unnamed)).points
    assert (p.claimant, p.reported_by, p.who) == ("Zeltran Voice", True, "reported by Zeltran Voice")
    no_outlet = quote("At least 12 people were killed.", None, document=doc(outlet=None))
    assert build_timeline(answer(no_outlet)).points[0].who == "reported by an unnamed outlet"


def test_points_are_ordered_by_day_then_claimant_undated_last() -> None:
    undated = quote("Two tanks were destroyed.", "Army", document=doc(published=None, id="u-1"))
    late = quote("Four people were killed.", "Alpha Council", days=(date(2025, 3, 14),))
    tl = build_timeline(answer(undated, late, NONE_KILLED, DENIAL, FIGURES))
    assert [(p.day, p.claimant) for p in tl.points] == [
        (date(2025, 3, 11), "Governor Alina Korshev"),
        (date(2025, 3, 12), "Orvenian Defence Ministry"),
        (date(2025, 3, 12), "Orvenian Defence Ministry"),
        (date(2025, 3, 12), "Zeltran Defence Ministry"),
        (date(2025, 3, 14), "Alpha Council"),
        (None, "Army"),
    ]
    assert [p.figure for p in tl.points][1:3] == ["Three", "five"]  # one quote's figures keep their order
    assert tl.drawable


def test_nothing_found_keeps_the_answers_note() -> None:
    empty = Answer(question="sourdough", found=False, quotes=(), note="Nothing in the archive answers that.")
    tl = build_timeline(empty)
    assert (tl.found, tl.note, tl.points, tl.drawable) == (
        False,
        "Nothing in the archive answers that.",
        (),
        False,
    )


def test_an_answer_whose_quotes_state_nothing_is_not_a_timeline() -> None:
    tl = build_timeline(answer(NO_FIGURE))
    assert (tl.found, tl.note, tl.points) == (False, NOTHING_TO_DRAW, ())


# -- the day a claim speaks of ----------------------------------------------------------------------


def test_a_quote_without_a_day_of_its_own_takes_the_one_named_before_it() -> None:
    text = "Shelling hit Pellin on March 11. Three soldiers were killed, the ministry said."
    q = quote(text[33:], "Orvenian Defence Ministry", start=33)
    assert day_of(q, article(text)) == (date(2025, 3, 11), "context")


def test_otherwise_the_day_its_report_speaks_of_within_the_report_window() -> None:
    # The day is two paragraphs up: not the quote's context, but what its report is about.
    text = "Fighting on March 12 was heavy.\n\nTroops held.\n\nThe ministry said three soldiers were killed."
    start = text.index("The ministry")
    q = quote(text[start:], "Orvenian Defence Ministry", start=start)
    assert day_of(q, article(text)) == (date(2025, 3, 12), "article")
    # A day outside the window (the report of the 13th about the 1st) doesn't date it: the report does.
    old = text.replace("March 12", "March 1")
    start = old.index("The ministry")
    assert day_of(quote(old[start:], "x", start=start), article(old)) == (MARCH_13, "published")
    assert day_of(q, None) == (MARCH_13, "published")


def test_an_undated_report_is_dated_only_by_the_one_full_date_it_names() -> None:
    one = "Three soldiers were killed.\n\nPosted by the ministry on Sunday, July 12, 2020"
    q = quote(one[:27], "Ministry", document=doc(published=None))
    assert day_of(q, article(one, published=None)) == (date(2020, 7, 12), "article")
    two = one + "\n\nUpdated on July 14, 2020"
    assert day_of(q, article(two, published=None)) == (None, "")


@pytest.mark.parametrize(
    ("label", "low", "high", "value"),
    [
        ("3", 3, 3, 3),
        ("at least 4", 4, float("inf"), 4),
        ("more than three", 3, float("inf"), 3),
        ("Nearly 50", 40, 50, 50),
        ("about 50", 40, 60, 50),
        ("up to 10", 0, 10, 10),
        ("no", 0, 0, 0),
        ("a dozen", 12, 12, 12),
        ("some", 1, float("inf"), None),
        ("dozens", 24, float("inf"), None),
        ("heavy", 10, float("inf"), None),
    ],
)
def test_stated_value_is_the_number_the_quote_says(
    label: str, low: float, high: float, value: float | None
) -> None:
    assert stated_value(Figure("killed", low, high, label, "")) == value


def test_json_shape() -> None:
    dispute = Disagreement(
        category="killed",
        claims=(DisputedClaim(0, "Orvenian Defence Ministry", "Three"), DisputedClaim(1, "Governor", "No")),
    )
    data = json.loads(
        json.dumps(build_timeline(answer(FIGURES, NONE_KILLED, disagreements=(dispute,))).to_dict())
    )
    assert set(data) == {"query", "found", "note", "points", "disagreements"}
    assert data["points"][0] == {
        "day": "2025-03-11",
        "dated_by": "quote",
        "claimant": "Governor Alina Korshev",
        "reported_by": False,
        "figure": "No",
        "value": 0.0,
        "category": "killed",
        "subject": "civilians",
        "denial": True,
        "quote": "No civilians were killed in Pellin.",
        "speaker": "Governor Alina Korshev",
        "outlet": "Zeltran Voice",
        "title": "Shelling in Pellin",
        "url": "https://news.example/zv-1",
        "published": "2025-03-13",
        "language": "en",
    }
    [d] = data["disagreements"]
    assert [c["quote"] for c in d["claims"]] == [FIGURES.text, NONE_KILLED.text]  # the quotes, not indexes
    assert d["summary"].startswith("killed: Orvenian Defence Ministry says Three")
