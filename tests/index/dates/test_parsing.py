from collections.abc import Iterable
from datetime import date

import pytest

from index.dates.parsing import DateMention, find_dates, infer_dateline, parse_date_value
from index.dates.questions import DateFilter, parse_question_dates, question_date_lookups
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


# --- parse_question_dates -------------------------------------------------------------------------


class Years:
    """A fake ``years_for``: the corpus has reporting on these (month, day) pairs in these years."""

    def __init__(self, table: dict[tuple[int, int | None], list[int]]) -> None:
        self.table = table
        self.calls: list[tuple[int, int | None]] = []

    def __call__(self, month: int, day: int | None) -> Iterable[int]:
        self.calls.append((month, day))
        return self.table.get((month, day), [])


CORPUS = Years(
    {
        (7, 12): [2020],
        (7, 16): [2020],
        (3, 3): [2020, 2022],
        (3, 10): [2022],
        (3, None): [2002, 2020],
        (12, 28): [2020],
        (8, 11): [2016, 2018],
    }
)


def intervals(question: str, default_year: int | None = None) -> tuple[tuple[date, date], ...]:
    return parse_question_dates(question, CORPUS, default_year=default_year).intervals


def phrases(question: str) -> list[str]:
    return [question[s:e] for s, e in parse_question_dates(question, CORPUS).spans]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What happened on July 12?", ((D(2020, 7, 12), D(2020, 7, 12)),)),
        ("What happened on 12 July 2020?", ((D(2020, 7, 12), D(2020, 7, 12)),)),
        ("what happened on 12 july 2019?", ((D(2019, 7, 12), D(2019, 7, 12)),)),
        ("Any shelling on 2016-08-11?", ((D(2016, 8, 11), D(2016, 8, 11)),)),
        ("Any shelling on Aug 11 2016?", ((D(2016, 8, 11), D(2016, 8, 11)),)),
        ("Any shelling on Aug 11?", ((D(2016, 8, 11), D(2016, 8, 11)), (D(2018, 8, 11), D(2018, 8, 11)))),
        ("between July 12 and July 16", ((D(2020, 7, 12), D(2020, 7, 16)),)),
        ("from July 12 to July 16", ((D(2020, 7, 12), D(2020, 7, 16)),)),
        ("from July 12 until July 16", ((D(2020, 7, 12), D(2020, 7, 16)),)),
        ("July 12-16", ((D(2020, 7, 12), D(2020, 7, 16)),)),
        ("July 12 – 16", ((D(2020, 7, 12), D(2020, 7, 16)),)),
        ("12-16 July 2019", ((D(2019, 7, 12), D(2019, 7, 16)),)),
        ("between 12 and 16 July", ((D(2020, 7, 12), D(2020, 7, 16)),)),
        ("July 30 - August 2, 2021", ((D(2021, 7, 30), D(2021, 8, 2)),)),
        ("between July 12 and July 16, 2019", ((D(2019, 7, 12), D(2019, 7, 16)),)),
        ("Dec 28 to Jan 3", ((D(2020, 12, 28), D(2021, 1, 3)),)),
        ("in March 2002", ((D(2002, 3, 1), D(2002, 3, 31)),)),
        ("in February 2020", ((D(2020, 2, 1), D(2020, 2, 29)),)),
        ("in March", ((D(2002, 3, 1), D(2002, 3, 31)), (D(2020, 3, 1), D(2020, 3, 31)))),
        ("in 2020", ((D(2020, 1, 1), D(2020, 12, 31)),)),
        ("What did Aliyev say about the 2020 war?", ((D(2020, 1, 1), D(2020, 12, 31)),)),
        ("Tovuz clashes 2020?", ((D(2020, 1, 1), D(2020, 12, 31)),)),
        ("between 2019 and 2021", ((D(2019, 1, 1), D(2021, 12, 31)),)),
        ("shelling 2014-2022", ((D(2014, 1, 1), D(2022, 12, 31)),)),
        ("since March 3", ((D(2022, 3, 3), D.max),)),  # several years: the most recent
        ("after March 3", ((D(2022, 3, 4), D.max),)),
        ("before March 10", ((D.min, D(2022, 3, 9)),)),
        ("until March 10", ((D.min, D(2022, 3, 10)),)),
        ("since 2021", ((D(2021, 1, 1), D.max),)),
        ("before 2021", ((D.min, D(2020, 12, 31)),)),
        ("after March 3, 2022 and before March 10, 2022", ((D(2022, 3, 4), D(2022, 3, 9)),)),
        ("in 2020 before March 10, 2020", ((D(2020, 1, 1), D(2020, 3, 9)),)),
        ("on July 12 and July 16", ((D(2020, 7, 12), D(2020, 7, 12)), (D(2020, 7, 16), D(2020, 7, 16)))),
        ("on July 12 and 16", ((D(2020, 7, 12), D(2020, 7, 12)), (D(2020, 7, 16), D(2020, 7, 16)))),
        ("What did Armenia say?", ()),
        ("Were 2000 troops killed?", ()),
        ("What may happen in Tovuz?", ()),
        ("What happened during the march on Kyiv?", ()),
        ("What happened on Feb 30?", ()),
    ],
)
def test_question_intervals(question: str, expected: tuple[tuple[date, date], ...]) -> None:
    assert intervals(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What happened on July 12?", ["on July 12"]),
        ("What did Armenia say between July 12 and July 16 about Tovuz?", ["between July 12 and July 16"]),
        ("Tovuz from July 12 to July 16", ["from July 12 to July 16"]),
        ("shelling July 12-16 in Tovuz", ["July 12-16"]),
        ("What happened in early March?", ["in early March"]),
        ("Losses since March 3 and before March 10", ["since March 3", "before March 10"]),
        ("Did Baku comment on Sunday, July 12, 2020?", ["on Sunday, July 12, 2020"]),
        ("Casualties on the 12th of July", ["on the 12th of July"]),
        ("the 2020 war", ["2020"]),
    ],
)
def test_question_spans(question: str, expected: list[str]) -> None:
    assert phrases(question) == expected


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        ([], ()),
        ([2020], ((D(2020, 7, 13), D(2020, 7, 13)),)),
        ([2022, 2020, 2020], ((D(2020, 7, 13), D(2020, 7, 13)), (D(2022, 7, 13), D(2022, 7, 13)))),
    ],
)
def test_year_less_day_takes_the_corpus_years(
    years: list[int], expected: tuple[tuple[date, date], ...]
) -> None:
    years_for = Years({(7, 13): years})
    result = parse_question_dates("What happened on July 13?", years_for)
    assert years_for.calls == [(7, 13)]
    assert result.intervals == expected
    assert result.spans == ((14, 24),)
    assert result.unresolved == (() if years else ((14, 24),))


@pytest.mark.parametrize(
    ("years_for", "default_year", "expected"),
    [
        (None, None, ()),
        (None, 2024, ((D(2024, 7, 13), D(2024, 7, 13)),)),
        (Years({}), 2024, ((D(2024, 7, 13), D(2024, 7, 13)),)),
        (Years({(7, 13): [2020]}), 2024, ((D(2020, 7, 13), D(2020, 7, 13)),)),
    ],
)
def test_default_year_is_the_fallback(
    years_for: Years | None, default_year: int | None, expected: tuple[tuple[date, date], ...]
) -> None:
    assert parse_question_dates("on July 13", years_for, default_year=default_year).intervals == expected


def test_explicit_year_needs_no_lookup() -> None:
    years_for = Years({})
    assert parse_question_dates("on July 13, 2020 and in March 2002", years_for).intervals == (
        (D(2002, 3, 1), D(2002, 3, 31)),
        (D(2020, 7, 13), D(2020, 7, 13)),
    )
    assert years_for.calls == []


def test_range_uses_the_years_of_its_first_day_then_its_last() -> None:
    first = Years({(7, 12): [2019, 2021], (7, 16): [2018]})
    assert parse_question_dates("between July 12 and July 16", first).intervals == (
        (D(2019, 7, 12), D(2019, 7, 16)),
        (D(2021, 7, 12), D(2021, 7, 16)),
    )
    last_only = Years({(7, 16): [2018]})
    assert parse_question_dates("between July 12 and July 16", last_only).intervals == (
        (D(2018, 7, 12), D(2018, 7, 16)),
    )
    assert last_only.calls == [(7, 12), (7, 16)]


def test_feb_29_is_dropped_in_years_without_it() -> None:
    years_for = Years({(2, 29): [2019, 2020]})
    assert parse_question_dates("on Feb 29", years_for).intervals == ((D(2020, 2, 29), D(2020, 2, 29)),)


def test_unresolvable_dates_are_reported() -> None:
    question = "What happened between July 1 and July 3, or on Nov 5?"
    result = parse_question_dates(question, Years({(7, 1): [2020]}))
    assert result.intervals == ((D(2020, 7, 1), D(2020, 7, 3)),)
    assert [question[s:e] for s, e in result.unresolved] == ["on Nov 5"]
    assert [question[s:e] for s, e in result.spans] == ["between July 1 and July 3", "on Nov 5"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("on July 12", [(7, 12)]),
        ("between July 12 and July 16", [(7, 12), (7, 16)]),
        ("July 12-16", [(7, 12), (7, 16)]),
        ("in March and on March 3", [(3, None), (3, 3)]),
        ("on July 12, 2020 or in 2021", []),
        ("nothing here", []),
    ],
)
def test_question_date_lookups(question: str, expected: list[tuple[int, int | None]]) -> None:
    assert question_date_lookups(question) == expected


def test_lookups_cover_every_callback_call() -> None:
    question = "in March, between July 12 and July 16, since Dec 28 or 12-14 Aug"
    years_for = Years({})
    parse_question_dates(question, years_for)
    assert set(years_for.calls) <= set(question_date_lookups(question))


@pytest.mark.parametrize(
    ("date_filter", "since", "until", "inside", "outside"),
    [
        (DateFilter(), None, None, [D(1999, 1, 1)], []),
        (
            DateFilter(intervals=((D(2020, 7, 12), D(2020, 7, 16)), (D(2022, 7, 12), D(2022, 7, 16)))),
            D(2020, 7, 12),
            D(2022, 7, 16),
            [D(2020, 7, 12), D(2020, 7, 16), D(2022, 7, 14)],
            [D(2020, 7, 11), D(2021, 7, 14), D(2022, 7, 17)],
        ),
        (
            DateFilter(intervals=((D(2022, 3, 3), D.max),)),
            D(2022, 3, 3),
            None,
            [D(2030, 1, 1)],
            [D(2022, 3, 2)],
        ),
        (
            DateFilter(intervals=((D.min, D(2022, 3, 9)),)),
            None,
            D(2022, 3, 9),
            [D(1990, 1, 1)],
            [D(2022, 3, 10)],
        ),
    ],
)
def test_date_filter_helpers(
    date_filter: DateFilter, since: date | None, until: date | None, inside: list[date], outside: list[date]
) -> None:
    assert date_filter.since == since
    assert date_filter.until == until
    assert all(date_filter.matches(d) for d in inside)
    assert not any(date_filter.matches(d) for d in outside)


def test_overlapping_intervals_are_merged() -> None:
    result = parse_question_dates("between July 12 and July 16, 2020 or on July 14, 2020 or on July 17, 2020")
    assert result.intervals == ((D(2020, 7, 12), D(2020, 7, 17)),)


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
