"""What near-duplicate detection costs at ingest, side by side with it switched off, in one run.

Run: ``.venv/bin/python benchmarks/near_duplicates.py [--articles N]``

The realtimeqa article texts (CNN / USA Today / The Week, ``../shared/data``) are written into two
fresh stores through ``SqliteStore.articles.add`` in batches of 100, once with each article's
sketch (so every article is checked against all earlier ones) and once without; no chunks or
vectors, so the difference is the detection alone. Also reports the sketching time (done in the
ingest worker thread) and how many articles were linked as near copies.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import data_or_skip, header, ratio, read_jsonl, table

from index.storage.records import NewArticle
from index.storage.sqlite.store import SqliteStore
from index.text.near_duplicates import sketch

BATCH = 100


async def store_all(path: Path, texts: list[str], sketches: list[tuple[int, ...]]) -> tuple[float, int]:
    """Write the articles in batches; returns (seconds, near copies linked)."""
    store = await SqliteStore.open(path)
    try:
        started = time.perf_counter()
        for i in range(0, len(texts), BATCH):
            articles = [
                NewArticle(
                    id=f"a{j}", title=None, outlet=None, url=None, published=None, published_from=None,
                    language="en", text=texts[j], content_hash=f"h{j}", mentioned_dates=(), chunks=(),
                    vectors=np.zeros((0, 4), dtype="float32"), sketch=sketches[j],
                )
                for j in range(i, min(i + BATCH, len(texts)))
            ]  # fmt: skip
            await store.articles.add(
                scope="global", kind="file", location=f"batch{i}", added_by=None, articles=articles, model="m"
            )
        seconds = time.perf_counter() - started
        return seconds, await store.db.number("SELECT COUNT(*) FROM duplicates")
    finally:
        await store.close()


async def run(n: int) -> int:
    """Measure and print."""
    base = data_or_skip("realtimeqa")
    if base is None:
        return 0
    header("near-duplicate detection at ingest")
    texts = [
        d["text"] for d in read_jsonl(base / "docs_conflict_subset.jsonl") if (d.get("text") or "").strip()
    ][:n]
    started = time.perf_counter()
    sketches = [sketch(t) for t in texts]
    sketch_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-dups-") as tmp:
        on_s, linked = await store_all(Path(tmp) / "on", texts, sketches)
        off_s, _ = await store_all(Path(tmp) / "off", texts, [()] * len(texts))
    chars = sum(len(t) for t in texts)
    print(f"{len(texts):,} articles, {chars / 1e6:.1f} M characters; {linked:,} linked as near copies")
    table(
        [
            ["step", "seconds", "per article"],
            ["sketching (worker thread)", f"{sketch_s:.2f}", f"{sketch_s / len(texts) * 1e3:.2f} ms"],
            ["store with detection", f"{on_s:.2f}", f"{on_s / len(texts) * 1e3:.2f} ms"],
            ["store without detection", f"{off_s:.2f}", f"{off_s / len(texts) * 1e3:.2f} ms"],
        ]
    )
    print(f"  store with/without detection: {ratio(on_s, off_s)}")
    return 0


def main() -> int:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000, help="how many realtimeqa articles (3000)")
    return asyncio.run(run(parser.parse_args().articles))


if __name__ == "__main__":
    sys.exit(main())
