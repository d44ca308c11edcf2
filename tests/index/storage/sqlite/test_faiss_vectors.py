"""The FAISS file beside sitrep.db: loaded when it matches the store, rebuilt from stored vectors when not."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

import index.storage.sqlite.vector_index as vector_index
from index.engine import Engine
from index.models import GLOBAL_SCOPE
from index.storage.records import ArticleFilter
from tests.conftest import FakeEmbedder
from tests.index.stores import consistent, ingested


@pytest.mark.parametrize("damage", ["missing", "truncated", "garbage", "other ids"])
async def test_a_damaged_index_file_is_repaired_on_open(tmp_path: Path, damage: str) -> None:
    data = tmp_path / "data"
    engine = await ingested(data)
    expected = (await engine.stats()).articles, engine.vectors.size
    if damage == "other ids":
        # The right version and model in the metadata, but not the stored chunks: only the id check sees it.
        engine.vectors.index.remove([int(i) for i in engine.vectors.index.ids()[:3]])
        engine.vectors.index.save(engine.index_path)
    await engine.close()
    path = data / "vectors.faiss"
    if damage == "missing":
        path.unlink()
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x00" * 4096)
    assert await consistent(data) == expected


async def test_a_stale_index_file_is_rebuilt_from_stored_vectors(tmp_path: Path) -> None:
    data = tmp_path / "data"
    engine = await ingested(data)
    chunks = (await engine.stats()).chunks
    await engine.close()

    # A crash after the SQLite commit but before the index was saved: the file lags the store.
    (data / "vectors.faiss").unlink()
    engine = await Engine.open(data, embedder=FakeEmbedder())
    try:
        assert engine.vectors.size == chunks
        assert (data / "vectors.faiss").exists()
    finally:
        await engine.close()

    # A truncated index file is rebuilt too.
    (data / "vectors.faiss").write_bytes(b"garbage")
    sqlite3.connect(data / "sitrep.db").execute(
        "UPDATE meta SET value = '0' WHERE key = 'index_version'"
    ).connection.commit()
    engine = await Engine.open(data, embedder=FakeEmbedder())
    try:
        assert engine.vectors.size == chunks
    finally:
        await engine.close()


async def ivf_engine(data: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Engine, dict[int, np.ndarray]]:
    """The samples in a store whose index is IVF (from 20 vectors), and every stored vector by chunk."""
    monkeypatch.setattr(vector_index, "FLAT_MAX", 20)
    engine = await ingested(data)
    if engine.rebuilding is not None:
        await engine.rebuilding
    assert engine.vectors.index.nlist > 0
    ids = await engine.store.embeddings.vector_chunk_ids(engine.embedder.name)
    return engine, await engine.store.embeddings.chunk_vectors(engine.embedder.name, ids.tolist())


async def test_an_ivf_index_serves_exact_scores_in_exact_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # IVF-SQ8 scores 8-bit codes; questions get its hits scored again with the stored float32 vectors.
    engine, stored = await ivf_engine(tmp_path / "data", monkeypatch)
    try:
        everything = ArticleFilter(scopes=(GLOBAL_SCOPE,))
        approximate = 0
        for question in ("How many civilians were killed?", "What did the ministry deny?"):
            q = FakeEmbedder().embed([question])[0]
            exact = sorted(((cid, float(v @ q)) for cid, v in stored.items()), key=lambda h: -h[1])[:10]
            served = await engine.vectors.search(q, 10, everything, False)
            assert [cid for cid, _ in served] == [cid for cid, _ in exact]
            assert [s for _, s in served] == pytest.approx([s for _, s in exact], abs=1e-6)
            raw = dict(engine.vectors.index.search(q, 10))
            approximate += sum(abs(raw[cid] - s) > 1e-5 for cid, s in exact if cid in raw)
        assert approximate > 0  # the index's own scores are not exact: the rescoring is what makes them so
    finally:
        await engine.close()


async def test_the_rescoring_reaches_past_k_and_covers_filtered_searches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An index whose own order is the reverse of the exact one: only hits asked for past k, scored
    # again, give the exact top 10.
    engine, stored = await ivf_engine(tmp_path / "data", monkeypatch)
    try:
        index = engine.vectors.index
        q = FakeEmbedder().embed(["How many civilians were killed?"])[0]
        exact = sorted(((cid, float(v @ q)) for cid, v in stored.items()), key=lambda h: -h[1])
        reversed_top = [(cid, 1.0 - n / 100) for n, (cid, _) in enumerate(exact[:40][::-1])]
        with monkeypatch.context() as m:
            m.setattr(index, "search", lambda query, k, allowed=None: reversed_top[:k])
            everything = ArticleFilter(scopes=(GLOBAL_SCOPE,))
            served = await engine.vectors.search(q, 10, everything, False)
        assert [cid for cid, _ in served] == [cid for cid, _ in exact[:10]]
        # A filter: the hits it lets through are scored exactly too.
        article = await engine.store.articles.get(GLOBAL_SCOPE, "ov-001")
        assert article is not None and article.outlet
        one_outlet = ArticleFilter(scopes=(GLOBAL_SCOPE,), outlets=(article.outlet,))
        narrow = await engine.vectors.search(q, 5, one_outlet, True)
        assert narrow and all(s == pytest.approx(float(stored[cid] @ q), abs=1e-6) for cid, s in narrow)
        assert set(await engine.store.search.admitted_chunks([c for c, _ in narrow], one_outlet)) == {
            c for c, _ in narrow
        }
        assert await engine.vectors.search(q, 0, everything, False) == []
    finally:
        await engine.close()
