"""Near-duplicates: lightly edited wire copy is linked at ingest and quoted once, from the earliest."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.text.near_duplicates import same_words, similarity, sketch
from tests.conftest import FakeEmbedder

STORY = [
    "Artillery fire struck the river port of Kalvo early on Tuesday, damaging two grain warehouses.",
    "The regional governor, Petra Danek, said four dock workers were wounded and taken to hospital.",
    "Firefighters needed six hours to put out the blaze at the second warehouse, officials said.",
    "The port had resumed grain shipments only last month after a pause of nearly a year.",
    "Insurers said the damage would delay the next convoy of barges by at least two weeks.",
    "Local residents described hearing at least a dozen explosions shortly before dawn.",
    "The defence ministry in the capital did not comment on the reported shelling.",
]


def copy(*, drop: int | None = None, add: str | None = None, edit: tuple[str, str] | None = None) -> str:
    sentences = [s for i, s in enumerate(STORY) if i != drop]
    if edit:
        sentences = [s.replace(*edit) for s in sentences]
    if add:
        sentences.insert(3, add)
    return "\n\n".join(sentences)


ARTICLES = [
    {"id": "b-copy", "title": "Kalvo port hit", "outlet": "Paper B", "published": "2025-05-07",
     "text": copy(add="Subscribe to our channel for live updates.", edit=("said four", "said that four"))},
    {"id": "a-wire", "title": "Shelling damages Kalvo grain port", "outlet": "Wire A", "published": "2025-05-06",
     "text": copy()},
    {"id": "c-copy", "title": "Grain warehouses burn in Kalvo", "outlet": "Paper C", "published": "2025-05-08",
     "text": copy(drop=6)},
    {"id": "other", "title": "Harvest", "outlet": "Paper B", "published": "2025-05-07",
     "text": "Farmers near Kalvo expect a record wheat harvest this summer after heavy spring rains. "
     "Prices at the local market fell for the third week in a row, traders said."},
]  # fmt: skip


def test_sketches_tell_edited_copies_from_other_stories() -> None:
    original = sketch(copy())
    assert similarity(original, sketch(copy(drop=6, add="Follow us for more."))) >= 0.6
    assert similarity(original, sketch(ARTICLES[3]["text"])) < 0.1
    assert sketch("too short") == ()
    assert same_words(STORY[1], STORY[1].replace("said four", "said that four"))
    assert not same_words(STORY[1], STORY[2])


@pytest.mark.model
async def test_copies_are_linked_at_ingest_and_quoted_once_from_the_earliest(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    corpus = tmp_path / "wire.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    engine = await Engine.open(tmp_path / "data", embedder=embedder)
    try:
        report = await engine.ingest([str(corpus)])
        assert report.added == 4
        answer = await engine.ask("How many dock workers were wounded in Kalvo?")
    finally:
        await engine.close()

    with sqlite3.connect(tmp_path / "data" / "sitrep.db") as con:
        links = con.execute(
            "SELECT a.id, o.id, d.similarity FROM duplicates d JOIN articles a ON a.rowid = d.article_rowid"
            " JOIN articles o ON o.rowid = d.original_rowid ORDER BY a.id"
        ).fetchall()
    # Ingested in file order: the copy came first, so the others link to it; the answer still cites
    # the earliest published.
    assert [(a, o) for a, o, _ in links] == [("a-wire", "b-copy"), ("c-copy", "b-copy")]
    assert all(sim >= 0.5 for _, _, sim in links)

    wounded = [q for q in answer.quotes if "dock workers were wounded" in q.text]
    assert len(wounded) == 1, [q.text for q in answer.quotes]
    (q,) = wounded
    assert q.document.id == "a-wire" and q.document.outlet == "Wire A"
    assert {d.id for d in q.also_in} == {"b-copy", "c-copy"}
    assert q.text == STORY[1]  # verbatim from the cited (earliest) copy, not the edited one
    assert len({x.text for x in answer.quotes}) == len(answer.quotes)


async def test_a_store_from_before_is_backfilled_on_open(tmp_path: Path) -> None:
    corpus = tmp_path / "wire.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    engine = await Engine.open(tmp_path / "data", embedder=FakeEmbedder())
    await engine.ingest([str(corpus)])
    await engine.close()
    db = tmp_path / "data" / "sitrep.db"

    def state() -> tuple[list[tuple[str, str]], int]:
        with sqlite3.connect(db) as con:
            links = con.execute(
                "SELECT a.id, o.id FROM duplicates d JOIN articles a ON a.rowid = d.article_rowid"
                " JOIN articles o ON o.rowid = d.original_rowid ORDER BY a.id"
            ).fetchall()
            names = con.execute("SELECT COUNT(*) FROM name_spellings").fetchone()[0]
        return links, names

    fresh = state()
    assert fresh[0] == [("a-wire", "b-copy"), ("c-copy", "b-copy")] and fresh[1] > 0
    with sqlite3.connect(db) as con:  # what a store written before these tables looks like
        for table in ("duplicates", "article_sketches", "name_spellings"):
            con.execute(f"DELETE FROM {table}")
        con.execute("DELETE FROM meta WHERE key = 'copies_and_names'")
    assert state() == ([], 0)
    engine = await Engine.open(tmp_path / "data", embedder=FakeEmbedder())
    await engine.close()
    assert state() == fresh
