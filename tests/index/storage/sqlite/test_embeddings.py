"""SqliteEmbeddings: the embeddings role's contract (tests/index/storage/contracts.py) on the embedded store."""

from __future__ import annotations

from tests.index.storage.contracts import EmbeddingsContract, SentenceVectorsContract


class TestSqliteEmbeddings(EmbeddingsContract):
    """Every check of the contract, on an empty embedded store (the ``store`` fixture)."""


class TestSqliteSentenceVectors(SentenceVectorsContract):
    """The embedded store keeps sentence vectors (float16), so questions need not embed sentences."""
