"""The timeline chart, checked by what it draws (``chart_series``) and by the PNG it writes."""

from __future__ import annotations

import io
import math
from datetime import date

import pytest

from index.answering.timeline import Timeline, build_timeline
from index.charts.timeline_png import (
    DENIAL_MARKER,
    HEIGHT_PX,
    OTHER_MARKER,
    WIDTH_PX,
    chart_series,
    place_labels,
    render_png,
)
from tests.index.answering.test_timeline import DENIAL, FIGURES, NONE_KILLED, answer, doc, quote

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def seed_like() -> Timeline:
    ministry = quote(
        "According to it, 3 soldiers were killed and 5 others were injured.",
        "Azerbaijani Defense Ministry",
        days=(date(2020, 7, 12),),
    )
    military = quote(
        "The Azerbaijani military said that the Armenian side also suffered casualties.",
        "Azerbaijani military",
        days=(date(2020, 7, 12),),
    )
    armenian = quote(
        "Shushan Stepanyan wrote on Facebook that no Armenian was killed.",
        "Shushan Stepanyan",
        days=(date(2020, 7, 12),),
    )
    undated = quote("Two tanks were destroyed.", "Army", document=doc(published=None, id="u-1"))
    return build_timeline(answer(ministry, military, armenian, undated))


def test_one_series_per_claimant_with_what_each_claimed() -> None:
    series = chart_series(seed_like())
    # The ministry and the military speak for one country: one claimant, one colour.
    assert [s.claimant for s in series] == ["Azerbaijani Defense Ministry", "Shushan Stepanyan"]
    azerbaijan, armenia = series
    assert [(p.day, p.y, p.label, p.exact, p.denial) for p in azerbaijan.points] == [
        (date(2020, 7, 12), 3.0, "3", True, False),
        (date(2020, 7, 12), 5.0, "5", True, False),
        (date(2020, 7, 12), 1.0, "some", False, False),  # hollow, at its least
    ]
    assert [p.marker for p in azerbaijan.points] == ["o", "s", "^"]  # killed, wounded, casualties
    [denial] = armenia.points
    assert (denial.y, denial.label, denial.marker, denial.denial) == (0.0, "none", DENIAL_MARKER, True)


def test_undated_claims_are_listed_not_drawn() -> None:
    drawn = [p.marker for s in chart_series(seed_like()) for p in s.points]
    assert OTHER_MARKER not in drawn  # the undated "two tanks destroyed" is not among them


def test_a_denial_without_a_figure_is_drawn_at_zero() -> None:
    [s] = chart_series(build_timeline(answer(DENIAL)))
    [p] = s.points
    assert (p.y, p.label, p.marker) == (0.0, "denies", DENIAL_MARKER)


def test_the_png_is_the_promised_size() -> None:
    from matplotlib.image import imread

    png = render_png(build_timeline(answer(FIGURES, DENIAL, NONE_KILLED)))
    assert png.startswith(PNG_SIGNATURE)
    assert imread(io.BytesIO(png), format="png").shape[:2] == (HEIGHT_PX, WIDTH_PX)  # it decodes, this size


def test_nothing_dated_draws_nothing() -> None:
    undated = quote("Two tanks were destroyed.", "Army", document=doc(published=None))
    with pytest.raises(ValueError, match="no dated claim"):
        render_png(build_timeline(answer(undated)))
    with pytest.raises(ValueError):
        render_png(Timeline("sourdough", False, "Nothing in the archive answers that."))


@pytest.mark.parametrize(
    ("figure", "low", "high", "label"),
    [
        ("3", 3, 3, "3"),
        ("at least seven", 7, math.inf, "≥7"),
        ("nearly 50", 40, 50, "≤50"),
        ("about 1,200", 960, 1440, "~1,200"),
        ("no", 0, 0, "none"),
        ("dozens", 24, math.inf, "dozens"),
    ],
)
def test_a_mark_says_its_number_in_a_few_characters(figure: str, low: float, high: float, label: str) -> None:
    [p] = build_timeline(
        answer(quote(f"{figure} soldiers were killed.", "Army", days=(date(2025, 3, 1),)))
    ).points
    assert (p.low, p.high) == (low, high)
    [s] = chart_series(build_timeline(answer(p.quote)))
    assert s.points[0].label == label


def test_labels_of_crowded_marks_do_not_cover_each_other_or_leave_the_plot() -> None:
    marks = [(500.0, 300.0 + 4 * i, str(10 + i)) for i in range(6)]  # six marks nearly on one spot
    area = (100.0, 100.0, 1100.0, 600.0)
    boxes = [
        (x + dx, y + dy, x + dx + 11.0 * len(label), y + dy + 20.0)
        for (x, y, label), (dx, dy) in zip(marks, place_labels(marks, area), strict=True)
    ]
    for n, a in enumerate(boxes):
        assert area[0] <= a[0] and a[2] <= area[2] and area[1] <= a[1] and a[3] <= area[3]
        assert all(not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]) for b in boxes[n + 1 :])
