"""PolNeAR: the claims extractor on a dev slice of the annotated corpus, against its floor and the baseline."""

from __future__ import annotations

import pytest

from index.evaluation.polnear import evaluate_polnear
from tests.conftest import SHARED

POLNEAR = SHARED / "data" / "polnear"


def test_polnear_dev_slice_beats_its_floor_and_the_baseline() -> None:
    if not (POLNEAR / "attributions.jsonl").exists():
        pytest.skip("../shared/data is absent: PolNeAR is not available")
    scores = evaluate_polnear(POLNEAR, "dev", limit=20)
    # Measured 2026-11-25 on these 20 articles: F1 0.583, speaker accuracy 0.890 (baseline F1 0.347).
    assert scores["articles"] == 20 and scores["gold"] > 400
    assert scores["f1"] >= 0.54
    assert scores["speaker_accuracy"] >= 0.85
    assert scores["f1"] > scores["baseline_f1"] + 0.15
