"""Ingest throughput, no-op re-ingest, rebuild from stored vectors, and answer latency by retrieval mode.

Run: ``.venv/bin/python benchmarks/ingest_and_latency.py [--limit N | --full] [--questions N]``

Corpus: the first N (default 400; ``--full``: all 1,257) Times of India articles of
``../shared/data/india_police_events`` by date, converted at run time into a temp JSONL file in the
ingester's schema and ingested into a temp data dir with the real all-MiniLM-L6-v2 on the CPU.

Printed, all measured in this one run:

* first ingest: seconds, articles/s, chunks/s, and the share of it spent inside ``embed`` (the
  engine is handed a wrapper that times every ``embed`` call, so it is the same chunk texts in
  the same batches);
* the same file ingested again (a no-op: everything is a duplicate), as a ratio to the first;
* ``engine.rebuild()`` (what ``sitrep rebuild`` runs) and the ``sitrep rebuild`` command itself
  (process start and model load included), as ratios to the first ingest: what storing vectors saves;
* answer latency p50/p95/max over ~40 questions (the 5 IndiaPoliceEvents questions plus article
  titles), for hybrid, vector-only and keyword-only retrieval, side by side, with ratios to hybrid.
  Each ask is cold: the engine's sentence-vector and sentence-split caches are emptied first, and the
  mode order rotates per question. A last row repeats each hybrid ask at once, with warm caches;
* peak RSS of the process.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import (
    MODES,
    ROOT,
    clear_answer_caches,
    data_or_skip,
    header,
    load_embedder,
    peak_rss_mib,
    percentile,
    ratio,
    read_jsonl,
    table,
    write_articles,
)

WARM = "hybrid, repeated"


def ipe_records(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """IndiaPoliceEvents articles in the ingester's schema, ordered by date then document id."""
    ordered = sorted(articles, key=lambda a: (a["date"], a["doc_id"]))
    return [
        {
            "id": a["id"],
            "title": a.get("title"),
            "text": a["text"],
            "outlet": a.get("outlet"),
            "url": a.get("url"),
            "published": a.get("date"),
        }
        for a in ordered
    ]


def latency_questions(records: list[dict[str, Any]], event_questions: list[str], n: int) -> list[str]:
    """The event questions, then article titles picked evenly across the ingested articles, n in all."""
    titles = [r["title"].strip() for r in records if (r.get("title") or "").strip()]
    want = max(0, n - len(event_questions))
    step = max(1, len(titles) // max(1, want))
    picked = titles[::step][:want]
    return (event_questions + picked)[:n]


async def run(limit: int | None, n_questions: int, k: int, skip_cli: bool) -> int:
    """Do the measurements and print them; returns the exit status."""
    base = data_or_skip("india_police_events")
    if base is None:
        return 0
    from index.engine import Engine
    from index.models import Answer

    header("ingest and answer latency (IndiaPoliceEvents, Times of India, March 2002)")
    records = ipe_records(read_jsonl(base / "articles.jsonl"))
    if limit is not None:
        records = records[:limit]
    event_questions = [q["question"] for q in read_jsonl(base / "questions.jsonl")]
    questions = latency_questions(records, event_questions, n_questions)

    embedder, load_s = load_embedder()
    print(f"model load + warm-up: {load_s:.1f} s")

    with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as tmp:
        corpus = Path(tmp) / "ipe.jsonl"
        data_dir = Path(tmp) / "data"
        n_written = write_articles(records, corpus)
        print(f"corpus: {n_written} articles ({records[0]['published']} … {records[-1]['published']})")
        print(
            f"questions: {len(event_questions)} event questions + {len(questions) - len(event_questions)} "
            f"article titles, e.g. {questions[0]!r}, {questions[-1]!r}"
        )

        engine = await Engine.open(data_dir, embedder=embedder)
        try:
            # -- first ingest ------------------------------------------------------------------------
            embedder.reset()
            started = time.perf_counter()
            report = await engine.ingest([str(corpus)])
            ingest_s = time.perf_counter() - started
            embed_s, embedded = embedder.seconds, embedder.texts
            if report.failed:
                print(f"ingest failures: {report.failed[:3]}")
                return 1
            print("\n-- ingest --")
            print(f"  {report.summary()}")
            table(
                [
                    ["measure", "value"],
                    ["seconds", f"{ingest_s:.1f}"],
                    ["articles/s", f"{report.added / ingest_s:.1f}"],
                    ["chunks/s", f"{report.chunks / ingest_s:.1f}"],
                    ["chunks per article", f"{report.chunks / max(1, report.added):.1f}"],
                    ["embed calls / texts", f"{embedder.calls} / {embedded}"],
                    ["embedding seconds", f"{embed_s:.1f}"],
                    ["embedding / total ingest", f"{embed_s / ingest_s:.1%}"],
                    ["everything else / total ingest", f"{1 - embed_s / ingest_s:.1%}"],
                ]
            )

            # -- no-op re-ingest ---------------------------------------------------------------------
            embedder.reset()
            started = time.perf_counter()
            again = await engine.ingest([str(corpus)])
            again_s = time.perf_counter() - started
            print("\n-- re-ingest of the same file (no-op) --")
            print(f"  {again.summary()}; texts embedded: {embedder.texts}")
            print(
                f"  re-ingest / first ingest: {ratio(again_s, ingest_s)} ({again_s:.2f} s vs {ingest_s:.1f} s)"
            )

            # -- rebuild -----------------------------------------------------------------------------
            embedder.reset()
            started = time.perf_counter()
            stats = await engine.rebuild()
            rebuild_s = time.perf_counter() - started
            print("\n-- rebuild from stored vectors --")
            print(
                f"  engine.rebuild(): {rebuild_s:.3f} s, {stats.index_vectors} vectors "
                f"({stats.index_type}, {stats.index_bytes / 2**20:.1f} MiB); texts embedded: {embedder.texts}"
            )
            print(f"  rebuild / first ingest: {ratio(rebuild_s, ingest_s)}")

            # -- answer latency ----------------------------------------------------------------------
            for mode in MODES:  # one-time costs (first FTS query, first search) stay out of the table
                await engine.ask(event_questions[0], k=k, retrieval=mode)
            lat: dict[str, list[float]] = {m: [] for m in (*MODES, WARM)}
            emb: dict[str, list[float]] = {m: [] for m in (*MODES, WARM)}
            texts: dict[str, list[int]] = {m: [] for m in (*MODES, WARM)}
            found: dict[str, int] = dict.fromkeys((*MODES, WARM), 0)
            for i, q in enumerate(questions):
                order = MODES[i % 3 :] + MODES[: i % 3]
                for mode in order:
                    clear_answer_caches(engine)
                    runs = [mode, WARM] if mode == "hybrid" else [mode]  # WARM: the same ask repeated
                    for label in runs:
                        embedder.reset()
                        started = time.perf_counter()
                        answer: Answer = await engine.ask(q, k=k, retrieval=mode)
                        lat[label].append(time.perf_counter() - started)
                        emb[label].append(embedder.seconds)
                        texts[label].append(embedder.texts)
                        found[label] += answer.found
        finally:
            await engine.close()

        print(f"\n-- answer latency, {len(questions)} questions, k={k}, seconds (cold caches) --")
        p50h, p95h = percentile(lat["hybrid"], 50), percentile(lat["hybrid"], 95)
        rows = [
            [
                "retrieval",
                "p50",
                "p95",
                "max",
                "p50 / hybrid",
                "p95 / hybrid",
                "texts embedded/ask",
                "embed share",
                "found",
            ]
        ]
        for label in (*MODES, WARM):
            values = lat[label]
            rows.append(
                [
                    label,
                    f"{percentile(values, 50):.3f}",
                    f"{percentile(values, 95):.3f}",
                    f"{max(values):.3f}",
                    ratio(percentile(values, 50), p50h),
                    ratio(percentile(values, 95), p95h),
                    f"{sum(texts[label]) / len(values):.0f}",
                    f"{sum(emb[label]) / sum(values):.0%}",
                    f"{found[label]}/{len(values)}",
                ]
            )
        table(rows)
        print("  (texts embedded/ask: the question plus candidate sentences not yet cached; embed share:")
        print("   time inside embed() / total answer time, over all of the row's asks)")

        if not skip_cli:
            started = time.perf_counter()
            proc = subprocess.run(
                [str(Path(sys.executable).parent / "sitrep"), "--data-dir", str(data_dir), "rebuild"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            cli_s = time.perf_counter() - started
            if proc.returncode != 0:
                print(f"sitrep rebuild failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
                return 1
            print("\n-- `sitrep rebuild` command (new process: start-up and model load included) --")
            print(f"  {cli_s:.1f} s; sitrep rebuild / first ingest: {ratio(cli_s, ingest_s)}")

    print(f"\npeak RSS: {peak_rss_mib():.0f} MiB")
    return 0


def main() -> int:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--limit", type=int, default=400, help="ingest the first N articles by date (400)")
    size.add_argument("--full", action="store_true", help="ingest all 1,257 articles")
    parser.add_argument("--questions", type=int, default=40, help="questions for the latency table (40)")
    parser.add_argument("-k", type=int, default=10, help="quotes per answer (10)")
    parser.add_argument("--skip-cli", action="store_true", help="don't time the `sitrep rebuild` command")
    args = parser.parse_args()
    return asyncio.run(run(None if args.full else args.limit, args.questions, args.k, args.skip_cli))


if __name__ == "__main__":
    sys.exit(main())
