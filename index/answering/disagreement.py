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
from datetime import timedelta

from index.answering.events import (
    Context,
    Event,
    Period,
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
    figures_by_source,
    figures_in,
    is_denial,
)
from index.answering.parties import is_country, parties_in, same_side, speaks_for, word_set
from index.models import Article, Disagreement, DisputedClaim, Quote

__all__ = [
    "describe",
    "excerpt",
    "figures_in",
    "find_disagreements",
    "is_denial",
    "parties_in",
    "side_by_side",
]

MAX_ASSERTED = 3  # claims shown against one denial
SIDES_WINDOW_DAYS = 7  # each party's quote in a side-by-side record speaks of days at most this far apart

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
# Speaker words that name no one in particular: "the Defence Ministry" in two outlets may be two
# countries' ministries, so such a speaker is one claimant only within one outlet.
_GENERIC = word_set(
    """the a an of ministry defence defense military army officials official spokesperson spokesman
    spokeswoman government general staff command forces armed police authorities office governor
    mayor president minister press secretary service services source sources it they he she
    department agency head chief commander ministry's"""
)


def claimed(q: Quote) -> list[Figure]:
    """The figures a quote's claimant claims: not those it denies, nor those it gives as another
    source's ("14 dead according to the ministry" in a monitor's report), unless that source is the
    speaker itself ("according to Tiurina", quoted as Tiurina's) or names no one in particular."""
    out = []
    for f, source in figures_by_source(q.text):
        if source is not None:
            named = _speaker_words(source) - _GENERIC
            if named and not (q.speaker and named & _speaker_words(q.speaker)):
                continue
        out.append(f)
    return out


@dataclass(frozen=True)
class _Claim:
    quote: int
    figure: Figure
    event: Event


def _claimant(q: Quote) -> str:
    """Who says it, with the outlet when that tells which one ("Defence Ministry (Zeltran Voice)")."""
    outlet = q.document.outlet
    if q.speaker and outlet and outlet.casefold() not in q.speaker.casefold():
        return f"{q.speaker} ({outlet})"
    return q.speaker or outlet or q.document.id


def _speaker_words(speaker: str) -> frozenset[str]:
    return frozenset(re.findall(r"[\w'’-]+", re.sub(r"['’]s\b", "", speaker.casefold()))) - {"the", "a", "an"}


def _countries_named(speaker: str) -> frozenset[str]:
    """The countries a speaker names, by name or adjective ("Azerbaijani", "Russia's")."""
    return frozenset(w for w in re.findall(r"[\w'’-]+", speaker) if w[:1].isupper() and is_country(w))


def same_claimant(a: Quote, b: Quote) -> bool:
    """Whether two quotes come from one claimant.

    The speaker decides when there is one, the outlet only when no one is named. Two speakers are one
    when one's name holds the other's ("Stepanyan" in "press secretary ... Shushan Stepanyan"), unless
    the name is generic ("the Defence Ministry") and the outlets differ, or when both speak for the
    same country ("the Azerbaijani Defense Ministry", "the Azerbaijani military").
    """
    if a.speaker and b.speaker:
        wa, wb = _speaker_words(a.speaker), _speaker_words(b.speaker)
        if wa <= wb or wb <= wa:
            specific = bool((wa & wb) - _GENERIC)
            return specific or (a.document.outlet or a.document.id) == (b.document.outlet or b.document.id)
        sa, sb = _countries_named(a.speaker), _countries_named(b.speaker)
        return any(same_side(x, y) for x in sa for y in sb)
    if a.speaker or b.speaker:
        return False
    return (a.document.outlet or a.document.id) == (b.document.outlet or b.document.id)


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
                        claimant=_claimant(quotes[c.quote]),
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


def _denied_event(q: Quote, context: Context | None) -> Event:
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
        denied = _denied_event(q, contexts[i])
        covered = [
            c for c in asserted if not same_claimant(q, quotes[c.quote]) and _denial_covers(denied, c.event)
        ]
        if not denied.category and not all(same_event(a.event, b.event) for a in covered for b in covered):
            continue  # it names nothing, and could deny any of several events
        others = list(dict.fromkeys(c.quote for c in covered))[:MAX_ASSERTED]
        if not others:
            continue
        sides = [DisputedClaim(quote=i, claimant=_claimant(q), figure="denies", subject="")]
        sides += [
            DisputedClaim(quote=j, claimant=_claimant(quotes[j]), figure="asserts", subject="")
            for j in others
        ]
        events = [c.event for c in covered if c.quote in others]
        out.append(
            Disagreement(category="denial", claims=tuple(sides), kind="denial", event=describe_event(events))
        )
    return out


# Lower-case words a speaker's name may start with ("head of Ukraine's rail system", "the Russian
# Defense Ministry", "regional police Chief ..."); others ("same day Ukraine") are a mis-cut clause.
_NAME_STARTS = word_set(
    """the a an head chief deputy former senior regional state national foreign defense defence
    interior top spokesman spokeswoman spokesperson president minister ministry official officials
    secretary adviser advisor envoy ambassador representative commander general press military
    police local city"""
)


def _speaker_names_party(speaker: str, party: str) -> bool:
    """Whether a speaker speaks for a party and reads as a claimant's name: it starts with a name or
    a title, and the party is not a list item ("Ukraine, the president of the European Council")."""
    if not speaks_for(speaker, party):
        return False
    first = speaker.split()[0]
    if not (first[:1].isupper() or first.casefold() in _NAME_STARTS):
        return False
    return not any(speaks_for(w, party) for w in re.findall(r"([\w.'’-]+),", speaker))


def _about_the_same(a: Quote, b: Quote, ca: Context | None, cb: Context | None) -> bool:
    """Whether two parties' quotes can stand side by side: shared places where both name some, days
    at most ``SIDES_WINDOW_DAYS`` apart where both are known."""
    pa, pb = places_in(a.text), places_in(b.text)
    if not share_place(pa[0], pb[0]):
        return False
    da, db = period_of(a, ca), period_of(b, cb)
    if da is None or db is None:
        return True
    window = timedelta(days=SIDES_WINDOW_DAYS)
    return Period(da.first - window, da.last + window).overlaps(db)


def side_by_side(
    parties: Sequence[str], quotes: Sequence[Quote], contexts: Sequence[Context | None] = ()
) -> Disagreement | None:
    """Each party's best quote that can stand beside the other's, or None unless every party has one.

    A party's quotes are those whose speaker names it (``speaks_for``) and no other party; of the
    pairs whose places and days agree (``_about_the_same``), the one with the best ranks is shown.

    Args:
        parties: from ``parties_in(question)``: ("Russia", "Ukraine").
        quotes: the answer's quotes, best first.
        contexts: the words before each quote, when known.
    """
    if len(parties) != 2:
        return None
    contexts = list(contexts) or [None] * len(quotes)
    own = [
        [
            i
            for i, q in enumerate(quotes)
            if q.speaker
            and _speaker_names_party(q.speaker, p)
            and not any(speaks_for(q.speaker, o) for o in parties if o != p)
        ]
        for p in parties
    ]
    pairs = sorted(((i, j) for i in own[0] for j in own[1]), key=lambda ij: (ij[0] + ij[1], ij))
    best = next(
        ((i, j) for i, j in pairs if _about_the_same(quotes[i], quotes[j], contexts[i], contexts[j])), None
    )
    if best is None:
        return None
    claims = tuple(
        DisputedClaim(quote=i, claimant=_claimant(quotes[i]), figure="says", party=p)
        for i, p in zip(best, parties, strict=True)
    )
    return Disagreement(category="each side", claims=claims, kind="sides")


def find_disagreements(
    quotes: Sequence[Quote], question: str = "", articles: Mapping[str, Article] | None = None
) -> tuple[Disagreement, ...]:
    """The answer's disagreements: each party's claim for an "each claim" question first, then rival
    figures for one event, then denials.

    Args:
        quotes: the answer's quotes, best first; a claimant's first figure for an event is its claim.
        question: the question asked, for the parties of "what did A and B each claim" questions.
        articles: the quoted articles by id, to read the place or day a quote leaves to the words
            before it ("that shelling left one dead" after "... on Monday").
    """
    contexts = [_context(q, articles) for q in quotes]
    sides = side_by_side(parties_in(question), quotes, contexts) if question else None
    return (*([sides] if sides else []), *_figure_disputes(quotes, contexts), *_denials(quotes, contexts))


def _context(q: Quote, articles: Mapping[str, Article] | None) -> Context | None:
    article = (articles or {}).get(q.document.id)
    if article is None or article.text[q.start : q.end] != q.text:
        return None
    return context_before(article, q.start)


def excerpt(text: str, near: str, width: int) -> str:
    """About ``width`` characters of a quote, from a little before the words ``near`` (a figure)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    found = re.search(rf"(?<!\w){re.escape(near)}(?!\w)", text, re.IGNORECASE) if near else None
    start = max(0, min((found.start() if found else 0) - width // 3, len(text) - width))
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + width)
    if end < len(text) and text.rfind(" ", start, end) > start:
        end = text.rfind(" ", start, end)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


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
