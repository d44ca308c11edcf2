"""Run the chosen sections of ``sitrep eval``, print one table, save it as dated JSON."""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.evaluation.context import EvalContext, Metric, SectionResult
from index.evaluation.sections import SECTIONS

RESULTS_DIR = Path(__file__).resolve().parents[2] / "benchmarks" / "results"


def _cell(value: float | None, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "pass":
        return "pass" if value >= 1.0 else "FAIL"
    if kind == "count":
        return f"{value:.1f}"
    return f"{value:.1%}"


def _ratio(m: Metric) -> str:
    if m.baseline is None or m.kind != "share":
        return ""
    return f"{m.sitrep / m.baseline:.2f}x" if m.baseline else "n/a"


def find_reference(results_dir: Path, limit: int | None, exclude: Path | None = None) -> Path | None:
    """The newest ``eval-*.json`` in ``results_dir`` run with the same ``--limit`` (the "before" run)."""
    for path in sorted(results_dir.glob("eval-*.json"), reverse=True):  # names sort by time
        if exclude is not None and path.resolve() == exclude.resolve():
            continue
        try:
            if json.loads(path.read_text(encoding="utf-8")).get("limit") == limit:
                return path
        except (OSError, ValueError):
            continue
    return None


def load_reference(path: Path) -> dict[str, Any]:
    """A saved report, with the file it came from under ``"path"``.

    Raises:
        ValueError: the file is not a saved ``sitrep eval`` report.
    """
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ValueError(f"cannot read {path}: {e}") from e
    if not isinstance(report, dict) or "sections" not in report:
        raise ValueError(f"{path} is not a sitrep eval report")
    return report | {"path": str(path)}


def _before(reference: dict[str, Any] | None) -> dict[tuple[str, str], Metric]:
    """(section, metric) -> the reference run's metric."""
    if reference is None:
        return {}
    return {
        (section["name"], raw["name"]): Metric(**raw)
        for section in reference["sections"]
        if not section.get("skipped")
        for raw in section["metrics"]
    }


async def run_eval(ctx: EvalContext, sections: Sequence[str] | None = None) -> dict[str, Any]:
    """Run ``sections`` (default: all available) and return the report (what the JSON file holds).

    Raises:
        ValueError: an unknown section name.
    """
    names = list(sections) if sections else list(SECTIONS)
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section(s) {', '.join(unknown)}; available: {', '.join(SECTIONS)}")
    started = time.perf_counter()
    results: list[SectionResult] = []
    for name in names:
        t0 = time.perf_counter()
        result = await SECTIONS[name](ctx)
        result.info["seconds"] = round(time.perf_counter() - t0, 1)
        results.append(result)
    return {
        "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "limit": ctx.limit,
        "data_dir": str(ctx.data_dir),
        "rtqa_distractors": ctx.rtqa_distractors,
        "model": ctx.embedder.name,
        "chunk_vectors": ctx.chunk_vectors or "the encoder's",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "seconds": round(time.perf_counter() - started, 1),
        "baseline": "fixed 150-word chunks, MiniLM + FAISS flat, dense top-5, no dates; quotes = chunk sentences",
        "sections": [asdict(r) for r in results],
    }


def format_report(report: dict[str, Any], reference: dict[str, Any] | None = None) -> str:
    """One table: a row per section metric, sitrep and the naive baseline side by side.

    With a ``reference`` report (an earlier run, see ``find_reference``), a "before" column shows
    that run's value of the same section and metric ("—" where it had none).
    """
    before = _before(reference)
    head = ("section", "metric", "sitrep", *(("before",) if reference else ()), "naive baseline", "ratio")
    rows = [head]
    notes = []
    for section in report["sections"]:
        if section["skipped"]:
            notes.append(f"{section['name']}: skipped ({section['skipped']})")
            continue
        for raw in section["metrics"]:
            m = Metric(**raw)
            old = before.get((section["name"], m.name))
            was = (_cell(old.sitrep, old.kind) if old else "—",) if reference else ()
            rows.append(
                (section["name"], m.name, _cell(m.sitrep, m.kind), *was, _cell(m.baseline, m.kind), _ratio(m))
            )
        facts = {k: v for k, v in section["info"].items() if isinstance(v, int | float)}
        notes.append(
            f"{section['name']}: "
            + ", ".join(f"{k} {round(v, 3) if isinstance(v, float) else v}" for k, v in facts.items())
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    scope = "full run" if report["limit"] is None else f"slice --limit {report['limit']}"
    head_line = (
        f"sitrep eval ({scope}), {report['date']}, {report['machine']}, {report['seconds']} s,"
        f" chunk vectors: {report.get('chunk_vectors', 'model')}"
    )
    if reference:
        notes.append(f"before: {Path(reference['path']).name} ({reference.get('date', '?')})")
    return "\n".join([head_line, "", *lines, "", *notes, f"baseline: {report['baseline']}"])


def save_report(report: dict[str, Any], out_dir: Path = RESULTS_DIR) -> Path:
    """Write the report as ``eval-<UTC time>.json`` in ``out_dir``; returns the path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = report["date"].replace(":", "").replace("+0000", "Z")
    path = out_dir / f"eval-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
