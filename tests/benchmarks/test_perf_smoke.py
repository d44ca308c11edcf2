"""``benchmarks/perf.py --smoke``: the performance suite runs end to end and writes a well-formed JSON.

Timings are not asserted (they belong to the benchmark, on a quiet machine); shapes and finiteness are.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.benchmarks.smoke import run_smoke

pytestmark = pytest.mark.model

SECTIONS = {"ingest", "encoders", "latency", "index", "load"}


def test_smoke_run_writes_every_section(tmp_path: Path) -> None:
    stdout, result = run_smoke("perf.py", tmp_path, timeout=300)
    assert set(result) >= SECTIONS
    for row in ("1 ingest", "2 encoder", "3 ask", "4 index", "5 load"):
        assert row in stdout

    ingest, enc, load = result["ingest"], result["encoders"], result["load"]
    assert ingest["chunks"] > 0 and ingest["tokens"] > ingest["chunks"]
    assert ingest["throughput_ratio"] > 0 and math.isfinite(ingest["throughput_ratio"])
    assert enc["chunks"] == ingest["chunks"] and 0.0 <= enc["top10_agreement"] <= 1.0
    assert 0.9 <= enc["cosine_min"] <= enc["cosine_mean"] <= 1.0 + 1e-6  # int8 stays close to fp32
    per_backend = [size for size in result["config"]["sizes"] for _ in ("torch", "onnx-int8")]
    assert [r["chunks"] for r in result["latency"]] == per_backend == [r["chunks"] for r in result["index"]]
    assert [r["backend"] for r in result["index"]] == ["torch", "onnx-int8"] * len(result["config"]["sizes"])
    for lat in result["latency"]:
        assert (
            0 < lat["p50_ms"] <= lat["p95_ms"] <= lat["p99_ms"]
            and lat["asks"] == result["config"]["questions"]
        )
    kinds = [r["index_type"] for r in result["index"]]
    assert "IndexIDMap2" in kinds[0] and "IVF" in kinds[-1]  # smoke lowers FLAT_MAX to exercise both
    for idx in result["index"]:
        assert 0.0 <= idx["recall_at_10_vs_flat"] <= 1.0 and idx["rebuild_on_open_s"] > 0
    assert load["asks_during_rebuild"] >= 1 and load["asks_during_ingest"] >= 1
    assert all(
        math.isfinite(load[k]) and load[k] > 0 for k in ("idle_p95_ms", "rebuild_p95_ms", "ingest_p95_ms")
    )
