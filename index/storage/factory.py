"""The one place a backend is chosen, by the database URL (txtai's ``ann/factory.py`` in spirit).

* embedded (the default): ``sqlite.store.SqliteStore`` + ``sqlite.faiss_vectors.FaissVectors``, a
  FAISS file in the data dir kept in step with the database. One machine, nothing to run.
* ``postgres.store.PgStore`` + ``postgres.vectors.PgVectors``: PostgreSQL with pgvector, shared by
  any number of bot shards and workers; vectors are a column of the chunks table.

``SITREP_DATABASE_URL`` picks one: unset or ``sqlite:///DIR`` → embedded (``DIR`` holds ``sitrep.db``
and ``vectors.faiss``; the data dir when unset), ``postgresql://…`` → Postgres.

Each backend is imported when it is opened, so a process never loads the other one's driver.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from index.storage.protocols import Runner, Storage, VectorSearch

SQLITE_PREFIX = "sqlite:///"
POSTGRES_PREFIXES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_postgres(url: str | None) -> bool:
    """Whether a database URL names PostgreSQL (else: the embedded SQLite + FAISS store)."""
    return bool(url) and str(url).startswith(POSTGRES_PREFIXES)


def embedded_dir(url: str | None, data_dir: Path) -> Path:
    """The folder of the embedded store: ``DIR`` of ``sqlite:///DIR``, else the data dir.

    ``sqlite:////abs/dir`` is absolute and ``sqlite:///rel/dir`` relative, as in SQLAlchemy URLs.
    """
    if not url:
        return data_dir
    if not url.startswith(SQLITE_PREFIX) or len(url) == len(SQLITE_PREFIX):
        raise ValueError(f"SITREP_DATABASE_URL must be sqlite:///DIR or postgresql://…, not {url!r}")
    return Path(url[len(SQLITE_PREFIX) :])


async def open_storage(data_dir: Path, url: str | None) -> Storage:
    """Open (creating if needed) the store ``url`` names; the embedded one holds its data dir's
    "in use" lock until it is closed."""
    if is_postgres(url):
        from index.storage.postgres.store import PgStore

        assert url is not None
        return await PgStore.open(url)
    from index.storage.sqlite.store import SqliteStore

    return await SqliteStore.open(embedded_dir(url, data_dir))


def open_vector_search(
    store: Storage,
    *,
    dim: int,
    model: str,
    on_index: Runner,
    on_build: Runner,
    fill_missing: Callable[[], Awaitable[None]],
    when_idle: Callable[[], Awaitable[Any]] | None = None,
) -> VectorSearch:
    """The vector search that goes with ``store`` (call ``load()`` on it before use).

    Args:
        store: what ``open_storage`` returned.
        dim: the embedder's vector dimension.
        model: the name vectors are stored under.
        on_index, on_build: run work on the engine's index and build threads (FAISS only).
        fill_missing: embeds stored chunks lacking a vector for ``model`` (before a rebuild).
        when_idle: returns once no question is being answered (FAISS rebuilds yield to questions).
    """
    from index.storage.sqlite.store import SqliteStore

    if isinstance(store, SqliteStore):
        from index.storage.sqlite.faiss_vectors import FaissVectors

        return FaissVectors(
            store,
            dim=dim,
            model=model,
            on_index=on_index,
            on_build=on_build,
            fill_missing=fill_missing,
            when_idle=when_idle,
        )
    from index.storage.postgres.store import PgStore
    from index.storage.postgres.vectors import PgVectors

    assert isinstance(store, PgStore)
    return PgVectors(store, dim=dim, model=model, fill_missing=fill_missing)
