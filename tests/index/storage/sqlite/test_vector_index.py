"""The size-chosen FAISS index: IVF-SQ8 against exact flat search, save/load, adds, removal, filters."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import index.storage.sqlite.vector_index as vector_index
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.storage.sqlite.vector_index import VectorIndex, nlist_for
from tests.conftest import FakeEmbedder

DIM = 32


def _clustered(n: int, dim: int = DIM, seed: int = 0) -> np.ndarray:
    """Unit vectors around 50 centres: like topics in news, unlike uniform noise."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((50, dim)).astype("float32")
    x = centres[rng.integers(0, 50, n)] + 0.35 * rng.standard_normal((n, dim)).astype("float32")
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _batches(ids: np.ndarray, x: np.ndarray, size: int = 500) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(ids[i : i + size], x[i : i + size]) for i in range(0, len(ids), size)]


def _recall_at_10(index: VectorIndex, exact: VectorIndex, queries: np.ndarray) -> float:
    hits = [
        len({i for i, _ in index.search(q, 10)} & {i for i, _ in exact.search(q, 10)}) / 10 for q in queries
    ]
    return float(np.mean(hits))


@pytest.fixture
def small_flat_max(monkeypatch: pytest.MonkeyPatch) -> int:
    """Switch to IVF above 1,000 vectors so tests build one in well under a second."""
    monkeypatch.setattr(vector_index, "FLAT_MAX", 1_000)
    return 1_000


def test_nlist_grows_with_the_square_root() -> None:
    assert nlist_for(1_000_000) == 2048
    assert nlist_for(100) == 16  # never below 16 lists
    assert all(nlist_for(n) <= nlist_for(4 * n) <= 4 * nlist_for(n) for n in (10_000, 200_000))


def test_small_corpus_stays_flat_and_exact() -> None:
    x = _clustered(300)
    vi = VectorIndex.build(DIM, _batches(np.arange(300) + 7, x))
    assert vi.nlist == 0 and "Flat" in vi.kind and not vi.needs_rebuild
    hits = vi.search(x[5], 3)
    assert hits[0][0] == 12 and hits[0][1] == pytest.approx(1.0, abs=1e-5)


def test_large_corpus_gets_ivf_close_to_flat(small_flat_max: int) -> None:
    n = 6_000
    x = _clustered(n)
    ids = np.arange(n, dtype="int64") * 5 + 3  # ids are chunk ids, not positions
    vi = VectorIndex.build(DIM, _batches(ids, x))
    exact = VectorIndex.build(DIM, [])
    exact.add(ids, x)
    assert vi.nlist == nlist_for(n) and "SQ8" in vi.kind and vi.size == n
    queries = _clustered(100, seed=1)
    assert _recall_at_10(vi, exact, queries) >= 0.95
    assert {i for i, _ in vi.search(x[0], 10)} <= set(ids.tolist())


def test_ivf_on_real_vectors(monkeypatch: pytest.MonkeyPatch, embedder: SentenceTransformerEmbedder) -> None:
    """MiniLM vectors of sentence variants: IVF-SQ8 top-10 matches flat's."""
    monkeypatch.setattr(vector_index, "FLAT_MAX", 200)
    subjects = ["The army", "Police", "Rebels", "The ministry", "Officials", "Witnesses", "Residents"]
    events = ["shelled the town", "reported 12 dead", "closed the border", "denied the strike", "fled"]
    places = ["near Kharkiv", "in Gaza", "outside Khartoum", "in Goma", "near the airport", "at dawn"]
    texts = [f"{s} {e} {p} on day {d}." for s in subjects for e in events for p in places for d in (3, 9)]
    x = embedder.embed(texts)  # 420 sentences
    ids = np.arange(len(texts), dtype="int64")
    vi = VectorIndex.build(x.shape[1], _batches(ids, x))
    exact = VectorIndex(x.shape[1])
    exact.add(ids, x)
    assert vi.nlist > 0
    queries = embedder.embed(["How many died in Gaza?", "Who closed the border?", "Did rebels flee Goma?"])
    assert _recall_at_10(vi, exact, queries) >= 0.9


def test_ivf_save_load_add_remove_and_filter(tmp_path: Path, small_flat_max: int) -> None:
    n = 3_000
    x = _clustered(n + 200)
    ids = np.arange(n + 200, dtype="int64")
    vi = VectorIndex.build(DIM, _batches(ids[:n], x[:n]))
    path = tmp_path / "vectors.faiss"
    vi.save(path)
    loaded = VectorIndex.load(path)
    assert loaded.nlist == vi.nlist and loaded.size == n and not path.with_name("vectors.faiss.tmp").exists()
    assert loaded.search(x[10], 5) == vi.search(x[10], 5)

    # Adding lands in the trained lists: no retraining, the centroids are the same object state.
    centroids = loaded.index.quantizer.reconstruct_n(0, loaded.nlist)
    loaded.add(ids[n:], x[n:])
    assert loaded.size == n + 200 and loaded.nlist == vi.nlist
    np.testing.assert_array_equal(loaded.index.quantizer.reconstruct_n(0, loaded.nlist), centroids)
    assert loaded.search(x[n + 50], 1)[0][0] == n + 50

    np.testing.assert_array_equal(loaded.ids(), ids)  # what the open-time check compares to the store
    assert loaded.remove([n + 50, 10]) == 2
    assert len(loaded.ids()) == n + 198 and 10 not in loaded.ids()
    assert all(i not in (n + 50, 10) for i, _ in loaded.search(x[n + 50], 20))

    # A narrow filter (17 allowed of 3,200) still returns k hits, all allowed.
    allowed = np.arange(100, 3_200, 182, dtype="int64")
    hits = loaded.search(x[0], 10, allowed)
    assert len(hits) == 10 and {i for i, _ in hits} <= set(allowed.tolist())
    assert loaded.search(x[0], 10, np.array([], dtype="int64")) == []


def test_needs_rebuild_when_outgrown(small_flat_max: int) -> None:
    flat = VectorIndex(DIM)
    flat.add(np.arange(small_flat_max), _clustered(small_flat_max))
    assert not flat.needs_rebuild
    flat.add(np.array([10**6]), _clustered(1))
    assert flat.needs_rebuild  # flat past FLAT_MAX: an IVF index suits it now
    n = 1_200
    ivf = VectorIndex.build(DIM, _batches(np.arange(n), _clustered(n)))
    assert ivf.nlist and not ivf.needs_rebuild
    grow = 16 * n
    ivf.add(np.arange(n, n + grow), _clustered(grow, seed=2))
    assert ivf.needs_rebuild  # 17x the vectors it was trained for: lists too long


async def test_engine_retrains_in_the_background_when_outgrown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_embedder: FakeEmbedder
) -> None:
    monkeypatch.setattr(vector_index, "FLAT_MAX", 20)
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(8):
        paragraphs = [
            f"Report {i}.{j}: shelling hit district {i * 10 + j} overnight, officials said." for j in range(6)
        ]
        (docs / f"report{i}.txt").write_text("\n\n".join(paragraphs) * 4, encoding="utf-8")
    async with await Engine.open(tmp_path / "data", embedder=fake_embedder) as engine:
        report = await engine.ingest([str(docs)])
        assert report.chunks > 20
        assert engine.rebuilding is not None  # the ingest returned before the retrain
        await engine.rebuilding
        assert engine.vectors.index.nlist > 0 and engine.vectors.size == report.chunks
        assert not engine.vectors.needs_rebuild
        answer = await engine.ask("Where did shelling hit overnight?")
        assert answer.found
    async with await Engine.open(tmp_path / "data", embedder=fake_embedder) as engine:
        assert engine.vectors.index.nlist > 0  # the retrained index was saved and is loaded as is
