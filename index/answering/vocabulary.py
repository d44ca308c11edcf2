"""The words questions are read with: stopwords, month and weekday names, and the expansions that
let keyword search find the many ways conflict reporting says the same thing."""

from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"[\w][\w'’\-]*", re.UNICODE)

_POSSESSIVE = re.compile(r"['’]s?$")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A lower-case word without its inflection, for matching a question's words in a quote's:
    "bombed", "bombing": "bomb"; "bodies": "body"; "missiles", "missile": "missil"; "fired", "fire":
    "fir"; "hospital's": "hospital". Crude (no dictionary), but the same on both sides."""
    w = _POSSESSIVE.sub("", word)
    if len(w) > 4 and w.endswith(("ies", "ied")):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("es") and w[:-2].endswith(("s", "x", "z", "ch", "sh")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    elif len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    return w[:-1] if len(w) > 3 and w.endswith("e") else w


def stems_in(text: str) -> set[str]:
    """The stems of a text's words (``stem``), case-folded."""
    return {stem(w.casefold()) for w in WORD.findall(text)}


STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "anyone",
        "anybody",
        "someone",
        "say",
        "said",
        "says",
        "tell",
        "told",
        "report",
        "reported",
        "reports",
        "reporting",
        "claim",
        "claimed",
        "claims",
        "according",
        "happened",
        "happen",
        "there's",
        "what's",
        "who's",
        "news",
        "article",
        "articles",
        "latest",
        "any",
        "since",
        "ago",
        "today",
        "yesterday",
    ]
)

# Conflict reporting says the same thing many ways; BM25 only matches words, so widen the net.
EXPANSIONS: dict[str, tuple[str, ...]] = {
    "casualties": (
        "killed",
        "wounded",
        "injured",
        "dead",
        "died",
        "deaths",
        "toll",
        "casualties",
        "fatalities",
        "losses",
        "eliminated",
    ),
    "casualty": ("killed", "wounded", "injured", "dead", "died", "deaths", "toll", "fatalities", "losses"),
    "killed": ("killed", "dead", "died", "deaths", "toll"),
    "deaths": ("killed", "dead", "died", "deaths", "toll"),
    "dead": ("killed", "dead", "died", "deaths", "toll"),
    "wounded": ("wounded", "injured"),
    "injured": ("wounded", "injured"),
    "shelling": ("shelling", "shelled", "artillery", "shells"),
    "attack": ("attack", "attacked", "strike", "struck", "assault"),
    "strike": ("strike", "strikes", "struck", "attack"),
    "denied": ("denied", "denies", "deny", "denial", "rejected"),
    "deny": ("denied", "denies", "deny", "denial", "rejected"),
    "denial": ("denied", "denies", "deny", "denial", "rejected"),
    "ceasefire": ("ceasefire", "truce", "cease-fire"),
    "refugees": ("refugees", "displaced", "fled", "evacuated"),
    "displaced": ("refugees", "displaced", "fled", "evacuated"),
    "arrested": ("arrested", "detained", "arrest", "custody"),
    "arrest": ("arrested", "detained", "arrest", "custody"),
}

MONTHS_AND_DAYS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)

# Names reporting mostly writes short ("the U.S.", "Britain"): a question's long form must find them.
NAME_ALIASES: dict[str, tuple[str, ...]] = {
    "united states": ("U.S.", "US", "USA", "America"),
    "united states of america": ("United States", "U.S.", "US", "USA", "America"),
    "america": ("United States", "U.S.", "US"),
    "united kingdom": ("U.K.", "UK", "Britain"),
    "britain": ("United Kingdom", "U.K.", "UK"),
    "great britain": ("Britain", "United Kingdom", "U.K.", "UK"),
    "united nations": ("U.N.", "UN"),
    "european union": ("EU", "E.U."),
    "soviet union": ("USSR", "U.S.S.R."),
    "united arab emirates": ("UAE", "U.A.E."),
    "north korea": ("DPRK",),
    "international atomic energy agency": ("IAEA",),
    "north atlantic treaty organization": ("NATO",),
    "russian federation": ("Russia",),
}


# "Russian-held", "Kurdish", "Israeli": adjectives that a capital letter makes look like places.
_ADJECTIVE_ENDING = re.compile(r"(?:-[a-z]\w*|ian|ese|ish)$")  # "Russian", "Russian-held", "Turkish"
# Demonyms in -i. Not every word in -i: Ukrainian places and names end so too ("Chernivtsi",
# "Khmelnytskyi", "Syrskyi"), and taking them for adjectives dropped them from the question's filters.
_DEMONYMS_IN_I = frozenset(
    [
        "israeli",
        "pakistani",
        "iraqi",
        "yemeni",
        "saudi",
        "kuwaiti",
        "qatari",
        "emirati",
        "bangladeshi",
        "azerbaijani",
        "somali",
        "afghani",
        "nepali",
        "bahraini",
        "omani",
        "kashmiri",
        "punjabi",
        "bengali",
        "hindi",
        "thai",
    ]
)


def is_adjective(word: str) -> bool:
    """Whether a capitalised word (or phrase's last word) reads as a nationality adjective or its
    people ("Russian", "Russian-held", "Israeli", "Israelis", "Ukrainians"); "Chernivtsi" and "Paris"
    don't."""
    w = word.strip("'’")
    if _ADJECTIVE_ENDING.search(w) or w.lower() in _DEMONYMS_IN_I:
        return True
    return w.endswith("s") and (bool(_ADJECTIVE_ENDING.search(w[:-1])) or w[:-1].lower() in _DEMONYMS_IN_I)


# Words of an office, not of whose it is: "Zeltran Defence Ministry" is told from "Orvenian Defence
# Ministry" by "Zeltran" alone.
OFFICE_WORDS = frozenset(
    [
        "defence",
        "defense",
        "ministry",
        "minister",
        "foreign",
        "interior",
        "affairs",
        "armed",
        "forces",
        "force",
        "general",
        "staff",
        "office",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "president",
        "prime",
        "secretary",
        "department",
        "command",
        "council",
        "committee",
        "service",
        "military",
        "army",
        "police",
        "government",
        "national",
        "state",
        "mayor",
        "governor",
    ]
)
