"""Choosing a storage backend from a database URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.storage.factory import embedded_dir, is_postgres


def test_backend_selection() -> None:
    assert is_postgres("postgresql://u@h/db") and is_postgres("postgres://h/db")
    assert not is_postgres(None) and not is_postgres("") and not is_postgres("sqlite:///data")
    assert embedded_dir(None, Path("data")) == Path("data")
    assert embedded_dir("sqlite:////srv/sitrep", Path("data")) == Path("/srv/sitrep")
    assert embedded_dir("sqlite:///rel/dir", Path("data")) == Path("rel/dir")
    with pytest.raises(ValueError):
        embedded_dir("mysql://h/db", Path("data"))
