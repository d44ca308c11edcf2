"""The cost of matching 1,000 watches per ingested article, beside the ingest's own cost per article,
and what the watches post.

Run: ``.venv/bin/python benchmarks/watches.py [--base N] [--new N] [--naive N]``

An embedded store gets ``--base`` real articles (realtimeqa's conflict subset, ../shared/data, in date
order) with the real model. 1,000 watches are added: 28 topics an OSINT server would watch (places,
belligerents, weapons: ``TOPICS``) and 972 of the news-quiz questions of the same data (real topics and
names, most of them about other events than the new articles). Then ``--new`` more articles arrive in
two polls' worth: each half is ingested (timed: ``Engine.ingest`` and its sentence vectors, the whole
ingest's work) and the watches checked against it (timed: ``WatchMatcher.check``, a poll's work). The
first check also reads every watch's question once (cached for the process's life); the second is a
steady poll's cost.

The baseline is the matcher without its first and last looks: every watch's question asked of the
new articles, and every quote it gets posted (``--naive`` watches of the same mix, timed and scaled
to 1,000). The alerts each posts are listed, to be read.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from _common import (
    clear_answer_caches,
    data_or_skip,
    header,
    load_embedder,
    ratio,
    read_jsonl,
    table,
    write_articles,
)

from index.engine import Engine
from index.models import Watch
from index.watching.matching import Alert, WatchMatcher

TOPICS = [
    "casualties in Kharkiv",
    "Russian strikes on Kyiv",
    "shelling of the Zaporizhzhia nuclear plant",
    "Wagner",
    "Bakhmut",
    "Ukrainian grain exports",
    "prisoner exchange between Russia and Ukraine",
    "civilians killed in Mariupol",
    "drone attacks on Moscow",
    "Crimea bridge",
    "Belarus troops",
    "NATO membership for Finland",
    "sanctions on Russian oil",
    "Zelensky",
    "Putin",
    "Kherson counteroffensive",
    "air strikes in Gaza",
    "Hamas hostages",
    "Taliban",
    "North Korea missile launch",
    "casualties in Tovuz",
    "Syrian army offensive in Idlib",
    "Houthi attacks in the Red Sea",
    "Iran drones",
    "Nagorno-Karabakh",
    "Sudan fighting in Khartoum",
    "earthquake in Turkey",
    "refugees in Poland",
]
WATCHES = 1000


async def run(args: argparse.Namespace) -> None:
    data = data_or_skip("realtimeqa")
    if data is None:
        return
    docs = sorted(read_jsonl(data / "docs_conflict_subset.jsonl"), key=lambda d: d.get("date") or "")
    questions = (
        TOPICS + [q["question"] for q in read_jsonl(data / "questions.jsonl")][: WATCHES - len(TOPICS)]
    )
    base, new = docs[: args.base], docs[args.base : args.base + args.new]
    halves = [new[: len(new) // 2], new[len(new) // 2 :]]
    embedder, load_s = load_embedder()
    rows, posted = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        engine = await Engine.open(root / "data", embedder=embedder)
        try:
            write_articles(base, root / "base.jsonl")
            await engine.ingest([str(root / "base.jsonl")])
            await engine.fill_sentence_vectors()
            newest = await engine.store.search.newest_rowid()

            async def add(queries: list[str]) -> list[Watch]:
                return [
                    await engine.store.watches.add_watch(
                        "global", "1", q, outlet=None, exclude_label=None, created_by=None, after_rowid=newest
                    )
                    for q in queries
                ]

            watches = await add(questions)
            step = max(1, WATCHES // args.naive)
            sample = await add(questions[::step][: args.naive])  # the baseline's own copies: marks apart
            matcher, naive = WatchMatcher(engine), WatchMatcher(engine, looks=False)
            for n, half in enumerate(halves, start=1):
                write_articles(half, root / f"new{n}.jsonl")
                started = time.perf_counter()
                report = await engine.ingest([str(root / f"new{n}.jsonl")])
                await engine.fill_sentence_vectors()
                ingest_s = time.perf_counter() - started
                clear_answer_caches(engine)
                started = time.perf_counter()
                naive_alerts = await naive.check(await _current(engine, sample))
                naive_s = (time.perf_counter() - started) * WATCHES / len(sample)
                clear_answer_caches(engine)
                asked_before = matcher.asked
                started = time.perf_counter()
                alerts = await matcher.check(await _current(engine, watches))
                check_s = time.perf_counter() - started
                for alert in alerts:
                    await matcher.done(alert, posted=True)
                posted[n] = alerts
                rows.append(
                    (
                        n,
                        report.added,
                        ingest_s,
                        check_s,
                        matcher.asked - asked_before,
                        len(alerts),
                        naive_s,
                        len(naive_alerts),
                    )
                )
        finally:
            await engine.close()
    header(
        f"Watches: {WATCHES} watches ({len(TOPICS)} topics, the rest news-quiz questions) over {len(base)} articles"
    )
    print(
        f"model load {load_s:.1f} s (not counted); baseline: {args.naive} watches of the same mix, scaled to {WATCHES}"
    )
    table(
        [
            [
                "poll",
                "new articles",
                "ingest ms/article",
                "check ms/article",
                "of ingest",
                "asked",
                "alerts",
                "baseline ms/article",
                "of ingest",
                "baseline alerts (scaled)",
            ],
            *[
                [
                    f"{n}" + (" (reads the watches)" if n == 1 else ""),
                    str(added),
                    f"{ingest_s / max(1, added) * 1000:.0f}",
                    f"{check_s / max(1, added) * 1000:.0f}",
                    ratio(check_s, ingest_s),
                    str(asked),
                    str(n_alerts),
                    f"{naive_s / max(1, added) * 1000:.0f}",
                    ratio(naive_s, ingest_s),
                    f"{n_naive * WATCHES / args.naive:.0f}",
                ]
                for n, added, ingest_s, check_s, asked, n_alerts, naive_s, n_naive in rows
            ],
        ]
    )
    for n, alerts in posted.items():
        print(f"\nposted after poll {n}:")
        for alert in alerts:
            _show(alert)


async def _current(engine: Engine, watches: list[Watch]) -> list[Watch]:
    """These watches as stored now (their marks moved by the last check)."""
    ids = {w.id for w in watches}
    return [w for w in await engine.store.watches.watches() if w.id in ids]


def _show(alert: Alert) -> None:
    print(f"  #{alert.watch.id} {alert.watch.query[:100]!r}: {alert.articles} article(s)")
    for q in alert.answer.quotes[:2]:
        print(f"      {q.speaker or '-'} | {q.document.outlet} | {' '.join(q.text.split())[:140]}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--base", type=int, default=200)
    p.add_argument("--new", type=int, default=50)
    p.add_argument("--naive", type=int, default=50)
    asyncio.run(run(p.parse_args()))


if __name__ == "__main__":
    main()
