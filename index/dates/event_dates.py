"""The days an article's sentences speak of, resolved against its publication date.

A report published on Monday 13 July that says "on Sunday", "yesterday" or "last night" is about
12 July; "July 12", "12 July" and "July 12-13" name the days outright. ``event_mentions`` finds
these phrases and ``days_in`` / ``chunk_days`` say which days a span or a chunk speaks of.

Rules, kept simple on purpose:

* a weekday ("on Sunday", "Tuesday night", "Sunday's strike") is the most recent such day on or
  before publication (0-6 days back); only "next Sunday" / "this coming Sunday" looks forward, and
  "last Sunday" is strictly before the publication day;
* "yesterday" and "last night" are the day before publication; "today", "tonight", "this
  morning/afternoon/evening" the publication day; "the day before yesterday" and "N days ago" count
  back; "earlier this week" is Monday of the publication week up to the day before; "last week" the
  whole previous Monday-Sunday week;
* a day with no year ("July 12") takes the publication year, or the year before when that would put
  it more than six months after publication (a January report about "December 30");
* without a publication date only fully dated phrases ("July 12, 2020") count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from index.dates.parsing import find_dates
from index.models import Article, Chunk, Quote

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
MAX_RANGE_DAYS = 31  # "July 1-31" at most; longer spans say little about which day

_RELATIVE = re.compile(
    r"""\b(?:
      (?P<dby>the\s+day\s+before\s+yesterday)
    | (?P<yesterday>yesterday)
    | (?P<last_night>last\s+night)
    | (?P<today>today|tonight|this\s+(?:morning|afternoon|evening))
    | (?P<ago>(?P<n>\d|one|two|three|four|five|six|seven|a)\s+days?\s+ago)
    | (?P<this_week>earlier\s+this\s+week)
    | (?P<last_week>last\s+week)
    | (?P<when>next\s+|this\s+coming\s+|last\s+|on\s+)?
      (?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:['’]s)?
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
_MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# "July 12-13", "July 12 to 14", "12-13 July": find_dates reads only the first day of these.
_RANGE = re.compile(
    rf"\b(?:(?P<m1>{_MONTHS})\.?\s+(?P<a1>{_DAY})\s*(?:-|–|—|to|and)\s*(?P<b1>{_DAY})(?![\d:])"
    rf"|(?P<a2>{_DAY})\s*(?:-|–|—|to|and)\s*(?P<b2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTHS}))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class EventMention:
    """A phrase naming a day (or a run of days): ``text[start:end]`` speaks of ``first..last``."""

    start: int
    end: int
    first: date
    last: date

    def days(self) -> list[date]:
        """Every day of the mention."""
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def _with_year(month: int, day: int, published: date) -> date | None:
    try:
        guess = date(published.year, month, day)
        if (guess - published).days > 183:
            guess = date(published.year - 1, month, day)
    except ValueError:
        return None
    return guess


def _relative(m: re.Match[str], published: date) -> tuple[date, date] | None:
    if m["dby"]:
        return (d := published - timedelta(days=2)), d
    if m["yesterday"] or m["last_night"]:
        return (d := published - timedelta(days=1)), d
    if m["today"]:
        return published, published
    if m["ago"]:
        n = _NUMBER_WORDS.get(m["n"].lower()) or int(m["n"])
        return (d := published - timedelta(days=n)), d
    monday = published - timedelta(days=published.weekday())
    if m["this_week"]:
        return (monday, published - timedelta(days=1)) if published > monday else None
    if m["last_week"]:
        return monday - timedelta(days=7), monday - timedelta(days=1)
    target = WEEKDAYS.index(m["weekday"].lower())
    when = (m["when"] or "").lower().split()
    if when and when[0] in ("next", "this"):
        ahead = (target - published.weekday()) % 7 or 7
        return (d := published + timedelta(days=ahead)), d
    back = (published.weekday() - target) % 7
    if when == ["last"] and back == 0:
        back = 7
    return (d := published - timedelta(days=back)), d


def event_mentions(text: str, published: date | None) -> list[EventMention]:
    """Every phrase of ``text`` that names a day, resolved against the publication date, in order."""
    found: list[EventMention] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, first: date | None, last: date | None) -> None:
        if first is None or last is None or any(start < e and s < end for s, e in taken):
            return
        if first <= last and (last - first).days < MAX_RANGE_DAYS:
            found.append(EventMention(start, end, first, last))
            taken.append((start, end))

    for m in _RANGE.finditer(text) if published else ():
        assert published is not None
        month = _MONTH_ABBREVIATIONS.index((m["m1"] or m["m2"])[:3].lower()) + 1
        a, b = (m["a1"], m["b1"]) if m["m1"] else (m["a2"], m["b2"])
        first, last = (_with_year(month, int(x.rstrip("stndrhSTNDRH")), published) for x in (a, b))
        add(m.start(), m.end(), first, last)
    for d in find_dates(text):
        if d.day is None:
            continue
        day = d.to_date() if d.year else (_with_year(d.month, d.day, published) if published else None)
        add(d.start, d.end, day, day)
    for m in _RELATIVE.finditer(text) if published else ():
        assert published is not None
        resolved = _relative(m, published)
        if resolved:
            add(m.start(), m.end(), *resolved)
    found.sort(key=lambda e: e.start)
    return found


def days_in(mentions: Sequence[EventMention], start: int, end: int) -> tuple[date, ...]:
    """The distinct days the mentions inside ``[start, end)`` speak of, in order."""
    days = {d for m in mentions if start <= m.start and m.end <= end for d in m.days()}
    return tuple(sorted(days))


def chunk_days(text: str, published: date | None, chunks: Sequence[Chunk]) -> tuple[tuple[date, ...], ...]:
    """For each chunk of an article, the days it speaks of."""
    mentions = event_mentions(text, published)
    return tuple(days_in(mentions, c.start, c.end) for c in chunks)


def with_event_dates(quote: Quote, article: Article) -> Quote:
    """The quote with the days it speaks of (read in its article, against its publication date)."""
    mentions = event_mentions(article.text, article.published)
    return replace(quote, event_dates=days_in(mentions, quote.start, quote.end))


def describe_days(days: Sequence[date]) -> str:
    """Days as a reader says them: "12 July 2020", "11-12 July 2020", "10, 12 July 2020" (at most 3)."""
    if not days:
        return ""
    if len(days) > 1 and (days[-1] - days[0]).days == len(days) - 1:
        first, last = days[0], days[-1]
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.day}–{last.day} {last:%B %Y}"
        return f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    shown = ", ".join(f"{d.day} {d:%B %Y}" for d in days[:3])
    return shown + (f" (+{len(days) - 3} more)" if len(days) > 3 else "")
