"""PgWatches: the watches role's contract (tests/index/storage/watch_contract.py) on the postgres store."""

from __future__ import annotations

from tests.index.storage.watch_contract import WatchesContract


class TestPgWatches(WatchesContract):
    """Every check of the contract, on an empty store (the ``store`` fixture)."""
