"""The claims about an event or place over time: each claimant's figures and denials, by the day they
speak of.

A timeline is built from an answer (``Engine.ask``), so the answer's coverage rules and refusals
hold: what the archive has nothing on yields an empty timeline with the answer's note. Each quote
gives one point per figure its claimant claims (``claimants.claimed``: not the figures it denies or
gives as another source's); a quote that denies something and claims no figure of its own is one
point, "denies". A claim of none ("no Armenian was killed") is a figure of 0 and a denial too.

The day of a point is the day its quote speaks of:

1. the days the quote names (``Quote.event_dates``; the last, for a run of days);
2. else the day named just before it, in its paragraph (``events.context_before``);
3. else, for a dated report, the day within its report window (the publication day or the day
   before, as ``events.period_of`` reads an undated quote) that the article names most, else the
   publication day;
4. else, for an undated report, the one day it names in full ("Sunday, July 12, 2020"), if it names
   exactly one.

A quote that names no one is claimed by its outlet, marked "reported by".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from index.answering.claimants import claimed
from index.answering.disagreement import describe
from index.answering.events import REPORT_LAG_DAYS, context_before
from index.answering.figures import NUMBER_WORDS, Figure, figures_in, is_denial
from index.dates.event_dates import event_mentions
from index.models import GLOBAL_SCOPE, Answer, Article, Disagreement, Quote

if TYPE_CHECKING:
    from index.engine import Engine

TIMELINE_QUOTES = 30  # more than an answer shows: a timeline wants every claim the coverage rules let in
NOTHING_TO_DRAW = (
    "The reporting the archive has on that states no figure and denies nothing: no timeline to draw."
)
DENIES = "denies"


@dataclass(frozen=True)
class TimelinePoint:
    """One claim: who, what figure (or a denial), about which day, and the quote that says so."""

    day: date | None  # the day the claim speaks of; None when nothing dates it
    dated_by: str  # "quote", "context", "article", "published" or "" (undated): how the day was read
    claimant: str  # the speaker as written, or the outlet for a quote that names no one
    reported_by: bool  # the quote names no one: ``claimant`` is the outlet that reports it
    figure: str  # as the quote says it ("3", "at least 4", "no", "some"), or "denies"
    value: float | None  # the number stated ("at least 4" -> 4, "no" -> 0); None when vague or a denial
    category: str  # "killed", "wounded", "casualties", "displaced", "tanks destroyed"...; "" if unsaid
    subject: str  # who or what was counted, in the quote's words ("soldiers", "Armenian")
    denial: bool  # a denial, or a claim of none
    quote: Quote
    low: float = 0.0  # the figure's range (``Figure.low``, ``Figure.high``): "at least 4" is 4 to infinity
    high: float = 0.0

    @property
    def who(self) -> str:
        """The claimant as shown: "reported by Outlet" when the quote names no one."""
        return f"reported by {self.claimant}" if self.reported_by else self.claimant

    @property
    def claim(self) -> str:
        """The claim in words: "3 killed (soldiers)", "none killed (Armenian)", "denies (killed)"."""
        if self.figure == DENIES:
            return f"denies ({self.category})" if self.category else DENIES
        # "Three" and "At least 4" opened their sentences; "no" and "not a single" read as "none".
        figure = "none" if self.high == 0 else self.figure[:1].lower() + self.figure[1:]
        said = self.subject and self.subject.casefold() not in self.category.casefold()
        return f"{figure} {self.category}".strip() + (f" ({self.subject})" if said else "")

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of one point of ``sitrep timeline --json``."""
        doc = self.quote.document
        return {
            "day": self.day.isoformat() if self.day else None,
            "dated_by": self.dated_by or None,
            "claimant": self.claimant,
            "reported_by": self.reported_by,
            "figure": self.figure,
            "value": self.value,
            "category": self.category,
            "subject": self.subject,
            "denial": self.denial,
            "quote": self.quote.text,
            "speaker": self.quote.speaker,
            "outlet": doc.outlet,
            "title": doc.title,
            "url": doc.url,
            "published": doc.published.isoformat() if doc.published else None,
            "language": self.quote.language,
        }


@dataclass(frozen=True)
class Timeline:
    """The dated claims of an answer, in order of day then claimant, and where claimants disagree."""

    query: str
    found: bool
    note: str | None
    points: tuple[TimelinePoint, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    quotes: tuple[Quote, ...] = field(default=(), repr=False)  # the answer's, which disagreements index

    @property
    def drawable(self) -> bool:
        """Whether a chart can be drawn: some claim is dated."""
        return any(p.day is not None for p in self.points)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``sitrep timeline --json``."""
        return {
            "query": self.query,
            "found": self.found,
            "note": self.note,
            "points": [p.to_dict() for p in self.points],
            "disagreements": [self._disagreement(d) for d in self.disagreements],
        }

    def _disagreement(self, d: Disagreement) -> dict[str, Any]:
        data = d.to_dict()
        data["summary"] = describe(d)
        for claim in data["claims"]:  # an index into the answer means nothing here: the quote itself
            n = claim.pop("quote")
            claim["quote"] = self.quotes[n].text if 0 <= n < len(self.quotes) else None
        return data


def stated_value(f: Figure) -> float | None:
    """The number a figure states: "3" -> 3, "at least 4" -> 4, "nearly 50" -> 50, "about 50" -> 50,
    "no" -> 0; None for vague ones ("some", "dozens", "heavy").

    ``figures.py`` keeps ranges, not the number said; the bounds it gives each qualifier ("at least
    N": N to infinity, "nearly N": 0.8N to N, "up to N": 0 to N, "about N": 0.8N to 1.2N) undo here.
    """
    if f.low == f.high:
        return f.low
    words = f.label.lower().split()
    if not any(w[:1].isdigit() or w in NUMBER_WORDS for w in words):
        return None  # "some", "dozens", "hundreds": a range, not a number
    if math.isinf(f.high):
        return f.low
    if f.low == 0 or math.isclose(f.low, 0.8 * f.high):
        return f.high
    return (f.low + f.high) / 2


def day_of(quote: Quote, article: Article | None) -> tuple[date | None, str]:
    """The day a quote's claims speak of, and how it was read (the module's rules 1-4)."""
    if quote.event_dates:
        return max(quote.event_dates), "quote"
    if article is not None and article.text[quote.start : quote.end] == quote.text:
        days = context_before(article, quote.start).days
        if days:
            return max(days), "context"
    published = quote.document.published
    named: Counter[date] = Counter(
        d for m in (event_mentions(article.text, published) if article else ()) for d in m.days()
    )
    if published is not None:
        window = [d for d in named if published - timedelta(days=REPORT_LAG_DAYS) <= d <= published]
        if window:
            return max(window, key=lambda d: (named[d], d)), "article"
        return published, "published"
    if len(named) == 1:  # undated: without a publication date only full dates are read
        return next(iter(named)), "article"
    return None, ""


def _points(quote: Quote, article: Article | None) -> list[TimelinePoint]:
    day, dated_by = day_of(quote, article)
    doc = quote.document
    claimant = quote.speaker or doc.outlet or "an unnamed outlet"
    common: dict[str, Any] = {
        "day": day,
        "dated_by": dated_by if day else "",
        "claimant": claimant,
        "reported_by": not quote.speaker,
        "quote": quote,
    }
    figures = claimed(quote)
    if figures:
        return [
            TimelinePoint(
                figure=f.label,
                value=stated_value(f),
                category=f.category,
                subject=f.subject,
                denial=f.high == 0,
                low=f.low,
                high=f.high,
                **common,
            )
            for f in figures
        ]
    if is_denial(quote.text):
        denied = figures_in(quote.text)  # what it denies ("denied that 300 were killed"), if it says
        return [
            TimelinePoint(
                figure=DENIES,
                value=None,
                category=denied[0].category if denied else "",
                subject=denied[0].subject if denied else "",
                denial=True,
                **common,
            )
        ]
    return []


def build_timeline(answer: Answer, articles: Mapping[str, Article] | None = None) -> Timeline:
    """The timeline of an answer's quotes (pure).

    Args:
        answer: what ``Engine.ask`` returned for the query.
        articles: the quoted articles by id, to read the day a quote leaves to the words before it
            or to its article; without them a quote undated in itself takes its publication day.

    Returns:
        The points in order of day (undated last), then claimant, then as the answer ranked them;
        not found, with the answer's note, when the answer found nothing or no quote holds a
        figure or a denial.
    """
    if not answer.found:
        return Timeline(answer.question, False, answer.note)
    ranked = [
        (n, p) for n, q in enumerate(answer.quotes) for p in _points(q, (articles or {}).get(q.document.id))
    ]
    if not ranked:
        return Timeline(answer.question, False, NOTHING_TO_DRAW)
    ranked.sort(key=lambda np: (np[1].day is None, np[1].day or date.min, np[1].who.casefold(), np[0]))
    return Timeline(
        query=answer.question,
        found=True,
        note=None,
        points=tuple(p for _, p in ranked),
        disagreements=answer.disagreements,
        quotes=answer.quotes,
    )


async def timeline(
    engine: Engine,
    query: str,
    *,
    scopes: Sequence[str] = (GLOBAL_SCOPE,),
    since: date | None = None,
    until: date | None = None,
    k: int = TIMELINE_QUOTES,
) -> Timeline:
    """The claims about an event or place over time, from the articles in ``scopes``.

    Args:
        engine: an open engine.
        query: the event or place ("casualties in Tovuz"); dates and places in it filter as in ``ask``.
        scopes: which corpora (GLOBAL_SCOPE and/or a guild id).
        since, until: only reporting published in these days.
        k: at most this many quotes are read for claims.
    """
    answer = await engine.ask(query, k=k, scopes=scopes, since=since, until=until)
    articles: dict[str, Article] = {}
    for q in answer.quotes:
        for scope in scopes:
            if q.document.id in articles:
                break
            article = await engine.store.articles.get(scope, q.document.id)
            if article is not None:
                articles[article.id] = article
    return build_timeline(answer, articles)
