"""SQLite store (aiosqlite, WAL): sources, articles, chunks, vectors, FTS5 and feedback."""

from __future__ import annotations

import asyncio
import json
import math
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite
import numpy as np

from index.attribution.claims import Claim
from index.dates.parsing import whole_years
from index.models import Article, Chunk, SourceInfo
from index.storage.sqlite.read_cache import ReadCache
from index.text.near_duplicates import MIN_SHARED, best_match

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    added_at TEXT NOT NULL,
    added_by TEXT,
    last_polled TEXT,
    UNIQUE (scope, location)
);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    title TEXT,
    outlet TEXT,
    url TEXT,
    published TEXT,
    published_from TEXT,
    language TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    UNIQUE (scope, id),
    UNIQUE (scope, content_hash)
);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published);
CREATE INDEX IF NOT EXISTS articles_source ON articles (source_id);
-- Covers what filters and per-question lookups read (scope, dates, outlets), so they scan this
-- index instead of article rows that hold whole texts (most of a gigabyte at a million chunks).
CREATE INDEX IF NOT EXISTS articles_filter ON articles (scope, published, outlet);
CREATE TABLE IF NOT EXISTS article_dates (
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    year INTEGER,
    month INTEGER NOT NULL,
    day INTEGER
);
CREATE INDEX IF NOT EXISTS article_dates_md ON article_dates (month, day);
CREATE INDEX IF NOT EXISTS article_dates_article ON article_dates (article_rowid);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks (article_rowid);
CREATE TABLE IF NOT EXISTS vectors (
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    vec BLOB NOT NULL,
    PRIMARY KEY (chunk_id, model)
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5 (
    text, content='chunks', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
-- The days each chunk speaks of ("yesterday" in a July 13 report is July 12), see event_dates.py.
CREATE TABLE IF NOT EXISTS chunk_dates (
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    day TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunk_dates_day ON chunk_dates (day);
CREATE INDEX IF NOT EXISTS chunk_dates_chunk ON chunk_dates (chunk_id);
-- Vectors of the sentences quotes are cut from, filled in the background after ingest (float16), so
-- a question embeds only itself instead of ~30 candidate sentences (see Engine.fill_sentence_vectors).
CREATE TABLE IF NOT EXISTS sentence_vectors (
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    model TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    vec BLOB NOT NULL,
    PRIMARY KEY (article_rowid, model, start)
) WITHOUT ROWID;
-- What a server's admins call an outlet ("state media"); per scope, matched case-insensitively.
CREATE TABLE IF NOT EXISTS outlet_labels (
    scope TEXT NOT NULL,
    outlet_key TEXT NOT NULL,
    outlet TEXT NOT NULL,
    label TEXT NOT NULL,
    set_by TEXT,
    set_at TEXT NOT NULL,
    PRIMARY KEY (scope, outlet_key)
);
-- Near-duplicate detection (near_duplicates.py): each article's bottom-k MinHash sketch, and the
-- link from a lightly edited copy to the article it copies (the root of its group).
CREATE TABLE IF NOT EXISTS article_sketches (
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    h INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS article_sketches_h ON article_sketches (h);
CREATE INDEX IF NOT EXISTS article_sketches_article ON article_sketches (article_rowid);
CREATE TABLE IF NOT EXISTS duplicates (
    article_rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
    original_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    similarity REAL NOT NULL
);
-- Capitalised names per scope under their spelling key (place_names.py): "Dayr az Zawr" is found
-- for a question about "Deir ez-Zor".
CREATE TABLE IF NOT EXISTS name_spellings (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    spelling TEXT NOT NULL,
    PRIMARY KEY (scope, key, spelling)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    scope TEXT NOT NULL,
    user_id TEXT NOT NULL,
    question TEXT NOT NULL,
    quotes TEXT NOT NULL,
    vote INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (
    id INTEGER PRIMARY KEY,
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    start INTEGER NOT NULL,  -- the content is articles.text[start:end] (characters), not stored twice
    "end" INTEGER NOT NULL,
    speaker TEXT,  -- articles.text[speaker_start:speaker_end], kept for queries by claimant
    speaker_start INTEGER,
    speaker_end INTEGER,
    cue TEXT
);
CREATE INDEX IF NOT EXISTS claims_article ON claims (article_rowid);
"""


T = TypeVar("T")

BUSY_TIMEOUT = 60.0  # seconds a connection waits for another process's write lock
# A filter admitting at least this share of the archive is applied to a ranking over everything,
# OVERSAMPLE times deeper than needed, instead of joining every match to its article.
BROAD_FILTER = 0.2
OVERSAMPLE = 2
SHORT_INTERVAL_DAYS = 62  # up to two months of days are looked up one by one in article_dates
# Keyword ranking on a large archive leaves out the commonest terms once the others match this share
# of its chunks. At 0.6 the answers to benchmarks/retrieval_eval.py's questions were unchanged; at 0.3
# IndiaPoliceEvents' document precision fell from 78% to 70%, at 0.06 to 64% (its questions are
# generic: "Did police kill someone?").
POSTINGS_SHARE = 0.6
PRUNED_FROM = 20_000  # chunks; a smaller archive is ranked on every term (it is cheap)
# The article is one of those with a chunk holding a full-text phrase (place names, bare years in
# filters). The unary + keeps SQLite from driving the query by this list, which it then re-reads
# per candidate chunk (340 ms instead of 20 for one place at 100k chunks): it is a filter only.
_ARTICLES_MATCHING = (
    "+a.rowid IN (SELECT c2.article_rowid FROM chunks_fts JOIN chunks c2 ON c2.id = chunks_fts.rowid"
    " WHERE chunks_fts MATCH ?)"
)


def utc_now() -> str:
    """The current UTC time as ISO 8601, seconds precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class NewArticle:
    """An article ready to be written: clean text, chunks and their vectors."""

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


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _days_of_year(lo: date, hi: date) -> tuple[str, list[int]]:
    """A condition on ``article_dates d`` naming each (month, day) of a short interval, so the
    (month, day) index finds its rows; nothing for a long one (the year check alone decides)."""
    if (hi - lo).days >= SHORT_INTERVAL_DAYS:
        return "", []
    pairs = dict.fromkeys(
        ((lo + timedelta(days=n)).month, (lo + timedelta(days=n)).day) for n in range((hi - lo).days + 1)
    )
    return " AND (" + " OR ".join("(d.month = ? AND d.day = ?)" for _ in pairs) + ")", [
        x for pair in pairs for x in pair
    ]


class SourceQueries:
    """What both stores derive from ``sources`` alone."""

    async def sources(self, scope: str | None = None, *, source_id: int | None = None) -> list[SourceInfo]:
        """Sources with their article counts, newest first; all scopes when ``scope`` is None."""
        raise NotImplementedError

    async def feeds(self, scope: str | None = None) -> list[SourceInfo]:
        """The sources that are RSS/Atom feeds."""
        return [s for s in await self.sources(scope) if s.kind == "feed"]

    async def get_source(self, source_id: int) -> SourceInfo | None:
        """One source by id."""
        found = await self.sources(source_id=source_id)
        return found[0] if found else None


class Store(SourceQueries):
    """All persistent state but the FAISS file. One connection; each write is one transaction."""

    def __init__(self, db: aiosqlite.Connection, reader: aiosqlite.Connection) -> None:
        """Use ``Store.open``."""
        self.db = db  # the writer; every write is one transaction under ``_write``
        # Queries read committed data only: a question asked during an ingest never sees half of it,
        # and a feedback vote can't commit someone else's half-written source.
        self.reader = reader
        self._write = asyncio.Lock()
        self._cache = ReadCache(reader)

    @classmethod
    async def open(cls, path: Path) -> Store:
        """Open (creating if needed) the database at ``path``."""
        # The CLI and the bot may share the file: wait for the other's short write transactions.
        db = await aiosqlite.connect(path, timeout=BUSY_TIMEOUT)
        db.row_factory = sqlite3.Row
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA foreign_keys=ON")
        await db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL is durable across app crashes
        await db.executescript(SCHEMA)
        await db.commit()
        reader = await aiosqlite.connect(path, timeout=BUSY_TIMEOUT)
        reader.row_factory = sqlite3.Row
        await reader.execute("PRAGMA query_only=ON")
        return cls(db, reader)

    async def close(self) -> None:
        """Close both connections."""
        await self.reader.close()
        await self.db.close()

    # -- meta ---------------------------------------------------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        """A value from the meta table, or None."""
        async with self.reader.execute("SELECT value FROM meta WHERE key = ?", (key,)) as cur:
            row = await cur.fetchone()
        return row["value"] if row else None

    async def set_meta(self, **values: str) -> None:
        """Set meta values, all in one transaction."""
        async with self._write:
            try:
                await self._put_meta(values)
                await self.db.commit()
            except BaseException:
                await self.db.rollback()
                raise

    async def _put_meta(self, values: dict[str, str]) -> None:
        await self.db.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            list(values.items()),
        )

    async def _bump_version(self) -> None:
        """Increment the data version inside the current write transaction."""
        async with self.db.execute("SELECT value FROM meta WHERE key = 'version'") as cur:
            row = await cur.fetchone()
        await self._put_meta({"version": str(int(row[0] if row else 0) + 1)})

    # -- sources ------------------------------------------------------------------------------------

    async def sources(self, scope: str | None = None, *, source_id: int | None = None) -> list[SourceInfo]:
        """Sources with their article counts, newest first; all scopes when ``scope`` is None."""
        where: list[str] = []
        args: list[Any] = []
        if scope is not None:
            where.append("s.scope = ?")
            args.append(scope)
        if source_id is not None:
            where.append("s.id = ?")
            args.append(source_id)
        sql = (
            "SELECT s.*, (SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id) AS n FROM sources s"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY s.id DESC"
        )
        async with self.reader.execute(sql, args) as cur:
            rows = await cur.fetchall()
        return [source_from_row(r) for r in rows]

    async def source_chunk_ids(self, source_id: int) -> list[int]:
        """Ids of every chunk of a source's articles."""
        async with self.reader.execute(
            "SELECT c.id FROM chunks c JOIN articles a ON a.rowid = c.article_rowid WHERE a.source_id = ?",
            (source_id,),
        ) as cur:
            return [r[0] for r in await cur.fetchall()]

    async def delete_source(self, source_id: int) -> int:
        """Delete a source and, by cascade, its articles, chunks and vectors; returns articles removed."""
        async with self._write:
            try:
                async with self.db.execute(
                    "SELECT COUNT(*) FROM articles WHERE source_id = ?", (source_id,)
                ) as cur:
                    row = await cur.fetchone()
                await self.db.execute("DELETE FROM sources WHERE id = ?", (source_id,))
                await self._bump_version()
                await self.db.commit()
            except BaseException:
                await self.db.rollback()
                raise
        return int(row[0]) if row else 0

    async def mark_polled(self, source_id: int) -> None:
        """Record that a feed was polled now."""
        async with self._write:
            await self.db.execute("UPDATE sources SET last_polled = ? WHERE id = ?", (utc_now(), source_id))
            await self.db.commit()

    # -- articles -----------------------------------------------------------------------------------

    async def known_hashes(self, scope: str, hashes: Iterable[str]) -> set[str]:
        """Which of ``hashes`` are already stored in ``scope``."""
        return await self._existing("content_hash", scope, hashes)

    async def known_ids(self, scope: str, ids: Iterable[str]) -> set[str]:
        """Which of the article ``ids`` are already taken in ``scope``."""
        return await self._existing("id", scope, ids)

    async def _existing(self, column: str, scope: str, values: Iterable[str]) -> set[str]:
        wanted = list(values)
        found: set[str] = set()
        for i in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
            part = wanted[i : i + 500]
            marks = ",".join("?" * len(part))
            async with self.reader.execute(
                f"SELECT {column} FROM articles WHERE scope = ? AND {column} IN ({marks})", (scope, *part)
            ) as cur:
                found.update(r[0] for r in await cur.fetchall())
        return found

    async def add_source_articles(
        self,
        *,
        scope: str,
        kind: str,
        location: str,
        added_by: str | None,
        articles: Sequence[NewArticle],
        model: str,
    ) -> tuple[int, list[tuple[int, np.ndarray]], int]:
        """Write a source and its new articles in ONE transaction: all of it lands or none does.

        Returns:
            The source id, for the vector index (chunk id, vector) pairs of the new chunks, and the
            articles skipped as stored meanwhile: always 0 here, as every writer holds the data
            dir's write lock from its duplicate check to its commit.
        """
        async with self._write:
            added: list[tuple[int, np.ndarray]] = []
            now = utc_now()
            try:
                async with self.db.execute(
                    "SELECT id FROM sources WHERE scope = ? AND location = ?", (scope, location)
                ) as cur:
                    row = await cur.fetchone()
                source_id = int(row["id"]) if row else None
                if source_id is None:
                    cur = await self.db.execute(
                        "INSERT INTO sources (scope, kind, location, added_at, added_by) VALUES (?, ?, ?, ?, ?)",
                        (scope, kind, location, now, added_by),
                    )
                    source_id = int(cur.lastrowid or 0)
                for art in articles:
                    cur = await self.db.execute(
                        "INSERT INTO articles (id, source_id, scope, title, outlet, url, published, published_from,"
                        " language, ingested_at, text, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        (
                            art.id,
                            source_id,
                            scope,
                            art.title,
                            art.outlet,
                            art.url,
                            art.published.isoformat() if art.published else None,
                            art.published_from,
                            art.language,
                            now,
                            art.text,
                            art.content_hash,
                        ),
                    )
                    rowid = int(cur.lastrowid or 0)
                    await self._link_near_duplicate(scope, rowid, art.sketch)
                    await self.db.executemany(
                        "INSERT OR IGNORE INTO name_spellings (scope, key, spelling) VALUES (?, ?, ?)",
                        [(scope, key, spelling) for key, spelling in art.names],
                    )
                    await self.db.executemany(
                        "INSERT INTO article_dates (article_rowid, year, month, day) VALUES (?, ?, ?, ?)",
                        [(rowid, y, m, d) for (y, m, d) in art.mentioned_dates],
                    )
                    await self._insert_claims(rowid, art.claims)
                    days = art.chunk_days or ((),) * len(art.chunks)
                    for chunk, vec, chunk_days in zip(art.chunks, art.vectors, days, strict=True):
                        cur = await self.db.execute(
                            'INSERT INTO chunks (article_rowid, seq, start, "end", text) VALUES (?, ?, ?, ?, ?)',
                            (rowid, chunk.seq, chunk.start, chunk.end, chunk.text),
                        )
                        chunk_id = int(cur.lastrowid or 0)
                        await self._put_chunk_days(chunk_id, chunk_days)
                        await self.db.execute(
                            "INSERT INTO vectors (chunk_id, model, vec) VALUES (?, ?, ?)",
                            (chunk_id, model, np.asarray(vec, dtype="float32").tobytes()),
                        )
                        added.append((chunk_id, vec))
                if articles:
                    await self._bump_version()
                await self.db.commit()
            except BaseException:
                await self.db.rollback()
                raise
            return source_id, added, 0

    # -- claims -------------------------------------------------------------------------------------

    async def _insert_claims(self, rowid: int, claims: Sequence[Claim]) -> None:
        """Write an article's claims inside the current write transaction."""
        await self.db.executemany(
            'INSERT INTO claims (article_rowid, start, "end", speaker, speaker_start, speaker_end, cue)'
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(rowid, c.start, c.end, c.speaker, c.speaker_start, c.speaker_end, c.cue) for c in claims],
        )

    async def claims_for(self, rowids: Iterable[int]) -> dict[int, list[Claim]]:
        """Stored claims keyed by article row id, in text order (articles without any are absent)."""
        wanted = sorted(set(rowids))
        out: dict[int, list[Claim]] = {}
        for i in range(0, len(wanted), 500):
            part = wanted[i : i + 500]
            marks = ",".join("?" * len(part))
            # SQLite's substr counts characters from 1, as Python slices count code points from 0.
            async with self.reader.execute(
                'SELECT c.article_rowid, c.start, c."end", c.speaker, c.speaker_start, c.speaker_end, c.cue,'
                ' substr(a.text, c.start + 1, c."end" - c.start) AS text'
                " FROM claims c JOIN articles a ON a.rowid = c.article_rowid"
                f" WHERE c.article_rowid IN ({marks}) ORDER BY c.article_rowid, c.start, c.id",
                part,
            ) as cur:
                for r in await cur.fetchall():
                    # The selected columns are named as Claim's fields.
                    claim = Claim(**{f.name: r[f.name] for f in fields(Claim)})
                    out.setdefault(r["article_rowid"], []).append(claim)
        return out

    async def article_texts(self, after_rowid: int, limit: int) -> list[tuple[int, str]]:
        """(row id, text) of up to ``limit`` articles with a row id above ``after_rowid``, in order."""
        async with self.reader.execute(
            "SELECT rowid, text FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?", (after_rowid, limit)
        ) as cur:
            return [(r[0], r[1]) for r in await cur.fetchall()]

    async def replace_claims(self, items: Sequence[tuple[int, Sequence[Claim]]]) -> None:
        """Replace the claims of some articles in one transaction (articles deleted meanwhile are skipped)."""
        async with self._write:
            try:
                for rowid, claims in items:
                    await self.db.execute("DELETE FROM claims WHERE article_rowid = ?", (rowid,))
                    async with self.db.execute("SELECT 1 FROM articles WHERE rowid = ?", (rowid,)) as cur:
                        exists = await cur.fetchone()
                    if exists:
                        await self._insert_claims(rowid, claims)
                await self.db.commit()
            except BaseException:
                await self.db.rollback()
                raise

    async def articles_by_rowid(self, rowids: Iterable[int]) -> dict[int, Article]:
        """Stored articles keyed by their row id."""
        wanted = sorted(set(rowids))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        async with self.reader.execute(f"SELECT * FROM articles WHERE rowid IN ({marks})", wanted) as cur:
            return {r["rowid"]: article_from_row(r) for r in await cur.fetchall()}

    async def article(self, scope: str, article_id: str) -> Article | None:
        """One article by its id within a scope."""
        async with self.reader.execute(
            "SELECT * FROM articles WHERE scope = ? AND id = ?", (scope, article_id)
        ) as cur:
            row = await cur.fetchone()
        return article_from_row(row) if row else None

    async def chunk_articles(self, chunk_ids: Sequence[int]) -> dict[int, tuple[int, int, int]]:
        """chunk id -> (article rowid, start, end)."""
        out: dict[int, tuple[int, int, int]] = {}
        ids = list(chunk_ids)
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            async with self.reader.execute(
                f'SELECT id, article_rowid, start, "end" FROM chunks WHERE id IN ({marks})', part
            ) as cur:
                out.update({r[0]: (r[1], r[2], r[3]) for r in await cur.fetchall()})
        return out

    # -- filters, keyword search --------------------------------------------------------------------

    def _filter_sql(self, f: ArticleFilter) -> tuple[str, list[Any]]:
        """A WHERE clause over ``articles a`` for the filter."""
        clauses = [f"a.scope IN ({','.join('?' * len(f.scopes))})"]
        args: list[Any] = list(f.scopes)
        if f.outlets:
            clauses.append(f"lower(a.outlet) IN ({','.join('?' * len(f.outlets))})")
            args.extend(o.lower() for o in f.outlets)
        if f.intervals:
            ors = []
            for lo, hi in f.intervals:
                # Published in the interval, or the text itself states a date in it.
                ors.append("(a.published BETWEEN ? AND ?)")
                args.extend([lo.isoformat(), hi.isoformat()])
                # Each alternative is a list built once per query, not a lookup per article: a
                # one-day filter over a million chunks took 330 ms as per-article EXISTS.
                days, day_args = _days_of_year(lo, hi)
                ors.append(
                    "+a.rowid IN (SELECT d.article_rowid FROM article_dates d"
                    f" JOIN articles a2 ON a2.rowid = d.article_rowid WHERE d.day IS NOT NULL{days}"
                    " AND printf('%04d-%02d-%02d', COALESCE(d.year, CAST(substr(a2.published, 1, 4) AS INTEGER)),"
                    " d.month, d.day) BETWEEN ? AND ?)"
                )
                args.extend([*day_args, lo.isoformat(), hi.isoformat()])
                # ...or one of its chunks speaks of a day in it ("yesterday" in the next day's report).
                ors.append(
                    "+a.rowid IN (SELECT c2.article_rowid FROM chunk_dates cd JOIN chunks c2 ON c2.id = cd.chunk_id"
                    " WHERE cd.day BETWEEN ? AND ?)"
                )
                args.extend([lo.isoformat(), hi.isoformat()])
                # A whole year ("in 1992") is mostly written as the bare year, which no date row holds.
                for year in whole_years(lo, hi):
                    ors.append(_ARTICLES_MATCHING)
                    args.append(_fts_phrase(str(year)))
            clauses.append("(" + " OR ".join(ors) + ")")
        if f.exclude_outlets:
            marks = ",".join("?" * len(f.exclude_outlets))
            clauses.append(f"(a.outlet IS NULL OR lower(a.outlet) NOT IN ({marks}))")
            args.extend(o.lower() for o in f.exclude_outlets)
        spellings = dict(f.place_spellings)
        for place in f.places:
            # Any of the corpus's spellings of the place ("Deir Ezzor" for "Deir ez-Zor"), as words
            # in the full-text index: found once per question, not by reading every article's text.
            clauses.append(_ARTICLES_MATCHING)
            args.append(" OR ".join(_fts_phrase(p) for p in spellings.get(place, (place,))))
        return " AND ".join(clauses), args

    async def count_articles(self, f: ArticleFilter) -> int:
        """How many articles the filter admits."""

        where, args = self._filter_sql(f)
        return await self._cache.get(
            ("count", f), partial(self._number, f"SELECT COUNT(*) FROM articles a WHERE {where}", args)
        )

    async def _number(self, sql: str, args: Sequence[Any] = ()) -> int:
        """The one integer ``sql`` selects (0 for NULL or no row)."""
        async with self.reader.execute(sql, args) as cur:
            row = await cur.fetchone()
        return int(row[0] or 0) if row else 0

    async def admitted_share(self, f: ArticleFilter) -> float:
        """The share of all stored articles that the filter admits (1.0: it restricts nothing)."""
        everything = await self._cache.get("articles", partial(self._number, "SELECT COUNT(*) FROM articles"))
        return await self.count_articles(f) / everything if everything else 0.0

    async def within_filter(
        self,
        f: ArticleFilter,
        k: int,
        rank: Callable[[int], Awaitable[list[T]]],
        chunk_of: Callable[[T], int],
    ) -> list[T] | None:
        """The first ``k`` of ``rank(n)`` (the n best hits over the whole archive) whose chunks the
        filter admits, when it admits most articles: it is applied to a ranking ``OVERSAMPLE`` times
        deeper than needed instead of inside it. None when the filter is too narrow for that, or the
        ranking ran out of admitted hits: the caller filters inside its ranking then.
        """
        share = await self.admitted_share(f)
        if share >= 1.0:
            return await rank(k)  # nothing to filter
        if share < BROAD_FILTER:
            return None
        want = math.ceil(k * OVERSAMPLE / share)
        hits = await rank(want)
        kept = set(await self.admitted_chunks([chunk_of(h) for h in hits], f))
        if len(kept) < k and len(hits) == want:
            return None
        return [h for h in hits if chunk_of(h) in kept][:k]

    async def admitted_chunks(self, chunk_ids: Sequence[int], f: ArticleFilter) -> list[int]:
        """Those of ``chunk_ids`` whose article the filter admits, in the given order."""
        if not chunk_ids:
            return []
        where, args = self._filter_sql(f)
        marks = ",".join("?" * len(chunk_ids))
        # CROSS JOIN keeps SQLite from scanning the articles first: the few given chunks lead.
        sql = (
            "SELECT c.id FROM chunks c CROSS JOIN articles a ON a.rowid = c.article_rowid"
            f" WHERE c.id IN ({marks}) AND {where}"
        )
        async with self.reader.execute(sql, [*chunk_ids, *args]) as cur:
            kept = {r[0] for r in await cur.fetchall()}
        return [cid for cid in chunk_ids if cid in kept]

    async def allowed_chunk_ids(self, f: ArticleFilter) -> list[int]:
        """Ids of the chunks of the articles the filter admits."""
        where, args = self._filter_sql(f)
        async with self.reader.execute(
            f"SELECT c.id FROM articles a JOIN chunks c ON c.article_rowid = a.rowid WHERE {where}", args
        ) as cur:
            return [r[0] for r in await cur.fetchall()]

    async def keyword_search(self, terms: Sequence[str], f: ArticleFilter, limit: int) -> list[int]:
        """BM25-ranked chunk ids matching any of ``terms`` within the filter.

        On a large archive the terms matching the most chunks are left out of the ranking once the
        rarer ones match ``POSTINGS_SHARE`` of its chunks: BM25 scores every chunk any term matches,
        and a word in most of the archive adds little to the rank but most of the work.
        """
        if not terms:
            return []
        match = " OR ".join(_fts_phrase(t) for t in await self._affordable(terms))

        async def ranked(n: int) -> list[int]:
            async with self.reader.execute(
                "SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts) LIMIT ?",
                [match, n],
            ) as cur:
                return [r[0] for r in await cur.fetchall()]

        found = await self.within_filter(f, limit, ranked, lambda cid: cid)
        if found is not None:
            return found
        where, args = self._filter_sql(f)
        sql = (
            "SELECT c.id FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid"
            " JOIN articles a ON a.rowid = c.article_rowid"
            f" WHERE chunks_fts MATCH ? AND {where} ORDER BY bm25(chunks_fts) LIMIT ?"
        )
        async with self.reader.execute(sql, [match, *args, limit]) as cur:
            return [r[0] for r in await cur.fetchall()]

    async def _affordable(self, terms: Sequence[str]) -> list[str]:
        """The rarest ``terms``, the rarest always, while their chunk counts sum to at most
        ``POSTINGS_SHARE`` of the archive's chunks."""
        chunks = await self._chunk_count()
        if chunks < PRUNED_FROM:
            return list(terms)
        counts = {t: await self._cache.get(("df", t), partial(self._matching_chunks, t)) for t in terms}
        chosen: list[str] = []
        postings = 0
        for term in sorted(terms, key=counts.__getitem__):
            if chosen and postings + counts[term] > POSTINGS_SHARE * chunks:
                break
            chosen.append(term)
            postings += counts[term]
        return [t for t in terms if t in chosen]

    async def _matching_chunks(self, term: str) -> int:
        return await self._number(
            "SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?", [_fts_phrase(term)]
        )

    async def _chunk_count(self) -> int:
        return await self._cache.get("chunks", partial(self._number, "SELECT MAX(id) FROM chunks"))

    async def years_for(self, month: int, day: int | None, scopes: Sequence[str]) -> list[int]:
        """Years with reporting on ``month``/``day`` (published or stated in the text), most recent first."""
        years = await self._cache.get(
            ("years", month, day, tuple(scopes)), lambda: self._years(month, day, scopes)
        )
        return list(years)

    async def _years(self, month: int, day: int | None, scopes: Sequence[str]) -> list[int]:
        marks = ",".join("?" * len(scopes))
        pattern = f"%-{month:02d}-{day:02d}" if day else f"%-{month:02d}-%"
        sql = (
            f"SELECT DISTINCT CAST(substr(a.published, 1, 4) AS INTEGER) FROM articles a"
            f" WHERE a.scope IN ({marks}) AND a.published LIKE ?"
            f" UNION SELECT DISTINCT COALESCE(d.year, CAST(substr(a.published, 1, 4) AS INTEGER))"
            f" FROM article_dates d JOIN articles a ON a.rowid = d.article_rowid"
            f" WHERE a.scope IN ({marks}) AND d.month = ? AND (? IS NULL OR d.day = ?)"
            # ...and days the text speaks of without naming them ("yesterday" in the next day's report).
            f" UNION SELECT DISTINCT CAST(substr(cd.day, 1, 4) AS INTEGER) FROM chunk_dates cd"
            f" JOIN chunks c ON c.id = cd.chunk_id JOIN articles a ON a.rowid = c.article_rowid"
            f" WHERE a.scope IN ({marks}) AND cd.day LIKE ?"
        )
        args: list[Any] = [*scopes, pattern, *scopes, month, day, day, *scopes, pattern]
        async with self.reader.execute(sql, args) as cur:
            years = {int(r[0]) for r in await cur.fetchall() if r[0]}
        return sorted(years, reverse=True)

    async def newest_published(self, scopes: Sequence[str]) -> date | None:
        """The newest publication date in the scopes (what "last week" in a question is relative to)."""
        return await self._cache.get(("newest", tuple(scopes)), lambda: self._newest(scopes))

    async def _newest(self, scopes: Sequence[str]) -> date | None:
        marks = ",".join("?" * len(scopes))
        async with self.reader.execute(
            f"SELECT MAX(published) FROM articles WHERE scope IN ({marks})", list(scopes)
        ) as cur:
            row = await cur.fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    async def scopes(self) -> list[str]:
        """The scopes that have articles."""

        async def distinct() -> list[str]:
            async with self.reader.execute("SELECT DISTINCT scope FROM articles") as cur:
                return [r[0] for r in await cur.fetchall()]

        return list(await self._cache.get("scopes", distinct))

    async def outlets(self, scopes: Sequence[str]) -> list[str]:
        """Distinct outlet names in the scopes."""

        async def distinct() -> list[str]:
            marks = ",".join("?" * len(scopes))
            async with self.reader.execute(
                f"SELECT DISTINCT outlet FROM articles WHERE scope IN ({marks}) AND outlet IS NOT NULL",
                list(scopes),
            ) as cur:
                return [r[0] for r in await cur.fetchall()]

        return list(await self._cache.get(("outlets", tuple(scopes)), distinct))

    async def mentioned(self, term: str, scopes: Sequence[str]) -> bool:
        """Whether any article in the scopes contains ``term`` (FTS phrase match)."""
        marks = ",".join("?" * len(scopes))
        sql = (
            "SELECT 1 FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid"
            f" JOIN articles a ON a.rowid = c.article_rowid WHERE chunks_fts MATCH ? AND a.scope IN ({marks})"
            " LIMIT 1"
        )
        async with self.reader.execute(sql, [_fts_phrase(term), *scopes]) as cur:
            return await cur.fetchone() is not None

    # -- event dates --------------------------------------------------------------------------------

    async def _put_chunk_days(self, chunk_id: int, days: Sequence[date]) -> None:
        await self.db.executemany(
            "INSERT INTO chunk_dates (chunk_id, day) VALUES (?, ?)", [(chunk_id, d.isoformat()) for d in days]
        )

    async def chunks_speaking_of(
        self, chunk_ids: Sequence[int], intervals: Sequence[tuple[date, date]]
    ) -> set[int]:
        """Which of ``chunk_ids`` speak of a day in one of the intervals."""
        if not chunk_ids or not intervals:
            return set()
        ranges = " OR ".join("day BETWEEN ? AND ?" for _ in intervals)
        marks = ",".join("?" * len(chunk_ids))
        args: list[Any] = [*chunk_ids, *(d.isoformat() for pair in intervals for d in pair)]
        async with self.reader.execute(
            f"SELECT DISTINCT chunk_id FROM chunk_dates WHERE chunk_id IN ({marks}) AND ({ranges})", args
        ) as cur:
            return {r[0] for r in await cur.fetchall()}

    async def backfill_chunk_dates(
        self, resolve: Callable[[str, date | None, Sequence[Chunk]], Sequence[Sequence[date]]]
    ) -> int:
        """Fill ``chunk_dates`` for a store written before it existed (once; one transaction).

        ``resolve(text, published, chunks)`` gives each chunk's days. Returns the articles read.
        """
        if await self.get_meta("chunk_dates") == "1":
            return 0
        async with self._write:
            try:
                async with self.db.execute("SELECT rowid, id, text, published FROM articles") as cur:
                    articles = list(await cur.fetchall())
                for a in articles:
                    async with self.db.execute(
                        'SELECT id, seq, start, "end", text FROM chunks WHERE article_rowid = ? ORDER BY seq',
                        (a["rowid"],),
                    ) as cur:
                        rows = list(await cur.fetchall())
                    chunks = [Chunk(a["id"], r["seq"], r["start"], r["end"], r["text"]) for r in rows]
                    published = date.fromisoformat(a["published"]) if a["published"] else None
                    await self.db.execute(
                        f"DELETE FROM chunk_dates WHERE chunk_id IN ({','.join('?' * len(rows))})",
                        [r["id"] for r in rows],
                    )
                    for row, days in zip(rows, resolve(a["text"], published, chunks), strict=True):
                        await self._put_chunk_days(row["id"], days)
                await self._put_meta({"chunk_dates": "1"})
                await self.db.commit()
            except BaseException:
                await self.db.rollback()
                raise
        return len(articles)

    async def add_copies_and_names(
        self, items: Sequence[tuple[int, Sequence[int], Sequence[tuple[str, str]]]]
    ) -> None:
        """For articles stored before near-duplicate and spelling detection: (row id, sketch, names),
        in row id order so each is compared with the earlier ones; one transaction."""
        async with self._write:
            try:
                for rowid, article_sketch, names in items:
                    async with self.db.execute("SELECT scope FROM articles WHERE rowid = ?", (rowid,)) as cur:
                        row = await cur.fetchone()
                    if row is None:
                        continue  # deleted meanwhile
                    await self.db.execute("DELETE FROM article_sketches WHERE article_rowid = ?", (rowid,))
                    await self.db.execute("DELETE FROM duplicates WHERE article_rowid = ?", (rowid,))
                    await self._link_near_duplicate(row[0], rowid, article_sketch)
                    await self.db.executemany(
                        "INSERT OR IGNORE INTO name_spellings (scope, key, spelling) VALUES (?, ?, ?)",
                        [(row[0], key, spelling) for key, spelling in names],
                    )
                await self.db.commit()
            except BaseException:
                await self.db.rollback()
                raise

    async def spellings(self, key: str, scopes: Sequence[str]) -> list[str]:
        """The corpus's spellings of a name with this spelling key (see place_names.py)."""
        marks = ",".join("?" * len(scopes))
        async with self.reader.execute(
            f"SELECT DISTINCT spelling FROM name_spellings WHERE key = ? AND scope IN ({marks}) ORDER BY spelling",
            (key, *scopes),
        ) as cur:
            return [r[0] for r in await cur.fetchall()]

    # -- near duplicates ----------------------------------------------------------------------------

    async def _link_near_duplicate(self, scope: str, rowid: int, sketch: Sequence[int]) -> None:
        """Store an article's sketch and, if an earlier article in the scope is a near copy, the link."""
        if not sketch:
            return
        marks = ",".join("?" * len(sketch))
        # From the hash index outwards (never a scan of the scope's articles), then the scope.
        async with self.db.execute(
            f"SELECT article_rowid FROM article_sketches WHERE h IN ({marks})"
            f" GROUP BY article_rowid HAVING COUNT(*) >= ? ORDER BY COUNT(*) DESC LIMIT 20",
            (*sketch, MIN_SHARED),
        ) as cur:
            shared = [r[0] for r in await cur.fetchall()]
        candidates = []
        if shared:
            async with self.db.execute(
                f"SELECT rowid FROM articles WHERE scope = ? AND rowid IN ({','.join('?' * len(shared))})",
                (scope, *shared),
            ) as cur:
                candidates = [r[0] for r in await cur.fetchall()]
        if candidates:
            sketches: dict[int, list[int]] = {c: [] for c in candidates}
            async with self.db.execute(
                f"SELECT article_rowid, h FROM article_sketches WHERE article_rowid IN ({','.join('?' * len(candidates))})",
                candidates,
            ) as cur:
                for r in await cur.fetchall():
                    sketches[r[0]].append(r[1])
            match = best_match(sketch, sketches)
            if match is not None:
                async with self.db.execute(
                    "SELECT original_rowid FROM duplicates WHERE article_rowid = ?", (match[0],)
                ) as cur:
                    root = await cur.fetchone()
                await self.db.execute(
                    "INSERT INTO duplicates (article_rowid, original_rowid, similarity) VALUES (?, ?, ?)",
                    (rowid, root[0] if root else match[0], match[1]),
                )
        await self.db.executemany(
            "INSERT INTO article_sketches (article_rowid, h) VALUES (?, ?)", [(rowid, h) for h in sketch]
        )

    async def duplicate_roots(self, rowids: Iterable[int]) -> dict[int, int]:
        """For the given articles that are near copies, the article their group hangs from."""
        wanted = sorted(set(rowids))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        async with self.reader.execute(
            f"SELECT article_rowid, original_rowid FROM duplicates WHERE article_rowid IN ({marks})", wanted
        ) as cur:
            return {r[0]: r[1] for r in await cur.fetchall()}

    # -- outlet labels ------------------------------------------------------------------------------

    async def set_outlet_label(self, scope: str, outlet: str, label: str, set_by: str | None) -> None:
        """Label an outlet in a scope (replacing its previous label there)."""
        async with self._write:
            await self.db.execute(
                "INSERT INTO outlet_labels (scope, outlet_key, outlet, label, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (scope, outlet_key) DO UPDATE SET outlet = excluded.outlet, label = excluded.label,"
                " set_by = excluded.set_by, set_at = excluded.set_at",
                (scope, outlet.casefold(), outlet, label, set_by, utc_now()),
            )
            await self.db.commit()

    async def remove_outlet_label(self, scope: str, outlet: str) -> bool:
        """Remove an outlet's label in a scope; False when it had none."""
        async with self._write:
            cur = await self.db.execute(
                "DELETE FROM outlet_labels WHERE scope = ? AND outlet_key = ?", (scope, outlet.casefold())
            )
            await self.db.commit()
        return cur.rowcount > 0

    async def outlet_labels(self, scope: str) -> dict[str, tuple[str, str]]:
        """A scope's labels: casefolded outlet -> (outlet as written, label)."""
        async with self.reader.execute(
            "SELECT outlet_key, outlet, label FROM outlet_labels WHERE scope = ? ORDER BY outlet_key",
            (scope,),
        ) as cur:
            return {r[0]: (r[1], r[2]) for r in await cur.fetchall()}

    # -- vectors ------------------------------------------------------------------------------------

    async def iter_vectors(
        self, model: str, batch: int = 4096, *, between: Callable[[], Awaitable[None]] | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """All stored (ids, vectors) for ``model``, in batches; ``between`` is awaited before each."""
        out: list[tuple[np.ndarray, np.ndarray]] = []
        async with self.reader.execute(
            "SELECT chunk_id, vec FROM vectors WHERE model = ? ORDER BY chunk_id", (model,)
        ) as cur:
            while True:
                if between is not None:
                    await between()
                rows = list(await cur.fetchmany(batch))
                if not rows:
                    break
                ids = np.fromiter((r[0] for r in rows), dtype="int64", count=len(rows))
                vecs = np.vstack([np.frombuffer(r[1], dtype="float32") for r in rows])
                out.append((ids, vecs))
        return out

    async def articles_lacking_sentence_vectors(
        self, model: str, after_rowid: int, limit: int
    ) -> list[tuple[int, str]]:
        """(rowid, text) of up to ``limit`` articles past ``after_rowid`` with no sentence vectors yet."""
        sql = (
            "SELECT a.rowid, a.text FROM articles a WHERE a.rowid > ? AND NOT EXISTS"
            " (SELECT 1 FROM sentence_vectors s WHERE s.article_rowid = a.rowid AND s.model = ?)"
            " ORDER BY a.rowid LIMIT ?"
        )
        async with self.reader.execute(sql, (after_rowid, model, limit)) as cur:
            return [(r[0], r[1]) for r in await cur.fetchall()]

    async def last_article_rowid(self) -> int:
        """The highest article rowid (0 for none): where a sentence fill may start next time."""
        return await self._number("SELECT MAX(rowid) FROM articles")

    async def put_sentence_vectors(
        self, model: str, items: Sequence[tuple[int, int, int, np.ndarray]]
    ) -> None:
        """Store (article rowid, start, end, vector) rows in one transaction; an article removed
        meanwhile is skipped (its rows would have nothing to belong to)."""
        async with self._write:
            try:
                await self.db.executemany(
                    'INSERT OR REPLACE INTO sentence_vectors (article_rowid, model, start, "end", vec)'
                    " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM articles WHERE rowid = ?)",
                    [(r, model, s, e, v.astype("float16").tobytes(), r) for r, s, e, v in items],
                )
                await self.db.commit()
            except BaseException:
                await self.db.rollback()
                raise

    async def sentence_vectors(
        self, model: str, rowids: Iterable[int]
    ) -> dict[tuple[int, int, int], np.ndarray]:
        """The stored sentence vectors of these articles, by (rowid, start, end), as float32."""
        wanted = sorted(set(rowids))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        sql = f'SELECT article_rowid, start, "end", vec FROM sentence_vectors WHERE model = ? AND article_rowid IN ({marks})'
        async with self.reader.execute(sql, [model, *wanted]) as cur:
            return {
                (r[0], r[1], r[2]): np.frombuffer(r[3], dtype="float16").astype("float32")
                for r in await cur.fetchall()
            }

    async def vector_chunk_ids(self, model: str) -> np.ndarray:
        """Sorted ids of the chunks that have a vector for ``model`` (what the FAISS index must hold)."""
        async with self.reader.execute(
            "SELECT chunk_id FROM vectors WHERE model = ? ORDER BY chunk_id", (model,)
        ) as cur:
            return np.array([r[0] for r in await cur.fetchall()], dtype="int64")

    async def chunks_missing_vectors(self, model: str) -> list[tuple[int, str]]:
        """(chunk id, text) of chunks with no vector for ``model`` (after a model change)."""
        async with self.reader.execute(
            "SELECT c.id, c.text FROM chunks c WHERE NOT EXISTS"
            " (SELECT 1 FROM vectors v WHERE v.chunk_id = c.id AND v.model = ?) ORDER BY c.id",
            (model,),
        ) as cur:
            return [(r[0], r[1]) for r in await cur.fetchall()]

    async def put_vectors(self, model: str, items: Sequence[tuple[int, np.ndarray]]) -> None:
        """Store vectors for existing chunks (one transaction)."""
        async with self._write:
            try:
                await self.db.executemany(
                    "INSERT OR REPLACE INTO vectors (chunk_id, model, vec) VALUES (?, ?, ?)",
                    [(cid, model, np.asarray(v, dtype="float32").tobytes()) for cid, v in items],
                )
                await self.db.commit()
            except BaseException:
                await self.db.rollback()
                raise

    # -- counts, feedback ---------------------------------------------------------------------------

    async def counts(self) -> tuple[int, int, int]:
        """(sources, articles, chunks)."""
        async with self.reader.execute(
            "SELECT (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM chunks)"
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        return int(row[0]), int(row[1]), int(row[2])

    async def add_feedback(
        self, *, scope: str, user_id: str, question: str, quotes: list[dict[str, Any]], vote: int
    ) -> None:
        """Store a 👍/👎 on an answer."""
        async with self._write:
            await self.db.execute(
                "INSERT INTO feedback (created_at, scope, user_id, question, quotes, vote) VALUES (?, ?, ?, ?, ?, ?)",
                (utc_now(), scope, user_id, question, json.dumps(quotes, ensure_ascii=False), vote),
            )
            await self.db.commit()

    async def feedback(self) -> list[dict[str, Any]]:
        """All feedback rows, oldest first."""
        async with self.reader.execute("SELECT * FROM feedback ORDER BY id") as cur:
            return [dict(r) for r in await cur.fetchall()]
