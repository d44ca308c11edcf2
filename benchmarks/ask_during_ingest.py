"""Questions answered during an ingest, in the bot's own process: p95 idle and during, before and now.

Run: ``.venv/bin/python benchmarks/ask_during_ingest.py [--articles N] [--rounds R]``

One process per configuration and round (alternating), each on a fresh copy of the same store (the
sample corpus and 200 realtimeqa conflict articles, ../shared/data, with sentence vectors), opened as
the bot opens it (``Engine.open``, the model loaded, sentence vectors on):

1. 12 questions about the sample corpus asked one after another on an idle engine, caches cleared
   before each (cold asks), twice through;
2. the same questions asked round and round while ``Engine.ingest`` stores ``--articles`` more
   realtimeqa articles (and until it ends), caches cleared before each.

Configurations:
- **before**: the ingest in the bot's process, numpy's and FAISS's BLAS on their default threads (one
  per core): sitrep at 53ff2e0;
- **one-blas**: the ingest still in the bot's process (``SITREP_INGEST_PROCESS=false``), BLAS on one
  thread as the bot now sets it (``index.threads.one_blas_thread``);
- **child**: one BLAS thread, and the ingest in the bot's ingest process (``index.jobs.child``, nice 10:
  the default ``ProcessRunner``), started before the idle questions as a running bot has it.

Prints each configuration's idle and during-ingest p95 and their ratio (the target: ≤ 2x), and the
ingest's own time (so a faster answer is not paid for by a slower ingest).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    clear_answer_caches,
    data_or_skip,
    header,
    percentile,
    ratio,
    read_jsonl,
    table,
    write_articles,
)

QUESTIONS = [
    "who reported casualties in Pellin on March 12?",
    "What did the Zeltran Eastern Command say about Pellin?",
    "Was the Tolvik hospital struck?",
    "Who denied shelling the Tolvik market?",
    "How many civilians were killed in Ozerin?",
    "What did the monitors say about the Drusk fuel depot?",
    "What happened at the Marska weir?",
    "Who said the river crossing at Pellin was repelled?",
    "What did the Orvenian Defence Ministry say on March 20?",
    "What did the Civilian Harm Observatory report?",
    "Were talks held in Lisenne?",
    "What did Northline Wire report about Ozerin?",
]
BASE = 200
MODES = ("before", "one-blas", "child")


async def _asks(engine: object, questions: list[str], until: asyncio.Task[object] | None) -> list[float]:
    from index.engine import Engine

    assert isinstance(engine, Engine)
    seconds: list[float] = []
    n = 0
    while True:
        if until is None and n >= len(questions):
            break
        if until is not None and until.done() and n >= len(questions) // 2:
            break
        clear_answer_caches(engine)
        started = time.perf_counter()
        await engine.ask(questions[n % len(questions)])
        seconds.append(time.perf_counter() - started)
        n += 1
    return seconds


async def _one(mode: str, data: Path, extra: Path) -> dict[str, float]:
    from index.engine import Engine
    from index.jobs.child import IngestProcess
    from index.jobs.wire import report_of
    from index.models import GLOBAL_SCOPE, IngestReport

    engine = await Engine.open(data, sentence_vectors=True)
    process = IngestProcess({"data_dir": data, "sentence_vectors": True})
    try:
        if engine.sentences.filling is not None:
            await engine.sentences.filling
        if mode == "child":  # a running bot's ingest process is up: its start is not measured
            await process.run("refresh_feeds", scope=GLOBAL_SCOPE, payload={"all_scopes": True})
        for q in QUESTIONS[:3]:  # warm-up, not timed
            await engine.ask(q)
        idle = await _asks(engine, QUESTIONS * 2, None)
        started = time.perf_counter()
        work = (
            process.run("ingest", scope=GLOBAL_SCOPE, payload={"locations": [str(extra)]})
            if mode == "child"
            else engine.ingest([str(extra)])
        )
        ingest = asyncio.create_task(work)
        during = await _asks(engine, QUESTIONS, ingest)
        done = await ingest
        report = done if isinstance(done, IngestReport) else report_of(done)
        ingest_s = time.perf_counter() - started
    finally:
        await process.close()
        await engine.close()
    return {
        "idle_p95": percentile(idle, 95),
        "during_p95": percentile(during, 95),
        "asks_during": len(during),
        "ingest_s": ingest_s,
        "added": report.added,
    }


def _child(mode: str, data: Path, extra: Path) -> None:
    if mode != "before":
        from index.threads import one_blas_thread

        one_blas_thread()
    print(json.dumps(asyncio.run(_one(mode, data, extra))))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=60, help="articles ingested while questions run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return 0
    source = data_or_skip("realtimeqa")
    if source is None:
        return 0
    header(f"questions during an ingest of {args.articles} articles (bot process, embedded store)")
    docs = sorted(read_jsonl(source / "docs_conflict_subset.jsonl"), key=lambda d: d.get("date") or "")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
    with tempfile.TemporaryDirectory(prefix="sitrep-during-") as tmp:
        root = Path(tmp)
        template = root / "template"
        write_articles(docs[:BASE], root / "base.jsonl")
        write_articles(docs[BASE : BASE + args.articles], root / "extra.jsonl")
        started = time.perf_counter()
        here = Path(__file__).resolve().parents[1]
        subprocess.run(
            [sys.executable, "-m", "index.cli.firstrun", "--data-dir", str(template)],
            cwd=here, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        subprocess.run(
            [sys.executable, "-m", "index", "--data-dir", str(template), "ingest", "--no-progress", str(root / "base.jsonl")],
            cwd=here, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        print(f"store built in {time.perf_counter() - started:.0f} s (sample corpus + {BASE} articles)")
        results: dict[str, list[dict[str, float]]] = {m: [] for m in args.modes}
        for r in range(args.rounds):
            for mode in args.modes if r % 2 == 0 else args.modes[::-1]:
                data = root / f"{mode}-{r}"
                shutil.copytree(template, data)
                done = subprocess.run(
                    [sys.executable, __file__, "--child", mode, str(data), str(root / "extra.jsonl")],
                    cwd=here, env=env, check=True, capture_output=True, text=True,
                )  # fmt: skip
                results[mode].append(json.loads(done.stdout.strip().splitlines()[-1]))
                shutil.rmtree(data)
    rows = [["configuration", "idle p95 ms", "during p95 ms", "during / idle", "asks during", "ingest s"]]
    for mode, runs in results.items():
        for n, res in enumerate(runs, start=1):
            rows.append(
                [
                    f"{mode} (round {n})",
                    f"{1000 * res['idle_p95']:.0f}",
                    f"{1000 * res['during_p95']:.0f}",
                    ratio(res["during_p95"], res["idle_p95"]),
                    f"{res['asks_during']:.0f}",
                    f"{res['ingest_s']:.1f}",
                ]
            )
    table(rows)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
