"""``sitrep timeline QUERY``: each claimant's figures and denials by day, as a list, JSON or a PNG chart.

Exit status as ``sitrep ask``: 0 with claims, 2 when there is nothing to show (the archive has
nothing on it, nothing it has states a figure or a denial, or the query can't be searched: empty,
too long), in one line and with no chart written.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import textwrap

from index.answering.disagreement import describe
from index.answering.timeline import DENIES, Timeline, TimelinePoint, timeline
from index.engine import Engine

WIDTH = 100
INDENT = " " * 12


def _claim(p: TimelinePoint) -> str:
    return p.claim + (" — a denial" if p.denial and p.figure != DENIES else "")


def format_timeline(tl: Timeline) -> str:
    """A timeline as it reads in a terminal: day, claimant and figure, then the quote and its source."""
    if not tl.found:
        return f"No timeline: {tl.note or 'nothing found.'}"
    lines = [f"Timeline: {tl.query}", f"{len(tl.points)} claims"]
    for p in tl.points:
        doc = p.quote.document
        lines.append("")
        lines.append(f"{p.day.isoformat() if p.day else 'undated':<10}  {p.who}: {_claim(p)}")
        lines += textwrap.wrap(
            f"“{' '.join(p.quote.text.split())}”", WIDTH, initial_indent=INDENT, subsequent_indent=INDENT
        )
        source = [doc.outlet or "unknown outlet", doc.published.isoformat() if doc.published else "undated"]
        source += [f"“{doc.title}”"] if doc.title else []
        source += [doc.url] if doc.url else []
        lines.append(INDENT + " · ".join(source))
    if tl.disagreements:
        lines += ["", "Sources disagree:"] + [f"  ⚖ {describe(d)}" for d in tl.disagreements]
    return "\n".join(lines)


async def run_timeline(engine: Engine, args: argparse.Namespace) -> int:
    """Build the timeline of ``args.query``; print it (or its JSON) and draw ``args.png`` if asked."""
    tl = await timeline(engine, " ".join(args.query), since=args.since, until=args.until)
    if args.json:
        print(json.dumps(tl.to_dict(), ensure_ascii=False, indent=2))
    if not tl.found:
        if not args.json:
            print(format_timeline(tl) + (" No chart was drawn." if args.png else ""))
        return 2
    if args.png is not None:
        if not tl.drawable:
            print("sitrep timeline: no chart: none of the claims says which day it is about", file=sys.stderr)
            return 2
        from index.charts.timeline_png import render_png

        png = await asyncio.get_running_loop().run_in_executor(None, render_png, tl)
        args.png.write_bytes(png)
        print(f"chart: {args.png}", file=sys.stderr)  # stderr: with --json, standard output stays JSON
    if not args.json:
        print(format_timeline(tl))
    return 0
