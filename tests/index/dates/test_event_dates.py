"""Event dates: the days a report speaks of, resolved against its publication date."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from index.cli.render import format_answer
from index.dates.event_dates import describe_days, event_mentions
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from tests.conftest import FakeEmbedder

MONDAY = date(2020, 7, 13)


def resolved(text: str, published: date | None) -> list[tuple[str, str, str]]:
    return [(text[m.start : m.end], str(m.first), str(m.last)) for m in event_mentions(text, published)]


@pytest.mark.parametrize(
    ("text", "published", "phrase", "first", "last"),
    [
        ("Shelling resumed on Sunday.", MONDAY, "on Sunday", "2020-07-12", "2020-07-12"),
        ("Sunday's strike hit a depot.", MONDAY, "Sunday's", "2020-07-12", "2020-07-12"),
        ("Yesterday two drones fell.", MONDAY, "Yesterday", "2020-07-12", "2020-07-12"),
        ("Clashes continued last night.", MONDAY, "last night", "2020-07-12", "2020-07-12"),
        ("It began on Tuesday night.", MONDAY, "on Tuesday", "2020-07-07", "2020-07-07"),
        ("On Monday the ministry said", MONDAY, "On Monday", "2020-07-13", "2020-07-13"),
        ("last Monday's raid", MONDAY, "last Monday's", "2020-07-06", "2020-07-06"),
        ("Talks are set for next Friday.", MONDAY, "next Friday", "2020-07-17", "2020-07-17"),
        ("This morning a convoy left.", MONDAY, "This morning", "2020-07-13", "2020-07-13"),
        ("three days ago", MONDAY, "three days ago", "2020-07-10", "2020-07-10"),
        ("the day before yesterday", MONDAY, "the day before yesterday", "2020-07-11", "2020-07-11"),
        ("Fighting on July 12 killed four.", MONDAY, "July 12", "2020-07-12", "2020-07-12"),
        ("Fighting on 12 July killed four.", MONDAY, "12 July", "2020-07-12", "2020-07-12"),
        ("Fighting on July 12-13 killed four.", MONDAY, "July 12-13", "2020-07-12", "2020-07-13"),
        ("Fighting on 12 to 13 July.", MONDAY, "12 to 13 July", "2020-07-12", "2020-07-13"),
        (
            "Earlier this week a drone fell.",
            date(2020, 7, 16),
            "Earlier this week",
            "2020-07-13",
            "2020-07-15",
        ),
        ("Last week the front was quiet.", MONDAY, "Last week", "2020-07-06", "2020-07-12"),
        (
            "The strike on December 30 killed two.",
            date(2021, 1, 5),
            "December 30",
            "2020-12-30",
            "2020-12-30",
        ),
        ("Sunday, July 12, 2020: shelling", None, "Sunday, July 12, 2020", "2020-07-12", "2020-07-12"),
    ],
)
def test_day_phrases_resolve_against_the_publication_date(
    text: str, published: date | None, phrase: str, first: str, last: str
) -> None:
    assert (phrase, first, last) in resolved(text, published)


def test_relative_phrases_need_a_publication_date() -> None:
    assert resolved("Yesterday, on Sunday, two were killed.", None) == []


def test_describe_days() -> None:
    assert describe_days([date(2020, 7, 12)]) == "12 July 2020"
    assert describe_days([date(2020, 7, 11), date(2020, 7, 12)]) == "11–12 July 2020"
    assert describe_days([date(2020, 7, 10), date(2020, 7, 12)]) == "10 July 2020, 12 July 2020"


ARTICLES = [
    {
        "id": "next-day",
        "title": "Border clashes",
        "outlet": "Caucasus Wire",
        "published": "2020-07-13",
        "text": (
            "Officials in the capital met foreign diplomats to discuss trade routes and energy prices.\n\n"
            "The defence ministry said on Monday that three soldiers were killed and five wounded "
            "when artillery shelled positions near Tovuz on Sunday.\n\n"
            "The ministry also said a school reopened in the district after repairs."
        ),
    },
    {
        "id": "older",
        "title": "Quiet week",
        "outlet": "Valley Post",
        "published": "2020-07-08",
        "text": "Farmers in the valley reported a good harvest and no incidents on the border this month.",
    },
]


async def _engine_with(tmp_path: Path, embedder: object, database_url: str | None = None) -> Engine:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    engine = await Engine.open(tmp_path / "data", embedder=embedder, database_url=database_url)  # type: ignore[arg-type]
    await engine.ingest([str(corpus)])
    return engine


@pytest.mark.model
async def test_a_question_about_a_day_finds_the_next_days_report_and_says_which_day(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, database_url: str | None
) -> None:
    engine = await _engine_with(tmp_path, embedder, database_url)
    try:
        answer = await engine.ask("Who reported casualties on July 12?")
    finally:
        await engine.close()
    assert answer.found, answer.note
    assert (str(answer.filters.since), str(answer.filters.until)) == ("2020-07-12", "2020-07-12")
    top = answer.quotes[0]
    assert "three soldiers were killed" in top.text
    assert top.document.published == date(2020, 7, 13)
    assert top.event_dates == (date(2020, 7, 12), date(2020, 7, 13))  # "on Sunday" and "on Monday"
    (line,) = [x for x in format_answer(answer).splitlines() if x.startswith("1. ")]
    assert "2020-07-13" in line and line.endswith("· about 12–13 July 2020"), line
    assert answer.to_dict()["quotes"][0]["event_dates"] == ["2020-07-12", "2020-07-13"]
    assert all(q.document.id == "next-day" for q in answer.quotes)


async def test_chunk_dates_are_stored_at_ingest_and_backfilled_for_old_stores(tmp_path: Path) -> None:
    engine = await _engine_with(tmp_path, FakeEmbedder())
    await engine.close()
    db = tmp_path / "data" / "sitrep.db"

    def days() -> list[str]:
        with sqlite3.connect(db) as con:
            return sorted(r[0] for r in con.execute("SELECT DISTINCT day FROM chunk_dates"))

    assert days() == ["2020-07-12", "2020-07-13"]
    with sqlite3.connect(db) as con:  # what a store written before chunk_dates looks like
        con.execute("DELETE FROM chunk_dates")
        con.execute("DELETE FROM meta WHERE key = 'chunk_dates'")
    assert days() == []
    engine = await Engine.open(tmp_path / "data", embedder=FakeEmbedder())
    await engine.close()
    assert days() == ["2020-07-12", "2020-07-13"]
