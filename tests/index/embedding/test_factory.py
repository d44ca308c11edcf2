"""Choosing an encoder by backend name, and LazyEmbedder, which loads it only when first used."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.embedding import factory
from index.embedding.base import BACKENDS
from index.embedding.factory import LazyEmbedder, load_embedder
from index.errors import ModelLoadError
from tests.conftest import FakeEmbedder

UNKNOWN = "unknown encoder backend 'tensorrt'; choose one of: torch, onnx-int8, multilingual"


class Loads:
    """Stands in for ``load_embedder``: counts loads and returns the fake embedder."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, Path]] = []

    def __call__(self, model: str, backend: str, *, cache_dir: Path) -> FakeEmbedder:
        self.calls.append((model, backend, cache_dir))
        return FakeEmbedder()


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Loads:
    counter = Loads()
    monkeypatch.setattr(factory, "load_embedder", counter)
    return counter


def test_an_unknown_backend_is_a_model_load_error_naming_the_choices(tmp_path: Path) -> None:
    assert BACKENDS == ("torch", "onnx-int8", "multilingual")
    with pytest.raises(ModelLoadError) as caught:
        load_embedder(backend="tensorrt", cache_dir=tmp_path)
    assert str(caught.value) == UNKNOWN
    with pytest.raises(ModelLoadError) as caught:
        LazyEmbedder(backend="tensorrt")  # refused at once, not at first use
    assert str(caught.value) == UNKNOWN


def test_nothing_is_loaded_until_the_embedder_is_used(loads: Loads, tmp_path: Path) -> None:
    lazy = LazyEmbedder("some-model", backend="onnx-int8", cache_dir=tmp_path)
    assert (lazy.name, lazy.model, lazy.backend, lazy.cache_dir) == (
        "some-model@onnx-int8", "some-model", "onnx-int8", tmp_path
    )  # fmt: skip
    assert loads.calls == []
    vecs = lazy.embed(["shelling hit the port", "talks resumed"])
    assert vecs.shape == (2, FakeEmbedder.dim)
    np.testing.assert_allclose(vecs, FakeEmbedder().embed(["shelling hit the port", "talks resumed"]))
    lazy.embed(["again"])
    assert loads.calls == [("some-model", "onnx-int8", tmp_path)]  # once


def test_a_known_dimension_needs_no_load(loads: Loads) -> None:
    assert LazyEmbedder("some-model", 384).dim == 384 and loads.calls == []
    unknown = LazyEmbedder("some-model")
    assert unknown.dim == FakeEmbedder.dim and len(loads.calls) == 1  # asked of the loaded model


def test_the_model_is_loaded_once_however_many_threads_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    entered = threading.Event()
    release = threading.Event()
    calls: list[str] = []

    def slow_load(model: str, backend: str, *, cache_dir: Path) -> Any:
        calls.append(model)
        entered.set()
        release.wait(120)  # a hang guard
        return FakeEmbedder()

    monkeypatch.setattr(factory, "load_embedder", slow_load)
    lazy = LazyEmbedder("some-model")
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(lazy.load())) for _ in range(4)]
    for t in threads:
        t.start()
    assert entered.wait(120)
    release.set()
    for t in threads:
        t.join(120)
    assert calls == ["some-model"] and len(results) == 4 and all(r is results[0] for r in results)


def test_a_load_failure_is_raised_at_use_and_tried_again_next_time(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[int] = []

    def failing(model: str, backend: str, *, cache_dir: Path) -> Any:
        attempts.append(1)
        raise ModelLoadError(f"could not load embedding model {model!r}: no such model")

    monkeypatch.setattr(factory, "load_embedder", failing)
    lazy = LazyEmbedder("no-such-model")
    for _ in range(2):
        with pytest.raises(ModelLoadError, match="could not load embedding model 'no-such-model'"):
            lazy.embed(["x"])
    assert len(attempts) == 2


def test_a_model_that_cannot_be_loaded_is_a_model_load_error(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match=r"could not load embedding model '.*no-such-model'"):
        load_embedder(str(tmp_path / "no-such-model"), "torch", cache_dir=tmp_path)
