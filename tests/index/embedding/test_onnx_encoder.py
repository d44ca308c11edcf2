"""The onnx-int8 encoder backend: offline export from the bundled model, agreement with torch, cache reuse."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from index.embedding.base import embedder_name
from index.embedding.factory import LazyEmbedder, load_embedder
from index.embedding.onnx_encoder import OnnxInt8Embedder
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.errors import ModelLoadError

pytestmark = pytest.mark.model

SENTENCES = [
    "The ministry said 14 soldiers were killed when shelling hit the border town overnight.",
    "Officials denied that any civilians had been evacuated from the district.",
    "“We will not withdraw,” the commander told reporters on Tuesday.",
    "Prices of bread doubled in the capital after the bridge was destroyed.",
    "Police fired tear gas at protesters who had gathered outside the parliament building.",
    "Short one.",
    "A drone struck a fuel depot near the airport, the regional governor wrote on Telegram, adding that "
    "firefighters were still at the scene hours later and that no casualties had been reported so far.",
]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def onnx(cache_dir: Path) -> OnnxInt8Embedder:
    """Exported once per module (a few seconds), with the network forbidden by HF_HUB_OFFLINE."""
    return OnnxInt8Embedder(cache_dir=cache_dir)


def test_agrees_with_torch_per_sentence(
    onnx: OnnxInt8Embedder, embedder: SentenceTransformerEmbedder
) -> None:
    a = embedder.embed(SENTENCES)
    b = onnx.embed(SENTENCES)
    assert b.shape == a.shape and b.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    cosines = (a * b).sum(axis=1)
    assert cosines.min() >= 0.97, cosines
    # The order of texts in a call (it batches longest first) doesn't change a text's vector.
    np.testing.assert_allclose(onnx.embed(SENTENCES[::-1])[::-1], b, atol=1e-5)


def test_ranks_like_torch(onnx: OnnxInt8Embedder, embedder: SentenceTransformerEmbedder) -> None:
    query = "How many soldiers died in the shelling?"
    order_torch = np.argsort(-(embedder.embed(SENTENCES) @ embedder.embed([query])[0]))
    order_onnx = np.argsort(-(onnx.embed(SENTENCES) @ onnx.embed([query])[0]))
    assert order_onnx[0] == order_torch[0] == 0
    assert set(order_onnx[:3]) == set(order_torch[:3])


def test_cache_is_reused_and_complete(onnx: OnnxInt8Embedder, cache_dir: Path) -> None:
    assert onnx.path.parent == cache_dir and onnx.path.stat().st_size > 1_000_000
    assert [p.name for p in cache_dir.iterdir()] == [onnx.path.name]  # no temp files left behind
    before = onnx.path.stat().st_mtime_ns
    again = OnnxInt8Embedder(cache_dir=cache_dir)
    assert again.path == onnx.path and onnx.path.stat().st_mtime_ns == before
    np.testing.assert_allclose(again.embed(SENTENCES[:2]), onnx.embed(SENTENCES[:2]), atol=1e-6)


def test_empty_input(onnx: OnnxInt8Embedder) -> None:
    assert onnx.embed([]).shape == (0, onnx.dim)


def test_backend_is_part_of_the_stored_model_name(cache_dir: Path) -> None:
    assert embedder_name("all-MiniLM-L6-v2", "torch") == "all-MiniLM-L6-v2"
    assert embedder_name("all-MiniLM-L6-v2", "onnx-int8") == "all-MiniLM-L6-v2@onnx-int8"
    lazy = LazyEmbedder(backend="onnx-int8", cache_dir=cache_dir)
    assert lazy.name == "all-MiniLM-L6-v2@onnx-int8"
    with pytest.raises(ModelLoadError, match="unknown encoder backend"):
        LazyEmbedder(backend="tensorrt")
    with pytest.raises(ModelLoadError, match="unknown encoder backend"):
        load_embedder(backend="tensorrt", cache_dir=cache_dir)
    with pytest.raises(ModelLoadError, match="local model folder"):
        OnnxInt8Embedder("no-such-model-anywhere", cache_dir=cache_dir)


async def test_switching_backend_re_embeds_instead_of_mixing(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, onnx: OnnxInt8Embedder, cache_dir: Path
) -> None:
    """A store built with torch, opened with onnx-int8: the index is rebuilt from int8 vectors only."""
    doc = tmp_path / "report.txt"
    doc.write_text(" ".join(SENTENCES), encoding="utf-8")
    data = tmp_path / "data"
    async with await Engine.open(data, embedder=embedder) as engine:
        assert (await engine.ingest([str(doc)])).chunks >= 1
    (data / "models").mkdir()
    os.link(onnx.path, data / "models" / onnx.path.name)  # reuse this module's export: no second one
    async with await Engine.open(data, encoder_backend="onnx-int8") as engine:
        stats = await engine.stats()
        assert stats.model == "all-MiniLM-L6-v2@onnx-int8" and stats.index_vectors == stats.chunks
        assert await engine.store.get_meta("index_model") == "all-MiniLM-L6-v2@onnx-int8"
        answer = await engine.ask("How many soldiers were killed by the shelling?")
        assert answer.found and "14 soldiers" in answer.quotes[0].text
