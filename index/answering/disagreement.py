"""Where the quotes of an answer contradict each other: different figures for the same thing, or denials.

``figures_in`` reads the (number, category) pairs a quote states ("3 soldiers were killed", "killed
dozens of civilians", "no Armenian was killed", "destroyed two tanks"); ``find_disagreements`` puts
side by side the claimants whose figures for one category cannot both be true, and the claimants
who deny what another asserts. Figures of one claimant never contradict each other (a toll that
rose is an update, not a dispute). The words around the number ("soldiers", "Armenian") travel with
each figure, so a reader sees when two figures may count different people.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.models import Disagreement, DisputedClaim, Quote

_SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
# Vague quantities as ranges: "dozens" is at least 24, "several" 3 to 9.
_VAGUE = {
    "several": (3.0, 9.0),
    "a dozen": (12.0, 12.0),
    "dozens": (24.0, math.inf),
    "scores": (40.0, math.inf),
    "hundreds": (200.0, math.inf),
    "thousands": (2000.0, math.inf),
    "a few": (2.0, 5.0),
}
_ZERO = ("no", "none", "nobody", "no one", "not a single", "not one", "zero")
_NUMBER = (
    r"(?P<num>\d[\d,]*|" + "|".join(sorted((*_SMALL, *_TENS, *_VAGUE, *_ZERO), key=len, reverse=True)) + r")"
)
_BOUND = r"(?:(?P<bound>at\s+least|more\s+than|over|nearly|almost|about|around|some|up\s+to)\s+)?"
_EQUIPMENT = r"tanks?|drones?|aircraft|planes?|jets?|helicopters?|(?:armou?red\s+)?vehicles?|artillery|guns?|positions?"
_EVENT = {
    "killed": "killed",
    "dead": "killed",
    "deaths": "killed",
    "fatalities": "killed",
    "casualties": "casualties",
    "died": "killed",
    "lost their lives": "killed",
    "wounded": "wounded",
    "injured": "wounded",
    "hurt": "wounded",
    "captured": "captured",
    "taken prisoner": "captured",
    "destroyed": "destroyed",
    "shot down": "destroyed",
    "downed": "destroyed",
}
_VERB = r"(?P<verb>" + "|".join(sorted(_EVENT, key=len, reverse=True)) + r")"
_NUMBER_WORDS = "|".join(
    sorted((*_SMALL, *_TENS, "dozens", "hundreds", "thousands", "scores"), key=len, reverse=True)
)
# Up to four words between the number and the verb, none of them a number ("on July 12 three were killed").
_FILLER = rf"(?P<subject>(?:(?!\d)(?!(?:{_NUMBER_WORDS}|and|or|but|while|as)\b)[\w'’-]+\s+){{0,4}}?)"
_AUX = r"(?:(?:were|was|have\s+been|has\s+been|had\s+been|are|is|been|got)\s+)?"
# "3 soldiers were killed", "no Armenian was killed", "two tanks destroyed", "12 dead".
_NUMBER_FIRST = re.compile(rf"\b{_BOUND}{_NUMBER}\s+(?:of\s+)?{_FILLER}{_AUX}{_VERB}\b", re.IGNORECASE)
# "killed 12 militants", "destroyed two tanks", "shot down three drones".
_VERB_FIRST = re.compile(
    rf"\b{_VERB}\s+{_BOUND}{_NUMBER}(?=(?:\s+(?:of\s+)?(?P<object>[\w'’-]+(?:\s+[\w'’-]+){{0,2}}))?)",
    re.IGNORECASE,
)
# "the death toll rose to 14".
_TOLL = re.compile(
    rf"\bdeath\s+toll\s+(?:\w+\s+){{0,3}}?(?:to|at|of|is|was|reached|stands\s+at)\s+{_BOUND}{_NUMBER}\b",
    re.IGNORECASE,
)
_NO_CASUALTIES = re.compile(
    r"(?P<subject>(?:[\w'’-]+\s+){0,2}?)(?:suffered\s+|had\s+|reported\s+)?(?:no|zero)\s+"
    r"(?:casualties|losses|fatalities|deaths)\b",
    re.IGNORECASE,
)
_CIVILIAN = frozenset(
    ["civilian", "civilians", "residents", "villagers", "children", "women", "people", "passers-by"]
)
_MILITARY = frozenset(
    [
        "soldier",
        "soldiers",
        "troops",
        "servicemen",
        "serviceman",
        "militants",
        "fighters",
        "saboteurs",
        "personnel",
        "officers",
        "forces",
    ]
)
_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|refuted|refutes|rejected\s+(?:the\s+)?(?:claims?|reports?)|"
    r"(?:is|was|are|were)\s+(?:false|untrue|not\s+true|fake|baseless)|disinformation|fabricat\w+)\b",
    re.IGNORECASE,
)
_EQUIPMENT_RE = re.compile(rf"\b({_EQUIPMENT})\b", re.IGNORECASE)
_STOP = {
    "were",
    "was",
    "have",
    "has",
    "had",
    "been",
    "are",
    "is",
    "the",
    "a",
    "an",
    "and",
    "of",
    "others",
    "other",
}


@dataclass(frozen=True)
class Figure:
    """A number a quote states for a category ("killed", "wounded", "tanks destroyed")."""

    category: str
    low: float
    high: float
    label: str  # as the quote says it: "3", "at least 4", "dozens", "no"
    subject: str  # who or what was counted, in the quote's words ("soldiers", "Armenian")

    @property
    def side(self) -> frozenset[str]:
        """Capitalised words of the subject: whose losses ("Armenian", "Zeltran")."""
        return frozenset(w.casefold() for w in self.subject.split() if w[:1].isupper())

    @property
    def kind(self) -> str:
        """ "civilian", "military" or "" (not said)."""
        words = {w.casefold() for w in self.subject.split()}
        return "civilian" if words & _CIVILIAN else "military" if words & _MILITARY else ""

    def counts_the_same_as(self, other: Figure) -> bool:
        """Whether two figures may count the same people or things.

        Conservative: both must name the same side or neither any ("3 soldiers" and "no Armenian"
        may well be different people), civilians are never compared with soldiers, and a figure
        that doesn't say whom it counts is compared with one that does only when both name a side.
        """
        same_side = self.side == other.side or bool(self.side & other.side)
        # An unqualified figure ("seven fatalities") may count soldiers and civilians together.
        same_kind = self.kind == other.kind or (bool(self.side) and not (self.kind and other.kind))
        return self.category == other.category and same_side and same_kind

    def contradicts(self, other: Figure) -> bool:
        """Whether both cannot be true: the same people or things, ranges that don't overlap."""
        return self.counts_the_same_as(other) and (self.high < other.low or other.high < self.low)


def _value(num: str, bound: str | None) -> tuple[float, float] | None:
    word = " ".join(num.lower().split())
    if word in _ZERO:
        return 0.0, 0.0
    if word in _VAGUE:
        return _VAGUE[word]
    if word in _SMALL:
        n = float(_SMALL.index(word))
    elif word in _TENS:
        n = float(_TENS[word])
    else:
        try:
            n = float(word.replace(",", ""))
        except ValueError:
            return None
    b = " ".join((bound or "").lower().split())
    if b in ("at least", "more than", "over"):
        return n, math.inf
    if b in ("nearly", "almost", "up to"):
        return 0.0 if b == "up to" else n * 0.8, n
    if b in ("about", "around", "some"):
        return n * 0.8, n * 1.2
    return n, n


def _category(verb: str, context: str) -> str:
    event = _EVENT[" ".join(verb.lower().split())]
    if event == "destroyed":
        thing = _EQUIPMENT_RE.search(context)
        noun = thing.group(1).lower().rstrip("s") if thing else "equipment"
        return f"{'aircraft' if noun == 'aircraft' else noun + 's'} destroyed"
    return event


_OBJECT_END = frozenset(
    ["and", "or", "in", "on", "at", "near", "when", "during", "after", "as", "while", "with", "from"]
)
# A quote that sums up ("at least 18 deaths since March 3") is not a rival figure for one event.
_CUMULATIVE = re.compile(
    r"\b(?:since|in\s+total|total(?:ling)?|in\s+all|so\s+far|add\s+up|altogether|overall|cumulative)\b",
    re.IGNORECASE,
)


def _subject(words: str) -> str:
    kept = []
    for w in words.split():
        if w.lower() in _OBJECT_END:
            break
        if w.lower() not in _STOP:
            kept.append(w)
    return " ".join(kept)


_MONTH_BEFORE = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\Z", re.IGNORECASE
)


def figures_in(text: str) -> list[Figure]:
    """The figures a quote states, in order of appearance."""
    out: list[tuple[int, Figure]] = []
    spans: list[tuple[int, int]] = []

    def add(m: re.Match[str], category: str, subject: str) -> None:
        value = _value(m["num"], m["bound"])
        if value is None or any(m.start() < e and s < m.end() for s, e in spans):
            return
        if m["num"][0].isdigit() and _MONTH_BEFORE.search(text, max(0, m.start("num") - 12), m.start("num")):
            return  # "July 12 ...": a date, not a count
        label = " ".join(x for x in (m["bound"], m["num"]) if x)
        out.append((m.start(), Figure(category, *value, label, _subject(subject))))
        spans.append(m.span())

    for m in _NUMBER_FIRST.finditer(text):
        add(m, _category(m["verb"], m["subject"]), m["subject"])
    for m in _VERB_FIRST.finditer(text):
        # The object is looked ahead at, not consumed: it may run into the next clause ("two tanks and shot").
        add(m, _category(m["verb"], m["object"] or ""), m["object"] or "")
    for m in _TOLL.finditer(text):
        add(m, "killed", "")
    for m in _NO_CASUALTIES.finditer(text):
        subject = _subject(m["subject"])
        out.extend(
            (m.start(), Figure(category, 0.0, 0.0, "no", subject)) for category in ("killed", "wounded")
        )
    out.sort(key=lambda x: x[0])
    return [f for _, f in out]


def is_denial(text: str) -> bool:
    """Whether a quote denies something ("denied", "is false", "refuted", "fabricated")."""
    return bool(_DENIAL.search(text))


def _claimant(q: Quote) -> str:
    """Who says it, with the outlet when that tells which one ("Defence Ministry (Zeltran Voice)")."""
    outlet = q.document.outlet
    if q.speaker and outlet and outlet.casefold() not in q.speaker.casefold():
        return f"{q.speaker} ({outlet})"
    return q.speaker or outlet or q.document.id


def find_disagreements(quotes: Sequence[Quote]) -> tuple[Disagreement, ...]:
    """Categories on which the quotes' claimants give figures that cannot all be true, and denials.

    Each disagreement names, per claimant, the first quote (its index in ``quotes``) and figure that
    conflicts with another claimant's.
    """
    by_category: dict[str, dict[str, tuple[int, Figure]]] = {}
    for i, q in enumerate(quotes):
        who = _claimant(q)
        if _CUMULATIVE.search(q.text):
            continue
        for f in figures_in(q.text):
            by_category.setdefault(f.category, {}).setdefault(who.casefold(), (i, f))
    out: list[Disagreement] = []
    for category, claims in by_category.items():
        items = list(claims.values())
        disputed = [
            (i, f)
            for i, f in items
            if any(f.contradicts(g) for j, g in items if _claimant(quotes[j]) != _claimant(quotes[i]))
        ]
        if len(disputed) >= 2:
            out.append(
                Disagreement(
                    category=category,
                    claims=tuple(
                        DisputedClaim(
                            quote=i, claimant=_claimant(quotes[i]), figure=f.label, subject=f.subject
                        )
                        for i, f in disputed
                    ),
                )
            )
    # A denial with no figure of its own disputes what the other claimants assert.
    asserted = {i for d in out for c in d.claims for i in [c.quote]} | {
        i for claims in by_category.values() for i, f in claims.values() if f.high > 0
    }
    for i, q in enumerate(quotes):
        if is_denial(q.text) and not figures_in(q.text):
            others = sorted(j for j in asserted if _claimant(quotes[j]).casefold() != _claimant(q).casefold())
            if others:
                sides = [DisputedClaim(quote=i, claimant=_claimant(q), figure="denies", subject="")]
                sides += [
                    DisputedClaim(quote=j, claimant=_claimant(quotes[j]), figure="asserts", subject="")
                    for j in others[:3]
                ]
                out.append(Disagreement(category="denial", claims=tuple(sides)))
    return tuple(out)


def describe(d: Disagreement) -> str:
    """One line: "killed: Azerbaijani Defense Ministry says 3 (soldiers); Shushan Stepanyan says no (Armenian)"."""
    parts = []
    for c in d.claims:
        subject = f" ({c.subject})" if c.subject else ""
        if c.figure in ("denies", "asserts"):
            parts.append(f"{c.claimant} {c.figure}")
        else:
            parts.append(f"{c.claimant} says {c.figure}{subject}")
    return f"{d.category}: " + "; ".join(parts)
