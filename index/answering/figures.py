"""The figures a quote states: (number, category, whom) triples, read with plain patterns.

``figures_in`` reads "3 soldiers were killed", "killed dozens of civilians", "no Armenian was
killed", "destroyed two tanks", "the Armenian side also suffered casualties" (some, unnumbered) and
"2 million people have fled". ``is_denial`` tells a quote that denies something ("denied", "is
false", "do not correspond to reality"). The words around a number ("soldiers", "Armenian") travel
with each figure, so whose losses it counts can be compared (``events.py``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

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
NUMBER_WORDS = frozenset((*_SMALL, *_TENS))  # numbers written out ("three", "forty"); not "dozens"
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
_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_NUMBER = (
    r"(?P<num>\d[\d,]*(?:\.\d+)?|"
    + "|".join(sorted((*_SMALL, *_TENS, *_VAGUE, *_ZERO), key=len, reverse=True))
    + r")(?:\s+(?P<mult>thousand|million|billion)\b)?"
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
    "harmed": "casualties",
    "fled": "displaced",
    "displaced": "displaced",
    "forced to flee": "displaced",
    "refugees": "displaced",
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
# "At least 50 people, including five children, were killed": an aside between the count and its verb.
_NUMBER_ASIDE = re.compile(
    rf"\b{_BOUND}{_NUMBER}\s+(?:of\s+)?(?P<subject>[\w'’-]+(?:\s+[\w'’-]+){{0,3}}?),\s*"
    rf"(?:including|among\s+them|most\s+of\s+them|mostly)\s+[^,;.]{{1,60}},\s+{_AUX}{_VERB}\b",
    re.IGNORECASE,
)
# "killed 12 militants", "destroyed two tanks", "shot down three drones".
_VERB_FIRST = re.compile(
    rf"\b{_VERB}\s+{_BOUND}{_NUMBER}(?=(?:\s+(?:of\s+)?(?P<object>[\w'’-]+(?:\s+[\w'’-]+){{0,2}}))?)",
    re.IGNORECASE,
)
# "the death toll rose to 14".
# "the Russian death toll at more than 14,000", "the civilian death toll ... has risen to 352": the
# word before "death toll" says whose.
_TOLL = re.compile(
    rf"(?:\b(?P<whose>[\w'’-]+)\s+)?\bdeath\s+toll\s+(?:\w+\s+){{0,3}}?(?:to|at|of|is|was|reached|stands\s+at)\s+{_BOUND}{_NUMBER}\b",
    re.IGNORECASE,
)
# "the Armenian side also suffered casualties": losses asserted without a number (at least one).
_SUFFERED = re.compile(
    r"(?<![\w'’-])(?P<subject>(?:[\w'’-]+\s+){0,3}?)(?:also\s+)?(?:suffered|sustained|incurred|took)\s+"
    r"(?P<how>heavy\s+|significant\s+|serious\s+|major\s+|some\s+)?(?:casualties|losses)\b",
    re.IGNORECASE,
)
# "civilians were killed": some, unnumbered; only for people (the word before is read apart).
_SOME = re.compile(
    r"\b(?P<noun>civilians|people|residents|soldiers|troops|servicemen|children|fighters)\s+"
    r"(?:were|have\s+been|had\s+been)\s+(?P<verb>killed|wounded|injured)\b",
    re.IGNORECASE,
)
_WORD_BEFORE = re.compile(r"([\w'’-]+)\s+\Z")
_NEGATORS = frozenset(["any", "no", "not", "none", "nobody", "whether", "if"])
# "not a single local resident suffered": none, whatever they are said not to have suffered.
_NONE_SUFFERED = re.compile(
    r"\b(?P<num>not\s+a\s+single|not\s+one|no)\s+(?P<subject>(?:[\w'’-]+\s+){0,2}?)(?:has\s+|have\s+)?suffered\b",
    re.IGNORECASE,
)
_NO_CASUALTIES = re.compile(
    r"(?P<subject>(?:[\w'’-]+\s+){0,2}?)(?:suffered\s+|had\s+|reported\s+)?(?:no|zero)\s+"
    r"(?:casualties|losses|fatalities|deaths)\b",
    re.IGNORECASE,
)
# "people" is neither: a count of people may include soldiers.
CIVILIAN_WORDS = frozenset(
    [
        "civilian",
        "civilians",
        "resident",
        "residents",
        "villager",
        "villagers",
        "child",
        "children",
        "women",
        "passers-by",
    ]
)
MILITARY_WORDS = frozenset(
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
    r"\b(?:denied|denies|deny|denying|refuted|refutes|rejected\s+(?:the\s+)?(?:claims?|reports?|accusations?)|"
    r"dismissed\s+(?:the\s+)?(?:\w+\s+)?(?:claims?|reports?|accusations?)|"
    r"(?:is|was|are|were)\s+[\"“'‘]?(?:false|untrue|not\s+true|fake|baseless|lies|staged)|disinformation|fabricat\w+|"
    r"(?:do|does|did)\s+not\s+correspond\s+(?:to|with)\s+(?:the\s+)?reality|"
    r"(?:never|did\s+not|didn['’]t)\s+happen(?:ed)?|fairy\s+tale|a\s+lie)\b",
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
        return "civilian" if words & CIVILIAN_WORDS else "military" if words & MILITARY_WORDS else ""

    @property
    def asserts_losses(self) -> bool:
        """Whether it says some were counted (not "no one")."""
        return self.low > 0

    def conflicts_with(self, other: Figure) -> bool:
        """Whether both cannot stand, taking each as counting the same event (``events.py`` decides
        that): ranges that don't overlap; and across casualties and its parts (killed, wounded), a
        claim of none against a claim of some, or fewer casualties than the killed alone.
        """
        if self.category == other.category:
            return self.high < other.low or other.high < self.low
        whole, part = (self, other) if self.category == "casualties" else (other, self)
        if whole.category != "casualties" or part.category not in ("killed", "wounded"):
            return False
        none_vs_some = (whole.high == 0 and part.low > 0) or (part.high == 0 and whole.low > 0)
        return none_vs_some or whole.high < part.low


def _value(num: str, bound: str | None, mult: str | None = None) -> tuple[float, float] | None:
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
            n = float(word.replace(",", "")) * _MULTIPLIERS.get((mult or "").lower(), 1.0)
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
    return [f for _, f in _figures_at(text)]


def _figures_at(text: str) -> list[tuple[int, Figure]]:
    """The figures with where each starts in ``text``, in order."""
    out: list[tuple[int, Figure]] = []
    spans: list[tuple[int, int]] = []

    def add(m: re.Match[str], category: str, subject: str) -> None:
        value = _value(m["num"], m["bound"], m["mult"])
        if value is None or any(m.start() < e and s < m.end() for s, e in spans):
            return
        if m["num"][0].isdigit() and _MONTH_BEFORE.search(text, max(0, m.start("num") - 12), m.start("num")):
            return  # "July 12 ...": a date, not a count
        label = " ".join(x for x in (m["bound"], m["num"], m["mult"]) if x)
        out.append((m.start(), Figure(category, *value, label, _subject(subject))))
        spans.append(m.span())

    # The aside first: "14 people, including a child of 3, were killed" is 14 killed, not 3.
    for m in (*_NUMBER_ASIDE.finditer(text), *_NUMBER_FIRST.finditer(text)):
        add(m, _category(m["verb"], m["subject"]), m["subject"])
    for m in _VERB_FIRST.finditer(text):
        # The object is looked ahead at, not consumed: it may run into the next clause ("two tanks and shot").
        add(m, _category(m["verb"], m["object"] or ""), m["object"] or "")
    for m in _TOLL.finditer(text):
        add(m, "killed", m["whose"] or "")
    for m in _SOME.finditer(text):
        if any(m.start() < e and st < m.end() for st, e in spans):
            continue  # a number was read for these words
        before = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
        word = before.group(1) if before else ""
        if word.lower() in _NEGATORS:
            continue
        subject = f"{word} {m['noun']}" if word[:1].isupper() else m["noun"]
        out.append((m.start(), Figure(_EVENT[m["verb"].lower()], 1.0, math.inf, "some", subject)))
    for m in _NONE_SUFFERED.finditer(text):
        if not any(m.start() < e and st < m.end() for st, e in spans):
            out.append((m.start(), Figure("casualties", 0.0, 0.0, m["num"], _subject(m["subject"]))))
            spans.append(m.span())
    for m in _SUFFERED.finditer(text):
        how = (m["how"] or "").strip().lower()
        label = how if how and how != "some" else "some"
        # Heavy losses are more than a few; "some" is at least one. Either disputes a claim of none.
        low = 10.0 if how in ("heavy", "significant", "serious", "major") else 1.0
        out.append((m.start(), Figure("casualties", low, math.inf, label, _subject(m["subject"]))))
    for m in _NO_CASUALTIES.finditer(text):
        subject = _subject(m["subject"])
        out.extend(
            (m.start(), Figure(category, 0.0, 0.0, "no", subject)) for category in ("killed", "wounded")
        )
    out.sort(key=lambda x: x[0])
    return out


# "denied that 300 civilians were killed": what follows the cue, to the end of its clause, is
# denied; "reports that 300 were killed are false": what precedes it, from the clause's start.
_DENY_FOLLOWING = re.compile(
    r"(?:denied|denies|deny|denying|refuted|refutes|rejected|dismissed)\b", re.IGNORECASE
)
_CLAUSE_BREAK = re.compile(r"[.;!?]|,\s+(?:and|but|while)\b|\s+but\s+|\s+[—–]\s+")


# A figure a quote gives as someone else's: "14 Zeltran dead according to the Orvenian Defence
# Ministry" (the clause before "according to"), "while Orvenia said it had killed 12" (what follows).
_ACCORDING_TO = re.compile(r"\baccording\s+to\s+(?P<who>[^,;.:()]+)", re.IGNORECASE)
_WHILE_SAYS = re.compile(
    r"\b(?:while|whereas|but)\s+(?P<who>(?:the\s+)?[A-Z][\w'’-]*(?:\s+[\w'’-]+){0,4}?)\s+"
    r"(?:said|says|claimed|claims|reported|reports|stated|announced|insisted|maintain(?:s|ed)?)\b"
)


def figures_by_source(text: str) -> list[tuple[Figure, str | None]]:
    """The figures a quote claims (``claimed_figures``), each with the source the quote names for it
    ("according to X", "while X said"), or None when it names none (the quote's speaker's)."""
    sources: list[tuple[int, int, str]] = []
    for m in _ACCORDING_TO.finditer(text):
        before = [b.end() for b in _CLAUSE_BREAK.finditer(text, 0, m.start())]
        sources.append((before[-1] if before else 0, m.start(), m["who"].strip()))
    for m in _WHILE_SAYS.finditer(text):
        after = _CLAUSE_BREAK.search(text, m.end())
        sources.append((m.start(), after.start() if after else len(text), m["who"].strip()))
    out = []
    for at, f in _claimed_at(text):
        who = next((w for s, e, w in sources if s <= at < e), None)
        out.append((f, who))
    return out


def claimed_figures(text: str) -> list[Figure]:
    """The figures a quote claims as its own: not those it denies ("denied that 300 civilians were
    killed"), but its own figures of none always ("not a single resident suffered")."""
    return [f for _, f in _claimed_at(text)]


def _claimed_at(text: str) -> list[tuple[int, Figure]]:
    scopes = []
    for m in _DENIAL.finditer(text):
        if _DENY_FOLLOWING.match(m.group(0)):
            after = _CLAUSE_BREAK.search(text, m.end())
            scopes.append((m.end(), after.start() if after else len(text)))
        else:
            before = [b.end() for b in _CLAUSE_BREAK.finditer(text, 0, m.start())]
            scopes.append((before[-1] if before else 0, m.start()))
    return [(at, f) for at, f in _figures_at(text) if f.high == 0 or not any(s <= at < e for s, e in scopes)]


def is_denial(text: str) -> bool:
    """Whether a quote denies something ("denied", "is false", "refuted", "fabricated")."""
    return bool(_DENIAL.search(text))
