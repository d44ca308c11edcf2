"""Outlet names as people say them: "CNN" for ``cnn.com``, "USA Today" for ``usatoday.com``, "SANA" for
"SANA (Syrian Arab News Agency)".

Stored outlets are whatever the sources called themselves (a site name, a domain, a name with its
acronym). A question names them loosely, and "according to USA Today" must not read "today" as a
date, so outlets are found first, by their aliases, and their words are taken out of the question
before dates and places are read.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?(?P<name>[\w-]+)(?:\.[a-z]{2,})+/?$", re.IGNORECASE)
_PARENTHESES = re.compile(r"^(?P<outer>.+?)\s*\((?P<inner>[^()]+)\)\s*$")
_WORD = re.compile(r"[\w'’&.-]+")
MAX_WORDS = 6  # the longest outlet name looked for in a question
MIN_ALIAS = 3  # shorter aliases ("AP" aside, spelled out) collide with ordinary words
# Words an outlet name may be made of that a question also uses plainly ("in the week after", "what
# happened today"): lower-case, such a name counts only after an attribution cue.
COMMON = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "today",
        "week",
        "times",
        "post",
        "news",
        "daily",
        "star",
        "sun",
        "world",
        "mail",
        "press",
        "voice",
    ]
)
CUE = re.compile(r"(?:according\s+to|reported\s+by|per|says|said)(?:\s+the)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class OutletMention:
    """An outlet named in a question: ``question[start:end]`` names ``outlet`` (as stored)."""

    outlet: str
    start: int
    end: int


def compact(text: str) -> str:
    """Lower-case letters and digits only: "USA Today", "usatoday" and "USA-Today" agree."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def aliases(outlet: str) -> set[str]:
    """The compact forms a question may use for a stored outlet name."""
    names = {outlet.strip()}
    if m := _PARENTHESES.match(outlet.strip()):
        names |= {m["outer"], m["inner"]}
    for name in list(names):
        if m := _DOMAIN.match(name.strip()):
            names.add(m["name"])
        if name.lower().startswith("the "):
            names.add(name[4:])
    return {c for c in map(compact, names) if len(c) >= MIN_ALIAS}


def find_outlets(question: str, outlets: Sequence[str]) -> list[OutletMention]:
    """The stored outlets a question names, longest names first, each span used once."""
    by_alias: dict[str, str] = {}
    for outlet in sorted(outlets, key=len):  # a longer stored name wins a shared alias
        for alias in aliases(outlet):
            by_alias[alias] = outlet
    words = list(_WORD.finditer(question))
    found: list[OutletMention] = []
    taken: list[tuple[int, int]] = []
    for n in range(min(MAX_WORDS, len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            run = words[i : i + n]
            start, end = run[0].start(), run[-1].end()
            named = by_alias.get(compact(question[start:end]))
            if named is None or any(start < e and s < end for s, e in taken):
                continue
            if not _named_as_outlet([w.group(0) for w in run], question[:start]):
                continue
            found.append(OutletMention(named, start, end))
            taken.append((start, end))
    return sorted(found, key=lambda m: m.start)


def _named_as_outlet(words: list[str], before: str) -> bool:
    """Whether words that spell an outlet's alias name it here: a plain common word ("today", "the
    week") names an outlet only when capitalised or after "according to"."""
    plain = [w for w in words if w.lower().strip(".") in COMMON and not w[:1].isupper()]
    return not plain or CUE.search(before) is not None


def resolve_outlet(name: str, outlets: Sequence[str]) -> str | None:
    """The stored outlet an explicit ``--outlet``/``outlet:`` option means, or None."""
    wanted = compact(name)
    for outlet in sorted(outlets, key=len):
        if wanted in aliases(outlet) or wanted == compact(outlet):
            return outlet
    return None


def closest_outlets(name: str, outlets: Sequence[str], n: int = 3) -> list[str]:
    """Stored outlets whose names are closest to ``name`` (for "did you mean …")."""
    by_alias = {alias: outlet for outlet in outlets for alias in aliases(outlet) | {compact(outlet)}}
    matches = difflib.get_close_matches(compact(name), list(by_alias), n=n * 2, cutoff=0.6)
    return list(dict.fromkeys(by_alias[m] for m in matches))[:n]
