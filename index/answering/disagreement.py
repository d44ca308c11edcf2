"""Where the quotes of an answer contradict each other about one event, and each party's claim.

``find_disagreements`` puts side by side:

* figures that cannot all be true, when they count the same event (``events.same_event``: category,
  whose losses, place, period) and come from different claimants. One claimant's figures never
  dispute each other: a toll that rose is an update, not a dispute. A claim of none ("no Armenian
  was killed") disputes a claim of some for the same side ("the Armenian side also suffered
  casualties");
* a denial with no figure of its own ("the reports do not correspond to reality") and the claims of
  other claimants it can be about: the category it names (killed, casualties, drones shot down...),
  the kind of people, place and period where both say. A denial that names no category is paired
  only when the other claimants assert exactly one event, since it could deny any of them;
* for "what did A and B each claim" questions (``parties_in``), each party's best quote in the
  answer, whether or not a figure conflicts.

``figures.py`` reads the figures; ``events.py`` says what they count; ``parties.py`` who is who.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from index.answering.claimants import claimant_name, claimed, same_claimant
from index.answering.events import (
    Context,
    Event,
    categories_match,
    context_before,
    describe_event,
    event_of,
    period_of,
    places_in,
    same_event,
    share_place,
)
from index.answering.figures import (
    CIVILIAN_WORDS,
    MILITARY_WORDS,
    Figure,
    figures_in,
    is_denial,
)
from index.answering.parties import parties_in
from index.answering.sides import side_by_side
from index.models import Article, Disagreement, DisputedClaim, Quote

__all__ = [
    "denied_event",
    "describe",
    "figures_in",
    "find_disagreements",
    "is_denial",
    "parties_in",
    "side_by_side",
]

MAX_ASSERTED = 3  # claims shown against one denial

# Words that say what a denial is about, as figure categories.
_DENIED_CATEGORY = {
    "killed": "killed",
    "killing": "killed",
    "dead": "killed",
    "deaths": "killed",
    "died": "killed",
    "fatalities": "killed",
    "casualties": "casualties",
    "losses": "casualties",
    "wounded": "wounded",
    "injured": "wounded",
    "captured": "captured",
    "prisoners": "captured",
    "fled": "displaced",
    "displaced": "displaced",
    "refugees": "displaced",
}
_DESTROYED = re.compile(r"\b(?:destroy\w*|shot\s+down|downed|shooting\s+down)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Claim:
    quote: int
    figure: Figure
    event: Event


def _figure_disputes(quotes: Sequence[Quote], contexts: Sequence[Context | None]) -> list[Disagreement]:
    claims = [_Claim(i, f, event_of(q, f, contexts[i])) for i, q in enumerate(quotes) for f in claimed(q)]

    def disputes(a: _Claim, b: _Claim) -> bool:
        return (
            not same_claimant(quotes[a.quote], quotes[b.quote])
            and same_event(a.event, b.event)
            and a.figure.conflicts_with(b.figure)
        )

    groups: list[list[_Claim]] = []
    placed: set[int] = set()
    for n, a in enumerate(claims):
        if n in placed:
            continue
        group = [a]
        for m in range(n + 1, len(claims)):
            b = claims[m]
            if m in placed or any(same_claimant(quotes[b.quote], quotes[c.quote]) for c in group):
                continue
            if all(same_event(b.event, c.event) for c in group) and any(disputes(b, c) for c in group):
                group.append(b)
                placed.add(m)
        if len(group) >= 2:
            placed.add(n)
            groups.append(group)
    out = []
    for group in groups:
        categories = {c.figure.category for c in group}
        out.append(
            Disagreement(
                category=categories.pop() if len(categories) == 1 else "casualties",
                claims=tuple(
                    DisputedClaim(
                        quote=c.quote,
                        claimant=claimant_name(quotes[c.quote]),
                        figure=c.figure.label,
                        subject=c.figure.subject,
                    )
                    for c in group
                ),
                kind="figures",
                event=describe_event([c.event for c in group]),
            )
        )
    return out


def denied_event(q: Quote, context: Context | None) -> Event:
    """What a denial can be about: the category and kind of people it names, its places and days."""
    words = {w.casefold() for w in re.findall(r"[\w'’-]+", q.text)}
    categories = {c for w, c in _DENIED_CATEGORY.items() if w in words} | {
        f.category for f in figures_in(q.text)
    }
    if _DESTROYED.search(q.text):
        categories.add("destroyed")
    kind = "civilian" if words & CIVILIAN_WORDS else "military" if words & MILITARY_WORDS else ""
    towns, countries = places_in(q.text)
    if not towns and not countries and context is not None:
        towns, countries = places_in(context.text)
    return Event(
        category="|".join(sorted(categories)),
        kind=kind,
        places=towns,
        countries=countries,
        period=period_of(q, context),
    )


def _denial_covers(denied: Event, claim: Event) -> bool:
    """Whether a denial can be about a claimed event (its unknown fields match anything)."""
    categories = [c for c in denied.category.split("|") if c]
    if categories and not any(
        categories_match(c, claim.category) or (c == "destroyed" and claim.category.endswith("destroyed"))
        for c in categories
    ):
        return False
    if denied.kind and claim.kind and denied.kind != claim.kind:
        return False
    return (
        share_place(denied.places, claim.places)
        and share_place(denied.countries, claim.countries)
        and (denied.period is None or claim.period is None or denied.period.overlaps(claim.period))
    )


def _denials(quotes: Sequence[Quote], contexts: Sequence[Context | None]) -> list[Disagreement]:
    asserted = [
        _Claim(i, f, event_of(q, f, contexts[i]))
        for i, q in enumerate(quotes)
        for f in claimed(q)
        if f.asserts_losses
    ]
    out = []
    for i, q in enumerate(quotes):
        if not is_denial(q.text) or claimed(q):
            continue
        denied = denied_event(q, contexts[i])
        covered = [
            c for c in asserted if not same_claimant(q, quotes[c.quote]) and _denial_covers(denied, c.event)
        ]
        if not denied.category and not all(same_event(a.event, b.event) for a in covered for b in covered):
            continue  # it names nothing, and could deny any of several events
        others = list(dict.fromkeys(c.quote for c in covered))[:MAX_ASSERTED]
        if not others:
            continue
        sides = [DisputedClaim(quote=i, claimant=claimant_name(q), figure="denies", subject="")]
        sides += [
            DisputedClaim(quote=j, claimant=claimant_name(quotes[j]), figure="asserts", subject="")
            for j in others
        ]
        events = [c.event for c in covered if c.quote in others]
        out.append(
            Disagreement(category="denial", claims=tuple(sides), kind="denial", event=describe_event(events))
        )
    return out


def find_disagreements(
    quotes: Sequence[Quote],
    question: str = "",
    articles: Mapping[str, Article] | None = None,
    *,
    parties: Sequence[str] | None = None,
) -> tuple[Disagreement, ...]:
    """The answer's disagreements: each party's claim for an "each claim" question first, then rival
    figures for one event, then denials.

    Args:
        quotes: the answer's quotes, best first; a claimant's first figure for an event is its claim.
        question: the question asked, for the parties of "what did A and B each claim" questions.
        articles: the quoted articles by id, to read the place or day a quote leaves to the words
            before it ("that shelling left one dead" after "... on Monday").
        parties: the two parties to show side by side, when the caller knows them (the sides the
            reporting names, for "each side's claim"); by default ``parties_in(question)``.
    """
    contexts = [_context(q, articles) for q in quotes]
    if parties is None:
        parties = parties_in(question) if question else ()
    sides = side_by_side(parties, quotes, contexts, question) if parties else None
    return (*([sides] if sides else []), *_figure_disputes(quotes, contexts), *_denials(quotes, contexts))


def _context(q: Quote, articles: Mapping[str, Article] | None) -> Context | None:
    article = (articles or {}).get(q.document.id)
    if article is None or article.text[q.start : q.end] != q.text:
        return None
    return context_before(article, q.start)


def describe(d: Disagreement) -> str:
    """One line: "killed: Azerbaijani Defense Ministry says 3 (soldiers); Shushan Stepanyan says no (Armenian)".

    A side-by-side record reads "each side: Russia — Russian Defense Ministry; Ukraine — Zelensky";
    what the claims are about follows a dash when known ("… — Pellin · 12 March 2025").
    """
    parts = []
    for c in d.claims:
        subject = f" ({c.subject})" if c.subject else ""
        if d.kind == "sides":
            parts.append(f"{c.party} — {c.claimant}")
        elif c.figure in ("denies", "asserts"):
            parts.append(f"{c.claimant} {c.figure}")
        else:
            parts.append(f"{c.claimant} says {c.figure}{subject}")
    about = f" — {d.event}" if d.event else ""
    return f"{d.category}: " + "; ".join(parts) + about
