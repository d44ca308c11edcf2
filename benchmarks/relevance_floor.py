"""Fit the relevance floor (``answering.quotes.MIN_SIMILARITY``) on real reporting, not on one corpus.

Run: ``.venv/bin/python benchmarks/relevance_floor.py [--floors 0.22 0.26 ...] [--data DIR]``

The floor is the cosine (MiniLM, question vs sentence) below which a sentence is off topic unless it
shares most of the question's words (``MIN_SIMILARITY_WITH_KEYWORDS``, kept ``KEYWORD_GAP`` below the
floor). Too low, and unanswerable questions get unrelated quotes (``found: true``); too high, and
answerable ones are refused or lose their gold quote.

The trust dev set (``index/evaluation/trust_questions.jsonl``, over the 305-article realtimeqa war
archive in ``../shared/data``) is split in two by question order: every floor is scored on the
**fit** half (even positions) and the **held-out** half (odd positions). Floors with a false refusal
on the fit half, or a top-3 gold rate more than ``TOP3_SLACK`` below its best, are out. Of the rest,
the widest run of neighbouring floors that the fit half scores alike (top 3, rank 1, refusal, false
refusals) is the plateau. The fit half can't tell its floors apart, so the current floor stays if it
is on the plateau (the smallest change the data supports); otherwise the plateau's middle is chosen,
the floor least tuned to this archive's cosines (another archive's writing moves them: the top of the
plateau already drops a rival toll from the sample corpus). The held-out columns show how the choice
generalises. The archive is ingested once; each floor re-asks every question.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import ROOT
from index.answering import quotes
from index.engine import Engine
from index.evaluation.context import DEFAULT_K, ingest_records
from index.evaluation.trust import Judged, judge_sitrep
from index.evaluation.trust_data import (
    ANSWERABLE_KINDS,
    UNANSWERABLE_KINDS,
    Locator,
    TrustQuestion,
    archive_rows,
    load_archive,
    load_questions,
)

FLOORS = (0.22, 0.26, 0.30, 0.32, 0.36, 0.40, 0.44, 0.48, 0.52)
CURRENT = quotes.MIN_SIMILARITY
KEYWORD_GAP = quotes.MIN_SIMILARITY - quotes.MIN_SIMILARITY_WITH_KEYWORDS
TOP3_SLACK = 0.02


def _scores(questions: list[TrustQuestion], judged: dict[str, Judged]) -> dict[str, float]:
    """Top-3 gold, refusal and false refusal shares, and quotes per answerable answer."""
    ans = [q for q in questions if q.kind in ANSWERABLE_KINDS]
    una = [q for q in questions if q.kind in UNANSWERABLE_KINDS]
    return {
        "top3": sum((judged[q.id].gold_rank or 99) <= 3 for q in ans) / len(ans),
        "rank1": sum(judged[q.id].gold_rank == 1 for q in ans) / len(ans),
        "refusal": sum(not judged[q.id].found for q in una) / len(una),
        "false_refusal": sum(not judged[q.id].found for q in ans) / len(ans),
        "quotes": sum(judged[q.id].quotes for q in ans) / len(ans),
    }


def _plateau_middle(
    rows: list[tuple[float, dict[str, dict[str, float]]]], allowed: set[float]
) -> float | None:
    """The current floor if it is in the widest run of neighbouring allowed floors the fit half scores
    alike, else that run's middle floor (``rows`` in any order; a floor not allowed ends a run)."""

    def key(r: dict[str, dict[str, float]]) -> tuple[float, ...]:
        fit = r["fit"]
        return (fit["top3"], fit["rank1"], fit["refusal"], fit["false_refusal"])

    rows = sorted(rows, key=lambda fr: fr[0])
    runs: list[list[float]] = []
    for i, (floor, r) in enumerate(rows):
        if floor not in allowed:
            continue
        if runs and i > 0 and runs[-1][-1] == rows[i - 1][0] and key(rows[i - 1][1]) == key(r):
            runs[-1].append(floor)
        else:
            runs.append([floor])
    if not runs:
        return None
    widest = max(runs, key=len)
    if any(abs(CURRENT - f) < 1e-9 for f in widest):
        return CURRENT
    return widest[(len(widest) - 1) // 2]


async def _ask_all(engine: Engine, questions: list[TrustQuestion], locator: Locator) -> dict[str, Judged]:
    out = {}
    for q in questions:
        answer = await engine.ask(q.question, k=DEFAULT_K, as_of=q.as_of)
        out[q.id] = judge_sitrep(q, answer, locator)
    return out


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--floors", type=float, nargs="+", default=FLOORS)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    archive = load_archive(args.data)
    locator = Locator({d["id"]: d["text"] for d in archive})
    questions = [q for q in load_questions() if q.kind in ANSWERABLE_KINDS + UNANSWERABLE_KINDS]
    halves = {"fit": questions[0::2], "held-out": questions[1::2]}
    rows = []
    with tempfile.TemporaryDirectory(prefix="sitrep-floor-") as tmp:
        engine = await Engine.open(Path(tmp) / "data")
        try:
            await ingest_records(engine, archive_rows(archive), Path(tmp))
            for floor in args.floors:
                quotes.MIN_SIMILARITY, quotes.MIN_SIMILARITY_WITH_KEYWORDS = floor, floor - KEYWORD_GAP
                judged = await _ask_all(engine, questions, locator)
                rows.append((floor, {name: _scores(qs, judged) for name, qs in halves.items()}))
                print(f"floor {floor:.2f} done", file=sys.stderr)
        finally:
            await engine.close()
    fit_best = max(r["fit"]["top3"] for _, r in rows)
    allowed = [
        (f, r)
        for f, r in rows
        if r["fit"]["false_refusal"] == 0 and r["fit"]["top3"] >= fit_best - TOP3_SLACK
    ]
    chosen = _plateau_middle(rows, {f for f, _ in allowed})
    print(
        f"questions: fit {len(halves['fit'])}, held-out {len(halves['held-out'])}; "
        f"current floor {CURRENT:.2f} (keyword path {KEYWORD_GAP:.2f} below it)"
    )
    print(
        "floor  | fit: top3  rank1  refusal  false-ref  quotes | held-out: top3  rank1  refusal  false-ref  quotes"
    )
    for floor, r in rows:
        cells = [
            f"{h['top3']:6.1%} {h['rank1']:6.1%} {h['refusal']:8.1%} {h['false_refusal']:10.1%} {h['quotes']:6.1f}"
            for h in (r["fit"], r["held-out"])
        ]
        mark = "  <- chosen" if floor == chosen else ""
        print(f"{floor:.2f}   | {cells[0]} | {cells[1]}{mark}")


if __name__ == "__main__":
    asyncio.run(main())
