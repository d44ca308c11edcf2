"""The window a digest covers, as people write its ends: "24h" ago, "7d", "90m", or a date and time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_DURATION = re.compile(r"(?P<n>\d{1,6})\s*(?P<unit>m|min|mins|h|d|w)", re.IGNORECASE)
_UNITS = {"m": "minutes", "min": "minutes", "mins": "minutes", "h": "hours", "d": "days", "w": "weeks"}
FORMS = "a duration back from now (90m, 24h, 7d, 2w) or a date or time (2025-03-12, 2025-03-12T08:00)"


def parse_when(value: str, now: datetime) -> datetime:
    """A point in time: ``value`` back from ``now`` ("24h"), or an ISO date (midnight UTC) or date and
    time (UTC unless it names its offset: "2025-03-12T08:00+02:00"), as an aware UTC datetime.

    Raises:
        ValueError: anything else, in one line that says what is accepted.
    """
    text = value.strip()
    duration = _DURATION.fullmatch(text)
    if duration:
        return now.astimezone(UTC) - timedelta(**{_UNITS[duration["unit"].lower()]: int(duration["n"])})
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{value!r} is not {FORMS}") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def parse_window(since: str, until: str | None, now: datetime) -> tuple[datetime, datetime]:
    """``[since, until)`` from the command line (``until`` defaults to ``now``).

    Raises:
        ValueError: a value ``parse_when`` refuses, or a window that ends before it starts.
    """
    start = parse_when(since, now)
    end = parse_when(until, now) if until else now.astimezone(UTC)
    if start >= end:
        raise ValueError(
            f"--since ({start:%Y-%m-%d %H:%M} UTC) must be before --until ({end:%Y-%m-%d %H:%M} UTC)"
        )
    return start, end
