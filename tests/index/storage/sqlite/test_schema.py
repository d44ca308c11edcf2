"""The embedded schema: applied on every open without harm, with the tables and triggers the roles use."""

from __future__ import annotations

import sqlite3

from index.storage.sqlite.schema import SCHEMA

TABLES = {
    "meta", "sources", "articles", "chunks", "vectors", "chunks_fts", "claims", "chunk_dates", "article_dates",
    "sentence_vectors", "article_sketches", "duplicates", "name_spellings", "feedback", "outlet_labels",
}  # fmt: skip


def test_the_schema_can_be_applied_again() -> None:
    con = sqlite3.connect(":memory:")
    con.executescript(SCHEMA)
    con.executescript(SCHEMA)  # every open runs it: IF NOT EXISTS throughout
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert names >= TABLES


def test_chunk_text_is_kept_in_the_full_text_index() -> None:
    con = sqlite3.connect(":memory:")
    con.execute("PRAGMA foreign_keys=ON")
    con.executescript(SCHEMA)
    con.execute("INSERT INTO sources (scope, kind, location, added_at) VALUES ('global', 'file', 'x', 't')")
    con.execute(
        "INSERT INTO articles (scope, id, source_id, language, ingested_at, text, content_hash)"
        " VALUES ('global', 'a1', 1, 'en', 't', 'Shelling hit Pellin.', 'h')"
    )
    con.execute(
        "INSERT INTO chunks (article_rowid, seq, start, \"end\", text) VALUES (1, 0, 0, 20, 'Shelling hit Pellin.')"
    )
    assert con.execute("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH 'pellin'").fetchall() == [(1,)]
    con.execute("DELETE FROM sources WHERE id = 1")  # cascades to the article and its chunk...
    assert con.execute("SELECT COUNT(*) FROM chunks").fetchone() == (0,)
    assert (
        con.execute("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH 'pellin'").fetchall() == []
    )  # ...and out of FTS
