"""Relative periods in questions ("last week", "the past three days", "this month"), anchored on the
newest reporting in the corpus rather than the wall clock: an archive of July 2020 asked "what
happened last week?" means the week before its newest report, and the answer says so."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10, "fourteen": 14}
_PERIOD = re.compile(
    r"\b(?:(?:in|during|over|for)\s+)?(?:"
    r"(?P<last_week>(?:the\s+)?(?:last|past|previous)\s+week)"
    r"|(?P<recent>(?:the\s+)?(?:last|past)\s+(?P<n>\d{1,3}|"
    + "|".join(_NUMBERS)
    + r")\s+(?P<unit>days?|weeks?))"
    r"|(?P<this_week>this\s+week)"
    r"|(?P<this_month>this\s+month)"
    r"|(?P<last_month>(?:the\s+)?(?:last|past|previous)\s+month)"
    r"|(?P<today>today)"
    r"|(?P<yesterday>yesterday)"
    r"|(?P<since_day>since\s+(?P<weekday>" + "|".join(WEEKDAYS) + r"))"
    r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    """A relative period of a question, resolved: ``question[start:end]`` means ``first..last``."""

    start: int
    end: int
    first: date
    last: date
    phrase: str

    def explain(self, newest: date) -> str:
        """ "last week = 6–12 July 2020, relative to the newest report on 13 July 2020"."""
        if self.first == self.last:
            span = f"{self.first.day} {self.first:%B %Y}"
        elif (self.first.year, self.first.month) == (self.last.year, self.last.month):
            span = f"{self.first.day}–{self.last.day} {self.last:%B %Y}"
        else:
            span = f"{self.first.day} {self.first:%B} – {self.last.day} {self.last:%B %Y}"
        return f"{self.phrase} = {span}, relative to the newest report on {newest.day} {newest:%B %Y}"


def _resolve(m: re.Match[str], newest: date) -> tuple[date, date]:
    monday = newest - timedelta(days=newest.weekday())
    if m["last_week"]:
        return monday - timedelta(days=7), monday - timedelta(days=1)
    if m["recent"]:
        n = _NUMBERS.get(m["n"].lower()) or int(m["n"])
        days = n * 7 if m["unit"].lower().startswith("week") else n
        return newest - timedelta(days=max(days, 1) - 1), newest
    if m["this_week"]:
        return monday, newest
    if m["this_month"]:
        return newest.replace(day=1), newest
    if m["last_month"]:
        last = newest.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last.replace(day=calendar.monthrange(last.year, last.month)[1])
    if m["since_day"]:  # "since Monday": from the last Monday on or before the newest report
        weekday = WEEKDAYS.index(m["weekday"].lower())
        return newest - timedelta(days=(newest.weekday() - weekday) % 7), newest
    if m["yesterday"]:
        return (d := newest - timedelta(days=1)), d
    return newest, newest


def find_periods(question: str, newest: date | None) -> list[Period]:
    """The relative periods of a question, resolved against ``newest`` (none without it)."""
    if newest is None:
        return []
    out = []
    for m in _PERIOD.finditer(question):
        first, last = _resolve(m, newest)
        phrase = next(
            m[g]
            for g in (
                "last_week",
                "recent",
                "this_week",
                "this_month",
                "last_month",
                "today",
                "yesterday",
                "since_day",
            )
            if m[g]
        )
        out.append(Period(m.start(), m.end(), first, last, " ".join(phrase.lower().split())))
    return out


def has_period(question: str) -> bool:
    """Whether a question names a relative period (so the newest report date is worth looking up)."""
    return _PERIOD.search(question) is not None
