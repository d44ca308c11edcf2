"""The records both backends read and write, and the row mappings they share.

A backend module imports these, never the other backend: ``postgres/`` and ``sqlite/`` meet only
here and in ``protocols.py``.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

import numpy as np

from index.models import Article, Chunk, Claim, Fetched, SourceInfo, Watch


def utc_now() -> str:
    """The current UTC time as ISO 8601, seconds precision."""
    return stored_time(datetime.now(UTC))


def stored_time(when: datetime) -> str:
    """An aware time as ``ingested_at`` and the other stored times are written: ISO 8601, UTC, to the
    second ("2025-03-12T08:00:00+00:00"), so comparing the texts compares the times."""
    if when.tzinfo is None:
        raise ValueError(f"{when.isoformat()} has no time zone")
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


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
    archive: Archive | None = None  # the page it was read from, kept as fetched


@dataclass(frozen=True)
class Archive:
    """A fetched page as the store keeps it: zlib-compressed bytes, their SHA-256 and how they came."""

    sha256: str  # of the uncompressed bytes
    compressed: bytes = field(repr=False)
    size: int  # uncompressed
    url: str
    status: int
    content_type: str | None
    fetched_at: str

    @classmethod
    def of(cls, fetched: Fetched) -> Archive:
        """Compress a fetched page (a Telegram page is shared by its posts: compressed once)."""
        return cls(
            sha256=fetched.sha256,
            compressed=_compress(fetched.data),
            size=len(fetched.data),
            url=fetched.url,
            status=fetched.status,
            content_type=fetched.content_type,
            fetched_at=fetched.fetched_at,
        )

    def fetch_values(self, *lead: Any) -> tuple[Any, ...]:
        """``article_fetches`` columns (…lead, sha256, url, status, content_type, fetched_at)."""
        return (*lead, self.sha256, self.url, self.status, self.content_type, self.fetched_at)


@lru_cache(maxsize=4)
def _compress(data: bytes) -> bytes:
    return zlib.compress(data, 6)


@dataclass(frozen=True)
class ArchivedPage:
    """A page read back from the archive: its bytes and how they were fetched."""

    data: bytes = field(repr=False)
    sha256: str  # as stored at ingest; ``hashlib.sha256(data)`` equals it unless the store is damaged
    url: str
    status: int
    content_type: str | None
    fetched_at: str


ARCHIVED_SELECT = (
    "SELECT f.sha256, f.url, f.status, f.content_type, f.fetched_at, r.data FROM articles a"
    " JOIN article_fetches f ON f.scope = a.scope AND f.article_rowid = a.rowid"
    " JOIN archives r ON r.scope = f.scope AND r.sha256 = f.sha256"
)


def archived_from_row(row: Any) -> ArchivedPage:
    """An ``ARCHIVED_SELECT`` row, its bytes decompressed."""
    return ArchivedPage(
        data=zlib.decompress(bytes(row["data"])),
        sha256=row["sha256"],
        url=row["url"],
        status=row["status"],
        content_type=row["content_type"],
        fetched_at=row["fetched_at"],
    )


# Articles are read with the SHA-256 and fetch time of the page they came from, where there was one.
ARTICLE_SELECT = (
    "SELECT a.*, f.sha256 AS fetch_sha256, f.fetched_at AS fetch_at FROM articles a"
    " LEFT JOIN article_fetches f ON f.scope = a.scope AND f.article_rowid = a.rowid"
)


LANGUAGE_COUNTS = "SELECT language, COUNT(*) AS n FROM articles GROUP BY language ORDER BY n DESC, language"


def source_counts(match: str, *, versions: bool) -> str:
    """A source's article count ``n`` and, with ``versions``, how many of them are later versions of
    a page stored before (same link); ``match`` ties ``articles a`` to ``sources s``.

    Versions are counted only where a listing shows them: counting distinct links reads every
    article's link (95x the time of the count alone at 100k articles with no (source_id, url)
    index, 9.7x with it), and feed polls and removals don't need them.
    """
    later = (
        f"(SELECT COUNT(a.url) - COUNT(DISTINCT a.url) FROM articles a WHERE {match})" if versions else "0"
    )
    return f"(SELECT COUNT(*) FROM articles a WHERE {match}) AS n, {later} AS versions"


# Archived pages of one scope (the parameter) no article comes from any more, after a source's
# removal: only that scope's copies are looked at (the archives' key starts with the scope).
ORPHAN_ARCHIVES = (
    "DELETE FROM archives WHERE scope = {} AND NOT EXISTS (SELECT 1 FROM article_fetches f"
    " WHERE f.scope = archives.scope AND f.sha256 = archives.sha256)"
)


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a question may be answered from."""

    scopes: tuple[str, ...]
    intervals: tuple[tuple[date, date], ...] = ()
    outlets: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    exclude_outlets: tuple[str, ...] = ()  # outlets carrying a label the asker left out
    place_spellings: tuple[tuple[str, tuple[str, ...]], ...] = ()  # place -> its spellings in the corpus
    rowids: tuple[int, int] | None = None  # (after, through]: the articles stored since a watch last looked

    @property
    def restricts(self) -> bool:
        """Whether anything but the scopes narrows it."""
        return bool(self.intervals or self.outlets or self.places or self.exclude_outlets or self.rowids)


@dataclass(frozen=True)
class Arrivals:
    """The articles a window of ingest times received, as read (``ArrivalStore.between``)."""

    articles: dict[int, Article]  # by row id, in the order received (ingest time, then row id)
    total: int  # how many the window received: more than ``len(articles)`` when the read was capped

    @classmethod
    def of(cls, newest_first: Sequence[Any], counted: int) -> Arrivals:
        """From ``ARTICLE_SELECT`` rows, the last received first, and the window's count."""
        articles = {r["rowid"]: article_from_row(r) for r in reversed(newest_first)}
        # A writer may commit between the count and the read: never say fewer than were read.
        return cls(articles, max(counted, len(articles)))


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
        versions=_optional(row, "versions") or 0,
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
        sha256=_optional(row, "fetch_sha256"),
        fetched_at=_optional(row, "fetch_at"),
    )


def _optional(row: Any, key: str) -> Any:
    """A column a query may not select (sqlite3.Row has ``keys()``, psycopg dict rows are dicts)."""
    return row[key] if key in row.keys() else None  # noqa: SIM118 (sqlite3.Row: "in" tests values)


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


def watch_from_row(row: Any) -> Watch:
    """A ``watches`` row (a sqlite3.Row or a psycopg dict row)."""
    return Watch(
        id=row["id"],
        scope=row["scope"],
        channel=row["channel"],
        query=row["query"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        after_rowid=row["after_rowid"],
        outlet=row["outlet"],
        exclude_label=row["exclude_label"],
        enabled=bool(row["enabled"]),
        disabled_reason=row["disabled_reason"],
        alerts=row["alerts"],
        last_alert_at=row["last_alert_at"],
    )
