"""Dates in article text: the forms found, datelines, and date values given on the command line."""

from datetime import date

import pytest

from index.dates.parsing import DateMention, find_dates, infer_dateline, parse_date_value
from index.text.cleaning import clean_text
from tests.conftest import SEED

D = date


def found(text: str) -> list[tuple[int | None, int, int | None, str]]:
    return [(m.year, m.month, m.day, text[m.start : m.end]) for m in find_dates(text)]


# --- find_dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on July 12 they attacked", (None, 7, 12, "July 12")),
        ("July 12th", (None, 7, 12, "July 12th")),
        ("12 July", (None, 7, 12, "12 July")),
        ("on the 12th of July", (None, 7, 12, "12th of July")),
        ("12 July 2020", (2020, 7, 12, "12 July 2020")),
        ("12 July, 2020", (2020, 7, 12, "12 July, 2020")),
        ("July 12, 2020", (2020, 7, 12, "July 12, 2020")),
        ("July 12,2020", (2020, 7, 12, "July 12,2020")),
        ("Jul 12 2020", (2020, 7, 12, "Jul 12 2020")),
        ("Aug 11 2016", (2016, 8, 11, "Aug 11 2016")),
        ("Aug. 11, 2016", (2016, 8, 11, "Aug. 11, 2016")),
        ("Sept. 3", (None, 9, 3, "Sept. 3")),
        ("Sep 30, 1999", (1999, 9, 30, "Sep 30, 1999")),
        ("2016-08-11", (2016, 8, 11, "2016-08-11")),
        ("Published 2020-07-13T10:00:00Z", (2020, 7, 13, "2020-07-13")),
        ("2016/08/11", (2016, 8, 11, "2016/08/11")),
        ("25/08/2016", (2016, 8, 25, "25/08/2016")),
        ("08/25/2016", (2016, 8, 25, "08/25/2016")),
        ("25.08.2016", (2016, 8, 25, "25.08.2016")),
        ("in March 2002", (2002, 3, None, "March 2002")),
        ("in March of 2002", (2002, 3, None, "March of 2002")),
        ("May 2020", (2020, 5, None, "May 2020")),
        ("Sunday, July 12, 2020", (2020, 7, 12, "Sunday, July 12, 2020")),
        ("Sun 12 July 2020", (2020, 7, 12, "Sun 12 July 2020")),
        ("on march 3 the army", (None, 3, 3, "march 3")),
        ("ON JULY 12", (None, 7, 12, "JULY 12")),
        ("Feb 29", (None, 2, 29, "Feb 29")),
        ("May 5 was quiet", (None, 5, 5, "May 5")),
        ("on 5 May the army", (None, 5, 5, "5 May")),
    ],
)
def test_find_dates_forms(text: str, expected: tuple[int | None, int, int | None, str]) -> None:
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Talks may resume.",
        "Some 12 may be dead.",
        "in March",
        "the march on Kyiv",
        "Feb 30",
        "2021-02-29",
        "2020-13-01",
        "11/08/2016",
        "06/07/2016",
        "2,500 troops",
        "March 3,000 people marched",
        "at 12:30",
        "Julyish 12",
        "Junes 5",
        "1,963 $",
        "",
    ],
)
def test_find_dates_skips_non_dates(text: str) -> None:
    assert found(text) == []


def test_may_followed_by_a_number_is_read_as_a_date() -> None:
    # A known limitation: only "<day> may <verb>" is recognised as the modal.
    assert found("They may 2 weeks later") == [(None, 5, 2, "may 2")]


def test_find_dates_positions_and_order() -> None:
    text = "Clashes began on July 12, 2020; by 16 July they had spread. In March 2021 talks began."
    mentions = find_dates(text)
    assert mentions == [
        DateMention(year=2020, month=7, day=12, start=17, end=30),
        DateMention(year=None, month=7, day=16, start=35, end=42),
        DateMention(year=2021, month=3, day=None, start=63, end=73),
    ]
    assert [text[m.start : m.end] for m in mentions] == ["July 12, 2020", "16 July", "March 2021"]


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        (DateMention(2020, 7, 12, 0, 1), D(2020, 7, 12)),
        (DateMention(None, 7, 12, 0, 1), None),
        (DateMention(2020, 7, None, 0, 1), None),
    ],
)
def test_mention_to_date(mention: DateMention, expected: date | None) -> None:
    assert mention.to_date() == expected


def test_seed_dates() -> None:
    if not SEED.exists():
        pytest.skip("../shared is absent")
    text = SEED.read_text(encoding="utf-8")
    assert [(m.year, m.month, m.day) for m in find_dates(text)] == [
        (None, 7, 12),
        (None, 7, 12),
        (2020, 7, 12),
        (2020, 5, None),
    ]


# --- infer_dateline -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year_hint", "expected"),
    [
        ("KYIV, March 3 (Reuters) - Russian forces shelled the city.", 2022, D(2022, 3, 3)),
        ("KYIV, March 3 (Reuters) - Russian forces shelled the city.", None, None),
        ("DRAVIK, March 14, 2025 — The council met.", None, D(2025, 3, 14)),
        ("ST. PETERSBURG, Russia, March 3, 2022 (AP) — Protests grew.", None, D(2022, 3, 3)),
        ("Baku, 12 July 2020: Azerbaijan said its forces held.", None, D(2020, 7, 12)),
        ("Published: 2020-07-13\n\nThe army said.", None, D(2020, 7, 13)),
        ("Published: 2020-07-13T08:15:00+03:00\n\nThe army said.", None, D(2020, 7, 13)),
        ("Updated July 13, 2020\n\nThe army said.", None, D(2020, 7, 13)),
        ("Posted on: July 13\nThe army said.", 2020, D(2020, 7, 13)),
        ("By Jane Doe | July 13, 2020\n\nThe army said.", None, D(2020, 7, 13)),
        ("Title here\n\nBy Jane Doe, July 13, 2020\n\nThe army said.", None, D(2020, 7, 13)),
        ("July 13, 2020\n\nThe army said.", None, D(2020, 7, 13)),
        ("Monday, July 13, 2020 10:32 AM EDT\nThe army said.", None, D(2020, 7, 13)),
        ("  \n\n13 July 2020 | Kyiv\nThe army said.", None, D(2020, 7, 13)),
        ("July 13\n\nThe army said.", 2020, None),  # a bare date line needs its year
        ("The army said on July 12, 2020 that it had attacked.", None, None),
        ("July 12, 2020 was a tense day on the border.", None, None),
        ("Yesterday, July 12 - a tense day.", 2020, None),
        ("Posted by Shushan Stepanyan on Sunday, July 12, 2020", None, None),
        ("No dates at all.", 2020, None),
        ("x" * 400 + "\nPublished: 2020-07-13", None, None),
    ],
)
def test_infer_dateline(text: str, year_hint: int | None, expected: date | None) -> None:
    assert infer_dateline(text, year_hint) == expected


def test_seed_has_no_dateline() -> None:
    if not SEED.exists():
        pytest.skip("../shared is absent")
    text = clean_text(SEED.read_text(encoding="utf-8"))
    assert infer_dateline(text) is None
    assert infer_dateline(text, year_hint=2020) is None  # "strated on July 12." is a sentence, not a dateline


# --- parse_date_value -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-07-12", D(2020, 7, 12)),
        (" 2020-07-12\n", D(2020, 7, 12)),
        ("2020-07-12T10:00:00Z", D(2020, 7, 12)),
        ("2020-07-12T10:00:00.123456+00:00", D(2020, 7, 12)),
        ("2020-07-12T23:30:00-05:00", D(2020, 7, 12)),  # the date as written, not UTC
        ("2020-07-12 10:00", D(2020, 7, 12)),
    ],
)
def test_parse_date_value(value: str, expected: date) -> None:
    assert parse_date_value(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2020-02-30", "not a valid date: '2020-02-30'"),
        ("2020-07-12T25:00", "not a valid date"),
        ("July 12, 2020", "expected YYYY-MM-DD"),
        ("12/07/2020", "expected YYYY-MM-DD"),
        ("20200712", "expected YYYY-MM-DD"),
        ("2020-7-12", "expected YYYY-MM-DD"),
        ("", "expected YYYY-MM-DD"),
    ],
)
def test_parse_date_value_rejects(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date_value(value)
