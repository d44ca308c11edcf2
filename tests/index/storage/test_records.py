"""The records both backends share, and the row mappings to and from them."""

from __future__ import annotations

import sqlite3
from dataclasses import FrozenInstanceError, fields
from datetime import UTC, date, datetime

import numpy as np
import pytest

from index.models import Article, Chunk, Claim, SourceInfo
from index.storage.records import (
    ArticleFilter,
    NewArticle,
    article_from_row,
    article_values,
    claim_from_row,
    claim_values,
    source_from_row,
    utc_now,
)

CLAIM = Claim(
    speaker="Varna ministry",
    speaker_start=40,
    speaker_end=54,
    cue="said",
    text="“We held,”",
    start=20,
    end=30,
)


def new_article(**changes: object) -> NewArticle:
    values: dict[str, object] = {
        "id": "c-1",
        "title": "Silo hit",
        "outlet": "Varna Post",
        "url": None,
        "published": date(2025, 3, 12),
        "published_from": "given",
        "language": "en",
        "text": "Artillery hit the silo.",
        "content_hash": "h" * 64,
        "mentioned_dates": (),
        "chunks": (Chunk("c-1", 0, 0, 23, "Artillery hit the silo."),),
        "vectors": np.zeros((1, 4), dtype="float32"),
    }
    return NewArticle(**(values | changes))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("f", "restricts"),
    [
        (ArticleFilter(scopes=("global", "42")), False),
        (
            ArticleFilter(scopes=("global",), place_spellings=(("Tarsa", ("Tarsa",)),)),
            False,
        ),  # spellings alone
        (ArticleFilter(scopes=("global",), outlets=("Varna Post",)), True),
        (ArticleFilter(scopes=("global",), places=("Tarsa",)), True),
        (ArticleFilter(scopes=("global",), exclude_outlets=("Varna Post",)), True),
        (ArticleFilter(scopes=("global",), intervals=((date(2025, 3, 1), date(2025, 3, 2)),)), True),
    ],
)
def test_a_filter_restricts_when_anything_but_its_scopes_narrows_it(
    f: ArticleFilter, restricts: bool
) -> None:
    assert f.restricts is restricts


def test_a_filter_is_a_hashable_value() -> None:
    # The read cache files counts under the filter itself.
    a = ArticleFilter(scopes=("global",), outlets=("Varna Post",))
    assert a == ArticleFilter(scopes=("global",), outlets=("Varna Post",)) and hash(a) == hash(
        ArticleFilter(scopes=("global",), outlets=("Varna Post",))
    )
    with pytest.raises(FrozenInstanceError):
        a.scopes = ()  # type: ignore[misc]


def test_a_new_articles_derived_fields_default_to_empty() -> None:
    art = new_article()
    assert (art.claims, art.chunk_days, art.sketch, art.names) == ((), (), (), ())


def test_article_values_are_the_articles_columns_in_order() -> None:
    values = article_values("global", 7, new_article(), "2025-03-12T10:00:00+00:00")
    assert values == (
        "global", "c-1", 7, "Silo hit", "Varna Post", None, "2025-03-12", "given", "en",
        "2025-03-12T10:00:00+00:00", "Artillery hit the silo.", "h" * 64,
    )  # fmt: skip
    assert article_values("global", 7, new_article(published=None), "now")[6] is None


def test_an_article_row_round_trips() -> None:
    con = sqlite3.connect(":memory:")
    con.row_factory = sqlite3.Row
    columns = "scope, id, source_id, title, outlet, url, published, published_from, language, ingested_at, text, content_hash"
    con.execute(f"CREATE TABLE articles ({columns})")
    con.execute(
        f"INSERT INTO articles VALUES ({','.join('?' * 12)})", article_values("42", 7, new_article(), "now")
    )
    article = article_from_row(con.execute("SELECT * FROM articles").fetchone())
    assert article == Article(
        id="c-1",
        title="Silo hit",
        outlet="Varna Post",
        url=None,
        published=date(2025, 3, 12),
        published_from="given",
        language="en",
        ingested_at="now",
        text="Artillery hit the silo.",
        source_id=7,
        scope="42",
    )
    undated = {**dict(con.execute("SELECT * FROM articles").fetchone()), "published": None}
    assert article_from_row(undated).published is None  # a dict row (as psycopg gives) works too


def test_claim_values_and_rows() -> None:
    assert claim_values([CLAIM], 9) == [(9, 20, 30, "Varna ministry", 40, 54, "said")]
    assert claim_values((), 9) == []
    row = {f.name: getattr(CLAIM, f.name) for f in fields(Claim)} | {"extra": "ignored"}
    assert claim_from_row(row) == CLAIM


def test_source_from_row() -> None:
    row = {
        "id": 3, "scope": "42", "kind": "feed", "location": "https://x.example/rss", "added_at": "t",
        "added_by": "u1", "n": 12,
    }  # fmt: skip
    assert source_from_row(row) == SourceInfo(
        id=3,
        scope="42",
        kind="feed",
        location="https://x.example/rss",
        added_at="t",
        added_by="u1",
        articles=12,
    )


def test_utc_now_is_iso_8601_to_the_second() -> None:
    stamp = utc_now()
    parsed = datetime.fromisoformat(stamp)
    assert parsed.tzinfo == UTC and parsed.microsecond == 0 and stamp.endswith("+00:00")
