"""The posted role's contract (tests/index/storage/posted_contract.py) on the postgres store."""

from __future__ import annotations

from tests.index.storage.posted_contract import PostedContract


class TestPgPosted(PostedContract):
    """Every check of the contract, on an empty store (the ``store`` fixture)."""
