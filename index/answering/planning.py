"""Understanding a question: keywords, date intervals, outlets and place names."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from index.answering.answer_shapes import COUNTING, REASON_QUESTION, WHO_QUESTION, counted_words
from index.answering.outlet_names import find_outlets, resolve_outlet
from index.answering.parties import asks_each_side, parties_in, word_set
from index.answering.vocabulary import (
    EXPANSIONS,
    MONTHS_AND_DAYS,
    NAME_ALIASES,
    STOPWORDS,
    WORD,
    is_adjective,
)
from index.dates.periods import find_periods, has_period
from index.dates.questions import parse_question_dates, question_date_lookups
from index.text.place_names import lookup_keys, widen_names
from index.text.transliteration import in_other_script

# "What did Kremlin spokesman Peskov say about …", "How much damage did Russia say …", "… according to
# the mayor of Irpin": the speaker the question asks for, whose own words answer it.
# The verbs in lower case only ("What did US State Department spokesman Ned Price say"), and not
# "state", a noun as often ("What did Russian state media say").
_ASKED_SPEAKER = re.compile(
    r"\b(?i:did|does|do|has|have|had)\s+(?P<a>(?:the\s+)?[\w.'’-]+(?:\s+[\w.'’-]+){0,5}?)\s+"
    r"(?:say|said|claim|claimed|tell|told|announce|announced|report|reported|deny|denied|confirm|"
    r"confirmed|describe|described|warn|warned|allege|alleged|stated|blame|blamed)\b"
    r"|\b(?i:according\s+to)\s+(?P<b>(?:the\s+)?[\w.'’-]+(?:\s+[\w.'’-]+){0,4}?)\s*(?:[,?.;]|$)",
)
# Words that start a question's clause, never a speaker ("what did you say", "did it say").
_NOT_SPEAKERS = frozenset(["you", "it", "they", "he", "she", "we", "i", "this", "that", "anyone", "anybody"])

_NAME_PARTS = re.compile(r"[\s\-‐]+")


def asked_speaker(text: str, parties: tuple[str, ...] | None = None) -> str | None:
    """The speaker a question asks for, as written: "Kremlin spokesman Peskov" in "What did Kremlin
    spokesman Peskov say about …", "the mayor of Irpin" in "… according to the mayor of Irpin?";
    None for "each claim" questions (two speakers) and for pronouns.

    Args:
        text: the question, with outlet names blanked (an outlet is a filter, not a speaker).
        parties: its ``parties_in``, when the caller has read them already.
    """
    parties = parties_in(text) if parties is None else parties
    if parties or asks_each_side(text, parties):
        return None
    m = _ASKED_SPEAKER.search(text)
    if not m:
        return None
    phrase = (m["a"] or m["b"]).strip()
    words = phrase.split()
    if words[0].lower() == "the":
        words = words[1:]
    if not words or words[0].lower() in _NOT_SPEAKERS or not any(w[:1].isalpha() for w in words):
        return None
    return " ".join(words)


@dataclass(frozen=True)
class QueryPlan:
    """What the engine searches for."""

    question: str
    terms: tuple[str, ...]  # keyword-search terms (expanded)
    content_words: tuple[str, ...]  # the question's own content words, for sentence scoring
    intervals: tuple[tuple[date, date], ...]
    outlets: tuple[str, ...]
    places: tuple[str, ...]  # "in Tovuz", "near Ozerin": only articles that mention them
    names: tuple[str, ...]  # other capitalised names: ranked up
    who: bool  # "who reported ...": show distinct claimants side by side
    counting: bool = False  # "how many …", "the toll": answered by a sentence with a figure
    reason: bool = False  # "why …": answered by a sentence that gives a cause
    counted: tuple[str, ...] = ()  # "how many athletes and coaches": ("athletes", "coaches")
    actors: tuple[str, ...] = ()  # named people and bodies ("Stepanyan", "Hamas"): required, like places
    missing: tuple[str, ...] = ()  # places and names the question states that the archive never mentions
    unresolved_dates: bool = False  # the question named dates the corpus has no reporting on
    place_spellings: tuple[tuple[str, tuple[str, ...]], ...] = ()  # a place's spellings in the corpus
    periods_explained: tuple[str, ...] = ()  # "last week = 6–12 July 2020, relative to the newest report…"
    speaker: str | None = None  # the speaker the question asks for ("the mayor of Irpin"): ranked first
    parties: tuple[str, ...] = ()  # "what did A and B each claim": each one's quote is looked for
    each_side: bool = False  # "give each side's claim": the parties are the sides the reporting names


def strip_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` without the spans, each replaced by a space."""
    out, last = [], 0
    for start, end in sorted(spans):
        out.append(text[last:start])
        out.append(" ")
        last = end
    out.append(text[last:])
    return "".join(out)


def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with the spans replaced by spaces: offsets into it stay those of ``text``."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


# A place is what follows "in", "at", "near"...: "casualties in Tovuz", "the strike near Ozerin".
PLACE_CUE = re.compile(
    r"\b(?:in|at|near|around|outside|inside|across|into|over|from|of)\s+(?:the\s+)?"
    r"((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){0,3})"
)


# Capitalised words that follow a place preposition but name no place ("Person of the Year").
NOT_PLACES = frozenset(
    ["year", "week", "month", "day", "weekend", "morning", "night", "afternoon", "evening"]
)
_CAPITALISED_BEFORE = re.compile(r"\b[A-Z][\w'’-]*\s+$")
# Where a new sentence of the question starts: its first word is capitalised whatever it is.
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n)\s*[\"'“‘(]*$")


def _candidate_places(text: str) -> list[str]:
    """Capitalised phrases after a place preposition ("in Tolvik Regional Hospital").

    Not after "of" that ends a capitalised name: "Ministry of Defense", "Person of the Year" and
    "Secretary of State" name a body, a title or an award, whose last word is no place.
    """
    places = []
    for m in PLACE_CUE.finditer(text):
        phrase = re.sub(r"['’]s$", "", m.group(1))  # "Israel's coast" -> Israel
        first = phrase.split()[0]
        if first.lower() in MONTHS_AND_DAYS or first.lower() in STOPWORDS or is_adjective(first):
            continue
        if all(w.lower() in NOT_PLACES for w in phrase.split()):
            continue
        if m.group(0).startswith("of") and _CAPITALISED_BEFORE.search(text[: m.start()]):
            continue
        places.append(phrase)
    return places


# A name may run over several capitalised words, joined by "of (the)" and the like: "Armenian
# Ministry of Defense", "Person of the Year", "Deir ez-Zor" is a place (widen_names handles those).
_NAME_PHRASE = re.compile(
    r"[A-Z][\w'’-]*(?:(?:\s+(?:of(?:\s+the)?|for|de|al|el|bin|ibn)\s+|\s+)[A-Z][\w'’-]*)*"
)
_POSSESSIVE = re.compile(r"['’]s\b\s*")


def _candidate_names(text: str) -> list[tuple[str, bool]]:
    """Capitalised names in the question ("Stepanyan", "Armenian Ministry of Defense") and whether
    each may be required: a run of several words, or one word that is neither an adjective
    ("Russian") nor capitalised only for starting a sentence."""
    names = []
    for m in _NAME_PHRASE.finditer(text):
        offset = m.start()
        for part in _POSSESSIVE.split(m.group(0)):  # "Time's Person of the Year": two names
            start = text.find(part, offset)
            offset = start + len(part)
            words = [w.strip("'’-") for w in part.split()]
            while words and (words[0].lower() in STOPWORDS or words[0].lower() in MONTHS_AND_DAYS):
                words.pop(0)  # "What", "Did", "On July": capitalised question words and dates
            significant = [
                w
                for w in words
                if len(w) >= 3
                and w.lower() not in STOPWORDS
                and w.lower() not in MONTHS_AND_DAYS
                and not (w.isupper() and len(w) <= 3)
            ]
            if not significant:
                continue
            phrase = " ".join(words)
            first = _SENTENCE_START.search(text[:start]) is not None and words == part.split()
            several = len(significant) > 1
            names.append((phrase, several or (not first and not is_adjective(phrase))))
    return names


# "the Wagner mutiny", "the Kakhovka dam": a name between "the" and a noun ("Did Ukraine recapture"
# is a subject and its verb).
_NAMED_EVENT = re.compile(r"\bthe\s+([A-Z][\w'’-]+)\s+([a-z]{4,})\b")
_AUXILIARY_BEFORE = re.compile(
    r"\b(?:did|does|do|has|have|had|will|would|can|could|should|may|might|is|was|are|were)\s+$", re.I
)
# Titles before a name: the archive writes "Prime Minister Denys Shmyhal" where the question says
# "Prime Minister Shmyhal", so the name alone is what an article must hold.
_TITLES = word_set(
    """president prime minister foreign defense defence interior secretary general gen spokesman
    spokeswoman spokesperson mayor governor gov chancellor premier ambassador commander chief deputy
    senator sen rep dr mr mrs ms lt col maj adm sgt capt captain colonel major lieutenant admiral
    vice acting former"""
)
# What a title may head instead of a name ("General Staff", "Foreign Ministry"): kept whole.
_BODIES = word_set("staff assembly council command ministry office committee service court department house")


def without_title(name: str) -> str:
    """A person's name without the titles before it ("Prime Minister Shmyhal" -> "Shmyhal"); a
    body's name as it is ("General Staff")."""
    words = name.split()
    n = 0
    while n < len(words) - 1 and words[n].lower().rstrip(".") in _TITLES:
        n += 1
    rest = words[n:]
    if not rest or rest[-1].lower().rstrip(".") in _TITLES:
        return name  # "Defense Minister": titles only
    if not rest[0][:1].isupper() or any(w.lower() in _BODIES for w in rest):
        return name  # "mayor of Irpin", "Defense Ministry": no name after the title
    return " ".join(rest)


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
        spellings_of: async key -> the corpus's spellings stored under it (``place_names``): "Dayr az
            Zawr" for "Deir ez-Zor", Կարմիր խաչը for "Red Cross".

    Returns:
        The plan.
    """
    # Outlets first: "according to USA Today" names an outlet, and its "Today" is no date.
    mentions = find_outlets(question, known_outlets)
    masked = _blank(question, [(m.start, m.end) for m in mentions])
    # Year-less dates resolve to years the corpus has reporting on; look them up before parsing.
    years = {key: await years_for(*key) for key in question_date_lookups(masked)}
    parsed = parse_question_dates(masked, years_for=lambda m, d: years.get((m, d), []))
    intervals = list(parsed.intervals)
    unresolved = bool(parsed.spans) and not intervals
    anchor = await newest() if newest is not None and has_period(masked) else None
    periods = find_periods(masked, anchor)
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
    rest = strip_spans(masked, parsed.spans)
    outlets = list(dict.fromkeys(m.outlet for m in mentions))
    if outlet:
        outlets = [resolve_outlet(outlet, known_outlets) or outlet]

    # Places and named actors restrict the answer to the articles that mention them (in any of the
    # corpus's spellings); one the archive never mentions is reported as missing, not dropped.
    places: list[str] = []
    missing: list[str] = []
    place_spellings: list[tuple[str, tuple[str, ...]]] = []

    async def _written_only_in_other_scripts(name: str) -> bool:
        """A name the archive writes in Cyrillic, Armenian or Arabic only ("Dornvik": Дорнвика): its
        reports say "orphanage" in their own language, so the English noun can't be looked for."""
        others = await other_spellings(name)
        return bool(others) and not await is_mentioned(name) and all(in_other_script(o) for o in others)

    async def other_spellings(name: str) -> list[str]:
        """The corpus's other spellings of a name, and the short forms it uses ("U.S.")."""
        found: list[str] = []
        if spellings_of is not None:
            for key in lookup_keys(name):
                found += [v for v in await spellings_of(key) if v != name and v not in found]
        return found + [
            a for a in NAME_ALIASES.get(name.lower(), ()) if a not in found and await is_mentioned(a)
        ]

    # The sides of a "what did A and B each claim" question are each looked for, not both required.
    parties = parties_in(question)
    sides = {p.casefold() for p in parties}
    for place in dict.fromkeys(widen_names(_candidate_places(rest), rest)):
        others = await other_spellings(place)
        mentioned = await is_mentioned(place)
        if mentioned or others:
            if place.casefold() not in sides:
                places.append(place)
        else:
            missing.append(place)
        if others:
            place_spellings.append((place, tuple([place] * mentioned + others)))
    # Words of a place are no name of their own ("Zor" of "Deir ez-Zor").
    in_places = {w for p in [*places, *missing] for w in _NAME_PARTS.split(p)}
    candidates = [
        (n, required) for n, required in _candidate_names(rest) if not set(_NAME_PARTS.split(n)) <= in_places
    ]
    names = list(dict.fromkeys(w for n, _ in candidates for w in n.split() if w.lower() not in STOPWORDS))
    actors: list[str] = []
    for name in dict.fromkeys(without_title(n) for n, required in candidates if required):
        others = await other_spellings(name)
        mentioned = await is_mentioned(name)
        if mentioned or others:
            if name.casefold() not in sides:
                actors.append(name)
            if others:
                place_spellings.append((name, tuple([name] * mentioned + others)))
            continue
        # Written otherwise in the archive ("Defense Ministry of Armenia"): its words, each required.
        words = [w for w in name.split() if w.lower() not in STOPWORDS and not is_adjective(w)]
        present = [await is_mentioned(w) for w in words]
        if words and all(present) and words != [name]:
            actors.extend(words)
        else:
            missing.append(name)

    # "the Wagner mutiny": a named event whose noun the archive never uses is an event it has nothing
    # on (the archive may well name Wagner). Only a noun after a name: other words may be paraphrased.
    for m in _NAMED_EVENT.finditer(rest):
        name, noun = m[1], m[2]
        if (
            name.lower() in STOPWORDS
            or name.lower() in MONTHS_AND_DAYS
            or noun in STOPWORDS
            or is_adjective(name)
        ):
            continue
        if noun.endswith("ly") or _AUXILIARY_BEFORE.search(rest, 0, m.start()):
            continue  # "why did the Kremlin downplay …": a subject and its verb
        if not await is_mentioned(noun) and not await _written_only_in_other_scripts(name):
            missing.append(f"{name} {noun}")

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
        actors=tuple(actors),
        missing=tuple(missing),
        who=bool(WHO_QUESTION.search(question)),
        counting=bool(COUNTING.search(question)),
        reason=bool(REASON_QUESTION.search(question)),
        counted=counted_words(question),
        unresolved_dates=unresolved,
        periods_explained=tuple(p.explain(anchor) for p in periods if anchor),
        place_spellings=tuple(place_spellings),
        speaker=asked_speaker(masked, parties),
        parties=parties,
        each_side=asks_each_side(question, parties),
    )
