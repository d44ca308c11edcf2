"""What one page costs to ingest, per megabyte: reporting vs. adversarial pages, before and after.

Run: ``.venv/bin/python benchmarks/page_cost.py [--kb N] [--smoke]``

Each case ingests one HTML page, as ``sitrep ingest`` does (sentence vectors filled before it
returns), with the real model, in a child process of its own so its peak memory is its own:

* ``reporting``: paragraphs of reporting (the sample corpus's own texts, repeated to size);
* ``fragments``: ``<p>w1.</p><p>w2.</p>…`` (the hardening issue's page);
* ``short sentences``: ``<p>Fire hit block N.</p>…``: four-word sentences, which are quotable and so
  not refused, the worst case of the per-sentence costs.

"before" runs the same code with the fragment check off and the sentence fill at 8 sentences a model
call (what the code did before); the fragments page is smaller there (it took minutes). Printed: seconds,
seconds per MB of HTML, peak RSS, and each case's seconds per MB as a ratio to reporting's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index.evaluation.data import read_jsonl  # noqa: E402  (after the path fix)

CORPUS = ROOT / "index" / "samples" / "reports.jsonl"


def page(case: str, size: int) -> str:
    """An HTML page of about ``size`` bytes of the given kind."""
    paragraphs: list[str] = []
    total, i = 0, 0
    texts = [a["text"] for a in read_jsonl(CORPUS)]
    while total < size:
        if case == "reporting":
            text = texts[i % len(texts)]
            p = "".join(f"<p>{para}</p>" for para in text.split("\n\n") if para.strip())
        elif case == "fragments":
            p = f"<p>w{i}.</p>"
        else:
            p = f"<p>Fire hit block {i}.</p>"
        paragraphs.append(p)
        total += len(p)
        i += 1
    return (
        "<html><head><title>A page</title></head><body><article>"
        + "".join(paragraphs)
        + "</article></body></html>"
    )


async def ingest_once(path: Path, before: bool) -> dict[str, float | int | str]:
    """Ingest ``path`` into a fresh store, as the CLI does; returns what happened."""
    from index.answering import sentence_vectors
    from index.engine import Engine
    from index.ingest import prepare

    if before:
        prepare.FRAGMENTED_SHARE = 2.0  # never
        sentence_vectors.FILL_CHARS = 10**9
        sentence_vectors.FILL_MAX_SENTENCES = 8
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-page-") as tmp:
        engine = await Engine.open(
            Path(tmp), sentence_vectors=False
        )  # the fill is timed below, like the CLI's
        try:
            await engine.threads.on_model(engine.embedder.embed, ["warm the model up"])  # not timed
            started = time.perf_counter()
            report = await engine.ingest([str(path)])
            sentences = await engine.fill_sentence_vectors()
            seconds = time.perf_counter() - started
        finally:
            await engine.close()
    return {
        "seconds": seconds,
        "added": report.added,
        "chunks": report.chunks,
        "sentences": sentences,
        "failed": report.failed[0].reason[:80] if report.failed else "",
    }


def child(path: str, before: bool) -> None:
    """The child process: one ingest, its result and peak RSS as JSON on stdout."""
    result = asyncio.run(ingest_once(Path(path), before))
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_case(tmp: Path, case: str, size: int, before: bool) -> dict[str, float | int | str]:
    html = page(case, size)
    path = tmp / f"{case.replace(' ', '-')}-{size}.html"
    path.write_text(html, encoding="utf-8")
    argv = [sys.executable, __file__, "--child", str(path)] + (["--before"] if before else [])
    out = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    result: dict[str, float | int | str] = json.loads(out.strip().splitlines()[-1])
    result["mb"] = len(html.encode()) / 1e6
    return result


def main() -> int:
    """Run every case before and after, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", type=int, default=256, help="page size in KB (256)")
    parser.add_argument("--smoke", action="store_true", help="tiny pages (what CI runs)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--before", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.before)
        return 0
    size = 16_000 if args.smoke else args.kb * 1000
    cases = [
        ("reporting", size, False),
        ("reporting", size, True),
        ("fragments", size, False),
        ("fragments", max(size // 4, 16_000), True),  # minutes at full size
        ("short sentences", size, False),
        ("short sentences", size, True),
    ]
    print(
        f"page cost, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, pages of ~{size // 1000} KB"
    )
    rows = []
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-pages-") as tmp:
        for case, case_size, before in cases:
            r = run_case(Path(tmp), case, case_size, before)
            rows.append((case, "before" if before else "after", r))
            print(f"  ran {case} ({'before' if before else 'after'}): {r['seconds']:.1f} s", flush=True)
    base = {when: float(r["seconds"]) / float(r["mb"]) for case, when, r in rows if case == "reporting"}
    print()
    head = f"{'page':<16} {'code':<7} {'MB':>5} {'s':>7} {'s/MB':>7} {'x reporting':>11} {'RSS MB':>7} {'chunks':>6} {'sentences':>9}  outcome"
    print(head)
    print("-" * len(head))
    for case, when, r in rows:
        per_mb = float(r["seconds"]) / float(r["mb"])
        outcome = f"refused: {r['failed']}" if r["failed"] else f"{r['added']} article"
        print(
            f"{case:<16} {when:<7} {float(r['mb']):5.2f} {float(r['seconds']):7.1f} {per_mb:7.1f}"
            f" {per_mb / base[when]:10.2f}x {float(r['peak_rss_mb']):7.0f} {int(r['chunks']):6d}"
            f" {int(r['sentences']):9d}  {outcome}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
