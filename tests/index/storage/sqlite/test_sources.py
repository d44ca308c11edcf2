"""SqliteSources: the sources role's contract (tests/index/storage/contracts.py) on the embedded store."""

from __future__ import annotations

from tests.index.storage.contracts import SourcesContract


class TestSqliteSources(SourcesContract):
    """Every check of the contract, on an empty embedded store (the ``store`` fixture)."""
