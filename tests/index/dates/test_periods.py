"""Relative periods in questions, anchored on the newest report in the corpus and said in the answer."""

from __future__ import annotations

from datetime import date

import pytest

from bot.formatting import render_answer
from index.cli.render import format_answer
from index.dates.periods import find_periods
from index.engine import Engine

NEWEST = date(2020, 7, 13)  # a Monday


@pytest.mark.parametrize(
    ("question", "first", "last", "explained"),
    [
        ("What happened last week?", "2020-07-06", "2020-07-12", "last week = 6–12 July 2020"),
        (
            "strikes in the past three days",
            "2020-07-11",
            "2020-07-13",
            "the past three days = 11–13 July 2020",
        ),
        (
            "drones over the last 2 weeks",
            "2020-06-30",
            "2020-07-13",
            "the last 2 weeks = 30 June – 13 July 2020",
        ),
        ("shelling this month", "2020-07-01", "2020-07-13", "this month = 1–13 July 2020"),
        ("shelling last month", "2020-06-01", "2020-06-30", "last month = 1–30 June 2020"),
        ("who was hurt yesterday", "2020-07-12", "2020-07-12", "yesterday = 12 July 2020"),
        # A weekday: the last one on or before the newest report (a Monday: that day itself).
        ("shelling since Friday", "2020-07-10", "2020-07-13", "since friday = 10–13 July 2020"),
        ("shelling since Monday", "2020-07-13", "2020-07-13", "since monday = 13 July 2020"),
    ],
)
def test_periods_are_relative_to_the_newest_report(
    question: str, first: str, last: str, explained: str
) -> None:
    (p,) = find_periods(question, NEWEST)
    assert (str(p.first), str(p.last)) == (first, last)
    assert p.explain(NEWEST) == f"{explained}, relative to the newest report on 13 July 2020"


def test_no_corpus_no_period() -> None:
    assert find_periods("What happened last week?", None) == []


def test_a_weekday_without_since_is_no_period() -> None:
    assert find_periods("what did the mayor say on Monday?", NEWEST) == []
    assert find_periods("a statement from Friday", NEWEST) == []


@pytest.mark.model
async def test_last_week_is_said_in_the_answer(sample_engine: Engine) -> None:
    answer = await sample_engine.ask("Who reported casualties last week?")
    assert answer.found
    assert (str(answer.filters.since), str(answer.filters.until)) == ("2025-03-17", "2025-03-23")
    said = "last week = 17–23 March 2025, relative to the newest report on 30 March 2025"
    assert answer.filters.relative == (said,)
    assert said in format_answer(answer)
    assert answer.to_dict()["filters"]["relative"] == [said]
    footer = render_answer(answer)[0].embeds[-1].footer.text or ""
    assert "last week = 17–23 March 2025" in footer


async def test_as_of_anchors_the_period_on_the_day_asked(sample_engine: Engine) -> None:
    # Friday 14 March 2025: last week is 3-9 March, whatever the newest report is.
    answer = await sample_engine.ask("Who reported casualties last week?", as_of=date(2025, 3, 14))
    assert (answer.filters.since, answer.filters.until) == (date(2025, 3, 3), date(2025, 3, 9))
    assert answer.found and "relative to" in answer.filters.relative[0]
