"""What a store written by an older sitrep lacks is filled in when it is opened, once per kind."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from index.attribution.claims import CLAIMS_VERSION
from index.engine import Engine
from index.ingest import backfill as backfill_module
from index.ingest.backfill import backfill
from index.storage.sqlite.store import SqliteStore
from index.text.place_names import NAMES_VERSION
from index.threads import EngineThreads
from tests.conftest import FakeEmbedder

ARTICLES = [
    {
        "id": f"c-{n}",
        "outlet": "Varna Post",
        "published": f"2025-03-1{n}",
        "text": f"Artillery hit grain silo {n} on Tuesday. “We held the line at silo {n},” the Varna Defense"
        f" Ministry said. According to the district hospital, {n + 2} people were wounded in Orvik.",
    }
    for n in range(5)
]
META_KEYS = ("claims_version", "chunk_dates", "copies_and_names", "names_version")


async def stored(tmp_path: Path, articles: list[dict[str, Any]] = ARTICLES) -> Path:
    """A data dir with ``articles`` ingested (and closed again)."""
    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    data = tmp_path / "data"
    async with await Engine.open(data, embedder=FakeEmbedder()) as engine:
        assert (await engine.ingest([str(src)])).added == len(articles)
    return data


def claim_rows(data: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(data / "sitrep.db") as db:
        return db.execute(
            'SELECT article_rowid, start, "end", speaker, cue FROM claims ORDER BY article_rowid, start'
        ).fetchall()


def derived_rows(data: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of what backfill derives (claims, chunk days, sketches, copies, name spellings)."""
    with sqlite3.connect(data / "sitrep.db") as db:
        rows = {
            table: sorted(db.execute(f"SELECT * FROM {table}").fetchall())
            for table in ("chunk_dates", "article_sketches", "duplicates", "name_spellings")
        }
    return rows | {"claims": claim_rows(data)}  # without their ids, which a rewrite renumbers


def forget(data: Path, *keys: str, tables: tuple[str, ...] = ()) -> None:
    """Make the store look as an older sitrep left it: no meta marks for ``keys``, ``tables`` empty."""
    with sqlite3.connect(data / "sitrep.db") as db:
        for table in tables:
            db.execute(f"DELETE FROM {table}")
        db.executemany("DELETE FROM meta WHERE key = ?", [(k,) for k in keys])


DONE = {
    "claims_version": CLAIMS_VERSION,
    "chunk_dates": "1",
    "copies_and_names": "1",
    "names_version": NAMES_VERSION,
}


async def run_backfill(data: Path) -> dict[str, str | None]:
    """``backfill`` on the store alone (no engine); returns the marks it leaves in the meta table."""
    store = await SqliteStore.open(data)
    threads = EngineThreads()
    try:
        await backfill(store, threads)
        return {k: await store.get_meta(k) for k in META_KEYS}
    finally:
        await store.close()
        threads.shutdown()


async def test_a_store_from_before_claims_is_backfilled_on_open(tmp_path: Path) -> None:
    data = await stored(tmp_path, ARTICLES[:1])
    before = claim_rows(data)
    with sqlite3.connect(data / "sitrep.db") as db:  # what an older sitrep left behind
        db.execute("DELETE FROM claims")
        db.execute("DELETE FROM meta WHERE key = 'claims_version'")
    assert claim_rows(data) == []
    engine = await Engine.open(data, embedder=FakeEmbedder())
    await engine.close()
    assert claim_rows(data) == before and len(before) == 2


async def test_claims_are_read_past_the_first_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = await stored(tmp_path)
    before = claim_rows(data)
    assert {row[0] for row in before} == {1, 2, 3, 4, 5}  # every article has claims
    forget(data, "claims_version", tables=("claims",))
    monkeypatch.setattr(backfill_module, "BATCH", 2)  # 5 articles: batches of 2, 2 and 1
    assert await run_backfill(data) == DONE
    assert claim_rows(data) == before


async def test_claims_of_an_older_extractor_are_replaced(tmp_path: Path) -> None:
    data = await stored(tmp_path)
    before = claim_rows(data)
    with sqlite3.connect(data / "sitrep.db") as db:
        db.execute("UPDATE claims SET speaker = 'Old Extractor'")
        db.execute("UPDATE meta SET value = '0' WHERE key = 'claims_version'")
    assert await run_backfill(data) == DONE
    assert claim_rows(data) == before


def counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[object]:
    """Count the calls backfill makes to its module-level ``name``; returns the list of first args."""
    calls: list[object] = []
    original: Callable[..., Any] = getattr(backfill_module, name)

    def counted(*args: Any) -> Any:
        calls.append(args[0])
        return original(*args)

    monkeypatch.setattr(backfill_module, name, counted)
    return calls


async def test_each_kind_runs_once_and_again_only_when_its_mark_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = await stored(tmp_path)
    fresh = derived_rows(data)
    assert all(fresh[t] for t in ("claims", "chunk_dates", "article_sketches", "name_spellings"))
    calls = {name: counting(monkeypatch, name) for name in ("extract_claims", "chunk_days", "sketch")}

    assert await run_backfill(data) == DONE  # an up-to-date store: nothing is read again
    assert {name: len(c) for name, c in calls.items()} == {"extract_claims": 0, "chunk_days": 0, "sketch": 0}

    forget(data, *META_KEYS)  # every mark gone, the rows still there: recomputed, and the same
    assert await run_backfill(data) == DONE
    assert {name: len(c) for name, c in calls.items()} == {"extract_claims": 5, "chunk_days": 5, "sketch": 5}
    assert derived_rows(data) == fresh

    forget(data, *META_KEYS, tables=tuple(fresh))  # the rows gone too: all of them come back
    assert await run_backfill(data) == DONE
    assert derived_rows(data) == fresh


async def test_an_empty_store_is_marked_done(tmp_path: Path) -> None:
    # A new store has nothing to fill: marked at once, so its first articles are never read twice.
    assert await run_backfill(tmp_path / "data") == DONE


async def test_names_found_by_a_newer_reader_are_added_without_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A store from before names in other scripts were read: its names are read again, nothing else.
    data = await stored(tmp_path)
    fresh = derived_rows(data)
    forget(data, "names_version", tables=("name_spellings",))
    calls = {name: counting(monkeypatch, name) for name in ("name_spellings", "sketch", "extract_claims")}
    assert await run_backfill(data) == DONE
    assert {name: len(c) for name, c in calls.items()} == {
        "name_spellings": 5,
        "sketch": 0,
        "extract_claims": 0,
    }
    assert derived_rows(data) == fresh


async def test_a_store_from_before_names_version_reads_its_names_again_in_postgres(
    pg_url: str, tmp_path: Path
) -> None:
    # PostgreSQL stamps its meta when it opens: a store from before must not be stamped as done.
    import psycopg

    source = tmp_path / "bridge.txt"
    source.write_text(
        "Поезда снова ходят через мост над рекой Лавой, заявили в управлении.", encoding="utf-8"
    )
    async with await Engine.open(tmp_path / "d", embedder=FakeEmbedder(), database_url=pg_url) as engine:
        assert (await engine.ingest([str(source)])).added == 1
    with psycopg.connect(pg_url, autocommit=True) as db:
        before = db.execute("SELECT key, spelling FROM name_spellings ORDER BY 1, 2").fetchall()
        assert ("=lav", "Лавой") in before
        db.execute("DELETE FROM name_spellings")
        db.execute("DELETE FROM meta WHERE key = 'names_version'")
    async with await Engine.open(tmp_path / "d", embedder=FakeEmbedder(), database_url=pg_url):
        pass
    with psycopg.connect(pg_url, autocommit=True) as db:
        assert db.execute("SELECT key, spelling FROM name_spellings ORDER BY 1, 2").fetchall() == before
        assert db.execute("SELECT value FROM meta WHERE key = 'names_version'").fetchone() == (NAMES_VERSION,)
