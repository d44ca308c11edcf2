"""Helpers shared by the benchmark scripts: data location, temp corpora, timing, summaries.

Nothing here copies shared data into the repository: corpora are converted at run time into temp
JSONL files in the schema ``sitrep ingest`` reads, and deleted with their temp directory.
"""

from __future__ import annotations

import asyncio
import json
import math
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from index.embedding.base import Embedder
    from index.engine import Engine, Retrieval

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
MODES: tuple[Retrieval, ...] = ("hybrid", "vector", "keyword")

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index.evaluation.data import read_jsonl, write_articles  # noqa: E402  (after the path fix)

__all__ = ["read_jsonl", "write_articles"]


def data_or_skip(*parts: str) -> Path | None:
    """The shared data path (``../shared/data/<parts>``), or None after printing the skip line."""
    path = DATA.joinpath(*parts)
    if not path.exists():
        print(f"skipped: ../shared/data is absent ({path} not found)")
        return None
    return path


def articles_run(doc: str | None, articles: int, title: str) -> tuple[Any, list[dict[str, Any]]] | None:
    """For the benchmarks that time realtimeqa articles: ``--articles N --rounds R`` parsed, the
    articles, and the run header printed (``title`` with ``{n}``, the article count); None (after
    the skip line) without ../shared/data."""
    import argparse

    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=articles)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    docs = conflict_articles(args.articles)
    if docs is None:
        return None
    header(title.format(n=args.articles))
    return args, docs


def conflict_articles(n: int) -> list[dict[str, Any]] | None:
    """The first ``n`` realtimeqa conflict articles by date, or None (after the skip line) without
    ../shared/data."""
    source = data_or_skip("realtimeqa")
    if source is None:
        return None
    docs = sorted(read_jsonl(source / "docs_conflict_subset.jsonl"), key=lambda d: d.get("date") or "")
    return docs[:n]


class TimedEmbedder:
    """Wraps an embedder and accumulates the time and texts of every ``embed`` call.

    The engine is given this wrapper, so the embedding share of an ingest or of an answer is measured
    on exactly the texts the engine embeds, in the batches it uses, in the same run.
    """

    def __init__(self, inner: Embedder) -> None:
        """Wrap ``inner`` (an ``index.embedding.base.Embedder``)."""
        self.inner = inner
        self.name: str = inner.name
        self.dim: int = inner.dim
        self.seconds = 0.0
        self.texts = 0
        self.calls = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        """Delegate to the wrapped embedder, timing the call."""
        started = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.seconds += time.perf_counter() - started
            self.texts += len(texts)
            self.calls += 1

    def reset(self) -> None:
        """Zero the counters."""
        self.seconds = 0.0
        self.texts = 0
        self.calls = 0


def load_embedder() -> tuple[TimedEmbedder, float]:
    """The real all-MiniLM-L6-v2 (wrapped for timing) and the seconds it took to load and warm up."""
    from index.embedding.torch_encoder import SentenceTransformerEmbedder

    started = time.perf_counter()
    inner = SentenceTransformerEmbedder()
    inner.embed(["warm-up sentence so the first timed batch does not pay for lazy initialisation."])
    return TimedEmbedder(inner), time.perf_counter() - started


def clear_answer_caches(engine: Engine) -> None:
    """Empty the engine's per-process caches so the next ``ask`` is a cold one.

    The engine memoises candidate-sentence vectors and each article's sentence split and speakers;
    without clearing them, whichever retrieval mode runs second would be measured with the first
    one's work already done.
    """
    from index.answering import retrieval

    engine.sentences.clear_cache()
    retrieval.sentences_of.cache_clear()
    retrieval.speakers_of.cache_clear()


def timed(fn: Any, *args: Any) -> tuple[Any, float]:
    """``fn(*args)`` and the seconds it took."""
    started = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - started


async def timed_async(awaitable: Awaitable[Any]) -> tuple[Any, float]:
    """The awaited result and the seconds it took."""
    started = time.perf_counter()
    out = await awaitable
    return out, time.perf_counter() - started


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), nearest-rank; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def ratio(a: float, b: float) -> str:
    """``a / b`` formatted, or "n/a" when b is zero or either is NaN."""
    if b == 0 or math.isnan(a) or math.isnan(b):
        return "n/a"
    r = a / b
    return f"{r:.2f}x" if r == 0 or r >= 0.01 else f"{r:.4f}x"


def peak_rss_mib() -> float:
    """Peak resident set size of this process, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def header(title: str) -> None:
    """Print the run header: what, when, on which machine."""
    import os

    import torch

    print(f"== {title} ==")
    print(
        f"date {datetime.now().isoformat(timespec='seconds')}; {platform.machine()} CPU, "
        f"{os.cpu_count()} cores, torch {torch.__version__} with {torch.get_num_threads()} threads; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    sys.stdout.flush()


def table(rows: Sequence[Sequence[str]], *, align_first_left: bool = True) -> None:
    """Print rows as aligned columns (first row is the header)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = [
            cell.ljust(w) if (i == 0 and align_first_left) else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  " + "  ".join(cells))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))
    sys.stdout.flush()


def run_in_work(
    run: Callable[[Any], Awaitable[dict[str, Any]]], args: Any, default_work: Path, name: str
) -> dict[str, Any]:
    """``asyncio.run(run(args))``; a smoke run left on ``default_work`` gets a temp work dir, removed after."""
    prefix = f"sitrep-{name}-smoke-"
    if args.smoke and args.work == default_work:
        args.work = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        return asyncio.run(run(args))
    finally:
        if args.smoke and args.work.name.startswith(prefix):
            shutil.rmtree(args.work, ignore_errors=True)


def result_header(**config: Any) -> dict[str, Any]:
    """The start of a result JSON: when, with which settings, on how many cores under what load."""
    import os

    return {
        "date": datetime.now().isoformat(timespec="seconds"),
        "config": config,
        "machine": {"cores": os.cpu_count(), "load_average": os.getloadavg()[0]},
    }


def write_result(result: dict[str, Any], name: str, out: Path | None) -> int:
    """Write the JSON (default ``results/<name>-<date>.json``); exit status 1 if a number is not finite."""
    out = out or RESULTS / f"{name}-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwrote {out}")
    return 0 if all(math.isfinite(v) for v in all_numbers(result)) else 1


def all_numbers(d: Any) -> list[float]:
    """Every number in a JSON-like document (for the finiteness check)."""
    if isinstance(d, dict):
        return [x for v in d.values() for x in all_numbers(v)]
    if isinstance(d, list):
        return [x for v in d for x in all_numbers(v)]
    return [float(d)] if isinstance(d, int | float) and not isinstance(d, bool) else []
