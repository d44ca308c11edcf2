"""From the claims stored with the articles a window received to the events of a digest.

A claim is quoted as the sentences that hold it (the cue too: "denied that civilians had been
killed" denies, where the claimed words alone would assert). A quote that claims figures
(``claimants.claimed``) counts an event per figure (``events.event_of``: category, whose losses,
places, days); one that denies and claims none is a denial. Figures of one event, as the
disagreement code decides it (``events.same_event``: the same place, overlapping days, the same
category and side), are one digest event, named for one place and one day; a denial joins the
events it can be about (``disagreement.find_disagreements`` pairs them), or is an event of its own.
What names no place, or no day (or a span of days longer than a report's), is "other reporting".

Pure and synchronous: ``build.build_digest`` runs it off the event loop.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from index.answering.claimants import claimant_name, claimed
from index.answering.disagreement import denied_event, find_disagreements
from index.answering.events import (
    REPORT_LAG_DAYS,
    Context,
    Event,
    categories_match,
    context_before,
    event_of,
    same_event,
)
from index.answering.figures import Figure, is_denial
from index.attribution.passes import is_speech_cue
from index.dates.event_dates import days_in, event_mentions
from index.digest.records import DigestClaim, DigestEvent
from index.models import Article, Claim, DocumentRef, Quote
from index.text.cleaning import passage_language
from index.text.sentences import split_sentences

DENIAL = "denial"  # the category of an event that is only denied


@dataclass(frozen=True)
class _Statement:
    """A quote of the window with its article and the words before it."""

    quote: Quote
    article: Article
    context: Context


@dataclass(frozen=True)
class _Item:
    """One figure of a statement (or its denial) and the event it is about."""

    statement: int  # index into the statements
    figure: Figure | None  # None: a denial
    event: Event


@dataclass(frozen=True)
class Grouped:
    """What ``group_claims`` found: events oldest first, the claims that name no place or day, and
    how many articles claim no figure and deny nothing."""

    events: tuple[DigestEvent, ...]
    other: tuple[DigestClaim, ...]
    without_claims: int


def statements_of(article: Article, claims: Sequence[Claim]) -> list[Quote]:
    """The article's reported speech as quotes: for each claim with a speech cue ("said", "according
    to", not "wants"), the whole sentences that hold it, each span once, in text order."""
    text = article.text
    sentences = split_sentences(text)
    mentions = event_mentions(text, article.published)
    document = DocumentRef.of(article)
    quotes: dict[tuple[int, int], Quote] = {}
    for claim in claims:
        if not claim.cue or not is_speech_cue(claim.cue):
            continue
        start = max((s for s, _ in sentences if s <= claim.start), default=claim.start)
        end = min((e for _, e in sentences if e >= claim.end), default=claim.end)
        if (start, end) in quotes or not text[start:end].strip():
            continue
        quotes[(start, end)] = Quote(
            text=text[start:end],
            speaker=" ".join(claim.speaker.split()) if claim.speaker else None,
            start=start,
            end=end,
            score=0.0,
            document=document,
            event_dates=days_in(mentions, start, end),
            language=passage_language(text[start:end], article.language),
        )
    return sorted(quotes.values(), key=lambda q: q.start)


def _pinned(event: Event) -> bool:
    """Whether an event has a place and a day: a day named, or a report's own day and the one before."""
    period = event.period
    return bool(event.places) and period is not None and (period.last - period.first).days <= REPORT_LAG_DAYS


def group_claims(received: Sequence[tuple[Article, Sequence[Claim]]]) -> Grouped:
    """Group the claims of the articles a window received into events.

    Args:
        received: each article with its stored claims, in the order received.

    Returns:
        The events, oldest first (by the day they are about); the figures and denials that name no
        place or day, in the order received; and how many articles had neither.
    """
    statements: list[_Statement] = []
    figures: list[_Item] = []
    denials: list[_Item] = []
    without_claims = 0
    for article, claims in received:
        before = len(figures) + len(denials)
        for quote in statements_of(article, claims):
            statement = _Statement(quote, article, context_before(article, quote.start))
            n = len(statements)
            statements.append(statement)
            own = claimed(quote)
            figures += [_Item(n, f, event_of(quote, f, statement.context)) for f in own]
            if not own and is_denial(quote.text):
                denials.append(_Item(n, None, denied_event(quote, statement.context)))
        without_claims += len(figures) + len(denials) == before

    clusters = _clusters([i for i in figures if _pinned(i.event)])
    pinned = [d for d in denials if _pinned(d.event)]
    paired: set[int] = set()
    for cluster in clusters:
        found = _denials_of(cluster, pinned, statements)
        cluster += found
        paired.update(d.statement for d in found)
    alone = [d for d in pinned if d.statement not in paired]
    clusters += _clusters([replace(d, event=_as_denied(d.event)) for d in alone])
    events = sorted((_event(c, statements) for c in clusters), key=_order)
    loose = [i for i in (*figures, *denials) if not _pinned(i.event)]
    return Grouped(tuple(events), tuple(_claims(loose, statements)), without_claims)


def _clusters(items: Sequence[_Item]) -> list[list[_Item]]:
    """Items grouped so that every two in a group are about the same event; each joins the first
    group it fits, in order, so the grouping is the same for the same items."""
    out: list[list[_Item]] = []
    for item in items:
        home = next((c for c in out if all(same_event(item.event, m.event) for m in c)), None)
        if home is None:
            out.append([item])
        else:
            home.append(item)
    return out


def _denials_of(
    cluster: Sequence[_Item], denials: Sequence[_Item], statements: Sequence[_Statement]
) -> list[_Item]:
    """The denials the disagreement code pairs with the figures of an event, among those that name
    what they deny (killed, losses, drones shot down…) at the event's place, on its day: "denied
    carrying out any attack on Tolvik that day" is no answer to a count of the displaced there."""
    counted = [m for m in cluster if m.figure is not None]
    candidates = [
        d
        for d in denials
        if d.event.category and all(same_event(_as_denied(d.event), _as_denied(m.event)) for m in counted)
    ]
    if not candidates:
        return []
    # One call for all of them: each denial is paired on its own, against the figures alone.
    order = list(dict.fromkeys([*(m.statement for m in counted), *(d.statement for d in candidates)]))
    found = find_disagreements(
        [statements[n].quote for n in order], articles=_articles(order, statements), parties=()
    )
    denying = {order[d.claims[0].quote] for d in found if d.kind == "denial"}
    return [d for d in candidates if d.statement in denying]


def _as_denied(event: Event) -> Event:
    """An event as denials are compared with it, and with each other: place and days only."""
    return Event(DENIAL, places=event.places, countries=event.countries, period=event.period)


def _articles(order: Sequence[int], statements: Sequence[_Statement]) -> Mapping[str, Article]:
    return {statements[n].article.id: statements[n].article for n in order}


def _event(cluster: Sequence[_Item], statements: Sequence[_Statement]) -> DigestEvent:
    """A digest event from a group of items about one event: its claims by claimant and disagreements."""
    claims = _claims(cluster, statements)
    counted = [m for m in cluster if m.figure is not None]
    categories = {m.event.category for m in counted} or {DENIAL}
    category = categories.pop() if len(categories) == 1 else "casualties"
    disagreements = [
        replace(d, event="")  # the event is the heading it is shown under
        for d in find_disagreements(
            [c.quote for c in claims],
            articles=_articles([m.statement for m in cluster], statements),
            parties=(),
        )
        if d.kind == "denial" or categories_match(d.category, category)
    ]
    return DigestEvent(
        days=_days(cluster),
        places=_places(cluster),
        category=category,
        whose=_whose(counted),
        claims=tuple(claims),
        disagreements=tuple(disagreements),
    )


def _claims(items: Sequence[_Item], statements: Sequence[_Statement]) -> list[DigestClaim]:
    """One claim per quote (the same words in another article are named in ``also_in``), grouped by
    claimant in the order each was first received."""
    figures: dict[int, list[Figure]] = {}
    for item in sorted(items, key=lambda i: i.statement):
        kept = figures.setdefault(item.statement, [])
        if item.figure is not None and item.figure not in kept:
            kept.append(item.figure)
    firsts: dict[str, int] = {}
    copies: dict[str, int] = {}  # the words of a quote -> the statement quoted for them
    also: dict[int, list[DocumentRef]] = {}
    for n in figures:
        words = " ".join(statements[n].quote.text.split())
        if words in copies:
            also[copies[words]].append(statements[n].quote.document)
            continue
        copies[words] = n
        also[n] = []
        firsts.setdefault(claimant_name(statements[n].quote), n)
    out = []
    for n in sorted(also, key=lambda n: (firsts[claimant_name(statements[n].quote)], n)):
        quote = replace(statements[n].quote, also_in=tuple(also[n]))
        out.append(DigestClaim(claimant_name(quote), quote, tuple(figures[n]), denies=not figures[n]))
    return out


def _days(cluster: Sequence[_Item]) -> tuple[date, ...]:
    """The day the event is about: the day its claims name, else the days all their periods share."""
    periods = [m.event.period for m in cluster if m.event.period is not None]
    named = sorted({p.first for p in periods if p.first == p.last})
    if named:
        return tuple(named)
    first, last = max(p.first for p in periods), min(p.last for p in periods)
    return tuple(first + timedelta(days=n) for n in range((last - first).days + 1))


def _places(cluster: Sequence[_Item]) -> tuple[str, ...]:
    """The places most of its claims name (two at most), most named first."""
    counts = Counter(p for m in cluster for p in m.event.places)
    return tuple(sorted(counts, key=lambda p: (-counts[p], p))[:2])


def _whose(counted: Sequence[_Item]) -> str:
    """Whose losses the figures count, as they say: their side ("Orvenian") and kind ("military")."""
    sides = sorted({s for m in counted for s in m.event.sides})
    kinds = {m.event.kind for m in counted}
    kind = kinds.pop() if len(kinds) == 1 else ""
    return ", ".join(filter(None, ["/".join(s[:1].upper() + s[1:] for s in sides), kind]))


def _order(event: DigestEvent) -> tuple[object, ...]:
    """Oldest first; then by place, category and side, so the order never depends on the input's."""
    return (event.days[0], event.days[-1], event.places, event.category, event.whose)
