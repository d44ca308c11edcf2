"""Dates in article text: the dates an article mentions (``find_dates``), its own dateline
(``infer_dateline``), dates given on the command line or in JSONL (``parse_date_value``), and the
shared date patterns ``questions.py`` reads questions with.

Numeric dates with slashes or dots are read only when unambiguous ("25/08/2016", "2016/08/11"):
"11/08/2016" could be either of two days and is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![^\W\d_])\.?"
)
FULL_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)(?![^\W\d_])"
)
_WEEKDAY = (
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)"
    r"(?![^\W\d_])\.?,?\s+)"
)
YEAR = r"(?:1[89]|2[01])\d\d(?!\d)"
# Not "March 3,000 people", but "July 12,2020" is fine.
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\w:]|,\d{3}(?!\d))"

_DATE = re.compile(
    rf"""
    (?<![\w-])(?P<iso_y>\d{{4}})-(?P<iso_m>\d{{1,2}})-(?P<iso_d>\d{{1,2}})(?!\d)
    | (?<![\w/])(?P<ymd_y>\d{{4}})/(?P<ymd_m>\d{{1,2}})/(?P<ymd_d>\d{{1,2}})(?![\d/])
    | (?<![\w/.])(?P<num_a>\d{{1,2}})(?P<num_sep>[/.])(?P<num_b>\d{{1,2}})(?P=num_sep)(?P<num_y>\d{{4}})
      (?![\d/]|\.\d)
    | \b{_WEEKDAY}?(?P<md_m>{MONTH})\s*(?P<md_d>{DAY})(?:(?:,\s*|\s+)(?P<md_y>{YEAR}))?
    | \b{_WEEKDAY}?(?P<dm_d>{DAY})(?:\s+of)?\s+(?P<dm_m>{MONTH})(?:,?\s+(?P<dm_y>{YEAR}))?
    | \b(?P<my_m>{MONTH})(?:,|\s+of)?\s+(?P<my_y>{YEAR})
    """,
    re.IGNORECASE | re.VERBOSE,
)
# "12 may be": the modal verb, not the month.
MODAL_MAY = re.compile(
    r"\s+(?:be|have|not|also|well|still|never|soon|yet|even|only|need|want|take|make|become|come|go|face|"
    r"lead|help|continue|include|use|get|see|try|seem|prove|affect|cause|result|allow|require|happen|"
    r"occur|change|remain|show|give|do|say|decide|ask|reach|rise|fall|increase|lose|win|escalate|die|"
    r"return|leave|flee|join|receive|apply)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A date named in text: a day ("July 12") or a whole month ("March 2002").

    ``day`` is None for a whole month; ``year`` is None when the text does not state it.
    ``text[start:end]`` is the phrase, including a weekday before it.
    """

    year: int | None
    month: int
    day: int | None
    start: int
    end: int

    def to_date(self) -> date | None:
        """The day as a ``date``; None without a year or for a whole month."""
        if self.year is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)


def find_dates(text: str) -> list[DateMention]:
    """Find the dates named in a text.

    Recognised, case-insensitively: "July 12", "July 12th", "Jul. 12, 2020", "Jul 12 2020",
    "12 July", "12th of July", "12 July 2020", "Sunday, July 12, 2020", "March 2002",
    "March of 2002", "2016-08-11", "2016/08/11", and numeric day/month forms only when
    unambiguous ("25/08/2016", "25.08.2016"). A month name alone never counts: it needs a day or a
    four-digit year beside it, which also keeps the verb "may" out ("12 may be" is skipped too).
    Impossible dates (Feb 30, 2021-02-29) are skipped.

    Args:
        text: Any text.

    Returns:
        Mentions in order of position, non-overlapping.
    """
    mentions = []
    for m in _DATE.finditer(text):
        parsed = _parse_match(m)
        if parsed is None:
            continue
        year, month, day = parsed
        if not is_valid_date(year, month, day):
            continue
        if m["dm_m"] and not m["dm_y"] and m["dm_m"].lower() == "may" and MODAL_MAY.match(text, m.end()):
            continue
        mentions.append(DateMention(year=year, month=month, day=day, start=m.start(), end=m.end()))
    return mentions


def _parse_match(m: re.Match[str]) -> tuple[int | None, int, int | None] | None:
    if m["iso_y"]:
        return int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"])
    if m["ymd_y"]:
        return int(m["ymd_y"]), int(m["ymd_m"]), int(m["ymd_d"])
    if m["num_y"]:
        a, b = int(m["num_a"]), int(m["num_b"])
        if m["num_sep"] == ".":
            return int(m["num_y"]), b, a  # dotted dates are day.month.year wherever they are used
        if a > 12 >= b:
            return int(m["num_y"]), b, a
        if b > 12 >= a:
            return int(m["num_y"]), a, b
        return None
    for prefix in ("md", "dm"):
        if m[f"{prefix}_m"]:
            year = m[f"{prefix}_y"]
            return (
                (int(year) if year else None),
                month_number(m[f"{prefix}_m"]),
                day_number(m[f"{prefix}_d"]),
            )
    return int(m["my_y"]), month_number(m["my_m"]), None


def month_number(name: str) -> int:
    """The month number of a month name or abbreviation."""
    return _MONTH_NUMBERS[name[:3].lower()]


def day_number(token: str) -> int:
    """The day of "12", "12th", "3rd"."""
    return int(token.rstrip("stndrhSTNDRH"))


def is_valid_date(year: int | None, month: int, day: int | None) -> bool:
    """Whether the day exists (a year-less day is checked against a leap year)."""
    try:
        # A year-less day is checked against a leap year, so that "Feb 29" is allowed.
        date(year or 2000, month, day or 1)
    except ValueError:
        return False
    return True


# --- datelines ------------------------------------------------------------------------------------

_DATELINE_WINDOW = 300
# "Published: 2020-07-13", "Updated July 13, 2020", "Posted on ..."
_LABEL_BEFORE = re.compile(
    r"(?:\A|[|•·,;(—–-])\s*(?:published|updated|posted|last\s+updated|last\s+modified|first\s+published|date|dated)"
    r"(?:\s+(?:on|at))?\s*[:\-–—]?\s*\Z",
    re.IGNORECASE,
)
# "KYIV, March 3 (Reuters) -", "ST. PETERSBURG, Russia, March 3 —", "Baku, 12 July 2020:"
_PLACE_BEFORE = re.compile(
    r"\A\s*(?!(?:yesterday|today|tonight|meanwhile|however|earlier|later|then|now|on|in|by|since)\b)"
    r"[^\W\d_][\w.'’ -]{0,40},(?:\s*[^\W\d_][\w.'’ -]{0,30},)?\s*\Z",
    re.IGNORECASE,
)
_DATELINE_AFTER = re.compile(r"\s*(?:\([^)\n]{1,40}\)\s*)?[-–—:|]")
# "By Jane Doe | July 13, 2020", "Jane Doe · July 13, 2020"
_BYLINE_BEFORE = re.compile(r"\A\s*(?:by\s.{0,80}?[,|•·—–-]|.{0,80}?[|•·])\s*\Z", re.IGNORECASE)
# A line that is the date: "July 13, 2020", "July 13, 2020 10:32 AM EDT", "July 13, 2020 | Kyiv".
_DATE_LINE_AFTER = re.compile(
    r"\s*(?:(?:,|at|-|–|—)?\s*\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,5}|GMT[+-]?\d{0,2}))?)?"
    r"\s*(?:(?:[|•·—–-]|\bby\b).*)?\Z",
    re.IGNORECASE,
)


def infer_dateline(text: str, year_hint: int | None = None) -> date | None:
    """The article's own date, from its dateline or byline near the top.

    Looks only at dates starting in the first ~300 characters, and only where they are plainly the
    article's date: after a label ("Published: 2020-07-13", "Updated July 13, 2020"), in a wire
    dateline ("KYIV, March 3 (Reuters) -", "Baku, 12 July 2020:"), in a byline ("By Jane Doe |
    July 13, 2020") or alone on a line. A date in a sentence is never taken. Labelled and wire
    datelines may lack a year, which ``year_hint`` then supplies; bylines and date lines need a year.

    Args:
        text: The article text (title excluded or included).
        year_hint: The year to assume for a year-less dateline (e.g. from a feed or file date).

    Returns:
        The date, or None when there is no clear dateline.
    """
    lead = len(text) - len(text.lstrip())
    window = text[lead : lead + _DATELINE_WINDOW + 100]
    for m in find_dates(window):
        if m.start >= _DATELINE_WINDOW:
            break
        if m.day is None:
            continue
        line_start = window.rfind("\n", 0, m.start) + 1
        line_end = window.find("\n", m.end)
        if line_end == -1:
            line_end = len(window)
        before, after = window[line_start : m.start], window[m.end : line_end]
        wire = _LABEL_BEFORE.search(before) is not None or (
            _PLACE_BEFORE.match(before) is not None and _DATELINE_AFTER.match(after) is not None
        )
        byline = _BYLINE_BEFORE.match(before) is not None or (
            not before.strip() and _DATE_LINE_AFTER.match(after) is not None
        )
        year = m.year if m.year is not None else (year_hint if wire else None)
        if (wire or byline) and year is not None:
            return date(year, m.month, m.day)
    return None


# --- values ---------------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")


def parse_date_value(value: str) -> date:
    """Read a date given on the command line or in a JSONL record.

    Accepts ``YYYY-MM-DD`` and ISO 8601 datetimes (``2020-07-12T10:00:00Z``, with an offset or
    fractional seconds). A datetime gives the calendar date as written, not converted to UTC:
    that is the publisher's own date.

    Args:
        value: The text to read.

    Returns:
        The date.

    Raises:
        ValueError: with a message fit for users, when the value is not such a date.
    """
    text = value.strip()
    try:
        if _ISO_DAY.fullmatch(text):
            return date.fromisoformat(text)
        if _ISO_DATETIME.fullmatch(text):
            return datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(f"not a valid date: {value!r} (no such day or time)") from None
    raise ValueError(
        f"not a date: {value!r}; expected YYYY-MM-DD or an ISO 8601 datetime like 2020-07-12T10:00:00Z"
    )


def whole_years(lo: date, hi: date, most: int = 3) -> list[int]:
    """The calendar years an interval covers entirely, when it is a few whole years and no more."""
    years = [y for y in range(lo.year, hi.year + 1) if lo <= date(y, 1, 1) and date(y, 12, 31) <= hi]
    return years if 0 < len(years) <= most and len(years) == hi.year - lo.year + 1 else []
