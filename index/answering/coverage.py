"""What the archive has for a question, decided before anything is ranked.

Every constraint a question states (a place, a named person or body, an outlet, a date) either
restricts the search or, when the archive has nothing for it, ends the answer with a note that
names what is missing: a confident frame around unrelated quotes is worse than "nothing on that".
The same goes for questions that can't be searched at all (empty, too long, no subject, not in
English). Each check returns the note, or None when the question may go on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import numpy as np

from index.answering.outlet_names import closest_outlets
from index.answering.planning import QueryPlan
from index.answering.quotes import Candidate
from index.answering.vocabulary import STOPWORDS, WORD
from index.text.cleaning import guess_language

MAX_QUESTION_CHARS = 1_000  # Discord allows 500; past this it is pasted text, not a question
# Words that point back at an earlier question ("and what did they say about that afterwards?").
ANAPHORA = frozenset(
    [
        "they",
        "them",
        "their",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "him",
        "her",
        "afterwards",
        "then",
        "there",
    ]
)
# English function words a question in English nearly always has one of.
ENGLISH = frozenset(
    [
        "the",
        "what",
        "who",
        "whom",
        "which",
        "when",
        "where",
        "why",
        "how",
        "did",
        "does",
        "do",
        "is",
        "are",
        "was",
        "were",
        "of",
        "in",
        "on",
        "about",
    ]
)
# Words that ask about something without saying what: a question of only these and pointers back
# ("Did they confirm it later?", "Tell me more about that attack.") has no subject of its own.
GENERIC = frozenset(
    [
        "say",
        "says",
        "said",
        "tell",
        "told",
        "more",
        "happen",
        "happened",
        "happening",
        "killed",
        "died",
        "dead",
        "wounded",
        "injured",
        "many",
        "much",
        "confirm",
        "confirmed",
        "deny",
        "denied",
        "later",
        "after",
        "before",
        "afterwards",
        "day",
        "days",
        "next",
        "week",
        "side",
        "sides",
        "other",
        "attack",
        "attacks",
        "strike",
        "strikes",
        "attacked",
        "respond",
        "responded",
        "response",
        "react",
        "reacted",
        "reaction",
        "claim",
        "claimed",
        "claims",
        "report",
        "reported",
        "reports",
        "number",
        "people",
        "know",
        "known",
        "mean",
        "meant",
        "explain",
        "what",
        "why",
        "how",
        "who",
        "when",
        "where",
        "which",
        "whom",
        "whose",
        "anything",
        "something",
        "else",
        "again",
        "also",
        "first",
        "last",
    ]
)
# Phrases that point back at an earlier answer's day or party.
_POINTING = re.compile(
    r"\bthe (?:day|week|morning|night|month) (?:after|before)\b|\bthe (?:next|following) day\b"
    r"|\bthe other side\b",
    re.IGNORECASE,
)
_EXAMPLE = "“What did the defence ministry say about the shelling of Tovuz?”"


def question_language(question: str) -> str | None:
    """The language a question is written in, or None for English (or too short to tell)."""
    language = guess_language(question)
    words = {w.lower() for w in WORD.findall(question)}
    return None if language in ("en", "und") or ENGLISH & words else language


def in_other_language(candidates: Sequence[Candidate], question: str) -> np.ndarray:
    """Which candidates are in another language than the question (a bool per candidate)."""
    asked_in = question_language(question) or "en"
    return np.array([c.language not in (asked_in, "und") for c in candidates], dtype=bool)


def language_hint(question: str) -> str:
    """For a question in another language that found nothing: why, in a sentence ("" for English)."""
    language = question_language(question)
    if language is None:
        return ""
    return (
        f" The question looks like “{language}”: the model is English-only, so only the archive's"
        " exact words were matched; asking in English finds reporting by meaning too."
    )


def question_problem(question: str) -> str | None:
    """Why a question can't be searched at all, or None."""
    if not question.strip():
        return "The question is empty."
    if len(question) > MAX_QUESTION_CHARS:
        return (
            f"The question is {len(question):,} characters long; ask it in under {MAX_QUESTION_CHARS:,}"
            " (one question, not a pasted text)."
        )
    words = [w.lower() for w in WORD.findall(question)]
    if not any(ch.isalnum() for ch in question):
        return f"There are no words in that question to search for; ask in words, e.g. {_EXAMPLE}"
    content = [w for w in words if w not in STOPWORDS and w not in ANAPHORA and len(w) > 1]
    pointers = sorted({w for w in words if w in ANAPHORA} | {m.lower() for m in _POINTING.findall(question)})
    named = any(w[:1].isupper() or w[:1].isdigit() for w in WORD.findall(question)[1:])
    if pointers and not named and all(w in GENERIC for w in content):
        # A follow-up: each question is answered on its own, so ask for its subject, don't guess.
        said = ", ".join(f"“{w}”" for w in pointers)
        return (
            f"What does {said} refer to? Each question is answered on its own: ask it with its"
            f" subject (a place, a person, an event), e.g. {_EXAMPLE}"
        )
    if not content:
        if pointers:
            said = ", ".join(f"“{w}”" for w in pointers)
            return (
                f"What does {said} refer to? Each question is answered on its own: ask it with its"
                f" subject (a place, a person, an event), e.g. {_EXAMPLE}"
            )
        return f"That question names nothing to search for; ask about a place, a person or an event, e.g. {_EXAMPLE}"
    return None


def missing_note(
    query: QueryPlan,
    *,
    known_outlets: Sequence[str],
    outlet: str | None,
    oldest: date | None,
    newest: date | None,
) -> str | None:
    """The note for a constraint the archive has nothing for, or None when each is there."""
    if query.missing:
        return f"Nothing in the archive mentions {_either(query.missing)}."
    stored = {o.casefold() for o in known_outlets}
    for name in query.outlets:
        if name.casefold() not in stored:
            close = closest_outlets(outlet or name, known_outlets)
            hint = f" Did you mean {_either(close)}?" if close else ""
            return f"No article in the archive is from {outlet or name}.{hint}"
    if query.unresolved_dates or query.intervals:
        return _dates_note(query, oldest, newest)
    return None


def _dates_note(query: QueryPlan, oldest: date | None, newest: date | None) -> str | None:
    """Reporting can't speak of days after it was published: the newest publication date bounds what
    the archive covers. Earlier days it may well speak of (a 2022 report on the 2014 protests), and
    undated articles of any: the article count decides those."""
    covers = f" (its reports are dated {_day(oldest)} to {_day(newest)})" if oldest and newest else ""
    if query.unresolved_dates:
        return f"The archive has no reporting on or about the date(s) in the question{covers}."
    if newest is not None and query.intervals and all(lo > newest for lo, _ in query.intervals):
        return f"The archive's reporting ends on {_day(newest)}, before the date(s) in the question."
    return None


def no_match_note(query: QueryPlan) -> str:
    """The note when every constraint exists but no article satisfies them together."""
    parts = [f"mentions {_both(query.places + query.actors)}"] if query.places or query.actors else []
    if query.outlets:
        parts.append(f"is from {_either(query.outlets)}")
    if query.intervals:
        lo, hi = query.intervals[0][0], query.intervals[-1][1]
        when = f"on {_day(lo)}" if lo == hi else f"between {_day(lo)} and {_day(hi)}"
        parts.append(f"is dated or speaks of a day {when}")
    if not parts:
        return "No article in the archive matches the question's filters."
    return "No article in the archive " + " and ".join(parts) + "."


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}" if d not in (date.min, date.max) else "any day"


def _either(names: Sequence[str]) -> str:
    return _join(names, "or")


def _both(names: Sequence[str]) -> str:
    return _join(names, "and")


def _join(names: Sequence[str], last: str) -> str:
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {last} " + names[-1]
