"""Follow-up questions in a conversation (a Discord thread): "only Reuters", "since March 14", "and what
did the ministry say?" keep the first question's subject, places, dates and outlet unless they change.

A follow-up is read for what it changes: an outlet it names, date phrases, and words of its own (a new
subject). Nothing but filters → the first question again with them changed; a new subject → the
follow-up's words, with the first question's places and dates carried over where it names none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from index.answering.outlet_names import find_outlets, resolve_outlet
from index.answering.planning import PLACE_CUE, strip_spans
from index.answering.vocabulary import STOPWORDS, WORD
from index.dates.periods import WEEKDAYS, find_periods, has_period
from index.dates.questions import parse_question_dates
from index.models import Answer

# Words that only say how to filter or continue ("only Reuters", "and since Monday?").
FILLER = STOPWORDS | frozenset(
    [
        "only",
        "just",
        "instead",
        "also",
        "too",
        "according",
        "reported",
        "reports",
        "reporting",
        "please",
        "same",
        "again",
        "filter",
        "limit",
        "restrict",
        "show",
    ]
)
_OUTLET_CUE = re.compile(r"\b(?:only|just|from|by|according\s+to)\s+(?P<name>.+?)\s*[?.!]*$", re.IGNORECASE)
_CUE_BEFORE = re.compile(r"\b(?:only|just|from|by|according\s+to)\s+$", re.IGNORECASE)
_LEADING = re.compile(r"^(?:and|but|so|ok|okay)\b[\s,]*", re.IGNORECASE)
# A period the planner reads relative to the newest report ("last week", "yesterday"), found by
# has_period; its words are date words here.
_PERIOD_WORDS = frozenset(
    [
        "last",
        "past",
        "this",
        "week",
        "weeks",
        "month",
        "months",
        "day",
        "days",
        "today",
        "yesterday",
        *WEEKDAYS,
    ]
)


@dataclass(frozen=True)
class FollowUp:
    """What to ask for a follow-up: the question and the explicit filters carried over or changed."""

    question: str
    outlet: str | None
    since: date | None
    until: date | None
    new_subject: bool  # the follow-up asked something of its own (not only filters)


def _date_spans(text: str) -> list[tuple[int, int]]:
    """Where the date phrases and relative periods ("last week", "since Monday") of ``text`` are."""
    # Any year and any anchor resolve them here: only where the phrases are matters, not their days.
    parsed = parse_question_dates(text, default_year=2000)
    periods = find_periods(text, date(2000, 1, 1))
    return [*parsed.spans, *((p.start, p.end) for p in periods)]


def _strip(text: str, spans: Sequence[tuple[int, int]]) -> str:
    return " ".join(strip_spans(text, spans).split())


def _outlet(text: str, outlets: Sequence[str]) -> tuple[str | None, list[tuple[int, int]]]:
    """The outlet a follow-up names, and the spans naming it (with their cue: "only", "from")."""
    mentions = find_outlets(text, outlets)
    if mentions:
        spans = []
        for m in mentions:
            cue = _CUE_BEFORE.search(text[: m.start])
            spans.append((cue.start() if cue else m.start, m.end))
        return mentions[0].outlet, spans
    cue = _OUTLET_CUE.search(text)
    if cue:
        named = resolve_outlet(cue["name"], outlets)
        if named:
            return named, [(cue.start(), cue.end("name"))]
    return None, []


def follow_up(first: Answer, text: str, outlets: Sequence[str]) -> FollowUp:
    """The question to ask for ``text``, a follow-up to the conversation's first answer ``first``.

    Args:
        first: the first answer of the conversation (its question and the filters it was read with).
        text: the follow-up as typed.
        outlets: the archive's outlets, so "only Reuters" names one.
    """
    text = _LEADING.sub("", " ".join(text.split()))
    outlet, outlet_spans = _outlet(text, outlets)
    dates = _date_spans(text)
    periods = has_period(text)
    rest = _strip(text, [*outlet_spans, *dates])
    own = [
        w
        for w in WORD.findall(rest)
        if w.casefold() not in FILLER and not (periods and w.casefold() in _PERIOD_WORDS) and len(w) > 1
    ]
    filters = first.filters
    kept_outlet = filters.outlets[0] if len(filters.outlets) == 1 else None
    changes_dates = bool(dates) or periods
    if own:  # a question of its own: the first one's places (and below, dates) unless it names its own
        question = text
        places = [p for p in filters.places if p.casefold() not in text.casefold()]
        if places and not PLACE_CUE.search(text):
            question = f"{text.rstrip('?.! ')} in {' and '.join(places)}?"
    else:  # only filters: the first question, its date phrases replaced when the follow-up has its own
        question = first.question
        if changes_dates:
            phrase = re.sub(r"^(?:only|just)\s+", "", _strip(text, outlet_spans), flags=re.IGNORECASE)
            question = f"{_strip(question, _date_spans(question)).rstrip('?.! ')} {phrase.rstrip('?.! ')}?"
        if outlet:
            question = _strip(question, [(m.start, m.end) for m in find_outlets(question, outlets)])
    return FollowUp(
        question,
        outlet or kept_outlet,
        None if changes_dates else filters.since,
        None if changes_dates else filters.until,
        new_subject=bool(own),
    )
