"""PgArrivals: the arrivals role's contract (tests/index/storage/contracts.py) on PostgreSQL."""

from __future__ import annotations

from tests.index.storage.contracts import ArrivalsContract


class TestPgArrivals(ArrivalsContract):
    """Every check of the contract, on an empty Postgres database (the ``store`` fixture)."""
