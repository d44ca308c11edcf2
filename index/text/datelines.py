"""Datelines: "KYIV, Ukraine (CNN) — ", "MOSCOW (AP) — ", "WASHINGTON – ", "Washington CNN —".

A dateline opens a news paragraph with where (and sometimes when) it was filed, and who filed it.
It is not part of anything anyone said, so ``furniture.strip_furniture`` cuts it off the line (or
drops the line, for CNN's dateline on a line of its own); ``prepare`` still dates an undated
article by it (``dates.parsing.infer_dateline``).
"""

from __future__ import annotations

import re

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_AGENCY = r"(?:CNN(?:\s+(?:Business|Sport|Travel|Style|Politics))?|AP|Reuters|AFP|UPI|dpa|Xinhua|TASS)"
_DASH = r"(?:—|–|--|-|−)"

# "Washington CNN —", "Sindh province, Pakistan CNN —", "CNN Business —": CNN's dateline alone.
_DATELINE_LINE = re.compile(rf"\s*(?:[A-Z][^\n.!?]{{0,60}}\s)?{_AGENCY}\s*{_DASH}\s*")
# A place (words that start upper-case: "KYIV", "Kyiv, Ukraine", "NEW YORK/LONDON", "SYRACUSE,
# N.Y."), maybe a day ("Dec 3"), then the agency in brackets or bare before a dash.
_PLACE = r"[A-Z][\w.'’-]*(?:(?:[ ,/]+|\s+and\s+)[A-Z][\w.'’-]*){0,6}"
_PREFIXES = (
    # "(CNN) ", "(CNN)Thousands", "(Reuters) - "
    re.compile(rf"\s*\({_AGENCY}\)\s*(?:{_DASH}\s*)?(?=\S)"),
    # "MOSCOW (AP) — ", "PUTRAJAYA, Malaysia, July 28 (Reuters) - ", "KYIV, Ukraine (CNN) — "
    re.compile(rf"\s*{_PLACE},?(?:\s+{_MONTH}\s+\d{{1,2}})?\s*\({_AGENCY}\)\s*{_DASH}\s*(?=\S)"),
    # "Kyiv, Ukraine CNN — " when the page put it on the paragraph's line
    re.compile(rf"\s*(?:{_PLACE}\s+)?CNN(?:\s+Business)?\s+—\s+(?=\S)"),
    # "WASHINGTON – ", "GAZA CITY — ", "NOGALES, SONORA – ", "LONDON, March 3 — ": a place in capitals
    re.compile(
        r"\s*(?P<place>(?:ST\.\s+|FT\.\s+|EL\s+|LA\s+|AL\s+)?[A-Z]{3,}[A-Z.'’-]*(?:\s+[A-Z]{2,}[A-Z.'’-]*){0,3})"
        rf"(?:,\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,2}})?(?:,?\s+{_MONTH}\s+\d{{1,2}})?"
        rf"\s+{_DASH}\s+(?=[\"“‘'A-Z0-9])"
    ),
)
# "Hong Kong (CNN)Hong Kong's leader ...": CNN's older dateline has no dash, so it is only taken at
# the top of an article, where "Jake Tapper (CNN) said" would not be.
_CNN_LEAD = re.compile(rf"\s*{_PLACE},?\s*\(CNN(?:\s+Business)?\)\s*(?=\S)")
# Capitals before a dash that are not a place ("FILE - In this photo ...", "NATO – the alliance").
_NOT_PLACES = frozenset(
    (
        *("FILE", "NATO", "UPDATE", "UPDATED", "BREAKING", "EXCLUSIVE", "WATCH", "OPINION", "ANALYSIS"),
        *("LIVE", "PHOTOS", "PHOTO", "VIDEO", "RELATED", "NOTE", "EDITOR", "CORRECTION", "CLARIFICATION"),
        *("WARNING", "ALERT", "READ", "MORE", "SPOILER", "USA", "REVIEW"),
    )
)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_GLOSSARY_WORDS = 3


def is_dateline_line(line: str) -> bool:
    """Whether a whole line is a dateline ("Washington CNN —")."""
    return _DATELINE_LINE.fullmatch(line) is not None


def dateline_length(line: str, *, lead: bool) -> int:
    """How many characters of dateline open ``line`` (0 for none).

    Args:
        line: one line of text.
        lead: whether it is the article's first line, where CNN's dash-less "Place (CNN)" is taken.
    """
    cut = 0
    for _ in range(2):  # "(CNN) WASHINGTON — ..." holds two
        n = _one_dateline(line[cut:], lead=lead)
        if not n:
            break
        cut += n
    return cut


def _one_dateline(line: str, *, lead: bool) -> int:
    for pattern in (*_PREFIXES, _CNN_LEAD) if lead else _PREFIXES:
        m = pattern.match(line)
        if m is None:
            continue
        place = m.groupdict().get("place")
        if place is not None and not _capitals_dateline(place, line[m.end() :]):
            continue
        return m.end()
    return 0


def _capitals_dateline(place: str, rest: str) -> bool:
    """Whether "PLACE – rest" is a dateline and not a list or glossary entry.

    A dateline is followed by a sentence ("TPA – Tampa International Airport" is an airport list's
    entry), and not by the words the capitals stand for ("ATACMS – Army Tactical Missile Systems").
    """
    if place.split()[0].strip(".'’-") in _NOT_PLACES or not _SENTENCE_END.search(rest):
        return False
    leading = []
    for word in _WORD.findall(rest[:120]):
        if not word[0].isupper():
            break
        leading.append(word[0])
    return not (len(leading) >= _GLOSSARY_WORDS and _subsequence(leading, place))


def _subsequence(letters: list[str], word: str) -> bool:
    it = iter(word.upper())
    return all(letter in it for letter in letters)
