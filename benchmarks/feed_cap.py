"""Reading a 55,000-entry feed: parse it all then keep 500 (before) vs cut it at 500 then parse (after).

Run: ``.venv/bin/python benchmarks/feed_cap.py [--entries N] [--cap N] [--repeat N]``

The feed is synthetic (RSS 2.0, 3.8 MB for 55,000 short entries, the size of the hardening report's
feed), built in memory; no data directory is needed. It is read twice over: well-formed, and with a
bare "&" in every link, which makes feedparser fall back from expat to its slower loose parser. Both
approaches run in this process on the same bytes and must yield the same first entries. Time is the best of ``--repeat`` runs without
tracing; peak memory is a separate, traced run of each (``tracemalloc``: Python allocations,
expat's included, as Python's allocator serves them).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable

from _common import header, ratio, table

from index.ingest.feed_cap import cap_feed
from index.ingest.readers import FeedEntry, read_feed

Reader = Callable[[bytes, int], list[FeedEntry]]


def build_feed(entries: int, *, malformed: bool = False) -> bytes:
    """An RSS 2.0 document with ``entries`` items, each a title and a link (``malformed``: a bare "&")."""
    amp = "&" if malformed else ""
    items = "".join(
        f"<item><title>#{n}</title><link>https://n.example/{n}{amp}</link></item>" for n in range(entries)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


def parse_then_keep(data: bytes, cap: int) -> list[FeedEntry]:
    """Before: feedparser builds every entry, then all but ``cap`` are dropped."""
    return read_feed(data, "feed.xml")[1][:cap]


def cut_then_parse(data: bytes, cap: int) -> list[FeedEntry]:
    """After: the document is cut after its ``cap``-th entry, then parsed."""
    return read_feed(cap_feed(data, cap).data, "feed.xml")[1]


def best_time(read: Reader, data: bytes, cap: int, repeat: int) -> float:
    """The fastest of ``repeat`` untraced runs, in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        read(data, cap)
        times.append(time.perf_counter() - started)
    return min(times)


def peak_bytes(read: Reader, data: bytes, cap: int) -> int:
    """Peak traced allocation during one run, above what was allocated before it."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        read(data, cap)
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def main() -> int:
    """Measure both approaches side by side and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=55_000)
    parser.add_argument("--cap", type=int, default=500, help="entries kept (the per-poll cap)")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs of each; the best counts")
    args = parser.parse_args()

    header("Feed cap: parse all then keep N vs cut at N then parse")
    mib = 1024 * 1024
    rows = [("feed", "measure", "before (parse all)", "after (cut first)", "before / after")]
    for shape in ("well-formed", "malformed"):
        data = build_feed(args.entries, malformed=shape == "malformed")
        print(
            f"{shape} feed: {args.entries:,} entries, {len(data) / 1e6:.2f} MB; cap {args.cap:,}", flush=True
        )
        before, after = parse_then_keep(data, args.cap), cut_then_parse(data, args.cap)
        assert before == after, "the two approaches disagree"
        print(f"  both read the same {len(after):,} entries ({after[0].title!r} to {after[-1].title!r})")
        t_after = best_time(cut_then_parse, data, args.cap, args.repeat)
        t_before = best_time(parse_then_keep, data, args.cap, args.repeat)
        m_after = peak_bytes(cut_then_parse, data, args.cap)
        m_before = peak_bytes(parse_then_keep, data, args.cap)
        rows.append((shape, "time", f"{t_before:.2f} s", f"{t_after:.3f} s", ratio(t_before, t_after)))
        rows.append(
            (
                shape,
                "peak memory",
                f"{m_before / mib:.1f} MiB",
                f"{m_after / mib:.1f} MiB",
                ratio(m_before, m_after),
            )
        )
    table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
