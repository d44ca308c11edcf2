"""Helpers of the Postgres backend tests."""

from __future__ import annotations

from typing import Any

from index.models import Answer


def quotes_of(answer: Answer) -> list[tuple[str, str, str | None]]:
    """What a reader sees of each quote: its words, its article and its speaker."""
    return [(q.text, q.document.id, q.speaker) for q in answer.quotes]


async def insert_articles(db: Any, n: int, text_prefix_sql: str) -> None:
    """One global source with ``n`` articles whose text is the prefix and the article's number."""
    await db.execute(
        "INSERT INTO sources (scope, kind, location, added_at) VALUES ('global', 'file', 'x', 'now')"
    )
    await db.execute(
        "INSERT INTO articles (scope, id, source_id, language, ingested_at, text, content_hash)"
        f" SELECT 'global', 'a' || i, (SELECT id FROM sources), 'en', 'now', {text_prefix_sql} || i, 'h' || i"
        " FROM generate_series(1, %s) AS i",
        (n,),
    )
