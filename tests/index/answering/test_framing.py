"""Which disputes an answer shows: about the places and the people the question asks about."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from index.answering.framing import about_the_asked_people, at_the_asked_day, at_the_asked_places
from index.answering.planning import QueryPlan
from index.models import Disagreement, DisputedClaim, DocumentRef, Quote


def test_no_dispute_between_figures_about_other_places_than_the_one_asked() -> None:
    # A Sloviansk question got Belgorod's toll beside Kramatorsk's "no casualties" as a dispute.
    doc = DocumentRef(id="w-1", title=None, outlet="Harbor Wire", url=None, published=date(2025, 3, 9))
    texts = [
        "At least six people died in Tolvik on Sunday, according to the Tolvik mayor.",
        "The governor of the Pellin region said at least three people were killed.",
        "The city of Drusk was hit but there were no casualties, the Drusk administration said.",
        "Two people were killed in Tolvik, the army said.",
    ]
    quotes = [Quote(text=t, speaker=None, start=0, end=len(t), score=0.5, document=doc) for t in texts]

    def dispute(*indexes: int, kind: str = "figures") -> Disagreement:
        claims = tuple(
            DisputedClaim(quote=i, claimant=f"c{i}", figure="1", subject="people") for i in indexes
        )
        return Disagreement(category="killed", claims=claims, kind=kind)

    query = QueryPlan(
        question="How many people died in Tolvik on Sunday?", terms=(), content_words=(), intervals=(),
        outlets=(), places=("Tolvik",), names=(), who=False,
    )  # fmt: skip
    # 1 and 4 name no place: they may be about Tolvik, but a dispute must name it somewhere.
    texts_no_place = "Ninety-eight people were wounded, the regional administration said."
    quotes.append(Quote(text=texts_no_place, speaker=None, start=0, end=60, score=0.5, document=doc))
    found = (dispute(1, 2), dispute(0, 3), dispute(0, 1, kind="sides"), dispute(0, 4), dispute(1, 4))
    assert at_the_asked_places(found, quotes, query) == found[1:4]
    assert at_the_asked_places(found, quotes, replace(query, places=())) == found  # no place asked


def test_rival_tolls_of_other_people_than_those_asked_are_no_dispute() -> None:
    def dispute(*subjects: str, kind: str = "figures") -> Disagreement:
        claims = tuple(
            DisputedClaim(quote=i, claimant=f"c{i}", figure="3", subject=s) for i, s in enumerate(subjects)
        )
        return Disagreement(category="killed", claims=claims, kind=kind)

    civilians = dispute("civilians", "residents")
    soldiers = dispute("Zeltran soldiers", "troops")
    mixed = dispute("civilians", "people")  # one claim may count soldiers too
    denial = dispute("civilians", "residents", kind="denial")
    found = (civilians, soldiers, mixed, denial)
    assert about_the_asked_people(found, "How many Zeltran soldiers were killed?") == (
        soldiers,
        mixed,
        denial,
    )
    assert about_the_asked_people(found, "How many civilians died in Pellin?") == (civilians, mixed, denial)
    # Neither kind asked, or both: every dispute stays.
    assert about_the_asked_people(found, "How many were killed in Pellin?") == found
    assert about_the_asked_people(found, "Were soldiers or civilians killed?") == found


def test_a_count_by_a_day_shows_the_disputes_of_about_that_day() -> None:
    # "How many civilians had been killed by March 6?" got the running totals of February 25 and
    # March 3 as disputes: disputes, but about other days' counts.
    def on(day: date, text: str = "At least 25 civilians have been killed, the office said.") -> Quote:
        doc = DocumentRef(id=f"d-{day}", title=None, outlet="Harbor Wire", url=None, published=day)
        return Quote(text=text, speaker=None, start=0, end=len(text), score=0.5, document=doc)

    quotes = [on(date(2025, 2, 25)), on(date(2025, 2, 25)), on(date(2025, 3, 6)), on(date(2025, 3, 7))]
    undated = DocumentRef(id="u", title=None, outlet="Harbor Wire", url=None, published=None)
    quotes.append(replace(quotes[0], document=undated))

    def dispute(*indexes: int, kind: str = "figures") -> Disagreement:
        claims = tuple(
            DisputedClaim(quote=i, claimant=f"c{i}", figure="25", subject="civilians") for i in indexes
        )
        return Disagreement(category="killed", claims=claims, kind=kind)

    # Kept: the asked day's; one of the asked day beside an older one; one with an undated quote.
    found = (dispute(0, 1), dispute(2, 3), dispute(0, 1, kind="sides"), dispute(0, 2), dispute(1, 4))
    query = QueryPlan(
        question="How many civilians had been killed by March 6?", terms=(), content_words=(),
        intervals=((date.min, date(2025, 3, 6)),), outlets=(), places=(), names=(), who=False, counting=True,
    )  # fmt: skip
    assert at_the_asked_day(found, quotes, query) == found[1:]
    # "on" a day, "in" a month, or no count asked: the search already kept to the days asked.
    on_the_day = replace(query, intervals=((date(2025, 3, 6), date(2025, 3, 6)),))
    assert at_the_asked_day(found, quotes, on_the_day) == found
    assert at_the_asked_day(found, quotes, replace(query, counting=False)) == found
