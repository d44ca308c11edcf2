"""An ArticleFilter as SQL over Postgres: the embedded store's filter cases (sqlite/test_filters.py), on
the same articles, admit the same articles here."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from index.engine import Engine
from index.models import GLOBAL_SCOPE
from index.storage.postgres.filters import filter_sql
from index.storage.postgres.store import PgStore
from index.storage.records import ArticleFilter
from tests.conftest import FakeEmbedder
from tests.index.storage.sqlite.test_filters import GLOBAL, OTHER_SCOPE

D = date
SPELLED = (("Tarsa", ("Tarsa", "Ur")),)
CASES: list[Any] = [
    ({}, {"published", "stated", "yesterday", "bare-year", "lookalike"}),
    ({"scopes": ("4242",)}, {"elsewhere"}),
    ({"outlets": ("ORVIK POST",)}, {"published", "bare-year"}),
    ({"intervals": ((D(2025, 3, 12), D(2025, 3, 12)),)}, {"published", "stated", "yesterday"}),
    ({"intervals": ((D(2025, 3, 14), D(2025, 3, 19)),)}, set()),
    ({"intervals": ((D(2019, 1, 1), D(2019, 12, 31)),)}, {"bare-year"}),
    ({"intervals": ((D(2019, 1, 1), D(2019, 6, 30)),)}, set()),
    ({"exclude_outlets": ("harbor wire", "Orvik Post")}, {"yesterday"}),
    pytest.param({"places": ("Pellin",)}, {"published"}, id="Pellin-not-Pellinburg"),
    ({"places": ("Pellin",), "scopes": ("4242",)}, {"elsewhere"}),
    # "Ur" is inside "buried" and "Pellinburg".
    pytest.param({"places": ("Tarsa",), "place_spellings": SPELLED}, {"stated", "yesterday"}),
    pytest.param({"places": ("Tarsa", "Ur"), "place_spellings": SPELLED}, {"yesterday"}),
]


@pytest.fixture
async def store(tmp_path: Path, pg_url: str) -> AsyncIterator[PgStore]:
    async with await Engine.open(tmp_path / "data", embedder=FakeEmbedder(), database_url=pg_url) as engine:
        for name, scope, records in (("g", GLOBAL_SCOPE, GLOBAL), ("o", "4242", OTHER_SCOPE)):
            path = tmp_path / f"{name}.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
            assert (await engine.ingest([str(path)], scope=scope)).added == len(records)
        assert isinstance(engine.store, PgStore)
        yield engine.store


@pytest.mark.parametrize(("kwargs", "expected"), CASES)
async def test_a_filter_admits_what_the_embedded_store_admits(
    store: PgStore, kwargs: dict[str, Any], expected: set[str]
) -> None:
    f = ArticleFilter(**({"scopes": (GLOBAL_SCOPE,)} | kwargs))
    where, args = filter_sql(f)
    rows = await store.db.fetch_all(f"SELECT a.id FROM articles a WHERE {where}", args)
    assert {r["id"] for r in rows} == expected
    # The same, with its places and dates read as one set of article row ids (filter_sets.py).
    where, args = await store.filter_sets.where(f)
    rows = await store.db.fetch_all(f"SELECT a.id FROM articles a WHERE {where}", args)
    assert {r["id"] for r in rows} == expected
    assert await store.search.count(f) == len(expected)
    # The chunks it admits, summed from its articles' chunk counts where places and dates are all it
    # restricts (what the vector search's choice of exact or HNSW reads), as SQL counts them.
    chunks = await store.filter_sets.admitted_chunks(f)
    assert (chunks is None) == (not (f.places or f.intervals) or bool(f.outlets or f.exclude_outlets))
    if chunks is not None:
        row = await store.db.fetch_one(
            "SELECT count(*) AS n FROM chunks c JOIN articles a ON a.scope = c.scope AND a.rowid = c.article_rowid"
            f" WHERE {where}",
            args,
        )
        assert row is not None and chunks == row["n"]


async def test_a_place_set_is_kept_until_another_connection_commits(
    store: PgStore, tmp_path: Path, pg_url: str
) -> None:
    f = ArticleFilter(scopes=(GLOBAL_SCOPE,), places=("Pellin",))
    sets = store.filter_sets
    await sets.where(f)
    chunks = await sets.admitted_chunks(f)
    kept = dict(sets.cache._values)
    await sets.where(f)
    assert kept and all(sets.cache._values[key] is rows for key, rows in kept.items())  # not read again
    # Another process ingests a report from Pellin: the next question's filter admits it.
    path = tmp_path / "more.jsonl"
    path.write_text(
        json.dumps({"id": "later", "published": "2025-03-21", "text": "Pellin was shelled."}) + "\n"
    )
    async with await Engine.open(tmp_path / "other", embedder=FakeEmbedder(), database_url=pg_url) as other:
        assert (await other.ingest([str(path)])).added == 1
    where, args = await sets.where(f)
    rows = await store.db.fetch_all(f"SELECT a.id FROM articles a WHERE {where}", args)
    assert {r["id"] for r in rows} == {"published", "later"}
    assert chunks and await sets.admitted_chunks(f) == chunks + 1  # its one chunk counted
