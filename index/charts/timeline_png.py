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
LABEL_MAX = 12  # beside a mark only the number ("≥7", "~50", "none"): the list says the rest
MARKERS = {"killed": "o", "wounded": "s", "casualties": "^", "captured": "v", "displaced": "D"}
OTHER_MARKER = "P"  # "tanks destroyed" and the like
DENIAL_MARKER = "X"
KEY = "● killed  ■ wounded  ▲ casualties  ▼ captured  ◆ displaced  ✚ destroyed  ✕ denial or none  ○ no exact number"
# Label placement, in pixels: a character of the 14-point label font, its line, the gap to its mark.
CHAR_PX, LINE_PX, GAP_PX, MARK_PX = 11.0, 20.0, 15.0, 12.0


@dataclass(frozen=True)
class ChartPoint:
    """One drawn mark: where (day, height), what it says, and how it is drawn."""

    day: date
    y: float  # the number stated; 0 for a denial; the least a vague figure allows ("some": 1)
    label: str  # "3", "≥4", "none", "some", "denies": the category is the marker's shape
    marker: str
    denial: bool
    exact: bool  # a number was stated (filled mark), not a vague figure (hollow)


@dataclass(frozen=True)
class Series:
    """One claimant's marks, one colour and one legend entry."""

    claimant: str
    points: tuple[ChartPoint, ...]


def _label(p: TimelinePoint) -> str:
    """The figure as a number: "3", "≥7" (at least), "≤10" (up to, nearly), "~50" (about), "none",
    "denies"; a vague one as said ("some", "dozens")."""
    if p.figure == DENIES:
        return DENIES
    if p.value is None:
        return _short(p.figure.lower(), LABEL_MAX)
    if p.value == 0:
        return "none"
    number = f"{p.value:,.0f}"
    if p.low == p.high:
        return number
    return ("≥" if p.value == p.low else "≤" if p.value == p.high else "~") + number


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


Box = tuple[float, float, float, float]  # left, bottom, right, top, in pixels


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(marks: list[tuple[float, float, str]], area: Box) -> list[tuple[float, float]]:
    """Where each mark's label goes, as an offset in pixels from the mark to the label's lower left:
    the first of a few spots (right, left, above, below...) that covers no placed label, no mark and
    stays in ``area`` (the plot's box). ``marks`` are (x, y, label) in pixels."""
    taken: list[Box] = [(x - MARK_PX, y - MARK_PX, x + MARK_PX, y + MARK_PX) for x, y, _ in marks]
    offsets = []
    for x, y, label in marks:
        w, h = CHAR_PX * len(label), LINE_PX
        spots = [
            (GAP_PX, -h / 2),
            (-GAP_PX - w, -h / 2),
            (-w / 2, GAP_PX),
            (-w / 2, -GAP_PX - h),
            (GAP_PX, GAP_PX),
            (GAP_PX, -GAP_PX - h),
            (-GAP_PX - w, GAP_PX),
            (-GAP_PX - w, -GAP_PX - h),
            (-w / 2, GAP_PX + h),
            (-w / 2, -GAP_PX - 2 * h),
        ]
        boxes = [(x + dx, y + dy, x + dx + w, y + dy + h) for dx, dy in spots]
        free = [
            n
            for n, b in enumerate(boxes)
            if b[0] >= area[0]
            and b[1] >= area[1]
            and b[2] <= area[2]
            and b[3] <= area[3]
            and not any(_overlaps(b, t) for t in taken)
        ]
        n = free[0] if free else 0  # crowded everywhere: the first spot, overlapping
        taken.append(boxes[n])
        offsets.append(spots[n])
    return offsets


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
    ys = [p.y for s in series for p in s.points]
    first, last = min(days), max(days)

    # Axes first: where the labels fit depends on where the marks land.
    rows = len(series) if len(series) <= 3 else (len(series) + 1) // 2
    bottom = min(0.5, 0.2 + 0.05 * rows)
    fig.subplots_adjust(left=0.08, right=0.96, top=0.9, bottom=bottom)
    ax.set_xlim(first.toordinal() - 0.7, last.toordinal() + 0.7)
    if max(ys) > 100 and min((y for y in ys if y > 0), default=max(ys)) < max(ys) / 20:
        ax.set_yscale("symlog", linthresh=10)  # 3 killed beside a toll of 14,000: both readable
        ax.set_ylim(-0.5, max(ys) * 3)
    else:
        ax.set_ylim(-0.5, max(1.0, *ys) * 1.2 + 0.5)
    span = (last - first).days
    ticks = list(range(first.toordinal(), last.toordinal() + 1, max(1, -(-span // 6))))
    same_year = first.year == last.year
    ax.set_xticks(ticks, [date.fromordinal(t).strftime("%d %b" if same_year else "%d %b %Y") for t in ticks])
    if same_year:
        ax.set_xlabel(str(first.year), fontsize=14)
    ax.tick_params(labelsize=14)
    ax.set_ylabel("number claimed", fontsize=16)
    ax.grid(True, alpha=0.3)
    ax.set_title(_short(timeline.query, TITLE_MAX), fontsize=20, pad=12)

    # Claimants who speak of the same day stand side by side, not on top of each other.
    spread = min(0.7, 0.2 * (len(series) - 1))
    drawn: list[tuple[float, float, str, int]] = []
    for n, s in enumerate(series):
        colour = colours(n % COLOURS)
        offset = (n / (len(series) - 1) - 0.5) * spread if len(series) > 1 else 0.0
        for i, p in enumerate(s.points):
            x = p.day.toordinal() + offset
            ax.scatter(
                [x],
                [p.y],
                s=220 if p.denial else 150,
                marker=p.marker,
                color=colour if p.exact else "none",
                edgecolors="black" if p.denial else colour,
                linewidths=2,
                zorder=3,
                label=_short(s.claimant, NAME_MAX) if i == 0 else None,
            )
            if (x, p.y, p.label, n) not in drawn:  # "none killed" and "none wounded": one "none"
                drawn.append((x, p.y, p.label, n))
    pixels = [(*ax.transData.transform((x, y)), label) for x, y, label, _ in drawn]
    left, bottom_px, right, top = ax.get_window_extent().extents
    for (x, y, label, n), (dx, dy) in zip(
        drawn, place_labels(pixels, (left, bottom_px, right, top)), strict=True
    ):
        points_per_px = 72 / DPI
        ax.annotate(
            label,
            (x, y),
            xytext=(dx * points_per_px, dy * points_per_px),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=14,
            fontweight="bold",
            color=colours(n % COLOURS),
        )

    # Under the dates: the key to the marks, then the claimants (long names need the full width).
    fig.text(0.5, bottom - 0.12, KEY, ha="center", fontsize=12, color="dimgray")
    fig.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, bottom - 0.13),
        ncol=1 if len(series) <= 3 else 2,
        fontsize=14,
        frameon=False,
    )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()
