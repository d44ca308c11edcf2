"""What a speaker phrase names: the name trimmed from its phrase, the claimant's kind (person,
organisation, plural), label lines ("The Defense Ministry:"), and an earlier full mention of a
generic one ("the ministry" → "the Azerbaijani Defense Ministry")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.attribution.lexicon import (
    DETERMINERS,
    FEMALE,
    FUNCTION_WORDS,
    HEADING_WORDS,
    LY_NOUNS,
    MALE,
    MASK,
    ORG_NOUNS,
    PERSON_TITLES,
    PLURAL_HINTS,
    TIME_WORDS,
    Kind,
)


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker, the pronouns it can be the antecedent of, and where it is named."""

    name: str
    kind: Kind
    start: int  # the name as written in the article: text[start:end]
    end: int


def labelled_speaker(body: str, offset: int) -> Speaker | None:
    """``The Azerbaijani Defense Ministry`` from a line ``The Azerbaijani Defense Ministry:``.

    ``offset`` is where ``body`` starts in the article, for the speaker's span.
    """
    phrase = _clean(body)
    words = phrase.split()
    if not words or len(words) > 8 or not phrase[0].isupper() or MASK in body:
        return None
    if words[0].lower().strip(":") in HEADING_WORDS or re.search(r"\d", phrase):
        return None
    for w in words:
        low = w.lower().strip(",.’'")
        if not (w[:1].isupper() or low in FUNCTION_WORDS or low in ORG_NOUNS or low in PERSON_TITLES):
            return None
    a, b = _name_bounds(body, 0, len(body))
    return Speaker(phrase, kind_of(phrase), offset + a, offset + b)


# --- Small helpers ---------------------------------------------------------------------------


def names_someone(phrase: str) -> bool:
    """Whether a phrase is a name, as in "said Dan Gerstein" or "said the BBC", not "tweeted a warning"."""
    words = phrase.split()
    if words and words[0].lower() in DETERMINERS:
        words = words[1:]
    return bool(words) and words[0][:1].isupper() and not re.fullmatch(TIME_WORDS, words[0].lower())


def is_adverb(word: str) -> bool:
    # "justifiably said", "angrily denied"; not "family", "ally" or a capitalised "Kelly".
    return word.endswith("ly") and word.islower() and len(word) > 4 and word not in LY_NOUNS


_EDGE = " ,;:'’\"“”"


def _name_bounds(text: str, a: int, b: int) -> tuple[int, int]:
    """Narrow ``text[a:b]`` to a name as ``_clean`` reads it: edge punctuation and one determiner off."""
    while a < b and (text[a].isspace() or text[a] in _EDGE):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in _EDGE):
        b -= 1
    lead = re.match(r"(?:the|a|an)\s+(?=\S)", text[a:b], re.IGNORECASE)
    if lead:
        a += lead.end()
    return a, b


def named_speaker(text: str, a: int, b: int) -> Speaker:
    """A speaker named by the words ``text[a:b]`` (determiner dropped), with their span."""
    a, b = _name_bounds(text, a, b)
    name = " ".join(text[a:b].split())
    return Speaker(name, kind_of(name), a, b)


def _clean(phrase: str) -> str:
    """Whitespace collapsed, edge punctuation and a leading determiner dropped."""
    phrase = " ".join(phrase.split()).strip(" ,;:'’\"“”")
    return _strip_determiner(phrase)


def _strip_determiner(phrase: str) -> str:
    """Drop one leading "the"/"a"/"an": "Azerbaijani Defense Ministry" reads better in a citation."""
    words = phrase.split()
    if len(words) > 1 and words[0].lower() in DETERMINERS:
        return " ".join(words[1:])
    return phrase


def is_generic(words: list[str]) -> bool:
    """Whether a subject is a role ("the ministry", "its spokesman") that refers back to a name."""
    if len(words) < 2 or len(words) > 3:
        return False
    if words[0].lower() not in ("the", "this", "that", "its", "his", "her", "their"):
        return False
    return all(w[:1].islower() for w in words[1:])


def kind_of(phrase: str) -> Kind:
    """Which pronouns can refer back to a speaker: from titles, group nouns and capitalisation."""
    words = [w.lower().strip(".,’'") for w in phrase.split()]
    low = (
        set(words)
        | {w.removesuffix("s") for w in words}
        | {w.removesuffix("’s").removesuffix("'s") for w in words}
    )
    if low & FEMALE:
        return "female"
    if low & MALE:
        return "male"
    if low & PERSON_TITLES:
        return "person"
    if low & PLURAL_HINTS or "and" in low:
        return "plural"
    if low & ORG_NOUNS:
        return "org"
    caps = [w for w in phrase.split() if w[:1].isupper()]
    if len(caps) >= 2 and len(caps) == len(words):
        return "person"
    return "unknown"


def named_mention(before: str, head: str) -> tuple[int, int] | None:
    """Where the last capitalised name built on ``head`` is in earlier text ("Ministry of Defence of X")."""
    cap = head[:1].upper() + head[1:]
    for m in reversed(list(re.finditer(rf"\b{re.escape(cap)}\b", before))):
        # Windows keep this linear on long runs of capitalised words.
        left = re.search(
            r"(?:[A-Z][\w’'-]*\s+(?:of\s+(?:the\s+)?)?){1,5}$", before[max(0, m.start() - 80) : m.start()]
        )
        right = re.match(r"(?:\s+of(?:\s+the)?(?:\s+[A-Z][\w-]*){1,4}){0,2}", before[m.end() : m.end() + 80])
        a = m.start() - (len(left.group()) if left else 0)
        b = m.end() + (len(right.group()) if right else 0)
        if len(before[a:b].split()) >= 2:
            return a, b
    return None


def titled_mention(before: str, title: str) -> tuple[int, int] | None:
    """Where the last "Title Firstname Lastname" is in earlier text: "the President" -> "President Joe Biden"."""
    cap = title[:1].upper() + title[1:]
    found = list(re.finditer(rf"\b{re.escape(cap)}\s+(?:[A-Z][\w’'-]*\.?\s+){{0,2}}[A-Z][\w’'-]+", before))
    return found[-1].span() if found else None
