"""Embedded stores for tests: the samples ingested with the fake embedder, and the index-matches-store check."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.engine import Engine
from tests.conftest import SAMPLES, FakeEmbedder


async def ingested(data: Path) -> Engine:
    """An open engine over ``data`` with the sample reports ingested (the fake embedder)."""
    engine = await Engine.open(data, embedder=FakeEmbedder())
    report = await engine.ingest([str(SAMPLES / "reports.jsonl")])
    assert report.added > 0
    return engine


async def populate(data: Path) -> None:
    """``data`` with the sample reports ingested, closed again."""
    await (await ingested(data)).close()


async def consistent(data: Path) -> tuple[int, int]:
    """Open, and check the FAISS ids equal the store's chunk ids; returns (articles, vectors)."""
    async with await Engine.open(data, embedder=FakeEmbedder()) as engine:
        stored = await engine.store.embeddings.vector_chunk_ids(engine.embedder.name)
        assert len(stored) and np.array_equal(engine.vectors.index.ids(), stored)
        return (await engine.stats()).articles, engine.vectors.size
