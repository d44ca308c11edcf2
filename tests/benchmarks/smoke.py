"""Runs a benchmark script's ``--smoke`` configuration the way CI does, for the smoke tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SHARED


def run_smoke(script: str, tmp_path: Path, *, timeout: float) -> tuple[str, dict[str, Any]]:
    """``benchmarks/<script> --smoke`` in its own process: (stdout, the JSON it wrote); skips without data."""
    if not (SHARED / "data" / "india_police_events").exists():
        pytest.skip("../shared/data is absent")
    out = tmp_path / "result.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / script),
            "--smoke",
            "--work",
            str(tmp_path / "work"),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc.stdout, json.loads(out.read_text())
