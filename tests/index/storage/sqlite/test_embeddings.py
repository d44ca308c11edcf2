"""SqliteEmbeddings: the embeddings role's contract (tests/index/storage/contracts.py) on the embedded store."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.index.storage.contracts import EmbeddingsContract, SentenceVectorsContract
from tests.index.stores import ingested


class TestSqliteEmbeddings(EmbeddingsContract):
    """Every check of the contract, on an empty embedded store (the ``store`` fixture)."""


class TestSqliteSentenceVectors(SentenceVectorsContract):
    """The embedded store keeps sentence vectors (float16), so questions need not embed sentences."""


async def test_reading_every_vector_leaves_the_questions_reader_free(tmp_path: Path) -> None:
    # A rebuild reads every stored vector; on the shared reader it queued each question's lookups
    # behind every batch. The shared reader is made unusable here: the read must not need it.
    engine = await ingested(tmp_path / "data")
    try:
        embeddings = engine.store.embeddings
        expected = await embeddings.vector_chunk_ids(engine.embedder.name)

        def refused(*args: object, **kwargs: object) -> None:
            raise AssertionError("the shared reader was used")

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(embeddings.db.reader, "execute", refused)
            batches = await embeddings.iter_vectors(engine.embedder.name, batch=7)
        ids = np.concatenate([ids for ids, _ in batches])
        assert np.array_equal(ids, expected) and len(batches) > 1
        assert all(vecs.shape == (len(i), engine.embedder.dim) for i, vecs in batches)
    finally:
        await engine.close()
