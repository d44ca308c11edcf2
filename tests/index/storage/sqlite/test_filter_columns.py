"""The filter columns in memory follow the database: appends are read as new rows, and anything
updated or removed (counted by the schema's triggers) makes the next refresh read everything again."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np

from index.engine import Engine
from index.models import GLOBAL_SCOPE
from index.storage.sqlite.filter_columns import FilterColumns
from index.storage.sqlite.store import SqliteStore
from tests.conftest import FakeEmbedder


def write(path: Path, *records: dict[str, str]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def in_scope(cols: FilterColumns, scope: str) -> list[int]:
    return [int(i) for i in np.flatnonzero(cols.in_scopes([scope]))]


async def test_appends_are_read_as_new_rows_and_rewrites_read_everything(tmp_path: Path) -> None:
    async with await Engine.open(tmp_path / "data", embedder=FakeEmbedder()) as engine:
        store = engine.store
        assert isinstance(store, SqliteStore)
        first = {"id": "a", "outlet": "Orvik Post", "published": "2025-03-12", "text": "Shelling hit Pellin."}
        await engine.ingest([write(tmp_path / "a.jsonl", first)])
        cols = await FilterColumns().refresh(store.db)
        assert cols.loaded and cols.last_article == 1 and in_scope(cols, GLOBAL_SCOPE) == [1]
        assert cols.published[1] == date(2025, 3, 12).toordinal()
        assert cols.with_outlet(["ORVIK POST"])[1]  # outlets compare casefolded
        before = cols.chunk_article.copy()

        second = {"id": "b", "outlet": "Harbor Wire", "published": "2025-03-13", "text": "Drones struck Ur."}
        await engine.ingest([write(tmp_path / "b.jsonl", second)], scope="4242")
        rewrites = cols.rewrites
        await cols.refresh(store.db)
        assert cols.rewrites == rewrites  # an append: only the new rows were read
        assert np.array_equal(cols.chunk_article[: len(before)], before[: len(before)])
        assert in_scope(cols, "4242") == [2]
        assert cols.chunk_article[cols.last_chunk] == 2

        # An update in place is not an append: the trigger counts it and everything is read again.
        await store.db.writer.execute("UPDATE articles SET outlet = 'Valley Daily' WHERE id = 'a'")
        await store.db.writer.commit()
        await cols.refresh(store.db)
        assert cols.rewrites != rewrites
        assert cols.with_outlet(["valley daily"])[1] and not cols.with_outlet(["orvik post"])[1]

        (source,) = await engine.sources(GLOBAL_SCOPE)
        await engine.remove_source(source.id, scope=GLOBAL_SCOPE)
        await cols.refresh(store.db)
        assert in_scope(cols, GLOBAL_SCOPE) == []
        assert not cols.holding(np.arange(1, cols.last_chunk + 1))[1]  # no chunk maps to the removed article


def test_masks_ignore_row_ids_past_the_arrays() -> None:
    cols = FilterColumns()
    assert not cols.holding(np.array([5, 10_000])).any()
    assert not cols.mask_of(np.array([7])).any()
