"""The FAISS file beside sitrep.db: loaded when it matches the store, rebuilt from stored vectors when not."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from index.engine import Engine
from tests.conftest import FakeEmbedder
from tests.index.stores import consistent, ingested


@pytest.mark.parametrize("damage", ["missing", "truncated", "garbage", "other ids"])
async def test_a_damaged_index_file_is_repaired_on_open(tmp_path: Path, damage: str) -> None:
    data = tmp_path / "data"
    engine = await ingested(data)
    expected = (await engine.stats()).articles, engine.vectors.size
    if damage == "other ids":
        # The right version and model in the metadata, but not the stored chunks: only the id check sees it.
        engine.vectors.index.remove([int(i) for i in engine.vectors.index.ids()[:3]])
        engine.vectors.index.save(engine.index_path)
    await engine.close()
    path = data / "vectors.faiss"
    if damage == "missing":
        path.unlink()
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x00" * 4096)
    assert await consistent(data) == expected


async def test_a_stale_index_file_is_rebuilt_from_stored_vectors(tmp_path: Path) -> None:
    data = tmp_path / "data"
    engine = await ingested(data)
    chunks = (await engine.stats()).chunks
    await engine.close()

    # A crash after the SQLite commit but before the index was saved: the file lags the store.
    (data / "vectors.faiss").unlink()
    engine = await Engine.open(data, embedder=FakeEmbedder())
    try:
        assert engine.vectors.size == chunks
        assert (data / "vectors.faiss").exists()
    finally:
        await engine.close()

    # A truncated index file is rebuilt too.
    (data / "vectors.faiss").write_bytes(b"garbage")
    sqlite3.connect(data / "sitrep.db").execute(
        "UPDATE meta SET value = '0' WHERE key = 'index_version'"
    ).connection.commit()
    engine = await Engine.open(data, embedder=FakeEmbedder())
    try:
        assert engine.vectors.size == chunks
    finally:
        await engine.close()
