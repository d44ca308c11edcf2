"""What an ArticleFilter admits in the embedded store: scopes, outlets, dates (published, stated in the text,
spoken of by a chunk, a bare year), left-out outlets, and places as whole words in any spelling."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.engine import Engine
from index.models import GLOBAL_SCOPE
from index.storage.records import ArticleFilter
from index.storage.sqlite.filters import SHORT_INTERVAL_DAYS, _days_of_year, fts_phrase
from index.storage.sqlite.store import SqliteStore
from tests.conftest import FakeEmbedder

GLOBAL = [
    {"id": "published", "outlet": "Orvik Post", "published": "2025-03-12",
     "text": "Shelling hit Pellin overnight, the mayor said."},
    {"id": "stated", "outlet": "Harbor Wire", "published": "2025-03-20",
     "text": "On March 12, shells hit Tarsa, officials said."},
    {"id": "yesterday", "published": "2025-03-13",
     "text": "Yesterday, drones struck Ur, the governor said."},
    {"id": "bare-year", "outlet": "orvik post", "published": "2024-06-01",
     "text": "In 2019, a landslide buried the Venmark quarry, residents recalled."},
    {"id": "lookalike", "outlet": "Harbor Wire", "published": "2025-04-02",
     "text": "Pellinburg residents said the night was quiet."},
]  # fmt: skip
OTHER_SCOPE = [
    {
        "id": "elsewhere",
        "outlet": "Orvik Post",
        "published": "2025-03-12",
        "text": "Shelling hit Pellin again.",
    }
]
D = date


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    async with await Engine.open(tmp_path / "data", embedder=FakeEmbedder()) as engine:
        for name, scope, records in (("g", GLOBAL_SCOPE, GLOBAL), ("o", "4242", OTHER_SCOPE)):
            path = tmp_path / f"{name}.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
            assert (await engine.ingest([str(path)], scope=scope)).added == len(records)
        assert isinstance(engine.store, SqliteStore)
        yield engine.store


async def admitted(store: SqliteStore, **kwargs: Any) -> set[str]:
    f = ArticleFilter(scopes=kwargs.pop("scopes", (GLOBAL_SCOPE,)), **kwargs)
    rowids = np.flatnonzero(await store.search.admitted_articles(f)).tolist()
    assert await store.search.count(f) == len(rowids)
    rows = await store.db.rows(
        f"SELECT id FROM articles WHERE rowid IN ({','.join('?' * len(rowids))})", rowids
    )
    return {row[0] for row in rows}


async def test_scopes(store: SqliteStore) -> None:
    assert await admitted(store) == {"published", "stated", "yesterday", "bare-year", "lookalike"}
    assert await admitted(store, scopes=("4242",)) == {"elsewhere"}
    assert len(await admitted(store, scopes=(GLOBAL_SCOPE, "4242"))) == 6


async def test_outlets_match_without_regard_to_case(store: SqliteStore) -> None:
    assert await admitted(store, outlets=("ORVIK POST",)) == {"published", "bare-year"}
    assert await admitted(store, outlets=("Orvik Post", "Harbor Wire")) == {
        "published", "bare-year", "stated", "lookalike"
    }  # fmt: skip


async def test_a_day_admits_what_was_published_stated_or_spoken_of_then(store: SqliteStore) -> None:
    # Published that day; the text states "March 12" (the year from its publication); or a chunk
    # speaks of it ("yesterday" in the next day's report).
    assert await admitted(store, intervals=((D(2025, 3, 12), D(2025, 3, 12)),)) == {
        "published", "stated", "yesterday"
    }  # fmt: skip
    assert await admitted(store, intervals=((D(2025, 3, 14), D(2025, 3, 19)),)) == set()
    # Alternatives are or-ed.
    assert await admitted(
        store, intervals=((D(2025, 3, 20), D(2025, 3, 20)), (D(2025, 4, 1), D(2025, 4, 30)))
    ) == {"stated", "lookalike"}


async def test_a_whole_year_admits_an_article_that_names_it_bare(store: SqliteStore) -> None:
    assert await admitted(store, intervals=((D(2019, 1, 1), D(2019, 12, 31)),)) == {"bare-year"}
    # Not a whole year: the bare "2019" does not count.
    assert await admitted(store, intervals=((D(2019, 1, 1), D(2019, 6, 30)),)) == set()


async def test_left_out_outlets_keep_articles_without_an_outlet(store: SqliteStore) -> None:
    assert await admitted(store, exclude_outlets=("harbor wire", "Orvik Post")) == {"yesterday"}
    assert await admitted(
        store, intervals=((D(2025, 3, 12), D(2025, 3, 12)),), exclude_outlets=("Harbor Wire",)
    ) == {"published", "yesterday"}


async def test_places_match_as_words_in_any_spelling(store: SqliteStore) -> None:
    assert await admitted(store, places=("Pellin",)) == {"published"}  # not inside "Pellinburg"
    assert await admitted(store, places=("Pellin",), scopes=("4242",)) == {"elsewhere"}
    spelled = (("Tarsa", ("Tarsa", "Ur")),)
    assert await admitted(store, places=("Tarsa",), place_spellings=spelled) == {"stated", "yesterday"}
    # Every place must match: a second one narrows.
    assert await admitted(store, places=("Tarsa", "Ur"), place_spellings=spelled) == {"yesterday"}
    assert await admitted(store, places=('Pellin" OR "Ur',)) == set()  # one phrase, quotes and all


def test_fts_phrase_quotes_a_term_as_one_phrase() -> None:
    assert fts_phrase("Deir ez-Zor") == '"Deir ez-Zor"'
    assert fts_phrase('say "no"') == '"say ""no"""'


def test_short_intervals_name_their_days_long_ones_do_not() -> None:
    condition, args = _days_of_year(D(2024, 12, 31), D(2025, 1, 1))
    assert condition.count("d.month = ? AND d.day = ?") == 2 and args == [12, 31, 1, 1]
    # Across a leap day: every (month, day) of the interval, in order.
    lo = D(2024, 2, 28)
    assert _days_of_year(lo, D(2024, 3, 1))[1] == [2, 28, 2, 29, 3, 1]
    assert _days_of_year(lo, D.fromordinal(lo.toordinal() + SHORT_INTERVAL_DAYS)) == ("", [])


async def test_years_for_a_day_come_from_publication_the_text_and_chunks_in_the_scopes(
    store: SqliteStore,
) -> None:
    # Published on March 12, 2025; "On March 12" in a report of March 20; "yesterday" on March 13.
    assert await store.search.years_for(3, 12, (GLOBAL_SCOPE,)) == [2025]
    assert await store.search.years_for(6, 1, (GLOBAL_SCOPE,)) == [2024]  # published June 1, 2024
    assert await store.search.years_for(6, None, (GLOBAL_SCOPE,)) == [2024]  # any day of June
    assert await store.search.years_for(3, 14, (GLOBAL_SCOPE,)) == []
    assert await store.search.years_for(6, 1, ("4242",)) == []  # another scope's articles
    assert await store.search.years_for(3, 12, ("4242",)) == [2025]
    # Nothing stated and nothing published on March 12: the "yesterday" report's chunk alone counts.
    await store.db.writer.execute("DELETE FROM article_dates")
    await store.db.writer.execute("UPDATE articles SET published = '2025-03-13' WHERE id != 'yesterday'")
    await store.db.writer.commit()
    assert await store.search.years_for(3, 12, (GLOBAL_SCOPE,)) == [2025]
