"""Parties to a conflict as readers name them: sides of a count, and the two parties of a question.

``same_side`` says whether two words name the same side ("Armenian" / "Armenia" / "Armenians",
"Ukraine" / "Ukrainian", and the seed article's typo "Amernian"). ``parties_in`` reads the parties a
"what did A and B each claim" question asks about; ``speaks_for`` says whether a speaker belongs to
one ("the Russian Defense Ministry", "Kremlin spokesman Dmitry Peskov" for Russia). ``is_country``
tells a country ("in Ukraine": too coarse to tell two events apart) from a town.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a literal list."""
    return frozenset(text.split())


# Endings that turn a country into its people or adjective: Russia/Russian, Ukraine/Ukrainian,
# China/Chinese, Lebanon/Lebanese, Turkey/Turkish. Two words that share a stem of 4+ letters and
# differ only by these endings name one side.
_ENDINGS = frozenset(
    ["", "a", "e", "y", "i", "an", "ian", "n", "ese", "ish", "is", "ey", "on", "o", "ans", "istan", "stan"]
)
_MIN_STEM = 4

# Sides whose adjective isn't built from the country's name.
_IRREGULAR = {
    "french": "france",
    "british": "britain",
    "dutch": "netherlands",
    "swiss": "switzerland",
    "welsh": "wales",
    "scottish": "scotland",
    "irish": "ireland",
    "english": "england",
    "greek": "greece",
    "filipino": "philippines",
    "american": "united states",
    "americans": "united states",
    "u.s": "united states",
    "us": "united states",
    "usa": "united states",
    "america": "united states",
    "uk": "britain",
    "polish": "poland",
    "danish": "denmark",
    "swedish": "sweden",
    "finnish": "finland",
    "norwegian": "norway",
}

# Who speaks for a party besides its adjective: capitals and the officials the archives quote most.
# A speaker naming one of these speaks for that party ("Kremlin spokesman Dmitry Peskov").
ALIASES: dict[str, tuple[str, ...]] = {
    "russia": (
        "kremlin",
        "moscow",
        "putin",
        "peskov",
        "lavrov",
        "shoigu",
        "zakharova",
        "konashenkov",
        "nebenzia",
        "medvedev",
    ),
    "ukraine": (
        "kyiv",
        "kiev",
        "zelensky",
        "zelenskyy",
        "zelenskiy",
        "kuleba",
        "podolyak",
        "podoliak",
        "reznikov",
        "yermak",
        "venediktova",
        "arestovych",
        "zaluzhnyi",
    ),
    "armenia": ("yerevan", "pashinyan", "stepanyan"),
    "azerbaijan": ("baku", "aliyev"),
    "israel": ("idf", "netanyahu", "jerusalem"),
    "united states": ("washington", "pentagon", "white house", "biden", "blinken", "state department"),
    "china": ("beijing", "xi jinping"),
    "iran": ("tehran",),
    "turkey": ("ankara", "erdogan"),
}

# Countries (and a few regions used like them): a place phrase naming one is too coarse to tell two
# events apart ("in Ukraine"), unlike a town or a district ("in Bucha", "in the Tovuz district").
_COUNTRIES = word_set(
    """afghanistan albania algeria angola argentina armenia australia austria azerbaijan bahrain
    bangladesh belarus belgium bolivia bosnia brazil britain bulgaria burkina burma burundi cambodia
    cameroon canada chad chile china colombia congo croatia cuba cyprus czechia denmark djibouti egypt
    england eritrea estonia ethiopia europe finland france gaza georgia germany ghana greece guatemala
    guinea haiti honduras hungary india indonesia iran iraq ireland israel italy japan jordan
    kazakhstan kenya korea kosovo kuwait kyrgyzstan laos latvia lebanon libya lithuania macedonia mali
    mauritania mexico moldova mongolia montenegro morocco mozambique myanmar nepal netherlands
    nicaragua niger nigeria norway oman pakistan palestine panama peru philippines poland portugal
    qatar romania russia rwanda scotland senegal serbia slovakia slovenia somalia spain sudan sweden
    switzerland syria taiwan tajikistan tanzania thailand tunisia turkey turkmenistan uganda ukraine
    uzbekistan venezuela vietnam wales yemen zambia zimbabwe america africa asia crimea donbas
    karabakh kurdistan"""
) | frozenset(["united states", "united kingdom", "saudi arabia", "south africa", "north korea"])


def _fold(word: str) -> str:
    text = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"['’]s$", "", text).strip(".,;:'’\"“”()")


def side_key(word: str) -> str:
    """A word as a side: folded, possessive dropped, irregular adjectives mapped to the country."""
    w = _fold(word)
    return _IRREGULAR.get(w, w)


def _scrambled(a: str, b: str) -> bool:
    """A typo that swaps inner letters ("Amernian" for "Armenian"): same letters, same ends."""
    return len(a) >= 6 and len(a) == len(b) and a[0] == b[0] and a[-1] == b[-1] and sorted(a) == sorted(b)


def same_side(a: str, b: str) -> bool:
    """Whether two words name the same side ("Armenian"/"Armenia", "Ukraine"/"Ukrainians")."""
    x, y = side_key(a), side_key(b)
    if not x or not y:
        return False
    if x == y or _scrambled(x, y):
        return True
    # Plurals: "Armenians", "Israelis", "Ukrainians".
    x, y = (w[:-1] if w.endswith("s") and len(w) > _MIN_STEM + 1 else w for w in (x, y))
    if x == y:
        return True
    n = 0
    while n < min(len(x), len(y)) and x[n] == y[n]:
        n += 1
    return n >= _MIN_STEM and x[n:] in _ENDINGS and y[n:] in _ENDINGS


def sides_overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sets of side words share a side (both empty counts as the same: unsaid)."""
    if not a or not b:
        return not a and not b
    return any(same_side(x, y) for x in a for y in b)


def is_country(place: str) -> bool:
    """Whether a place phrase names a country or a region as large ("Ukraine", "the United States")."""
    words = [side_key(w) for w in place.split()]
    phrase = " ".join(words)
    return phrase in _COUNTRIES or any(same_side(phrase, c) for c in _COUNTRIES if c[:1] == phrase[:1])


# "What did Russia and Ukraine each claim", "What do the Armenian MoD and Azerbaijan say about",
# "How did Israel and Hamas describe", "according to Russia and Ukraine".
_PARTY = r"(?:the\s+)?[A-Z][\w.'’-]*(?:\s+(?:of\s+)?[A-Z][\w.'’-]*){0,3}"
# Parties written in lower case ("the students and the border guards", "US officials and China's
# embassy") are read only where "each" or a second "what did" makes the question one of sides.
_LOOSE = r"(?:the\s+)?[\w.'’-]+(?:\s+[\w.'’-]+){0,2}?"
_SAYS = r"(?:claim|say|said|report|allege|state|announce|confirm|deny|describe)"
_EACH = re.compile(
    rf"\b(?:did|do|does)\s+(?P<i>{_PARTY})\s+{_SAYS}\s*,?\s+and\s+what\s+(?:did|do|does)\s+"
    rf"(?P<j>{_LOOSE})\s+{_SAYS}"
    rf"|\b(?:did|do|does)\s+(?P<k>{_LOOSE})\s+and\s+(?P<l>{_LOOSE})\s+each\s+{_SAYS}"
    rf"|\baccording\s+to\s+(?P<m>{_PARTY})\s*,?\s+and\s+according\s+to\s+(?P<n>{_PARTY})"
    rf"|\b(?:did|do|does|have|has|are|were)\s+(?P<a>{_PARTY})\s+(?:and|&)\s+(?P<b>{_PARTY})\s+"
    r"(?:each\s+|both\s+|separately\s+)?(?:claim|say|said|report|allege|state|assert|describe|tell|"
    r"announce|confirm|deny|give|put|saying|claiming|reporting)"
    rf"|\b(?:according\s+to|from|by|between)\s+(?:both\s+)?(?P<c>{_PARTY})\s+(?:and|&|vs\.?|versus)\s+"
    rf"(?P<d>{_PARTY})"
    rf"|\b(?P<e>{_PARTY})\s+(?:vs\.?|versus)\s+(?P<f>{_PARTY})"
    rf"|\b(?P<g>{_PARTY})['’]s?\s+and\s+(?P<h>{_PARTY})['’]s?\s+(?:claims?|accounts?|versions?|figures?|"
    r"statements?|positions?|tolls?)",
)
# "What do the students and the border guards say?": two lower-case parties and no "each", read only
# where none of the forms above is.
_PAIR = re.compile(rf"\b[Ww]hat\s+(?:did|do|does)\s+(?P<o>{_LOOSE})\s+and\s+(?P<p>{_LOOSE})\s+{_SAYS}\b")
# Question words, and pronouns and the like that name no party ("what do you and I say").
_QUESTION_WORDS = word_set(
    "what how who which when where why did do does i you we they he she it people anyone others"
)


def _party(phrase: str) -> str:
    words = phrase.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    return " ".join(words).rstrip("'’s") if words and words[-1].endswith(("'s", "’s")) else " ".join(words)


def parties_in(question: str) -> tuple[str, ...]:
    """The two parties a "what did A and B each claim" question asks about, as written; () if none.

    Args:
        question: the user's question.

    Returns:
        ``("Russia", "Ukraine")`` for "What did Russia and Ukraine each claim about the Kramatorsk
        strike?"; the leading "the" and a possessive are dropped.
    """
    m = _EACH.search(question) or _PAIR.search(question)
    if not m:
        return ()
    groups = m.groupdict()
    pair = next((m[a], m[b]) for a, b in ("ij", "kl", "mn", "ab", "cd", "ef", "gh", "op") if groups.get(a))
    parties = tuple(_party(p) for p in pair)
    if any(not p or p.split()[0].lower() in _QUESTION_WORDS for p in parties):
        return ()
    return parties if _fold(parties[0]) != _fold(parties[1]) else ()


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w.'’-]+", text) if w.strip(".'’-")]


_SEAT = re.compile(r"\s+(?:in|at)\s+(?=(?:the\s+)?[A-Z])")
# Bodies that sit abroad: "the US Embassy in Kyiv" is the US's; "officials in Kyiv" are Ukraine's.
_DIPLOMATIC = re.compile(r"\b(?:embassy|embassies|consulate|mission|ambassador|delegation)\b", re.I)


def party_names(party: str) -> tuple[str, ...]:
    """The words a party's claimants go by: its own, and for a country its capital and officials
    ("Russia": "Russia", "Russian", "Kremlin", "Moscow", "Peskov" …), for keyword search."""
    words = [w for w in _words(party) if w.casefold() != "the"]
    keys = {side_key(w) for w in words}
    names = list(words)
    for country, aliases in ALIASES.items():
        if any(same_side(k, country) or k in aliases for k in keys):
            names += [country, *aliases]
    return tuple(dict.fromkeys(names))


def speaks_for(speaker: str | None, party: str) -> bool:
    """Whether a speaker belongs to a party: names its side ("the Russian Defense Ministry" for
    Russia), one of its aliases ("Kremlin spokesman Dmitry Peskov"), or the party's own words
    ("Hamas officials" for Hamas).
    """
    if not speaker:
        return False
    # "The US Embassy in Kyiv", "the Chinese embassy in the US": where a body sits is not whom it
    # speaks for.
    head, *seat = _SEAT.split(speaker, maxsplit=1)
    if seat and _DIPLOMATIC.search(head):
        speaker = head
    spoken = [side_key(w) for w in _words(speaker)]
    folded = " ".join(spoken)
    party_words = [w for w in _words(party) if w[:1].isupper() or w.isupper()]
    keys = {side_key(party)} | {side_key(w) for w in party_words}
    for key in list(keys):
        for country, aliases in ALIASES.items():
            if same_side(key, country) or key in aliases:
                keys |= {country, *aliases}
    for key in keys:
        if " " in key and re.search(rf"\b{re.escape(key)}\b", folded):
            return True
        if any(same_side(key, w) for w in spoken if w[:1].isalpha()):
            return True
    return names_party(speaker, party)


def names_party(speaker: str, party: str) -> bool:
    """Whether a speaker has every word of the party's name, in any form ("the Border Guard Service"
    for "the border guards", "Russia's Ministry of Defense" for "the defense ministry"), not only its
    country: of two parties of one side (Putin, the defense ministry), the one it names."""
    spoken = [_SAME_WORD.get(k, k) for k in (side_key(w) for w in _words(speaker))]
    words = [_SAME_WORD.get(k, k) for k in (side_key(w) for w in _words(party) if w.casefold() != "the")]
    return bool(words) and all(any(same_side(k, w) or k == w for w in spoken) for k in words)


# Spellings and forms of one office: "Defence Minister" speaks for "the defense ministry".
_SAME_WORD = {"defence": "defense", "minister": "ministry"}


# "Give each side's claim", "what does each side say", "both sides' accounts": the parties unnamed.
# Not "on both sides of the border": a place.
_EACH_SIDE = re.compile(r"\b(?:each|both|either)\s+sides?\b(?!\s+of\b)|\bboth\s+parties\b", re.I)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’]+")


# Regions that ``_COUNTRIES`` holds for telling events apart but that are no side of a conflict.
_NOT_STATES = word_set("crimea donbas karabakh gaza europe asia africa kurdistan")


def asks_each_side(question: str, parties: tuple[str, ...] | None = None) -> bool:
    """Whether a question asks for each side's claim without naming the sides (``parties``: its
    ``parties_in``, when the caller has read them already)."""
    if not _EACH_SIDE.search(question):
        return False
    return not (parties_in(question) if parties is None else parties)


@lru_cache(maxsize=4096)
def country_of(word: str) -> str | None:
    """The country a capitalised word stands for ("Russian", "Kremlin": "russia"), or None."""
    key = side_key(word)
    if len(key) < 3:
        return _IRREGULAR.get(key) if key in ("us", "uk") else None
    if key in _COUNTRIES:
        return key
    for country, aliases in ALIASES.items():
        if key in aliases:
            return country
    return next((c for c in _COUNTRIES if c[:1] == key[:1] and same_side(key, c)), None)


def belligerents(texts: Iterable[str]) -> tuple[str, ...]:
    """The two sides that passages about one conflict name most ("Russia", "Ukraine"), by the number
    of passages naming each; () unless two sides are each named in two passages or more.

    "What does each side claim about the bodies found in Bucha?" names no party: the reporting does.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(
            {c for w in _CAPITALISED.findall(text) if (c := country_of(w)) and c not in _NOT_STATES}
        )
    top = counts.most_common(2)
    if len(top) < 2 or top[1][1] < 2:
        return ()
    return tuple(c.title() for c, _ in top)
