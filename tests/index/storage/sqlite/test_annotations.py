"""SqliteAnnotations: the annotations role's contract (tests/index/storage/contracts.py) on the embedded store."""

from __future__ import annotations

from tests.index.storage.contracts import AnnotationsContract


class TestSqliteAnnotations(AnnotationsContract):
    """Every check of the contract, on an empty embedded store (the ``store`` fixture)."""
