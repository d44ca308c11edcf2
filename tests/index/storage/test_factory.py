"""Choosing a storage backend from a database URL, and opening it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from index.storage.factory import embedded_dir, is_postgres, open_storage, open_vector_search


def test_backend_selection() -> None:
    assert is_postgres("postgresql://u@h/db") and is_postgres("postgres://h/db")
    assert not is_postgres(None) and not is_postgres("") and not is_postgres("sqlite:///data")
    assert embedded_dir(None, Path("data")) == Path("data")
    assert embedded_dir("sqlite:////srv/sitrep", Path("data")) == Path("/srv/sitrep")
    assert embedded_dir("sqlite:///rel/dir", Path("data")) == Path("rel/dir")
    with pytest.raises(ValueError):
        embedded_dir("mysql://h/db", Path("data"))


@pytest.mark.parametrize(
    ("url", "postgres"),
    [
        ("postgresql://u:p@db.example:5432/sitrep", True),
        ("postgres://db.example/sitrep", True),
        ("postgresql+psycopg://db.example/sitrep", True),
        ("POSTGRESQL://db.example/sitrep", False),  # schemes are matched as written
        ("sqlite:///data", False),
        ("", False),
        (None, False),
    ],
)
def test_is_postgres(url: str | None, postgres: bool) -> None:
    assert is_postgres(url) is postgres


@pytest.mark.parametrize(
    ("url", "folder"),
    [
        (None, Path("data")),
        ("", Path("data")),
        ("sqlite:////srv/sitrep", Path("/srv/sitrep")),
        ("sqlite:///rel/dir", Path("rel/dir")),
        ("sqlite:///./here", Path("here")),
    ],
)
def test_embedded_dir(url: str | None, folder: Path) -> None:
    assert embedded_dir(url, Path("data")) == folder


@pytest.mark.parametrize("url", ["sqlite:///", "sqlite://data", "mysql://h/db", "postgresql://h/db", "data"])
def test_embedded_dir_names_what_it_accepts(url: str) -> None:
    with pytest.raises(
        ValueError,
        match=re.escape(f"SITREP_DATABASE_URL must be sqlite:///DIR or postgresql://…, not {url!r}"),
    ):
        embedded_dir(url, Path("data"))


async def test_the_embedded_store_opens_in_the_url_folder_with_its_vector_search(tmp_path: Path) -> None:
    from index.storage.sqlite.faiss_vectors import FaissVectors
    from index.storage.sqlite.store import SqliteStore

    store = await open_storage(tmp_path / "data", f"sqlite:///{tmp_path / 'elsewhere'}")
    try:
        assert isinstance(store, SqliteStore) and store.folder == tmp_path / "elsewhere"
        assert (tmp_path / "elsewhere" / "sitrep.db").exists() and not (tmp_path / "data").exists()
        vectors = open_vector_search(
            store, dim=4, model="m", on_index=_run, on_build=_run, fill_missing=_nothing
        )
        assert isinstance(vectors, FaissVectors) and vectors.dim == 4
    finally:
        await store.close()


async def test_postgres_opens_from_its_url(pg_url: str) -> None:
    from index.storage.postgres.store import PgStore
    from index.storage.postgres.vectors import PgVectors

    store = await open_storage(Path("unused"), pg_url)
    try:
        assert isinstance(store, PgStore)
        vectors = open_vector_search(
            store, dim=4, model="m", on_index=_run, on_build=_run, fill_missing=_nothing
        )
        assert isinstance(vectors, PgVectors)
        assert await store.counts() == (0, 0, 0)
    finally:
        await store.close()


async def _run(fn: Any, *args: Any) -> Any:
    return fn(*args)


async def _nothing() -> None:
    """No chunk lacks a vector in these empty stores."""
