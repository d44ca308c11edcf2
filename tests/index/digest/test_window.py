"""The window's ends as people write them on the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from index.digest import parse_when, parse_window

NOW = datetime(2025, 4, 3, 10, 30, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("24h", NOW - timedelta(hours=24)),
        ("7d", NOW - timedelta(days=7)),
        ("90m", NOW - timedelta(minutes=90)),
        ("2w", NOW - timedelta(weeks=2)),
        (" 12H ", NOW - timedelta(hours=12)),
        ("2025-03-12", datetime(2025, 3, 12, tzinfo=UTC)),
        ("2025-03-12T08:00", datetime(2025, 3, 12, 8, 0, tzinfo=UTC)),
        ("2025-03-12 08:00:30", datetime(2025, 3, 12, 8, 0, 30, tzinfo=UTC)),
        ("2025-03-12T10:00+02:00", datetime(2025, 3, 12, 8, 0, tzinfo=UTC)),
        ("2025-03-12T08:00Z", datetime(2025, 3, 12, 8, 0, tzinfo=UTC)),
    ],
)
def test_durations_dates_and_times(value: str, expected: datetime) -> None:
    got = parse_when(value, NOW)
    assert got == expected and got.tzinfo is not None and got.utcoffset() == timedelta(0)


@pytest.mark.parametrize("value", ["yesterdayish", "", "24", "h", "-3h", "24 hours ago", "2025-13-01", "3y"])
def test_anything_else_is_refused_in_one_line_saying_what_is_accepted(value: str) -> None:
    with pytest.raises(ValueError) as e:
        parse_when(value, NOW)
    message = str(e.value)
    assert "\n" not in message and repr(value) in message and "24h" in message and "2025-03-12" in message


def test_a_window_ends_now_by_default_and_must_start_before_it_ends() -> None:
    assert parse_window("24h", None, NOW) == (NOW - timedelta(hours=24), NOW)
    kyiv = NOW.astimezone(timezone(timedelta(hours=3)))
    assert parse_window("1h", None, kyiv) == (NOW - timedelta(hours=1), NOW)
    with pytest.raises(ValueError, match="must be before"):
        parse_window("1h", "2h", NOW)
    with pytest.raises(ValueError, match="must be before"):
        parse_window("0m", None, NOW)
