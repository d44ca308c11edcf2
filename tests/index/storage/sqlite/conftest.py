"""Fixtures of the embedded store's tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from index.storage.sqlite.store import SqliteStore


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    """An empty embedded store in a data dir of its own."""
    s = await SqliteStore.open(tmp_path / "data")
    yield s
    await s.close()
