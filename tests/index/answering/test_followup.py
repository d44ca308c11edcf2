"""Follow-ups in a thread keep the first question's subject, places, dates and outlet unless changed."""

from __future__ import annotations

from datetime import date

import pytest

from index.answering.followup import follow_up
from index.models import Answer, QueryFilters

MARCH_12 = date(2025, 3, 12)
FIRST = Answer(
    "who reported casualties in Pellin on March 12?",
    True,
    (),
    9,
    QueryFilters(since=MARCH_12, until=MARCH_12, places=("Pellin",)),
)
OUTLETS = ["Northline Wire", "Orvenian National Herald", "Zeltran Voice", "OVMM Daily Bulletin"]


@pytest.mark.parametrize(
    ("typed", "question", "outlet", "days"),
    [
        # Only a filter: the first question, the filter changed.
        ("only Northline Wire", FIRST.question, "Northline Wire", (MARCH_12, MARCH_12)),
        ("just zeltran voice", FIRST.question, "Zeltran Voice", (MARCH_12, MARCH_12)),
        # New dates replace the first question's own.
        ("since March 14", "who reported casualties in Pellin since March 14?", None, (None, None)),
        ("only since Monday", "who reported casualties in Pellin since Monday?", None, (None, None)),
        (
            "from Zeltran Voice since March 10",
            "who reported casualties in Pellin since March 10?",
            "Zeltran Voice",
            (None, None),
        ),
        # A subject of its own: the first question's place and days carried over.
        ("and what about wounded?", "what about wounded in Pellin?", None, (MARCH_12, MARCH_12)),
        (
            "what did the Zeltran Eastern Command say?",
            "what did the Zeltran Eastern Command say in Pellin?",
            None,
            (MARCH_12, MARCH_12),
        ),
        # ...unless it names its own place or period.
        ("what happened in Tolvik?", "what happened in Tolvik?", None, (MARCH_12, MARCH_12)),
        (
            "what did the mission say last week?",
            "what did the mission say last week in Pellin?",
            None,
            (None, None),
        ),
    ],
)
def test_a_follow_up_changes_what_it_names_and_keeps_the_rest(
    typed: str, question: str, outlet: str | None, days: tuple[date | None, date | None]
) -> None:
    asked = follow_up(FIRST, typed, OUTLETS)
    assert (asked.question, asked.outlet, (asked.since, asked.until)) == (question, outlet, days)


def test_a_relative_period_of_the_first_question_is_replaced_not_added_to() -> None:
    first = Answer(
        "who reported shelling in Pellin last week?",
        True,
        (),
        9,
        QueryFilters(since=date(2025, 3, 3), until=date(2025, 3, 9), places=("Pellin",)),
    )
    assert (
        follow_up(first, "only since Monday", OUTLETS).question
        == "who reported shelling in Pellin since Monday?"
    )


def test_the_first_questions_outlet_is_kept_until_another_is_named() -> None:
    first = Answer("what did the ministry say?", True, (), 3, QueryFilters(outlets=("Zeltran Voice",)))
    assert follow_up(first, "since March 14", OUTLETS).outlet == "Zeltran Voice"
    assert follow_up(first, "only Northline Wire", OUTLETS).outlet == "Northline Wire"
    assert follow_up(first, "only Northline Wire", OUTLETS).new_subject is False
