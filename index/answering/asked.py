"""What a question asks for, as scoring reads it: its topic words, the speaker it names, the kind of
casualty count it wants ("how many were wounded": the wounded, of the asked people).

``quotes.score`` adds these as evidence to a sentence's similarity; ``select_quotes`` chooses each
party's quote by ``topic_words``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from index.answering.figures import CIVILIAN_WORDS, MILITARY_WORDS, figures_in
from index.answering.parties import country_of, word_set
from index.answering.planning import QueryPlan, without_title
from index.answering.vocabulary import EXPANSIONS, OFFICE_WORDS, STOPWORDS, stem, stems_in
from index.dates.parsing import find_dates, whole_years

WORD = re.compile(r"\w+", re.UNICODE)

# Words of an "each claim" question that say what is asked for, not what about.
ASKING_WORDS = word_set(
    """each side sides say says said claim claims claimed give what did do does according announce
    announced report reported"""
)

CASUALTY_WORDS = frozenset(
    [
        "casualties",
        "casualty",
        "killed",
        "dead",
        "died",
        "deaths",
        "death",
        "toll",
        "wounded",
        "injured",
        "injuries",
        "fatalities",
        "losses",
        "eliminated",
    ]
)
# The two kinds of count a casualty question may ask for ("casualties" is either).
_WOUNDED_WORDS = frozenset(["wounded", "injured", "injuries", "injury", "hurt"])
_KILLED_WORDS = frozenset(["killed", "dead", "died", "deaths", "death", "fatalities", "toll", "eliminated"])


@lru_cache(maxsize=4096)
def counts_the_asked(text: str, content_words: tuple[str, ...]) -> bool:
    """Whether a text states a count of the casualties a question asks about: killed or wounded as
    asked (either for "casualties"), of the kind of people asked (soldiers, civilians) where said."""
    asked = casualty_kinds(set(content_words))
    people = (
        "military"
        if MILITARY_WORDS & set(content_words)
        else "civilian"
        if CIVILIAN_WORDS & set(content_words)
        else ""
    )
    return any(
        (not asked or f.category in asked) and (not people or f.kind in (people, ""))
        for f in figures_in(text)
    )


def casualty_kinds(words: set[str]) -> set[str]:
    """Which kinds of count the words speak of: "wounded", "killed", both or none."""
    return {kind for kind, kin in (("wounded", _WOUNDED_WORDS), ("killed", _KILLED_WORDS)) if words & kin}


NUMBER = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|"
    r"thirteen|fourteen|fifteen|twenty|thirty|forty|fifty)\b",
    re.I,
)


def words_of(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def topic_words(plan: QueryPlan, parties: Sequence[str]) -> list[str]:
    """The question's content words other than its parties' names, countries and the asking words:
    in "Were Russian conscripts fighting in Ukraine? What did Putin say …?", "conscripts" and
    "fighting" (every quote of the war says "Russian" and "Ukraine")."""
    party_words = {w.lower().removesuffix("'s").removesuffix("’s") for p in parties for w in p.split()}
    return [
        w
        for w in plan.content_words
        if w not in ASKING_WORDS
        and w.removesuffix("'s").removesuffix("’s") not in party_words
        and country_of(w) is None
    ]


def _count_found(words: set[str], wanted: Sequence[str]) -> int:
    """How many of the ``wanted`` words (or their expansions) are among ``words``."""
    return sum(1 for w in wanted if words & set(EXPANSIONS.get(w, (w,))))


def stemmed_share(text: str, wanted: Sequence[str]) -> float:
    """The share of ``wanted`` words (or their expansions) in ``text``, by stem: "conscript
    soldiers are not participating" holds "conscripts" of "Were Russian conscripts fighting?"."""
    stems = stems_in(text)
    found = sum(1 for w in wanted if any(stem(e) in stems for e in EXPANSIONS.get(w, (w,))))
    return found / len(wanted) if wanted else 0.0


def share_of(words: set[str], wanted: Sequence[str]) -> float:
    """The share of ``wanted`` words (or their expansions) among ``words``."""
    return _count_found(words, wanted) / len(wanted) if wanted else 0.0


@lru_cache(maxsize=256)
def about(content_words: tuple[str, ...], speaker: str | None) -> tuple[str, ...]:
    """The question's content words other than those naming the speaker it asks for."""
    named = {w.lower() for w in WORD.findall(speaker or "")}
    return tuple(w for w in content_words if w not in named) or content_words


def matched_content(words: set[str], plan: QueryPlan) -> int:
    """How many of the question's content words (or their expansions) the text contains."""
    return _count_found(words, plan.content_words)


def stems(text: str) -> set[str]:
    """Word stems (first five letters, case-folded) of a name, its stop words left out unless written
    in capitals ("US")."""
    # "Russia's": its "s" is no word of the name; "U.S." is "US".
    words = [w for w in WORD.findall(text.replace(".", "")) if len(w) > 1]
    return {w[:5].casefold() for w in words if w.isupper() or w.casefold() not in STOPWORDS}


def speaker_share(asked: str, speaker: str) -> float:
    """The share of the asked speaker's words that a quote's speaker has, by stem ("Russia's defense
    ministry" and "the Russian Defense Ministry": all of them); none unless it has the asked name's
    own words ("Zeltran" of "Zeltran Defence Ministry": the Orvenian Defence Ministry is another)."""
    wanted, own = asked_name(asked)
    got = stems(speaker)
    if not wanted or (own and not own & got):
        return 0.0
    return len(wanted & got) / len(wanted)


@lru_cache(maxsize=256)
def asked_name(asked: str) -> tuple[frozenset[str], frozenset[str]]:
    """The stems of an asked speaker's name without its titles ("Prime Minister Shmyhal": "Shmyhal"),
    and of its own words, those not of an office ("Zeltran" of "Zeltran Defence Ministry")."""
    name = without_title(asked)
    own = " ".join(w for w in WORD.findall(name) if w[:1].isupper() and w.casefold() not in OFFICE_WORDS)
    return frozenset(stems(name)), frozenset(stems(own))


def mentions_interval(text: str, year: int | None, intervals: Sequence[tuple[date, date]]) -> bool:
    """Whether a text names a day in ``intervals`` (a year-less date read in ``year``) or, for whole
    years asked about, the year."""
    for m in find_dates(text):
        y = m.year or year
        if y is None or m.day is None:
            continue
        try:
            d = date(y, m.month, m.day)
        except ValueError:
            continue
        if any(lo <= d <= hi for lo, hi in intervals):
            return True
    # "in 1992" is about the year, and the reporting mostly says just that.
    years = {str(y) for lo, hi in intervals for y in whole_years(lo, hi)}
    return bool(years) and not years.isdisjoint(re.findall(r"\b\d{4}\b", text))
