"""Which disputes and sides an answer shows, and in what order: disputes about the places and the
people the question asks about, and each party's quote first for a "what did A and B each claim"
question."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from index.answering.events import TOTAL_LAG_DAYS, Period, period_of, places_in
from index.answering.figures import CIVILIAN_WORDS, MILITARY_WORDS
from index.answering.planning import QueryPlan
from index.answering.vocabulary import WORD
from index.models import Disagreement, Quote


def at_the_asked_places(
    disagreements: Sequence[Disagreement], quotes: Sequence[Quote], query: QueryPlan | None
) -> tuple[Disagreement, ...]:
    """The disputes about a place the question asks about, where it asks about one: some quote of the
    dispute names it, and none names only other places (towns or countries).

    A toll for Belgorod beside "no casualties" in Kramatorsk answered "how many died in Sloviansk?"
    with a dispute that is none: figures about other places are no rival claims about this one. A
    quote that names no place ("98 were wounded, the administration said") may still be about it.
    Each side's quotes (``sides``) are the question's parties'. (Requiring every quote to name the
    place dropped real disputes — "The Zeltran Eastern Command said 11 Orvenian soldiers were
    killed", its place in the sentence before — for one wrong panel fewer on the trust dev set.)
    """
    if query is None or not query.places:
        return tuple(disagreements)
    spellings = dict(query.place_spellings)
    names = [re.compile(rf"\b{re.escape(v)}\b", re.I) for p in query.places for v in spellings.get(p, (p,))]

    def names_an_asked_place(i: int) -> bool:
        return 0 <= i < len(quotes) and any(n.search(quotes[i].text) for n in names)

    def names_only_others(i: int, around: frozenset[str]) -> bool:
        # A country counts too ("two killed in Poland" is no rival toll for Kyiv) unless a quote that
        # names the asked place names it as well ("Kramatorsk, eastern Ukraine"; then "in Ukraine" may
        # be about it).
        towns, countries = places_in(quotes[i].text) if 0 <= i < len(quotes) else (frozenset(), frozenset())
        return bool(towns or countries - around) and not names_an_asked_place(i)

    def countries_around(d: Disagreement) -> frozenset[str]:
        at_place = [c.quote for c in d.claims if names_an_asked_place(c.quote)]
        return frozenset(x for i in at_place for x in places_in(quotes[i].text)[1])

    return tuple(
        d
        for d in disagreements
        if d.kind == "sides"
        or (
            any(names_an_asked_place(c.quote) for c in d.claims)
            and not any(names_only_others(c.quote, countries_around(d)) for c in d.claims)
        )
    )


def at_the_asked_day(
    disagreements: Sequence[Disagreement], quotes: Sequence[Quote], query: QueryPlan | None
) -> tuple[Disagreement, ...]:
    """For a count "by" a day ("how many civilians had been killed by March 6?"), the rival figures
    and denials of about that day: two running totals of February 25 are a dispute, but not about
    the count asked for. Counts grow every day, so "about" is ``TOTAL_LAG_DAYS`` either side, as for
    the running totals ``same_event`` compares. A dispute is kept when any of its quotes is of about
    that day, or when a quote's day is unknown (an undated article may well be of it).

    Questions about one day or a span already search only the reporting of those days.
    """
    if query is None or not query.counting or len(query.intervals) != 1:
        return tuple(disagreements)
    first, last = query.intervals[0]
    if first != date.min:  # "by March 6" is every day up to it; "on March 6" or "in March" is not
        return tuple(disagreements)
    lag = timedelta(days=TOTAL_LAG_DAYS)
    asked = Period(last - lag, last + lag)

    def of_the_day(i: int) -> bool:
        if not 0 <= i < len(quotes):
            return False
        period = period_of(quotes[i])
        return period is None or period.overlaps(asked)

    return tuple(d for d in disagreements if d.kind == "sides" or any(of_the_day(c.quote) for c in d.claims))


def about_the_asked_people(disagreements: Sequence[Disagreement], question: str) -> tuple[Disagreement, ...]:
    """The rival figures about the kind of people a question counts, where it names one: civilian
    tolls are no answer to "how many Russian soldiers were killed", nor soldiers' to a question
    about civilians."""
    asked = {w.casefold() for w in WORD.findall(question)}
    military, civilian = bool(asked & MILITARY_WORDS), bool(asked & CIVILIAN_WORDS)
    if military == civilian:
        return tuple(disagreements)
    other = CIVILIAN_WORDS if military else MILITARY_WORDS

    def counts_others(d: Disagreement) -> bool:
        return d.kind == "figures" and all(
            {w.casefold() for w in WORD.findall(c.subject)} & other for c in d.claims
        )

    return tuple(d for d in disagreements if not counts_others(d))


def sides_first(
    quotes: Sequence[Quote], disagreements: Sequence[Disagreement]
) -> tuple[list[Quote], tuple[Disagreement, ...]]:
    """For a "what did A and B each claim" question, each side's quote first (A's, then B's), in every
    view of the answer (the terminal, JSON, Discord), the rest in rank order; references follow."""
    sides = next((d for d in disagreements if d.kind == "sides"), None)
    if sides is None:
        return list(quotes), tuple(disagreements)
    lead = list(dict.fromkeys(c.quote for c in sides.claims if 0 <= c.quote < len(quotes)))
    order = lead + [i for i in range(len(quotes)) if i not in lead]
    new_index = {old: new for new, old in enumerate(order)}
    moved = tuple(
        replace(d, claims=tuple(replace(c, quote=new_index.get(c.quote, c.quote)) for c in d.claims))
        for d in disagreements
    )
    return [quotes[i] for i in order], moved
