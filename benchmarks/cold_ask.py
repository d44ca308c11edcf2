"""Time to first answer of a cold ``sitrep ask``: torch-free question embedding beside loading the model.

Run: ``.venv/bin/python benchmarks/cold_ask.py [--rounds N] [--data-dir DIR]``

A store holds the sample corpus with its sentence vectors (``python -m index.cli.firstrun``, built once
in a temp dir unless ``--data-dir`` names one). Each round starts two fresh processes, in alternating
order, that run ``sitrep ask`` with the README's example question and exit:

- **model** — what every cold ``ask`` did before: the question embedded by sentence-transformers, so
  torch, transformers and the model load first (the numpy encoder switched off in the process);
- **numpy** — now: the question embedded by ``index/embedding/numpy_bert.py`` (no torch import).

Each process's wall time is measured from its start to its exit (the answer is printed at the end, so
this is an upper bound of time-to-first-answer). Both must print the same answer, byte for byte; the
script checks it. Needs no ``../shared/data``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import header, ratio, table

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "who reported casualties in Pellin on March 12?"
# The same command either way; "model" switches the numpy question encoder off in its own process.
PROBE = """
import sys
if sys.argv[1] == "model":
    import index.embedding.numpy_bert as numpy_bert
    numpy_bert.supports = lambda path: False
from index.cli.entry import main
code = main(["--data-dir", sys.argv[2], "ask", sys.argv[3]])
print("torch imported:", "torch" in sys.modules, file=sys.stderr)
sys.exit(code)
"""


def _run(mode: str, data: Path) -> tuple[float, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode, str(data), QUESTION],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
        check=True,
    )
    return time.perf_counter() - began, done.stdout, done.stderr.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, help="a store with the sample corpus (built if absent)")
    args = parser.parse_args()
    header("cold sitrep ask: time to first answer")
    with tempfile.TemporaryDirectory(prefix="sitrep-cold-") as tmp:
        data = args.data_dir or Path(tmp) / "data"
        if not (data / "sitrep.db").exists():
            began = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "index.cli.firstrun", "--data-dir", str(data)],
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(f"sample store built in {time.perf_counter() - began:.1f} s: {data}")
        _run("numpy", data)  # warms the page cache for both (the model files, the store)
        times: dict[str, list[float]] = {"model": [], "numpy": []}
        answers: dict[str, set[str]] = {"model": set(), "numpy": set()}
        torch: dict[str, set[str]] = {"model": set(), "numpy": set()}
        for r in range(args.rounds):
            for mode in ("model", "numpy") if r % 2 == 0 else ("numpy", "model"):
                seconds, out, imported = _run(mode, data)
                times[mode].append(seconds)
                answers[mode].add(out)
                torch[mode].add(imported)
    rows = [["question embedded by", "median s", "min s", "max s", "torch"]]
    for mode, label in (("model", "sentence-transformers (before)"), ("numpy", "numpy_bert (now)")):
        t = times[mode]
        rows.append(
            [
                label,
                f"{statistics.median(t):.2f}",
                f"{min(t):.2f}",
                f"{max(t):.2f}",
                ", ".join(sorted(torch[mode])),
            ]
        )
    table(rows)
    print(
        f"\nnow / before (medians, {args.rounds} rounds, alternating): "
        f"{ratio(statistics.median(times['numpy']), statistics.median(times['model']))}"
    )
    same = len(answers["model"]) == len(answers["numpy"]) == 1 and answers["model"] == answers["numpy"]
    print(f"same answer printed by both: {'yes' if same else 'NO'}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
