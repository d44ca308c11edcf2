"""Fixtures of the Postgres backend tests."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.storage.postgres.store import PgStore


@pytest.fixture
async def both_engines(
    sample_template: Path,
    pg_sample_template: str,
    new_database: Callable[..., str],
    tmp_path: Path,
    embedder: SentenceTransformerEmbedder,
) -> AsyncIterator[tuple[Engine, Engine]]:
    """The sample corpus on SQLite + FAISS and on Postgres, each ingested the same way."""
    shutil.copytree(sample_template, tmp_path / "sqlite")
    lite = await Engine.open(tmp_path / "sqlite", embedder=embedder)
    pg = await Engine.open(tmp_path / "pg", embedder=embedder, database_url=new_database(pg_sample_template))
    yield lite, pg
    await lite.close()
    await pg.close()


@pytest.fixture
async def store(pg_url: str) -> AsyncIterator[PgStore]:
    """An empty Postgres store in a database of its own."""
    s = await PgStore.open(pg_url)
    yield s
    await s.close()
