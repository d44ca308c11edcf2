"""When a server's daily digest is due: its local time of day, in its own time zone, once a day."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from index.models import DigestSchedule

_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.h]([0-5]\d)\s*$")


class ScheduleError(ValueError):
    """A time of day or a time zone that can't be used, in words a server admin understands."""


def parse_time_of_day(text: str) -> str:
    """``"7:30"``, ``"07.30"`` or ``"19h05"`` -> ``"07:30"``.

    Raises:
        ScheduleError: not a 24-hour time.
    """
    match = _TIME.match(text)
    if not match:
        raise ScheduleError(f"“{text[:20]}” is not a time of day; use 24-hour HH:MM, for example 07:30.")
    return f"{int(match[1]):02d}:{match[2]}"


def parse_timezone(name: str) -> str:
    """An IANA time zone name as given (``Europe/Kyiv``, ``UTC``).

    Raises:
        ScheduleError: no such time zone.
    """
    name = name.strip()
    try:
        if not name or len(name) > 64 or name.startswith(("/", ".")):
            raise ZoneInfoNotFoundError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            f"“{name[:40]}” is not a time zone; use a name such as UTC, Europe/Kyiv or America/New_York."
        ) from None
    return name


def due_day(schedule: DigestSchedule, now: datetime) -> str | None:
    """The local day (ISO date) whose digest is due at ``now`` (aware), or None.

    Due once the local time passes ``at`` on a day after the last one sent: a bot that was down at
    07:30 posts when it is back that day, not twice, and not the missed days' digests on top.
    """
    local = now.astimezone(ZoneInfo(schedule.timezone))
    hour, minute = (int(x) for x in schedule.at.split(":"))
    if (local.hour, local.minute) < (hour, minute):
        return None
    day = local.date().isoformat()
    return day if schedule.last_sent is None or schedule.last_sent < day else None


def digest_window(now: datetime) -> tuple[datetime, datetime]:
    """What a daily digest covers: the 24 hours up to ``now``, in UTC."""
    end = now.astimezone(UTC)
    return end - timedelta(hours=24), end
