"""The timeline chart, checked by what it draws (``chart_series``) and by the PNG it writes."""

from __future__ import annotations

import io
from datetime import date

import pytest

from index.answering.timeline import Timeline, build_timeline
from index.charts.timeline_png import DENIAL_MARKER, HEIGHT_PX, WIDTH_PX, chart_series, render_png
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
        (date(2020, 7, 12), 3.0, "3 killed (soldiers)", True, False),
        (date(2020, 7, 12), 5.0, "5 wounded", True, False),
        (date(2020, 7, 12), 1.0, "some casualties (Armenian side)", False, False),  # hollow, at its least
    ]
    [denial] = armenia.points
    assert (denial.y, denial.label, denial.marker, denial.denial) == (
        0.0,
        "none killed (Armenian)",
        DENIAL_MARKER,
        True,
    )


def test_undated_claims_are_listed_not_drawn() -> None:
    drawn = [p.label for s in chart_series(seed_like()) for p in s.points]
    assert not any("tanks" in label for label in drawn)


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
