"""SqliteArrivals: the arrivals role's contract (tests/index/storage/contracts.py) on the embedded store."""

from __future__ import annotations

from tests.index.storage.contracts import ArrivalsContract


class TestSqliteArrivals(ArrivalsContract):
    """Every check of the contract, on an empty embedded store (the ``store`` fixture)."""
