"""The cost of matching 1,000 watches per ingested article, beside the ingest's own cost per article.

Run: ``.venv/bin/python benchmarks/watches.py [--base N] [--new N] [--watches N] [--naive N]``

An embedded store gets ``--base`` real articles (realtimeqa's conflict subset, ../shared/data, in date
order) with the real model; ``--watches`` watches are added, their questions the news-quiz questions of
the same data (real topics and names, most of them about other events than the new articles); then
``--new`` more articles are ingested (timed: the whole ``Engine.ingest``) and the watches checked
against them (timed: ``WatchMatcher.check``, the poller's work per poll, the first look included).
The baseline asks every watch's question of the new articles without the first look (``--naive``
watches of them, timed and scaled to all). Printed per ingested article, side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from _common import data_or_skip, header, load_embedder, ratio, read_jsonl, table, write_articles

from index.engine import Engine
from index.models import Watch
from index.watching.matching import WatchMatcher


async def run(args: argparse.Namespace) -> None:
    data = data_or_skip("realtimeqa")
    if data is None:
        return
    docs = sorted(read_jsonl(data / "docs_conflict_subset.jsonl"), key=lambda d: d.get("date") or "")
    questions = [q["question"] for q in read_jsonl(data / "questions.jsonl")][: args.watches]
    base, new = docs[: args.base], docs[args.base : args.base + args.new]
    embedder, load_s = load_embedder()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        engine = await Engine.open(root / "data", embedder=embedder)
        try:
            write_articles(base, root / "base.jsonl")
            write_articles(new, root / "new.jsonl")
            await engine.ingest([str(root / "base.jsonl")])
            newest = await engine.store.search.newest_rowid()

            async def add(queries: list[str]) -> list[Watch]:
                return [
                    await engine.store.watches.add_watch(
                        "global", "1", q, outlet=None, exclude_label=None, created_by=None, after_rowid=newest
                    )
                    for q in queries
                ]

            watches = await add(questions)
            sample = await add(questions[: args.naive])  # the baseline's own copies: marks apart
            started = time.perf_counter()
            report = await engine.ingest([str(root / "new.jsonl")])
            ingest_s = time.perf_counter() - started
            matcher = WatchMatcher(engine)
            started = time.perf_counter()
            alerts = await matcher.check(watches)
            check_s = time.perf_counter() - started
            started = time.perf_counter()
            naive_alerts = await WatchMatcher(engine, first_look=False).check(sample)
            naive_s = (time.perf_counter() - started) * len(watches) / max(1, len(sample))
        finally:
            await engine.close()
    added = max(1, report.added)
    header(
        f"Watches: {len(watches)} watches, {report.added} new articles ({report.chunks} chunks) over {len(base)}"
    )
    print(f"model load {load_s:.1f} s (not counted)")
    table(
        [
            ["", "seconds", "ms per new article", "of ingest"],
            ["ingest (Engine.ingest)", f"{ingest_s:.1f}", f"{ingest_s / added * 1000:.0f}", "1.00x"],
            [
                "watch check, first look",
                f"{check_s:.1f}",
                f"{check_s / added * 1000:.0f}",
                ratio(check_s, ingest_s),
            ],
            [
                f"every question asked (scaled from {len(sample)})",
                f"{naive_s:.1f}",
                f"{naive_s / added * 1000:.0f}",
                ratio(naive_s, ingest_s),
            ],
        ]
    )
    print(
        f"alerts: {len(alerts)} of {len(watches)} watches;"
        f" asked without the first look: {len(naive_alerts)} of {len(sample)}"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--base", type=int, default=200)
    p.add_argument("--new", type=int, default=50)
    p.add_argument("--watches", type=int, default=1000)
    p.add_argument("--naive", type=int, default=50)
    asyncio.run(run(p.parse_args()))


if __name__ == "__main__":
    main()
