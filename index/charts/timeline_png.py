"""A timeline drawn as a PNG: each claimant's figures by day, denials marked, readable on a phone.

``chart_series`` says what is drawn (pure, tested); ``render_png`` draws it. matplotlib is imported
inside ``render_png``, so commands that draw nothing don't pay for it, and only its object API is used
(a ``Figure`` with an Agg canvas, never ``pyplot``): no global state, so a bot may draw in a thread.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from index.answering.claimants import same_claimant
from index.answering.timeline import DENIES, Timeline, TimelinePoint

WIDTH_PX, HEIGHT_PX, DPI = 1200, 700, 100  # about a phone screen turned sideways, sharp when zoomed
NAME_MAX = 60  # legend entries longer than this are cut: the list under the chart names them in full
COLOURS = 10  # matplotlib's tab10; claimants past the tenth share colours (markers still differ)
TITLE_MAX = 70
SUBJECT_MAX = 24  # "(Azerbaijani soldiers)" beside a mark; the list has the whole quote
MARKERS = {"killed": "o", "wounded": "s", "casualties": "^", "captured": "v", "displaced": "D"}
OTHER_MARKER = "P"  # "tanks destroyed" and the like
DENIAL_MARKER = "X"
NOTE = "✕ a denial or a claim of none · hollow: no exact number (drawn at its least)"


@dataclass(frozen=True)
class ChartPoint:
    """One drawn mark: where (day, height), what it says, and how it is drawn."""

    day: date
    y: float  # the number stated; 0 for a denial; the least a vague figure allows ("some": 1)
    label: str  # "3 killed", "at least 4 killed", "none killed", "denies (killed)"
    marker: str
    denial: bool
    exact: bool  # a number was stated (filled mark), not a vague figure (hollow)


@dataclass(frozen=True)
class Series:
    """One claimant's marks, one colour and one legend entry."""

    claimant: str
    points: tuple[ChartPoint, ...]


def _label(p: TimelinePoint) -> str:
    if p.figure == DENIES:
        return f"denies ({p.category})" if p.category else "denies"
    # "At least 4" opened its sentence; beside a mark it reads "at least 4 killed".
    figure = "none" if p.value == 0 else p.figure[:1].lower() + p.figure[1:]
    whose = f" ({_short(p.subject, SUBJECT_MAX)})" if p.subject else ""
    return f"{figure} {p.category}".strip() + whose


def _mark(p: TimelinePoint) -> ChartPoint:
    assert p.day is not None
    if p.figure == DENIES:
        y, exact = 0.0, True
    else:
        y, exact = (p.value, True) if p.value is not None else (p.low, False)
    category = p.category if p.category in MARKERS else ""
    marker = DENIAL_MARKER if p.denial else MARKERS.get(category, OTHER_MARKER)
    return ChartPoint(p.day, y, _label(p), marker, p.denial, exact)


def chart_series(timeline: Timeline) -> list[Series]:
    """What the chart draws: the dated points, one series per claimant (``same_claimant``: "the
    Azerbaijani Defense Ministry" and "the Azerbaijani military" are one), in order of first claim.
    Undated points are listed under the chart, not drawn."""
    groups: list[list[TimelinePoint]] = []
    for p in timeline.points:
        if p.day is None:
            continue
        home = next(
            (g for g in groups if g[0].reported_by == p.reported_by and same_claimant(g[0].quote, p.quote)),
            None,
        )
        if home is None:
            groups.append([p])
        else:
            home.append(p)
    return [Series(g[0].who, tuple(_mark(p) for p in g)) for g in groups]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_png(timeline: Timeline) -> bytes:
    """The chart of a timeline as PNG bytes, ``WIDTH_PX`` by ``HEIGHT_PX``.

    Raises:
        ValueError: nothing to draw (no dated claim): a chart is never empty.
    """
    series = chart_series(timeline)
    if not series:
        raise ValueError("no dated claim to draw")
    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    colours = colormaps["tab10"]
    days = [p.day for s in series for p in s.points]
    # Claimants who speak of the same day stand side by side, not on top of each other.
    spread = min(0.6, 0.25 * (len(series) - 1))
    for n, s in enumerate(series):
        colour = colours(n % COLOURS)
        offset = (n / (len(series) - 1) - 0.5) * spread if len(series) > 1 else 0.0
        for i, p in enumerate(s.points):
            x = p.day.toordinal() + offset
            ax.scatter(
                [x],
                [p.y],
                s=260 if p.denial else 180,
                marker=p.marker,
                color=colour if p.exact else "none",
                edgecolors="black" if p.denial else colour,
                linewidths=2,
                zorder=3,
                label=_short(s.claimant, NAME_MAX) if i == 0 else None,
            )
            ax.annotate(
                p.label, (x, p.y), xytext=(10, 8), textcoords="offset points", fontsize=14, color=colour
            )
    first, last = min(days), max(days)
    # Whole days only, at most about seven ticks; the margins keep the end labels inside the image.
    ax.set_xlim(first.toordinal() - 0.7, last.toordinal() + 0.7)
    ticks = range(first.toordinal(), last.toordinal() + 1, max(1, (last - first).days // 6))
    ax.set_xticks(list(ticks), [date.fromordinal(t).strftime("%d %b %Y") for t in ticks])
    ax.set_ylim(bottom=-0.5, top=max(1.0, *(p.y for s in series for p in s.points)) * 1.25 + 0.5)
    ax.tick_params(labelsize=14)
    ax.set_ylabel("number claimed", fontsize=16)
    ax.grid(True, alpha=0.3)
    ax.set_title(_short(timeline.query, TITLE_MAX), fontsize=20, pad=12)
    # Under the dates: the key to the marks, then the claimants (long names need the full width).
    rows = len(series) if len(series) <= 3 else (len(series) + 1) // 2
    bottom = min(0.5, 0.17 + 0.05 * rows)
    fig.subplots_adjust(left=0.08, right=0.96, top=0.9, bottom=bottom)
    fig.text(0.5, bottom - 0.095, NOTE, ha="center", fontsize=12, color="dimgray")
    fig.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, bottom - 0.11),
        ncol=1 if len(series) <= 3 else 2,
        fontsize=14,
        frameon=False,
    )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()
