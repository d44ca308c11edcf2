"""Understanding a question: keywords, date intervals, outlets and place names."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from index.answering.vocabulary import EXPANSIONS, MONTHS_AND_DAYS, STOPWORDS, WORD
from index.dates.periods import find_periods, has_period
from index.dates.questions import parse_question_dates, question_date_lookups
from index.text.place_names import widen_names

WHO_QUESTION = re.compile(
    r"^\s*who\b|\bwho (?:reported|said|says|claimed|denied|confirmed|announced)\b", re.I
)


@dataclass(frozen=True)
class QueryPlan:
    """What the engine searches for."""

    question: str
    terms: tuple[str, ...]  # keyword-search terms (expanded)
    content_words: tuple[str, ...]  # the question's own content words, for sentence scoring
    intervals: tuple[tuple[date, date], ...]
    outlets: tuple[str, ...]
    places: tuple[str, ...]  # "in Tovuz", "near Ozerin": only articles that mention them
    names: tuple[str, ...]  # other capitalised names: ranked up, not required
    who: bool  # "who reported ...": show distinct claimants side by side
    unresolved_dates: bool = False  # the question named dates the corpus has no reporting on
    place_spellings: tuple[tuple[str, tuple[str, ...]], ...] = ()  # a place's spellings in the corpus
    periods_explained: tuple[str, ...] = ()  # "last week = 6–12 July 2020, relative to the newest report…"


def _strip_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in sorted(spans):
        out.append(text[last:start])
        out.append(" ")
        last = end
    out.append(text[last:])
    return "".join(out)


def _outlets_in(question: str, outlets: Sequence[str]) -> list[str]:
    lowered = question.lower()
    found = []
    for outlet in sorted(outlets, key=len, reverse=True):
        name = outlet.lower().strip()
        if len(name) >= 3 and re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", lowered):
            found.append(outlet)
            lowered = lowered.replace(name, " ")
    return found


# A place is what follows "in", "at", "near"...: "casualties in Tovuz", "the strike near Ozerin".
PLACE_CUE = re.compile(
    r"\b(?:in|at|near|around|outside|inside|across|into|over|from|of)\s+(?:the\s+)?"
    r"((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){0,3})"
)


# "Russian-held", "Kurdish", "Israeli": adjectives that a capital letter makes look like places.
ADJECTIVE = re.compile(r"(?:-\w+|ian|ese|ish|i)$")


def _candidate_places(text: str) -> list[str]:
    """Capitalised phrases after a place preposition ("in Tolvik Regional Hospital")."""
    places = []
    for m in PLACE_CUE.finditer(text):
        phrase = re.sub(r"['’]s$", "", m.group(1))  # "Israel's coast" -> Israel
        first = phrase.split()[0]
        if first.lower() in MONTHS_AND_DAYS or first.lower() in STOPWORDS or ADJECTIVE.search(first):
            continue
        places.append(phrase)
    return places


def _candidate_names(text: str) -> list[str]:
    """Capitalised words that may be places or names ("in Tovuz", "Stepanyan")."""
    names = []
    for m in WORD.finditer(text):
        word = m.group(0).strip("'’-")
        if len(word) < 3 or not word[0].isupper() or word.lower() in STOPWORDS:
            continue
        if word.lower() in MONTHS_AND_DAYS or (word.isupper() and len(word) <= 3):
            continue
        names.append(word)
    return names


async def plan_query(
    question: str,
    *,
    years_for: Callable[[int, int | None], Awaitable[list[int]]],
    known_outlets: Sequence[str],
    is_mentioned: Callable[[str], Awaitable[bool]],
    outlet: str | None = None,
    since: date | None = None,
    until: date | None = None,
    newest: Callable[[], Awaitable[date | None]] | None = None,
    spellings_of: Callable[[str], Awaitable[list[str]]] | None = None,
) -> QueryPlan:
    """Turn a question (and explicit options) into a search plan.

    Args:
        question: the user's question.
        years_for: async (month, day) -> years with reporting on that day, for year-less dates.
        known_outlets: outlet names in the corpus; naming one in the question filters on it.
        is_mentioned: async term -> whether any article mentions it (a place becomes a filter only then).
        outlet, since, until: explicit filters (CLI options, bot command options).
        newest: async () -> the newest publication date in the corpus, which "last week", "the past
            three days" and "this month" are relative to (not asked when the question has none).
        spellings_of: async place -> the corpus's spellings of it ("Dayr az Zawr" for "Deir ez-Zor").

    Returns:
        The plan.
    """
    # Year-less dates resolve to years the corpus has reporting on; look them up before parsing.
    years = {key: await years_for(*key) for key in question_date_lookups(question)}
    parsed = parse_question_dates(question, years_for=lambda m, d: years.get((m, d), []))
    intervals = list(parsed.intervals)
    unresolved = bool(parsed.spans) and not intervals
    anchor = await newest() if newest is not None and has_period(question) else None
    periods = find_periods(question, anchor)
    if periods:
        intervals = sorted([*intervals, *((p.first, p.last) for p in periods)])
        unresolved = False
        parsed = replace(parsed, spans=(*parsed.spans, *((p.start, p.end) for p in periods)))
    if since or until:
        lo, hi = since or date.min, until or date.max
        if intervals:
            intervals = [(max(a, lo), min(b, hi)) for a, b in intervals if max(a, lo) <= min(b, hi)]
            unresolved = not intervals
        elif not unresolved:
            intervals = [(lo, hi)]
    rest = _strip_spans(question, parsed.spans)

    outlets = _outlets_in(rest, known_outlets)
    if outlet:
        outlets = [outlet]
    for name in outlets:
        rest = re.sub(re.escape(name), " ", rest, flags=re.I)

    # A place filter only when the archive has the place: a misspelling must not empty the answer.
    places: list[str] = []
    place_spellings: list[tuple[str, tuple[str, ...]]] = []
    for place in dict.fromkeys(widen_names(_candidate_places(rest), rest)):
        others = [v for v in (await spellings_of(place) if spellings_of else []) if v != place]
        mentioned = await is_mentioned(place)
        if mentioned or others:
            places.append(place)
        if others:
            place_spellings.append((place, tuple([place] * mentioned + others)))
    in_places = {w for p in places for w in p.split()}
    names = [n for n in dict.fromkeys(_candidate_names(rest)) if n not in in_places]

    words = [w.lower().strip("'’-") for w in WORD.findall(rest)]
    content = [w for w in words if w and w not in STOPWORDS and len(w) > 1]
    terms: list[str] = []
    for w in content:
        terms.extend(EXPANSIONS.get(w, (w,)))
    terms.extend(
        v for _, spellings in place_spellings for v in spellings
    )  # keyword search finds every spelling
    return QueryPlan(
        question=question,
        terms=tuple(dict.fromkeys(terms)),
        content_words=tuple(dict.fromkeys(content)),
        intervals=tuple(intervals),
        outlets=tuple(outlets),
        places=tuple(places),
        names=tuple(names),
        who=bool(WHO_QUESTION.search(question)),
        unresolved_dates=unresolved,
        periods_explained=tuple(p.explain(anchor) for p in periods if anchor),
        place_spellings=tuple(place_spellings),
    )
