"""The date phrases of a question, turned into the intervals it restricts the search to
(``parse_question_dates``): "on July 12", "between July 12 and July 16", "in March 2002", "since
March 3". A date without a year resolves to the years the archive has reporting on.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from index.dates.parsing import (
    DAY,
    FULL_MONTH,
    MODAL_MAY,
    MONTH,
    YEAR,
    day_number,
    find_dates,
    is_valid_date,
    month_number,
)


@dataclass(frozen=True)
class DateFilter:
    """The dates a question restricts the search to.

    ``intervals`` are inclusive ``(first, last)`` day pairs, sorted and non-overlapping; an open
    end is ``date.min`` / ``date.max``. ``spans`` are the ``(start, end)`` offsets of every date
    phrase found (with its preposition: "between July 12 and July 16", "since March 3"), so the
    caller can drop them from the keyword search. ``unresolved`` are the spans of year-less dates
    no year could be found for; they are in ``spans`` too but contribute no interval.
    """

    intervals: tuple[tuple[date, date], ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    unresolved: tuple[tuple[int, int], ...] = ()

    @property
    def since(self) -> date | None:
        """The earliest day any interval allows; None when unbounded or when there are no intervals."""
        if not self.intervals or self.intervals[0][0] == date.min:
            return None
        return self.intervals[0][0]

    @property
    def until(self) -> date | None:
        """The latest day any interval allows; None when unbounded or when there are no intervals."""
        if not self.intervals or self.intervals[-1][1] == date.max:
            return None
        return self.intervals[-1][1]

    def matches(self, day: date) -> bool:
        """Whether a day falls in one of the intervals (always true when there are none)."""
        return not self.intervals or any(lo <= day <= hi for lo, hi in self.intervals)


YearsFor = Callable[[int, int | None], Iterable[int]]
"""``years_for(month, day)``: the years with reporting on that day (``day`` None: that month)."""


@dataclass(frozen=True)
class _Spec:
    """A date at some granularity: a day, a whole month (``day`` None) or a whole year (``month`` None)."""

    year: int | None
    month: int | None
    day: int | None

    def key(self) -> tuple[int, int]:
        return (self.month or 0, self.day or 0)

    def first(self, year: int) -> date:
        return date(year, self.month or 1, self.day or 1)

    def last(self, year: int) -> date:
        if self.month is None:
            return date(year, 12, 31)
        if self.day is None:
            return date(year, self.month, calendar.monthrange(year, self.month)[1])
        return date(year, self.month, self.day)


@dataclass(frozen=True)
class _Atom:
    """One date expression in a question; ``lo != hi`` for compact ranges ("July 12-16")."""

    start: int
    end: int
    lo: _Spec
    hi: _Spec
    weak: bool = False  # a bare month or year: only a date when a preposition or neighbour says so


_CONNECTOR = r"(?:-|–|—|to|until|till|through|thru|and)"
_COMPACT_RANGE = re.compile(
    rf"""
    \b(?P<a_m>{MONTH})\s*(?P<a_d1>{DAY})\s*(?P<a_conn>{_CONNECTOR})\s*(?P<a_d2>{DAY})
      (?!\s+(?:of\s+)?{MONTH})(?:,?\s+(?P<a_y>{YEAR}))?
    | (?<![\w,.])(?P<b_d1>{DAY})\s*(?P<b_conn>{_CONNECTOR})\s*(?P<b_d2>{DAY})(?:\s+of)?\s+(?P<b_m>{MONTH})
      (?:,?\s+(?P<b_y>{YEAR}))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_BARE_MONTH = re.compile(rf"\b(?P<m>{FULL_MONTH})", re.IGNORECASE)
_BARE_YEAR = re.compile(r"(?<![\w./#№])(?P<y>(?:19|20)\d\d)(?![\w/]|[.,:]\d)")
_PREPOSITION = re.compile(
    r"(?:\b(?P<prep>on|in|during|throughout|since|after|before|until|till|through|thru|from|between|by|of"
    r"|as\s+of|up\s+to|prior\s+to|starting|beginning)\s+)?(?:the\s+)?(?:(?P<part>early|mid|late)[\s-]+)?\Z",
    re.IGNORECASE,
)


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_YEAR_PREPOSITIONS = _wordset("in during throughout since after before until till through thru from between")
_THE_BEFORE = re.compile(r"\bthe\s+\Z", re.IGNORECASE)
_YEAR_WORD_BEFORE = re.compile(r"\byear\s+(?:of\s+)?\Z", re.IGNORECASE)
_YEAR_EVENT_AFTER = re.compile(
    r"\s+(?:war|wars|clash|clashes|conflict|offensive|counteroffensive|counter-offensive|escalation|"
    r"invasion|ceasefire|truce|attacks?|fighting|battles?|strikes?|protests?|elections?|campaign|uprising|"
    r"coup|crisis|war's)\b",
    re.IGNORECASE,
)
_YEAR_RANGE_AFTER = re.compile(r"\s*[-–—]\s*(?:19|20)\d\d\b")
_END_OF_QUESTION = re.compile(r"[\s?.!]*\Z")
_RANGE_GAP = re.compile(rf"\s*{_CONNECTOR}\s*", re.IGNORECASE)
_LIST_GAP = re.compile(rf"\s*(?:{_CONNECTOR}|or|,|,\s*and|,\s*or)\s*", re.IGNORECASE)

# How a preposition bounds a date: ("since", X) means X and later.
_OPEN_MODES = {
    "since": "since",
    "from": "since",
    "starting": "since",
    "beginning": "since",
    "as of": "since",
    "after": "after",
    "before": "before",
    "prior to": "before",
    "until": "until",
    "till": "until",
    "through": "until",
    "thru": "until",
    "up to": "until",
    "by": "until",
}


def parse_question_dates(
    question: str,
    years_for: YearsFor | None = None,
    *,
    default_year: int | None = None,
) -> DateFilter:
    """Find the date phrases of a question and the intervals they restrict the search to.

    Understood: single days ("on July 12", "12 July 2020", "2016-08-11", "Aug 11 2016"), months
    ("in March 2002", "in March"), years ("in 2020", "the 2020 war"), ranges ("between July 12 and
    July 16", "from July 12 to July 16", "July 12-16", "12-16 July", "2014-2022") and open bounds
    ("since/from/after March 3", "before/until/by March 10"; "after" and "before" exclude the day
    itself). Several phrases combine: closed intervals are unioned, open bounds clip them ("in 2020
    before March 10"), and open bounds alone intersect ("after March 3 and before March 10").

    A date without a year takes the years ``years_for(month, day)`` names: the years the corpus has
    reporting on that day (``day`` None for a bare month). Several years give one interval per year,
    except for open bounds ("since March 3"), which take the most recent. A range without years uses
    the years of its first day, else of its last day. When ``years_for`` names none (or is not
    given), ``default_year`` is used if set; otherwise the phrase stays unresolved: its span is in
    ``spans`` and ``unresolved`` but it adds no interval. An explicit year on one end of a range
    ("between July 12 and July 16, 2020") applies to the other end. Impossible dates are ignored.

    Args:
        question: The user's question.
        years_for: ``(month, day) -> years`` with reporting, for year-less dates.
        default_year: The year to assume when ``years_for`` gives none (e.g. the current year).

    Returns:
        The intervals and the spans of the phrases found.
    """
    phrases = _phrases(question, _atoms(question))
    closed: list[tuple[date, date]] = []
    lowers: list[date] = []
    uppers: list[date] = []
    spans: list[tuple[int, int]] = []
    unresolved: list[tuple[int, int]] = []
    for start, end, lo, hi, mode in phrases:
        spans.append((start, end))
        pairs = _year_pairs(lo, hi, years_for, default_year)
        if pairs and mode != "closed":
            pairs = [max(pairs)]  # "since March 3" means the most recent March 3
        resolved = False
        for lo_year, hi_year in pairs:
            try:
                first, last = lo.first(lo_year), hi.last(hi_year)
                if mode == "closed":
                    closed.append((min(first, last), max(first, last)))
                elif mode == "since":
                    lowers.append(first)
                elif mode == "after":
                    lowers.append(last + timedelta(days=1))
                elif mode == "before":
                    uppers.append(first - timedelta(days=1))
                else:
                    uppers.append(last)
            except (ValueError, OverflowError):
                continue  # Feb 29 of a year without one, and the like
            resolved = True
        if not resolved:
            unresolved.append((start, end))

    lower, upper = max(lowers, default=date.min), min(uppers, default=date.max)
    if closed:
        clipped = [(max(a, lower), min(b, upper)) for a, b in closed if max(a, lower) <= min(b, upper)]
        intervals = clipped or closed  # contradictory bounds: trust the explicit dates
    elif (lowers or uppers) and lower <= upper:
        intervals = [(lower, upper)]
    else:
        intervals = []
    return DateFilter(intervals=_merge(intervals), spans=tuple(spans), unresolved=tuple(unresolved))


def question_date_lookups(question: str) -> list[tuple[int, int | None]]:
    """The ``(month, day)`` pairs ``parse_question_dates`` may pass to ``years_for``.

    For callers whose year lookup is asynchronous: look these up first, then hand
    ``parse_question_dates`` a callback that reads the results.

    Args:
        question: The user's question.

    Returns:
        Distinct ``(month, day)`` pairs (``day`` None for a bare month), in order of appearance.
    """
    keys: list[tuple[int, int | None]] = []
    for atom in _atoms(question):
        for spec in (atom.lo, atom.hi):
            if spec.year is None and spec.month is not None and (spec.month, spec.day) not in keys:
                keys.append((spec.month, spec.day))
    return keys


def _atoms(question: str) -> list[_Atom]:
    """Every date expression of a question, in order, non-overlapping."""
    atoms: list[_Atom] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(atom: _Atom) -> None:
        atoms.append(atom)
        taken.append((atom.start, atom.end))

    for m in _COMPACT_RANGE.finditer(question):
        for atom in _compact_atoms(question, m):
            add(atom)
    for mention in find_dates(question):
        if free(mention.start, mention.end):
            spec = _Spec(mention.year, mention.month, mention.day)
            add(_Atom(mention.start, mention.end, spec, spec))
    for m in _BARE_MONTH.finditer(question):
        if free(m.start(), m.end()) and not (m["m"].lower() == "may" and MODAL_MAY.match(question, m.end())):
            spec = _Spec(None, month_number(m["m"]), None)
            add(_Atom(m.start(), m.end(), spec, spec, weak=True))
    for m in _BARE_YEAR.finditer(question):
        if free(m.start(), m.end()):
            spec = _Spec(int(m["y"]), None, None)
            add(_Atom(m.start(), m.end(), spec, spec, weak=True))
    atoms.sort(key=lambda a: a.start)

    # Bare months and years are dates only with a preposition, a date neighbour or a telling word.
    kept: list[_Atom] = []
    for i, atom in enumerate(atoms):
        if atom.weak and not _weak_atom_is_date(question, atom, kept[-1] if kept else None, atoms[i + 1 :]):
            continue
        kept.append(atom)
    return kept


def _compact_atoms(question: str, m: re.Match[str]) -> list[_Atom]:
    """Atoms for "July 12-16" / "12-16 July": one range, or two days for "July 12 and 16"."""
    p = "a" if m["a_m"] else "b"
    if p == "b" and re.search(rf"{MONTH}\s*\Z", question[: m.start()], re.IGNORECASE):
        return []  # "July 30 - 2 August": two full dates, handled as a range of mentions
    year = int(m[f"{p}_y"]) if m[f"{p}_y"] else None
    month = month_number(m[f"{p}_m"])
    d1, d2 = day_number(m[f"{p}_d1"]), day_number(m[f"{p}_d2"])
    if not (is_valid_date(year, month, d1) and is_valid_date(year, month, d2)) or d1 > d2:
        return []
    lo, hi = _Spec(year, month, d1), _Spec(year, month, d2)
    prep = _PREPOSITION.search(question, 0, m.start())
    if m[f"{p}_conn"].lower() == "and" and not (prep and (prep["prep"] or "").lower() == "between"):
        # "on July 12 and 16": two days, not the days between.
        return [_Atom(m.start(), m.end(f"{p}_d1"), lo, lo), _Atom(m.start(f"{p}_d2"), m.end(), hi, hi)]
    return [_Atom(m.start(), m.end(), lo, hi)]


def _weak_atom_is_date(question: str, atom: _Atom, previous: _Atom | None, following: list[_Atom]) -> bool:
    if previous is not None and _LIST_GAP.fullmatch(question, previous.end, atom.start):
        return True
    prep = _PREPOSITION.search(question, max(0, atom.start - 40), atom.start)
    word = (prep["prep"] or "").lower() if prep else ""
    part = bool(prep and prep["part"])
    if atom.lo.month is not None:  # a bare month; "during the march" is a noun
        return (bool(word) or part) and not _THE_BEFORE.search(question, 0, atom.start)
    if word in _YEAR_PREPOSITIONS or part or _YEAR_WORD_BEFORE.search(question, 0, atom.start):
        return True
    if _YEAR_EVENT_AFTER.match(question, atom.end) or _YEAR_RANGE_AFTER.match(question, atom.end):
        return True
    return bool(_END_OF_QUESTION.match(question, atom.end)) and not following


def _phrases(question: str, atoms: list[_Atom]) -> list[tuple[int, int, _Spec, _Spec, str]]:
    """Group atoms into phrases ``(start, end, lo, hi, mode)``; mode: closed/since/after/before/until."""
    phrases = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        prep = _PREPOSITION.search(question, max(0, atom.start - 40), atom.start)
        word = " ".join((prep["prep"] or "").lower().split()) if prep else ""
        start = prep.start() if prep and (prep["prep"] or prep["part"]) else atom.start
        if i + 1 < len(atoms):
            nxt = atoms[i + 1]
            gap = _RANGE_GAP.fullmatch(question, atom.end, nxt.start)
            if gap and (gap.group().strip().lower() != "and" or word == "between"):
                phrases.append((start, nxt.end, atom.lo, nxt.hi, "closed"))
                i += 2
                continue
        phrases.append((start, atom.end, atom.lo, atom.hi, _OPEN_MODES.get(word, "closed")))
        i += 1
    return phrases


def _year_pairs(
    lo: _Spec, hi: _Spec, years_for: YearsFor | None, default_year: int | None
) -> list[tuple[int, int]]:
    """The (first year, last year) pairs a phrase resolves to, one per candidate year."""
    wrap = 1 if hi.key() < lo.key() else 0  # "Dec 28 to Jan 3" crosses into the next year
    if lo.year is not None and hi.year is not None:
        return [(lo.year, hi.year)]
    if hi.year is not None:
        return [(hi.year - wrap, hi.year)]
    if lo.year is not None:
        return [(lo.year, lo.year + wrap)]
    if years_for is not None and lo.month is not None:
        years = sorted(set(years_for(lo.month, lo.day)))
        if years:
            return [(y, y + wrap) for y in years]
        if hi != lo and hi.month is not None:
            years = sorted(set(years_for(hi.month, hi.day)))
            if years:
                return [(y - wrap, y) for y in years]
    if default_year is not None:
        return [(default_year - wrap, default_year)]
    return []


def _merge(intervals: list[tuple[date, date]]) -> tuple[tuple[date, date], ...]:
    """Sort intervals and join those that overlap or touch."""
    merged: list[tuple[date, date]] = []
    for lo, hi in sorted(intervals):
        if merged:
            last = merged[-1][1]
            if last == date.max or lo <= last + timedelta(days=1):
                merged[-1] = (merged[-1][0], max(last, hi))
                continue
        merged.append((lo, hi))
    return tuple(merged)


# --- datelines ------------------------------------------------------------------------------------
