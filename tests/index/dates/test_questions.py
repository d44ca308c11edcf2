"""A question's date phrases as intervals: explicit, year-less (resolved on the corpus), ranges, open bounds."""

from collections.abc import Iterable
from datetime import date

import pytest

from index.dates.questions import DateFilter, parse_question_dates, question_date_lookups

D = date


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
