"""``benchmarks/scale.py --smoke``: the scale-out benchmark runs end to end and writes a well-formed JSON.

Timings are not asserted (they belong to the benchmark, on a quiet machine); shapes, finiteness, and
that both stores hold the same corpus and answer alike are.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

from tests.benchmarks.smoke import run_smoke

pytestmark = pytest.mark.model


def test_smoke_run_writes_every_section(tmp_path: Path) -> None:
    stdout, result = run_smoke("scale.py", tmp_path, timeout=600)
    for row in ("1 ingest", "2 ask", "2 index", "3 workers"):
        assert row in stdout
    config = result["config"]

    ingest = result["ingest"]
    embedded, postgres = ingest["embedded"], ingest["postgres"]
    assert embedded["articles"] == postgres["articles"] == config["articles"]
    assert embedded["chunks"] == postgres["chunks"] > embedded["articles"]
    assert ingest["chunks_per_s_ratio"] > 0 and math.isfinite(ingest["chunks_per_s_ratio"])

    ask, index = result["ask"], result["index"]
    assert ask["chunks"] == index["chunks"] == config["size"] and ask["asks"] == config["questions"]
    for store in ("embedded", "postgres"):
        assert 0 < ask[f"{store}_p50_ms"] <= ask[f"{store}_p95_ms"] <= ask[f"{store}_p99_ms"]
    # At ~2k chunks HNSW (ef_search 100) finds what exact search finds: the stores answer alike.
    assert 0.5 <= ask["same_top_quote_place"] <= ask["same_top_quote_words"] <= 1.0
    assert index["hnsw_bytes"] > 0 and index["faiss_bytes"] > 0 and index["hnsw_build_s"] > 0
    assert "IndexIDMap2" in index["faiss_type"]

    workers = result["workers"]
    if importlib.util.find_spec("index.jobs.queue") is None:
        assert "skipped" in workers
        return
    runs = workers["runs"]
    assert [(r["processes"], r["threads_each"]) for r in runs] == [(1, 1), (2, 1), (1, 2)]
    for r in runs:
        assert r["jobs_done"] == config["job_files"] and r["failed"] == 0
        assert 1 <= r["workers_that_ran_jobs"] <= r["processes"]
        assert r["articles"] == config["job_files"] * config["per_file"] and r["chunks"] >= r["articles"]
        assert 0 < r["drain_s"] < r["wall_s"]
    assert workers["two_vs_one_ratio"] > 0 and math.isfinite(workers["two_vs_one_ratio"])
