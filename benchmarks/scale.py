"""Scale-out: PostgreSQL vs the embedded store (ingest, ask latency at 100k chunks), and 2 workers vs 1.

Run: ``.venv/bin/python benchmarks/scale.py [--smoke] [--size 100000] [--out FILE]`` (``make bench-scale``)

Every speed figure is a ratio of two things measured side by side in this run, printed with the
absolute numbers beside it and the machine's load average (the machine may be shared: the ratios are
what to read). The PostgreSQL is a pgserver build (PostgreSQL + pgvector 0.6) started by this script
in a temp dir, with its default settings except where stated. Sections (keys of the JSON written to
``benchmarks/results/scale-<date>.json``):

1. ``ingest`` (real): the same slice of IndiaPoliceEvents articles (the first ``--articles`` by date,
   converted at run time to the ingester's JSONL) ingested by the engine into an empty embedded store
   and into an empty Postgres database, one after the other, in this process, with the real model
   (torch, CPU): articles/s and chunks/s of each, ratio Postgres / embedded.
2. ``ask`` (replicated): the embedded store from section 1 is replicated to ``--size`` chunks with
   perf.py's ``replicate()`` (the real chunks copied under new ids, same text, vectors + Gaussian
   noise, cosine ≈ 0.96 to the original), then copied into a fresh Postgres database with
   ``index.storage.postgres.migration.migrate`` (what ``sitrep migrate --to`` runs). Both stores are open in this
   process; for each question (the 5 IndiaPoliceEvents questions + article titles) one cold ``ask``
   on each (caches emptied first), alternating which goes first: p50/p95/p99 and their ratio, and how
   often the two give the same top quote (same words; same article and offsets).
   ``index``: the FAISS index rebuilt from stored vectors when the embedded engine opens vs pgvector's
   HNSW ``CREATE INDEX`` (run here, with ``maintenance_work_mem`` = ``--hnsw-mem``; pgvector's
   defaults m=16, ef_construction=64) and their sizes on disk (``pg_relation_size``); migration time.
3. ``workers`` (real; needs ``index.jobs.queue`` / ``sitrep worker``): ``--job-files`` JSONL files of
   ``--per-file`` real articles (the articles after section 1's slice) enqueued as ingest jobs into an
   empty Postgres store, then drained by ``sitrep worker --once`` processes: one worker with torch
   limited to one thread (``OMP_NUM_THREADS=MKL_NUM_THREADS=1``), two such workers, and one worker with
   two threads. Wall time of the processes (model load included) and the drain time from the first
   job's start to the last job's end (from the jobs table), chunks/s over the drain, ratio 2-vs-1.

``--smoke`` (tests/benchmarks/test_scale_smoke.py, in CI) runs every section tiny (a ~2k-chunk store,
4 questions, 4 one-article jobs). Stores are built under ``--work`` (default /tmp/sitrep-scale); the
replicated embedded store is reused across runs, the Postgres databases are not.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import count
from pathlib import Path
from typing import Any

from _common import (
    DATA,
    ROOT,
    load_embedder,
    percentile,
    read_jsonl,
    result_header,
    run_in_work,
    timed_async,
    write_articles,
    write_result,
)
from ingest_and_latency import ipe_records, latency_questions
from perf import NOISE, cold_asks, progress, replicate

WORKER_CMD = (sys.executable, "-m", "index")  # `sitrep`, run by this interpreter
# (label, worker processes, torch threads each) for section 3; the first is the ratios' reference.
WORKER_RUNS = (("1 worker x 1 thread", 1, 1), ("2 workers x 1 thread", 2, 1), ("1 worker x 2 threads", 1, 2))


class Postgres:
    """A throwaway PostgreSQL (pgserver, in ``path``) that hands out fresh, empty databases."""

    def __init__(self, path: Path) -> None:
        """Start the server (its files live in ``path``, removed on ``close``)."""
        import pgserver

        self.server = pgserver.get_server(path, cleanup_mode="delete")
        self._names = count()

    def new_database(self, label: str) -> str:
        """A fresh database's postgresql:// URL."""
        name = f"scale_{label}_{next(self._names)}"
        self.server.psql(f"CREATE DATABASE {name};")
        return str(self.server.get_uri(database=name))

    def close(self) -> None:
        """Stop the server and delete its files."""
        self.server.cleanup()


async def _ingest_into(data_dir: Path, corpus: Path, embedder: Any, url: str | None) -> dict[str, Any]:
    from index.engine import Engine

    async with await Engine.open(data_dir, embedder=embedder, database_url=url) as engine:
        report, seconds = await timed_async(engine.ingest([str(corpus)]))
        chunks = (await engine.stats()).chunks
    return {
        "articles": report.added,
        "chunks": chunks,
        "seconds": seconds,
        "articles_per_s": report.added / seconds,
        "chunks_per_s": chunks / seconds,
    }


async def ingest_section(
    work: Path, records: list[dict[str, Any]], embedder: Any, pg: Postgres
) -> tuple[dict[str, Any], Path]:
    """The slice ingested into an empty embedded store, then into an empty Postgres database.

    Returns the numbers and the embedded store's data dir (the base that section 2 replicates).
    """
    base = work / f"base-{len(records)}"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    corpus = base / "slice.jsonl"
    write_articles(records, corpus)
    embedded = await _ingest_into(base / "data", corpus, embedder, None)
    postgres = await _ingest_into(base / "pg-ingest", corpus, embedder, pg.new_database("ingest"))
    corpus.unlink()
    if (embedded["articles"], embedded["chunks"]) != (postgres["articles"], postgres["chunks"]):
        raise SystemExit(f"the two stores differ after the same ingest: {embedded} vs {postgres}")
    return {
        "embedded": embedded,
        "postgres": postgres,
        "chunks_per_s_ratio": postgres["chunks_per_s"] / embedded["chunks_per_s"],
    }, base / "data"


# -- 2: ask latency and indexes on a replicated store ----------------------------------------------------


async def build_hnsw(url: str, dim: int, mem: str) -> tuple[float, int]:
    """``CREATE INDEX`` of the engine's HNSW index on the migrated chunks: (seconds, bytes on disk)."""
    import psycopg

    from index.storage.postgres.schema import hnsw_index_name, hnsw_index_sql

    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as db:
        await db.execute(f"SET maintenance_work_mem = '{mem}'")
        _, seconds = await timed_async(db.execute(hnsw_index_sql(dim)))
        cur = await db.execute("SELECT pg_relation_size(%s::regclass)", (hnsw_index_name(dim),))
        row = await cur.fetchone()
    assert row is not None
    return seconds, int(row[0])


def _top(answer: Any) -> tuple[str, str, int] | None:
    q = answer.quotes[0] if answer.quotes else None
    return (q.text, q.document.id, q.start) if q else None


async def ask_section(
    work: Path, base: Path, size: int, questions: list[str], embedder: Any, pg: Postgres, hnsw_mem: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fill the base's sentence vectors (as the bot does after an ingest), replicate, migrate, index; then
    one cold ask per question on each store, alternating first."""
    from index.engine import Engine
    from index.storage.postgres.migration import migrate

    async with await Engine.open(base, embedder=embedder) as engine:
        sentences = await engine.fill_sentence_vectors()  # 0 when a previous run filled them
    target = work / f"store-{base.parent.name}-{size}"
    if sentences:  # a replica kept from a run before holds none of them: make it again
        (target / "done").unlink(missing_ok=True)
    _, replicate_s = await timed_async(asyncio.to_thread(replicate, base, target, size))
    url = pg.new_database("ask")
    counts, migrate_s = await timed_async(migrate(target / "sitrep.db", url))
    if any(c.source != c.target for c in counts):
        raise SystemExit(f"migration lost rows: {counts}")
    hnsw_s, hnsw_bytes = await build_hnsw(url, embedder.dim, hnsw_mem)
    (target / "vectors.faiss").unlink(missing_ok=True)  # the embedded engine rebuilds it on open
    embedded, faiss_s = await timed_async(Engine.open(target, embedder=embedder))
    postgres = await Engine.open(work / "pg-ask", embedder=embedder, database_url=url)
    engines = {"embedded": embedded, "postgres": postgres}
    try:
        stats = {name: await e.stats() for name, e in engines.items()}
        for engine in engines.values():
            for q in questions[:3]:
                await engine.ask(q)  # warm: sentence splitter, pages, index
        seconds: dict[str, list[float]] = {name: [] for name in engines}
        answers: dict[str, list[Any]] = {name: [] for name in engines}
        for i, q in enumerate(questions):
            order = list(engines) if i % 2 == 0 else list(engines)[::-1]
            for name in order:
                seconds[name] += await cold_asks(engines[name], [q], answers=answers[name])
    finally:
        for engine in engines.values():
            await engine.close()
    tops = [(_top(a), _top(b)) for a, b in zip(answers["embedded"], answers["postgres"], strict=True)]
    latency: dict[str, Any] = {
        "chunks": stats["embedded"].chunks,
        "asks": len(questions),
        "replicate_s": replicate_s,
        "sentence_vectors": {c.table: c.target for c in counts}.get("sentence_vectors", 0),
        "same_top_quote_words": sum(1 for a, b in tops if (a and a[0]) == (b and b[0])) / len(tops),
        "same_top_quote_place": sum(1 for a, b in tops if a == b) / len(tops),
    }
    for name in engines:
        for p in (50, 95, 99):
            latency[f"{name}_p{p}_ms"] = 1000 * percentile(seconds[name], p)
    for p in (50, 95, 99):
        latency[f"p{p}_ratio"] = latency[f"postgres_p{p}_ms"] / latency[f"embedded_p{p}_ms"]
    index = {
        "chunks": stats["postgres"].chunks,
        "faiss_type": stats["embedded"].index_type,
        "faiss_rebuild_on_open_s": faiss_s,  # read vectors from SQLite + build + save
        "faiss_bytes": stats["embedded"].index_bytes,
        "migrate_s": migrate_s,
        "hnsw_build_s": hnsw_s,
        "hnsw_bytes": hnsw_bytes,
        "hnsw_maintenance_work_mem": hnsw_mem,
        "build_ratio": hnsw_s / faiss_s,
        "bytes_ratio": hnsw_bytes / stats["embedded"].index_bytes,
    }
    return latency, index


# -- 3: workers ------------------------------------------------------------------------------------------


async def workers_section(
    work: Path, records: list[dict[str, Any]], files: int, embedder: Any, pg: Postgres
) -> dict[str, Any]:
    """The same ingest jobs drained by 1 worker, 2 workers, and 1 worker with 2 threads."""
    if importlib.util.find_spec("index.jobs.queue") is None:
        return {"skipped": "index.jobs.queue is absent: this checkout has no job queue / sitrep worker"}
    jobs_dir = work / "jobs"
    shutil.rmtree(jobs_dir, ignore_errors=True)
    jobs_dir.mkdir(parents=True)
    per_file = len(records) // files
    paths = []
    for i in range(files):
        paths.append(jobs_dir / f"part-{i}.jsonl")
        write_articles(records[i * per_file : (i + 1) * per_file], paths[-1])
    runs = []
    for label, processes, threads in WORKER_RUNS:
        runs.append(await _drain(jobs_dir, paths, processes, threads, embedder, pg) | {"run": label})
        progress("workers", runs[-1])
    if len({r["chunks"] for r in runs}) != 1 or any(r["failed"] for r in runs):
        raise SystemExit(f"the worker runs did not all store the same chunks: {runs}")
    ref = runs[0]["chunks_per_s"]
    return {
        "jobs": files,
        "articles_per_job": per_file,
        "threads_set_by": "OMP_NUM_THREADS and MKL_NUM_THREADS in each worker's environment",
        "runs": runs,
        "two_vs_one_ratio": runs[1]["chunks_per_s"] / ref,
        "one_with_two_threads_vs_one_ratio": runs[2]["chunks_per_s"] / ref,
    }


async def _drain(
    jobs_dir: Path, paths: list[Path], processes: int, threads: int, embedder: Any, pg: Postgres
) -> dict[str, Any]:
    import psycopg

    from index.engine import Engine
    from index.jobs.queue import JobQueue

    url = pg.new_database("workers")
    # The schema (and the empty HNSW index) first, so the workers don't race to create it.
    async with await Engine.open(jobs_dir / "init", embedder=embedder, database_url=url):
        pass
    queue = await JobQueue.open(url)
    try:
        for path in paths:
            await queue.enqueue(scope="global", kind="ingest", payload={"locations": [str(path)]})
    finally:
        await queue.close()
    env = os.environ | {
        "SITREP_DATABASE_URL": url,
        "SITREP_QUEUE_URL": url,
        "SITREP_ENCODER_BACKEND": "torch",
        "OMP_NUM_THREADS": str(threads),
        "MKL_NUM_THREADS": str(threads),
    }
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [*WORKER_CMD, "--data-dir", str(jobs_dir / f"w{i}"), "worker", "--once", "--id", f"w{i}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(processes)
    ]
    errors = [p.communicate(timeout=3600)[1] for p in procs]
    wall = time.perf_counter() - started
    if any(p.returncode for p in procs):
        raise SystemExit("a worker failed:\n" + "\n".join(e[-2000:] for e in errors))
    async with await psycopg.AsyncConnection.connect(url) as db:
        cur = await db.execute(
            "SELECT EXTRACT(EPOCH FROM max(finished_at) - min(started_at)), count(*) FILTER (WHERE state = 'done'),"
            " count(*) FILTER (WHERE state <> 'done'), count(DISTINCT worker),"
            " (SELECT count(*) FROM chunks), (SELECT count(*) FROM articles) FROM jobs"
        )
        row = await cur.fetchone()
    assert row is not None
    drain, done, failed, used, chunks, articles = row
    return {
        "processes": processes,
        "threads_each": threads,
        "wall_s": wall,  # process start (imports, model load) to the last exit
        "drain_s": float(drain),  # first job started to last job finished
        "jobs_done": done,
        "failed": failed,
        "workers_that_ran_jobs": used,
        "articles": articles,
        "chunks": chunks,
        "chunks_per_s": chunks / float(drain),
    }


# -- run, table ------------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """All three sections; returns the JSON document."""
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    embedder, _ = load_embedder()
    records = ipe_records(read_jsonl(DATA / "india_police_events" / "articles.jsonl"))
    ipe_questions = [q["question"] for q in read_jsonl(DATA / "india_police_events" / "questions.jsonl")]
    questions = latency_questions(records[: args.articles], ipe_questions, args.questions)
    out: dict[str, Any] = {
        **result_header(
            smoke=args.smoke,
            size=args.size,
            articles=args.articles,
            questions=len(questions),
            job_files=args.job_files,
            per_file=args.per_file,
        ),
        "real": "ingest (section 1) and worker jobs (section 3): IndiaPoliceEvents articles, the real model",
        "replicated": f"section 2's store: the real chunks copied under new ids, vectors + N(0, {NOISE}^2), renormalised",
    }
    pg = Postgres(Path(tempfile.mkdtemp(prefix="sitrep-scale-pg-")))
    try:
        if {"ingest", "ask"} & args.sections:  # section 2 replicates the store section 1 ingests
            out["ingest"], base = await ingest_section(work, records[: args.articles], embedder, pg)
            progress("ingest", out["ingest"])
        if "ask" in args.sections:
            out["ask"], out["index"] = await ask_section(
                work, base, args.size, questions, embedder, pg, args.hnsw_mem
            )
            progress("ask", out["ask"])
            progress("index", out["index"])
        if "workers" in args.sections:
            jobs = records[args.articles : args.articles + args.job_files * args.per_file]
            out["workers"] = await workers_section(work, jobs, args.job_files, embedder, pg)
    finally:
        pg.close()
    out["machine"]["load_average_end"] = os.getloadavg()[0]
    return out


def print_table(r: dict[str, Any]) -> None:
    """The table: one row per measurement, ratio first, absolute numbers beside it."""
    rows = []
    if "ingest" in r:
        rows += _ingest_rows(r["ingest"])
    if "ask" in r:
        rows += _ask_rows(r["ask"], r["index"])
    if "workers" in r:
        rows += _worker_rows(r["workers"])
    widths = [max(len(row[c]) for row in rows) for c in range(3)]
    m = r["machine"]
    print(
        f"\n== scale-out ({r['date']}; {m['cores']} cores; load average {m['load_average']:.1f} → "
        f"{m['load_average_end']:.1f}, shared machine) =="
    )
    for row in rows:
        print("  " + "  ".join(c.ljust(n) for c, n in zip(row[:3], widths, strict=True)) + "  " + row[3])


Row = tuple[str, str, str, str]


def _ingest_rows(i: dict[str, Any]) -> list[Row]:
    e, p = i["embedded"], i["postgres"]
    return [
        (
            "1 ingest",
            f"{e['articles']} articles, Postgres / embedded chunks/s",
            f"{i['chunks_per_s_ratio']:.2f}x",
            f"{p['chunks_per_s']:.1f} vs {e['chunks_per_s']:.1f} chunks/s; "
            f"{p['articles_per_s']:.2f} vs {e['articles_per_s']:.2f} articles/s; {e['chunks']} chunks",
        )
    ]


def _ask_rows(a: dict[str, Any], x: dict[str, Any]) -> list[Row]:
    return [
        (
            "2 ask",
            f"{a['chunks']:,} chunks, Postgres / embedded p95",
            f"{a['p95_ratio']:.2f}x",
            f"p50/p95/p99 {a['postgres_p50_ms']:.0f}/{a['postgres_p95_ms']:.0f}/{a['postgres_p99_ms']:.0f} ms vs "
            f"{a['embedded_p50_ms']:.0f}/{a['embedded_p95_ms']:.0f}/{a['embedded_p99_ms']:.0f} ms over {a['asks']} asks; "
            f"same top quote {a['same_top_quote_words']:.0%} (words), {a['same_top_quote_place']:.0%} (article+offset)",
        ),
        (
            "2 index",
            f"{x['chunks']:,} chunks, HNSW / FAISS build",
            f"{x['build_ratio']:.2f}x",
            f"HNSW CREATE INDEX {x['hnsw_build_s']:.1f} s, {x['hnsw_bytes'] / 2**20:.0f} MiB vs "
            f"{x['faiss_type'].split('(')[0]} rebuild on open {x['faiss_rebuild_on_open_s']:.1f} s, "
            f"{x['faiss_bytes'] / 2**20:.0f} MiB; migrate {x['migrate_s']:.1f} s",
        ),
    ]


def _worker_rows(w: dict[str, Any]) -> list[Row]:
    if "runs" not in w:
        return [("3 workers", "skipped", "-", w["skipped"])]
    one, two, wide = w["runs"]
    return [
        (
            "3 workers",
            f"{w['jobs']} jobs x {w['articles_per_job']} articles, 2 / 1 workers chunks/s",
            f"{w['two_vs_one_ratio']:.2f}x",
            f"drain {two['drain_s']:.1f} s vs {one['drain_s']:.1f} s ({two['chunks_per_s']:.1f} vs "
            f"{one['chunks_per_s']:.1f} chunks/s; wall {two['wall_s']:.1f} vs {one['wall_s']:.1f} s); "
            f"1 worker x 2 threads {wide['chunks_per_s']:.1f} chunks/s ({w['one_with_two_threads_vs_one_ratio']:.2f}x)",
        )
    ]


def main() -> int:
    """Parse flags, run, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI (~2 min)")
    parser.add_argument("--size", type=int, help="chunks in section 2's replicated store (100000)")
    parser.add_argument("--articles", type=int, help="IndiaPoliceEvents articles ingested in section 1 (200)")
    parser.add_argument("--questions", type=int, help="asks per store in section 2 (60)")
    parser.add_argument("--job-files", type=int, help="ingest jobs in section 3 (8)")
    parser.add_argument("--per-file", type=int, help="articles per job file (20)")
    parser.add_argument("--hnsw-mem", default="512MB", help="maintenance_work_mem for the HNSW build")
    parser.add_argument(
        "--sections",
        default="ingest,ask,workers",
        help="a subset of: ingest,ask,workers (ask runs ingest too)",
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitrep-scale"), help="where stores are built")
    parser.add_argument("--out", type=Path, help="JSON path (default benchmarks/results/scale-<date>.json)")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: ../shared/data is absent ({DATA} not found)")
        return 0
    args.sections = set(args.sections.split(","))
    if args.sections - {"ingest", "ask", "workers"}:
        parser.error(f"unknown sections: {args.sections}")
    args.size = args.size or (2_000 if args.smoke else 100_000)
    args.articles = args.articles or (8 if args.smoke else 200)
    args.questions = args.questions or (4 if args.smoke else 60)
    args.job_files = args.job_files or (4 if args.smoke else 8)
    args.per_file = args.per_file or (1 if args.smoke else 20)
    result = run_in_work(run, args, Path("/tmp/sitrep-scale"), "scale")
    print_table(result)
    return write_result(result, "scale", args.out)


if __name__ == "__main__":
    sys.exit(main())
