"""The records both backends read and write, and the row mappings they share.

A backend module imports these, never the other backend: ``postgres/`` and ``sqlite/`` meet only
here and in ``protocols.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from index.models import Article, Chunk, Claim, SourceInfo


def utc_now() -> str:
    """The current UTC time as ISO 8601, seconds precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class NewArticle:
    """An article ready to be written: clean text, chunks and their vectors, and what was derived."""

    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: date | None
    published_from: str | None
    language: str
    text: str
    content_hash: str
    mentioned_dates: tuple[tuple[int | None, int, int | None], ...]
    chunks: tuple[Chunk, ...]
    vectors: np.ndarray  # one row per chunk
    claims: tuple[Claim, ...] = ()  # offsets into ``text``
    chunk_days: tuple[tuple[date, ...], ...] = ()  # per chunk, the days it speaks of
    sketch: tuple[int, ...] = ()  # bottom-k MinHash sketch, for near-duplicate detection
    names: tuple[tuple[str, str], ...] = ()  # (spelling key, spelling) of its capitalised names


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a question may be answered from."""

    scopes: tuple[str, ...]
    intervals: tuple[tuple[date, date], ...] = ()
    outlets: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    exclude_outlets: tuple[str, ...] = ()  # outlets carrying a label the asker left out
    place_spellings: tuple[tuple[str, tuple[str, ...]], ...] = ()  # place -> its spellings in the corpus

    @property
    def restricts(self) -> bool:
        """Whether anything but the scopes narrows it."""
        return bool(self.intervals or self.outlets or self.places or self.exclude_outlets)


@dataclass(frozen=True)
class Passages:
    """What a question needs of the chunks it retrieved, read in one call to the store."""

    located: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # chunk id -> (rowid, start, end)
    articles: dict[int, Article] = field(default_factory=dict)  # by article row id
    claims: dict[int, list[Claim]] = field(default_factory=dict)  # by article row id, in text order
    roots: dict[int, int] = field(default_factory=dict)  # near copy's row id -> its group's first article


def source_from_row(row: Any) -> SourceInfo:
    """A ``sources`` row with its article count ``n`` (a sqlite3.Row or a psycopg dict row)."""
    return SourceInfo(
        id=row["id"],
        scope=row["scope"],
        kind=row["kind"],
        location=row["location"],
        added_at=row["added_at"],
        added_by=row["added_by"],
        articles=row["n"],
    )


def article_from_row(row: Any) -> Article:
    """An ``articles`` row (a sqlite3.Row or a psycopg dict row)."""
    return Article(
        id=row["id"],
        title=row["title"],
        outlet=row["outlet"],
        url=row["url"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        published_from=row["published_from"],
        language=row["language"],
        ingested_at=row["ingested_at"],
        text=row["text"],
        source_id=row["source_id"],
        scope=row["scope"],
    )


def claim_from_row(row: Any) -> Claim:
    """A ``claims`` row whose selected columns are named as Claim's fields (text included)."""
    return Claim(**{f.name: row[f.name] for f in fields(Claim)})


def article_values(scope: str, source_id: int, art: NewArticle, now: str) -> tuple[Any, ...]:
    """The ``articles`` columns (scope, id, source_id, title, outlet, url, published, published_from,
    language, ingested_at, text, content_hash) of a new article, in that order."""
    return (
        scope,
        art.id,
        source_id,
        art.title,
        art.outlet,
        art.url,
        art.published.isoformat() if art.published else None,
        art.published_from,
        art.language,
        now,
        art.text,
        art.content_hash,
    )


def claim_values(claims: tuple[Claim, ...] | list[Claim], *lead: Any) -> list[tuple[Any, ...]]:
    """``claims`` rows (…lead, start, end, speaker, speaker_start, speaker_end, cue) for executemany."""
    return [(*lead, c.start, c.end, c.speaker, c.speaker_start, c.speaker_end, c.cue) for c in claims]
