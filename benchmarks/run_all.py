"""Run every benchmark with its defaults, one after another, streaming their output (``make bench``).

Run: ``.venv/bin/python benchmarks/run_all.py [NAME ...]`` (names without ``.py`` pick a subset).

Each script runs in its own process (so peak RSS and timings are its own) with the interpreter that
runs this file. Exits 1 if any script fails; a script that finds no ``../shared/data`` prints a
"skipped" line and counts as passed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = (
    "perf",
    "scale",
    "ingest_and_latency",
    "retrieval_eval",
    "attribution_polnear",
    "speakers",
    "near_duplicates",
    "page_cost",
    "feed_cap",
    "event_loop_stalls",
)


def run_script(name: str) -> tuple[int, float]:
    """Run ``benchmarks/<name>.py``, its output going straight to ours; returns (exit status, seconds)."""
    print(f"\n##### {name}.py #####", flush=True)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, str(HERE / f"{name}.py")], cwd=HERE.parent, check=False)
    return proc.returncode, time.perf_counter() - started


def main() -> int:
    """Run the chosen (default: all present) benchmarks and print a summary line for each."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help=f"a subset of: {', '.join(SCRIPTS)}")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in SCRIPTS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    names = [n for n in (args.names or SCRIPTS) if (HERE / f"{n}.py").exists()]

    results = [(name, *run_script(name)) for name in names]

    print("\n##### summary #####")
    for name, code, seconds in results:
        print(f"  {name + '.py':<26} {'ok' if code == 0 else f'FAILED (exit {code})':<16} {seconds:6.0f} s")
    failed = [name for name, code, _ in results if code != 0]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
