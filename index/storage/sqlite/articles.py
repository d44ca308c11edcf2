"""Articles in the embedded store: one source's new articles per transaction, with their chunks,
vectors, dates, claims, sketches and name spellings; and the backfills for stores written before
some of those existed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import aiosqlite
import numpy as np

from index.models import Article, Chunk, Claim
from index.storage.copies import find_original
from index.storage.protocols import ArticleStore, ChunkDays
from index.storage.records import (
    ARCHIVED_SELECT,
    ARTICLE_SELECT,
    ArchivedPage,
    NewArticle,
    archived_from_row,
    article_from_row,
    article_values,
    claim_from_row,
    claim_values,
    utc_now,
)
from index.storage.sqlite.database import Database, bump_version, marks, put_meta
from index.text.near_duplicates import MIN_SHARED

BOUND_PARAMETERS = 500  # values per IN list: under SQLite's bound-parameter limit


class SqliteArticles(ArticleStore):
    """The ``articles`` table and what hangs off each article."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def known_hashes(self, scope: str, hashes: Iterable[str]) -> set[str]:
        """Which of ``hashes`` are already stored in ``scope``."""
        return await self._existing("content_hash", scope, hashes)

    async def known_ids(self, scope: str, ids: Iterable[str]) -> set[str]:
        """Which of the article ``ids`` are already taken in ``scope``."""
        return await self._existing("id", scope, ids)

    async def _existing(self, column: str, scope: str, values: Iterable[str]) -> set[str]:
        wanted = list(values)
        found: set[str] = set()
        for i in range(0, len(wanted), BOUND_PARAMETERS):
            part = wanted[i : i + BOUND_PARAMETERS]
            rows = await self.db.rows(
                f"SELECT {column} FROM articles WHERE scope = ? AND {column} IN ({marks(part)})",
                (scope, *part),
            )
            found.update(r[0] for r in rows)
        return found

    async def add(
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
        added: list[tuple[int, np.ndarray]] = []
        now = utc_now()
        async with self.db.transaction() as db:
            async with db.execute(
                "SELECT id FROM sources WHERE scope = ? AND location = ?", (scope, location)
            ) as cur:
                row = await cur.fetchone()
            source_id = int(row["id"]) if row else None
            if source_id is None:
                cur = await db.execute(
                    "INSERT INTO sources (scope, kind, location, added_at, added_by) VALUES (?, ?, ?, ?, ?)",
                    (scope, kind, location, now, added_by),
                )
                source_id = int(cur.lastrowid or 0)
            for art in articles:
                rowid = await self._insert_article(db, scope, source_id, art, now)
                added += await self._insert_chunks(db, rowid, art, model)
            if articles:
                await bump_version(db)
        return source_id, added, 0

    async def replace(
        self, items: Sequence[tuple[int, NewArticle | None]], *, model: str
    ) -> tuple[list[int], list[tuple[int, np.ndarray]], list[int]]:
        """Give stored articles a new text and all that derives from it, in ONE transaction.

        Each article keeps its row id, id, source, title, outlet, URL and ingest time; its text,
        content hash, date, chunks and their vectors and days, claims, dates, sketch and near-copy
        link, and sentence vectors are replaced. ``None``, or a new text another article of the
        scope already has, deletes the article. Articles deleted meanwhile are skipped.

        Returns:
            The removed chunk ids, the new chunks' (id, vector) pairs, and the row ids deleted.
        """
        removed: list[int] = []
        added: list[tuple[int, np.ndarray]] = []
        deleted: list[int] = []
        async with self.db.transaction() as db:
            for rowid, art in items:
                async with db.execute("SELECT scope FROM articles WHERE rowid = ?", (rowid,)) as cur:
                    row = await cur.fetchone()
                if row is None:
                    continue
                scope = row[0]
                async with db.execute("SELECT id FROM chunks WHERE article_rowid = ?", (rowid,)) as cur:
                    removed += [r[0] for r in await cur.fetchall()]
                if art is not None:
                    async with db.execute(
                        "SELECT 1 FROM articles WHERE scope = ? AND content_hash = ? AND rowid != ?",
                        (scope, art.content_hash, rowid),
                    ) as cur:
                        if await cur.fetchone() is not None:
                            art = None  # now the same words as another article: a duplicate
                if art is None:
                    await db.execute("DELETE FROM articles WHERE rowid = ?", (rowid,))
                    deleted.append(rowid)
                    continue
                for table in ("chunks", "claims", "article_dates", "article_sketches", "sentence_vectors"):
                    await db.execute(f"DELETE FROM {table} WHERE article_rowid = ?", (rowid,))
                await db.execute("DELETE FROM duplicates WHERE article_rowid = ?", (rowid,))
                await db.execute(
                    "UPDATE articles SET text = ?, content_hash = ?, published = ?, published_from = ?,"
                    " language = ? WHERE rowid = ?",
                    (
                        art.text,
                        art.content_hash,
                        art.published.isoformat() if art.published else None,
                        art.published_from,
                        art.language,
                        rowid,
                    ),
                )
                await self._insert_derived(db, scope, rowid, art)
                # Its own former copy may now be the nearest sketch: an article never copies itself.
                await db.execute(
                    "DELETE FROM duplicates WHERE article_rowid = ? AND original_rowid = ?", (rowid, rowid)
                )
                added += await self._insert_chunks(db, rowid, art, model)
            if removed or added or deleted:
                await bump_version(db)
        return removed, added, deleted

    async def _insert_chunks(
        self, db: aiosqlite.Connection, rowid: int, art: NewArticle, model: str
    ) -> list[tuple[int, np.ndarray]]:
        """Write an article's chunks with their days and vectors; returns (chunk id, vector) pairs."""
        added: list[tuple[int, np.ndarray]] = []
        days = art.chunk_days or ((),) * len(art.chunks)
        for chunk, vec, chunk_days in zip(art.chunks, art.vectors, days, strict=True):
            cur = await db.execute(
                'INSERT INTO chunks (article_rowid, seq, start, "end", text) VALUES (?, ?, ?, ?, ?)',
                (rowid, chunk.seq, chunk.start, chunk.end, chunk.text),
            )
            chunk_id = int(cur.lastrowid or 0)
            await put_chunk_days(db, chunk_id, chunk_days)
            await db.execute(
                "INSERT INTO vectors (chunk_id, model, vec) VALUES (?, ?, ?)",
                (chunk_id, model, np.asarray(vec, dtype="float32").tobytes()),
            )
            added.append((chunk_id, vec))
        return added

    async def _insert_article(
        self, db: aiosqlite.Connection, scope: str, source_id: int, art: NewArticle, now: str
    ) -> int:
        """Write one article and what hangs off it but its chunks; returns its row id."""
        cur = await db.execute(
            "INSERT INTO articles (scope, id, source_id, title, outlet, url, published, published_from,"
            " language, ingested_at, text, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            article_values(scope, source_id, art, now),
        )
        rowid = int(cur.lastrowid or 0)
        await self._insert_derived(db, scope, rowid, art)
        if art.archive is not None:
            archive = art.archive
            await db.execute(
                "INSERT INTO archives (scope, sha256, size, data) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (scope, archive.sha256, archive.size, archive.compressed),
            )
            await db.execute(
                "INSERT INTO article_fetches (article_rowid, scope, sha256, url, status, content_type,"
                " fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                archive.fetch_values(rowid, scope),
            )
        return rowid

    async def _insert_derived(
        self, db: aiosqlite.Connection, scope: str, rowid: int, art: NewArticle
    ) -> None:
        """An article's sketch and near-copy link, name spellings, mentioned dates and claims."""
        await _link_near_duplicate(db, scope, rowid, art.sketch)
        await _put_names(db, scope, art.names)
        await db.executemany(
            "INSERT INTO article_dates (article_rowid, year, month, day) VALUES (?, ?, ?, ?)",
            [(rowid, y, m, d) for (y, m, d) in art.mentioned_dates],
        )
        await _insert_claims(db, rowid, art.claims)

    async def get(self, scope: str, article_id: str) -> Article | None:
        """One article by its id within a scope."""
        row = await self.db.row(f"{ARTICLE_SELECT} WHERE a.scope = ? AND a.id = ?", (scope, article_id))
        return article_from_row(row) if row else None

    async def archived(self, scope: str, article_id: str) -> ArchivedPage | None:
        """The page an article was read from, as fetched; None if it has none (a file, an upload)."""
        row = await self.db.row(f"{ARCHIVED_SELECT} WHERE a.scope = ? AND a.id = ?", (scope, article_id))
        return archived_from_row(row) if row else None

    async def by_rowid(self, rowids: Iterable[int]) -> dict[int, Article]:
        """Stored articles keyed by their row id."""
        wanted = sorted(set(rowids))
        if not wanted:
            return {}
        rows = await self.db.rows(f"{ARTICLE_SELECT} WHERE a.rowid IN ({marks(wanted)})", wanted)
        return {r["rowid"]: article_from_row(r) for r in rows}

    async def claims(self, rowids: Iterable[int]) -> dict[int, list[Claim]]:
        """Stored claims keyed by article row id, in text order (articles without any are absent)."""
        return await claims_of(self.db, sorted(set(rowids)))

    async def texts(self, after_rowid: int, limit: int) -> list[tuple[int, str]]:
        """(row id, text) of up to ``limit`` articles with a row id above ``after_rowid``, in order."""
        rows = await self.db.rows(
            "SELECT rowid, text FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?", (after_rowid, limit)
        )
        return [(r[0], r[1]) for r in rows]

    async def replace_claims(self, items: Sequence[tuple[int, Sequence[Claim]]]) -> None:
        """Replace the claims of some articles in one transaction (articles deleted meanwhile are skipped)."""
        async with self.db.transaction() as db:
            for rowid, claims in items:
                await db.execute("DELETE FROM claims WHERE article_rowid = ?", (rowid,))
                async with db.execute("SELECT 1 FROM articles WHERE rowid = ?", (rowid,)) as cur:
                    exists = await cur.fetchone()
                if exists:
                    await _insert_claims(db, rowid, claims)

    async def backfill_chunk_dates(self, resolve: ChunkDays) -> int:
        """Fill ``chunk_dates`` for a store written before it existed (once; one transaction).

        ``resolve(text, published, chunks)`` gives each chunk's days. Returns the articles read.
        """
        if await self.db.get_meta("chunk_dates") == "1":
            return 0
        async with self.db.transaction() as db:
            async with db.execute("SELECT rowid, id, text, published FROM articles") as cur:
                articles = list(await cur.fetchall())
            for a in articles:
                async with db.execute(
                    'SELECT id, seq, start, "end", text FROM chunks WHERE article_rowid = ? ORDER BY seq',
                    (a["rowid"],),
                ) as cur:
                    rows = list(await cur.fetchall())
                chunks = [Chunk(a["id"], r["seq"], r["start"], r["end"], r["text"]) for r in rows]
                published = date.fromisoformat(a["published"]) if a["published"] else None
                await db.execute(
                    f"DELETE FROM chunk_dates WHERE chunk_id IN ({marks(rows)})", [r["id"] for r in rows]
                )
                for row, days in zip(rows, resolve(a["text"], published, chunks), strict=True):
                    await put_chunk_days(db, row["id"], days)
            await put_meta(db, {"chunk_dates": "1"})
        return len(articles)

    async def add_copies_and_names(
        self, items: Sequence[tuple[int, Sequence[int], Sequence[tuple[str, str]]]]
    ) -> None:
        """For articles stored before near-duplicate and spelling detection: (row id, sketch, names),
        in row id order so each is compared with the earlier ones; one transaction."""
        async with self.db.transaction() as db:
            for rowid, article_sketch, names in items:
                async with db.execute("SELECT scope FROM articles WHERE rowid = ?", (rowid,)) as cur:
                    row = await cur.fetchone()
                if row is None:
                    continue  # deleted meanwhile
                await db.execute("DELETE FROM article_sketches WHERE article_rowid = ?", (rowid,))
                await db.execute("DELETE FROM duplicates WHERE article_rowid = ?", (rowid,))
                await _link_near_duplicate(db, row[0], rowid, article_sketch)
                await _put_names(db, row[0], names)

    async def add_names(self, items: Sequence[tuple[int, Sequence[tuple[str, str]]]]) -> None:
        """More name spellings of stored articles (a newer ``name_spellings``): (row id, names)."""
        async with self.db.transaction() as db:
            for rowid, names in items:
                async with db.execute("SELECT scope FROM articles WHERE rowid = ?", (rowid,)) as cur:
                    row = await cur.fetchone()
                if row is not None:  # else deleted meanwhile
                    await _put_names(db, row[0], names)


async def claims_of(db: Database, rowids: Sequence[int]) -> dict[int, list[Claim]]:
    """Stored claims of these articles by row id, in text order, the claimed span cut from the text."""
    out: dict[int, list[Claim]] = {}
    for i in range(0, len(rowids), BOUND_PARAMETERS):
        part = rowids[i : i + BOUND_PARAMETERS]
        # SQLite's substr counts characters from 1, as Python slices count code points from 0.
        rows = await db.rows(
            'SELECT c.article_rowid, c.start, c."end", c.speaker, c.speaker_start, c.speaker_end, c.cue,'
            ' substr(a.text, c.start + 1, c."end" - c.start) AS text'
            " FROM claims c JOIN articles a ON a.rowid = c.article_rowid"
            f" WHERE c.article_rowid IN ({marks(part)}) ORDER BY c.article_rowid, c.start, c.id",
            part,
        )
        for r in rows:
            out.setdefault(r["article_rowid"], []).append(claim_from_row(r))
    return out


async def put_chunk_days(db: aiosqlite.Connection, chunk_id: int, days: Sequence[date]) -> None:
    """The days a chunk speaks of, inside the current write transaction."""
    await db.executemany(
        "INSERT INTO chunk_dates (chunk_id, day) VALUES (?, ?)", [(chunk_id, d.isoformat()) for d in days]
    )


async def _insert_claims(db: aiosqlite.Connection, rowid: int, claims: Sequence[Claim]) -> None:
    await db.executemany(
        'INSERT INTO claims (article_rowid, start, "end", speaker, speaker_start, speaker_end, cue)'
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        claim_values(list(claims), rowid),
    )


async def _put_names(db: aiosqlite.Connection, scope: str, names: Sequence[tuple[str, str]]) -> None:
    await db.executemany(
        "INSERT OR IGNORE INTO name_spellings (scope, key, spelling) VALUES (?, ?, ?)",
        [(scope, key, spelling) for key, spelling in names],
    )


async def _link_near_duplicate(
    db: aiosqlite.Connection, scope: str, rowid: int, sketch: Sequence[int]
) -> None:
    """Store an article's sketch and, if an earlier article in the scope is a near copy, the link."""
    if not sketch:
        return

    async def sharing(hashes: Sequence[int]) -> list[int]:
        async with db.execute(
            f"SELECT article_rowid FROM article_sketches WHERE h IN ({marks(hashes)})"
            " GROUP BY article_rowid HAVING COUNT(*) >= ? ORDER BY COUNT(*) DESC LIMIT 20",
            (*hashes, MIN_SHARED),
        ) as cur:
            shared = [r[0] for r in await cur.fetchall()]
        if not shared:
            return []
        # The sketch table has no scope column: the scope is checked on the few articles found.
        async with db.execute(
            f"SELECT rowid FROM articles WHERE scope = ? AND rowid IN ({marks(shared)})", (scope, *shared)
        ) as cur:
            return [r[0] for r in await cur.fetchall()]

    async def sketches_of(rowids: list[int]) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        async with db.execute(
            f"SELECT article_rowid, h FROM article_sketches WHERE article_rowid IN ({marks(rowids)})", rowids
        ) as cur:
            for r in await cur.fetchall():
                found.setdefault(r[0], []).append(r[1])
        return found

    async def root_of(copy: int) -> int | None:
        async with db.execute(
            "SELECT original_rowid FROM duplicates WHERE article_rowid = ?", (copy,)
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else None

    original = await find_original(sketch, sharing=sharing, sketches_of=sketches_of, root_of=root_of)
    if original is not None:
        await db.execute(
            "INSERT INTO duplicates (article_rowid, original_rowid, similarity) VALUES (?, ?, ?)",
            (rowid, *original),
        )
    await db.executemany(
        "INSERT INTO article_sketches (article_rowid, h) VALUES (?, ?)", [(rowid, h) for h in sketch]
    )
