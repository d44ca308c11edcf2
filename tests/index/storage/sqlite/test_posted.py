"""The posted role's contract (tests/index/storage/posted_contract.py) on the sqlite store."""

from __future__ import annotations

from tests.index.storage.posted_contract import PostedContract


class TestSqlitePosted(PostedContract):
    """Every check of the contract, on an empty store (the ``store`` fixture)."""
