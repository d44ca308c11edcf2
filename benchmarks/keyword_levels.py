"""What the bounded keyword ranking of a large archive keeps of the exact one, and what it costs.

Run: ``.venv/bin/python benchmarks/keyword_levels.py [--sizes 100000,1000000] [--questions 60]``
(after ``benchmarks/perf.py`` has built its replicated stores under ``--work``).

On an archive of ``PRUNED_FROM`` chunks or more, ``index/storage/sqlite/keyword.py`` ranks by levels
of the question's words, each level scoring a bounded number of its newest matches. For each
question of perf.py's latency set, in one process on the same store, this prints side by side:

- **keyword recall@10**: of the distinct chunk texts in the exact ranking's top 10 (every chunk
  matching any word, BM25, then filtered), the share the bounded top 10 holds. Replicated stores
  hold ~1,150 copies of each real chunk with equal scores, so texts are compared, not ids;
- **same top quote**: the whole ``ask`` with the bounded ranking against the same engine with the
  exact one (``PRUNED_FROM`` raised past the archive), by the first quote's text and speaker, and
  the share of quotes the two answers share;
- the keyword search's time both ways (p50 / p95), and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from _common import (
    DATA,
    clear_answer_caches,
    header,
    load_embedder,
    percentile,
    read_jsonl,
    result_header,
    table,
    timed_async,
    write_result,
)
from ingest_and_latency import ipe_records, latency_questions

K = 10


async def measure(store: Path, questions: list[str], embedder: Any) -> dict[str, Any]:
    """Bounded vs exact keyword ranking and answers on one replicated store."""
    from index.engine import Engine
    from index.storage.sqlite import keyword

    bounded_from = keyword.PRUNED_FROM
    recalls, same_top, shared, times = [], [], [], {"bounded": [], "exact": []}
    async with await Engine.open(store, embedder=embedder) as engine:
        search = engine.store.search
        texts: dict[int, str] = {}

        async def text_of(ids: list[int]) -> list[str]:
            missing = [i for i in ids if i not in texts]
            if missing:
                rows = await engine.store.db.rows(
                    f"SELECT id, text FROM chunks WHERE id IN ({','.join('?' * len(missing))})", missing
                )
                texts.update({r[0]: r[1] for r in rows})
            return [texts[i] for i in ids]

        for q in questions[:3]:
            await engine.ask(q)  # warm: the filter columns, SQLite pages, FAISS
        for q in questions:
            plan = await engine.retriever.plan(q, scopes=("global",))
            if plan.query is None or plan.filter is None or plan.refusal:
                continue
            answers = {}
            for way, pruned_from in (("bounded", bounded_from), ("exact", 1 << 62)):
                keyword.PRUNED_FROM = pruned_from
                try:
                    hits, seconds = await timed_async(search.keyword(plan.query.terms, plan.filter, 40))
                    times[way].append(seconds)
                    clear_answer_caches(engine)
                    answers[way] = (await text_of(hits[:K]), await engine.ask(q))
                finally:
                    keyword.PRUNED_FROM = bounded_from
            (bounded_texts, bounded), (exact_texts, exact) = answers["bounded"], answers["exact"]
            if exact_texts:
                wanted = set(exact_texts)
                recalls.append(len(wanted & set(bounded_texts)) / len(wanted))
            if exact.quotes or bounded.quotes:
                top = [
                    (a.quotes[0].text, a.quotes[0].speaker) if a.quotes else None for a in (bounded, exact)
                ]
                same_top.append(top[0] == top[1])
                b, e = {x.text for x in bounded.quotes}, {x.text for x in exact.quotes}
                shared.append(len(b & e) / max(len(b | e), 1))
    return {
        "store": store.name,
        "chunks": _chunks(store),
        "questions": len(times["exact"]),
        "keyword_recall_at_10": sum(recalls) / max(len(recalls), 1),
        "same_top_quote": sum(same_top) / max(len(same_top), 1),
        "quotes_shared": sum(shared) / max(len(shared), 1),
        "answers_compared": len(same_top),
        **{f"{way}_p50_ms": 1000 * percentile(v, 50) for way, v in times.items()},
        **{f"{way}_p95_ms": 1000 * percentile(v, 95) for way, v in times.items()},
    }


def _chunks(store: Path) -> int:
    with closing(sqlite3.connect(store / "sitrep.db")) as db:
        return int(db.execute("SELECT MAX(id) FROM chunks").fetchone()[0])


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every size's measurement; returns the JSON document."""
    embedder, _ = load_embedder()
    records = ipe_records(read_jsonl(DATA / "india_police_events" / "articles.jsonl"))
    ipe_questions = [q["question"] for q in read_jsonl(DATA / "india_police_events" / "questions.jsonl")]
    questions = latency_questions(records[: args.articles], ipe_questions, args.questions)
    out: dict[str, Any] = {**result_header(sizes=args.sizes, questions=args.questions), "sizes": []}
    for size in args.sizes:
        store = args.work / f"store-{args.articles}-{size}"
        if not (store / "done").exists():
            raise SystemExit(f"{store} is not built: run benchmarks/perf.py --sizes {size} first")
        out["sizes"].append(await measure(store, questions, embedder))
        print(out["sizes"][-1], flush=True)
    out["machine"]["load_average_end"] = os.getloadavg()[0]
    return out


def main() -> int:
    """Parse arguments, measure, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated chunk counts")
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--articles", type=int, default=200, help="the base store's articles (perf.py's)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitrep-bench"), help="perf.py's stores")
    parser.add_argument("--out", type=Path, help="JSON path (default benchmarks/results/keyword-<date>.json)")
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    result = asyncio.run(run(args))
    header("bounded vs exact keyword ranking (replicated IndiaPoliceEvents stores)")
    table(
        [
            [
                "chunks",
                "keyword recall@10",
                "same top quote",
                "quotes shared",
                "keyword p50/p95 bounded",
                "exact",
                "p95 ratio",
            ],
            *[
                [
                    f"{r['chunks']:,}",
                    f"{r['keyword_recall_at_10']:.3f}",
                    f"{r['same_top_quote']:.1%} of {r['answers_compared']}",
                    f"{r['quotes_shared']:.1%}",
                    f"{r['bounded_p50_ms']:.0f} / {r['bounded_p95_ms']:.0f} ms",
                    f"{r['exact_p50_ms']:.0f} / {r['exact_p95_ms']:.0f} ms",
                    f"{r['bounded_p95_ms'] / r['exact_p95_ms']:.2f}x",
                ]
                for r in result["sizes"]
            ],
        ]
    )
    return write_result(result, "keyword", args.out)


if __name__ == "__main__":
    raise SystemExit(main())
