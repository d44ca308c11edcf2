"""When a daily digest is due, and the times and zones a server admin may give."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from index.models import DigestSchedule
from index.watching.schedule import ScheduleError, digest_window, due_day, parse_time_of_day, parse_timezone


def at(hhmm: str, tz: str = "Europe/Kyiv", last_sent: str | None = None) -> DigestSchedule:
    return DigestSchedule("3000", "4000", hhmm, tz, "9001", last_sent)


def test_a_digest_is_due_once_its_local_time_has_passed_once_a_day() -> None:
    # 05:00 UTC on 6 December is 07:00 in Kyiv (UTC+2 in winter).
    before = datetime(2026, 12, 6, 5, 29, tzinfo=UTC)
    after = datetime(2026, 12, 6, 5, 31, tzinfo=UTC)
    assert due_day(at("07:30"), before) is None
    assert due_day(at("07:30"), after) == "2026-12-06"
    assert due_day(at("07:30", last_sent="2026-12-06"), after) is None  # sent today already
    assert due_day(at("07:30", last_sent="2026-12-05"), after) == "2026-12-06"
    # The local day, not the UTC one: 23:30 UTC on the 6th is already the 7th in Kyiv.
    assert (
        due_day(at("01:00", last_sent="2026-12-06"), datetime(2026, 12, 6, 23, 30, tzinfo=UTC))
        == "2026-12-07"
    )
    assert due_day(at("07:30", tz="America/New_York"), after) is None  # 00:31 there


def test_the_window_is_the_last_24_hours() -> None:
    now = datetime(2026, 12, 6, 5, 30, tzinfo=UTC)
    assert digest_window(now) == (datetime(2026, 12, 5, 5, 30, tzinfo=UTC), now)


@pytest.mark.parametrize(
    ("given", "stored"), [("7:30", "07:30"), ("07.30", "07:30"), ("19h05", "19:05"), (" 00:00 ", "00:00")]
)
def test_times_of_day(given: str, stored: str) -> None:
    assert parse_time_of_day(given) == stored


@pytest.mark.parametrize("given", ["24:00", "7", "seven thirty", "07:60", ""])
def test_a_time_that_is_not_one_is_refused_in_words(given: str) -> None:
    with pytest.raises(ScheduleError, match="24-hour HH:MM"):
        parse_time_of_day(given)


def test_time_zones() -> None:
    assert parse_timezone(" Europe/Kyiv ") == "Europe/Kyiv"
    assert parse_timezone("UTC") == "UTC"
    for bad in ("Mars/Olympus_Mons", "", "../../etc/passwd", "Europe/Kiev/x"):
        with pytest.raises(ScheduleError, match="not a time zone"):
            parse_timezone(bad)
