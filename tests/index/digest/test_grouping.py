"""Claims grouped into digest events: one place, one day, one category, as the disagreement code
decides; disagreements under their event; what names no place or day apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from index.digest.grouping import group_claims, statements_of
from index.digest.records import DigestEvent
from tests.index.digest.articles import (
    DENIAL,
    NO_PLACE,
    QUIET,
    TUESDAY_COUNCIL,
    TUESDAY_GOVERNOR,
    VAGUE_DENIAL,
    WEDNESDAY,
    article,
    with_claims,
)

TUESDAY, WEDNESDAY_DAY = date(2025, 4, 1), date(2025, 4, 2)


def killed_on(events: tuple[DigestEvent, ...], day: date) -> DigestEvent:
    (event,) = [e for e in events if e.days == (day,) and e.category == "killed"]
    return event


def test_two_articles_about_one_place_day_and_category_are_one_event() -> None:
    grouped = group_claims(with_claims(TUESDAY_GOVERNOR, TUESDAY_COUNCIL))
    (event,) = grouped.events
    assert (event.days, event.places, event.category, event.whose) == (
        (TUESDAY,),
        ("Varna",),
        "killed",
        "civilian",
    )
    assert event.title == "1 April 2025 · Varna · killed (civilian)"
    assert [(c.claimant, [f.label for f in c.figures]) for c in event.claims] == [
        ("regional governor (Harbor Wire)", ["Three"]),
        ("city council (Coast Times)", ["Seven"]),
    ]


def test_rival_figures_and_a_denial_are_shown_under_their_event() -> None:
    grouped = group_claims(with_claims(TUESDAY_GOVERNOR, TUESDAY_COUNCIL, DENIAL))
    event = killed_on(grouped.events, TUESDAY)
    denial = event.claims[-1]
    assert denial.denies and denial.figures == () and denial.claimant == "Kesh Defence Ministry (Kesh Today)"
    kinds = {d.kind: d for d in event.disagreements}
    assert [(c.claimant, c.figure) for c in kinds["figures"].claims] == [
        ("regional governor (Harbor Wire)", "Three"),
        ("city council (Coast Times)", "Seven"),
    ]
    assert [(c.quote, c.figure) for c in kinds["denial"].claims] == [
        (2, "denies"),
        (0, "asserts"),
        (1, "asserts"),
    ]
    assert all(d.event == "" for d in event.disagreements)  # the heading says what it is about


def test_different_days_are_different_events_oldest_first() -> None:
    grouped = group_claims(with_claims(WEDNESDAY, TUESDAY_GOVERNOR))  # received newest first
    assert [(e.days, e.places, e.category) for e in grouped.events] == [
        ((TUESDAY,), ("Varna",), "killed"),
        ((WEDNESDAY_DAY,), ("Varna",), "killed"),
    ]
    assert all(not e.disagreements for e in grouped.events)  # 3 and 2 on different days: no dispute


def test_what_names_no_place_goes_to_other_reporting_and_quiet_articles_are_counted() -> None:
    grouped = group_claims(with_claims(NO_PLACE, QUIET, TUESDAY_GOVERNOR))
    assert [c.claimant for c in grouped.other] == ["army (Harbor Wire)"]
    assert [f.category for f in grouped.other[0].figures] == ["wounded"]
    assert grouped.without_claims == 1
    assert len(grouped.events) == 1


def test_a_denial_that_names_no_loss_is_its_own_event() -> None:
    grouped = group_claims(with_claims(TUESDAY_GOVERNOR, VAGUE_DENIAL))
    assert [(e.category, [c.denies for c in e.claims]) for e in grouped.events] == [
        ("denial", [True]),
        ("killed", [False]),
    ]
    assert killed_on(grouped.events, TUESDAY).disagreements == ()


def test_the_same_words_in_another_outlet_are_one_claim_also_in_the_other() -> None:
    copy = replace(TUESDAY_GOVERNOR, id="a2", outlet="Valley Post", url="https://valley-post.example/a2")
    (event,) = group_claims(with_claims(TUESDAY_GOVERNOR, copy)).events
    (claim,) = event.claims
    assert claim.quote.document.outlet == "Harbor Wire"
    assert [d.outlet for d in claim.quote.also_in] == ["Valley Post"]


def test_a_claim_is_quoted_as_the_whole_sentences_that_hold_it() -> None:
    text = "Fighting went on. The ministry denied that four civilians were killed in Varna on Tuesday. More later."
    (a, claims), *_ = with_claims(article("h", text, "Kesh Today", "2025-04-02"))
    (quote,) = statements_of(a, claims)
    assert quote.text == "The ministry denied that four civilians were killed in Varna on Tuesday."
    assert a.text[quote.start : quote.end] == quote.text  # verbatim at its offsets
    assert quote.event_dates == (TUESDAY,) and quote.speaker == "ministry"


def test_grouping_does_not_depend_on_the_order_received() -> None:
    articles = [TUESDAY_GOVERNOR, WEDNESDAY, TUESDAY_COUNCIL, DENIAL, NO_PLACE]
    forward = group_claims(with_claims(*articles))
    assert [e.title for e in forward.events] == [
        e.title for e in group_claims(with_claims(*reversed(articles))).events
    ]
