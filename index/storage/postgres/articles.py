"""Articles in the Postgres store, written by several processes at once.

Each write is one transaction; ``add`` starts by taking ``pg_advisory_xact_lock(hashtext(scope))``
and then looks again, inside the lock, for the article hashes and ids the caller checked before
embedding: what another writer stored meanwhile is skipped and counted as a duplicate instead of
failing on the unique constraints (which would throw away the whole batch). The lock is per scope, so
guilds ingest in parallel, and it is released with the transaction, so a killed process never leaves
it held.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np
import psycopg

from index.models import Article, Claim
from index.storage.copies import find_original
from index.storage.postgres.connection import Row
from index.storage.postgres.database import Database, vector_literal
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
from index.text.near_duplicates import MIN_SHARED

Connection = psycopg.AsyncConnection[Row]


class PgArticles(ArticleStore):
    """The ``articles`` table and what hangs off each article."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def known_hashes(self, scope: str, hashes: Iterable[str]) -> set[str]:
        """Which of ``hashes`` are already stored in ``scope``."""
        rows = await self.db.fetch_all(
            "SELECT content_hash FROM articles WHERE scope = %s AND content_hash = ANY(%s)",
            (scope, list(hashes)),
        )
        return {r["content_hash"] for r in rows}

    async def known_ids(self, scope: str, ids: Iterable[str]) -> set[str]:
        """Which of the article ``ids`` are already taken in ``scope``."""
        rows = await self.db.fetch_all(
            "SELECT id FROM articles WHERE scope = %s AND id = ANY(%s)", (scope, list(ids))
        )
        return {r["id"] for r in rows}

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
            The source id, (chunk id, vector) pairs of the new chunks, and how many articles were
            skipped because another process stored them (or their id) since the caller looked.
        """
        added: list[tuple[int, np.ndarray]] = []
        now = utc_now()
        async with self.db.writing() as db:
            await db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (scope,))
            cur = await db.execute(
                "INSERT INTO sources (scope, kind, location, added_at, added_by) VALUES (%s, %s, %s, %s, %s)"
                " ON CONFLICT (scope, location) DO UPDATE SET kind = sources.kind RETURNING id",
                (scope, kind, location, now, added_by),
            )
            row = await cur.fetchone()
            assert row is not None
            source_id = int(row["id"])
            cur = await db.execute(
                "SELECT id, content_hash FROM articles WHERE scope = %s AND (content_hash = ANY(%s) OR id = ANY(%s))",
                (scope, [a.content_hash for a in articles], [a.id for a in articles]),
            )
            found = await cur.fetchall()
            taken_ids = {r["id"] for r in found}
            taken_hashes = {r["content_hash"] for r in found}
            fresh = [a for a in articles if a.id not in taken_ids and a.content_hash not in taken_hashes]
            for art in fresh:
                rowid = await self._insert_article(db, scope, source_id, art, now)
                added += await _insert_chunks(db, scope, rowid, art, model)
        return source_id, added, len(articles) - len(fresh)

    async def replace(
        self, items: Sequence[tuple[int, NewArticle | None]], *, model: str
    ) -> tuple[list[int], list[tuple[int, np.ndarray]], list[int]]:
        """Give stored articles a new text and all that derives from it, in ONE transaction.

        Each article keeps its row id, id, source, title, outlet, URL and ingest time; its text,
        content hash, date, chunks with their vectors and days, claims, dates, sketch and near-copy
        link are replaced. ``None``, or a new text another article of the scope already has, deletes
        the article. Articles deleted meanwhile are skipped. Each scope's ingest lock is taken first
        (in one order), so a concurrent ``add`` cannot store the same new text meanwhile.

        Returns:
            The removed chunk ids, the new chunks' (id, vector) pairs, and the row ids deleted.
        """
        removed: list[int] = []
        added: list[tuple[int, np.ndarray]] = []
        deleted: list[int] = []
        async with self.db.writing() as db:
            cur = await db.execute(
                "SELECT rowid, scope FROM articles WHERE rowid = ANY(%s)", ([rowid for rowid, _ in items],)
            )
            scopes = {r["rowid"]: r["scope"] for r in await cur.fetchall()}
            for scope in sorted(set(scopes.values())):
                await db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (scope,))
            for rowid, art in items:
                if rowid not in scopes:
                    continue
                scope = scopes[rowid]
                cur = await db.execute(
                    "SELECT 1 FROM articles WHERE scope = %s AND rowid = %s FOR UPDATE", (scope, rowid)
                )
                if await cur.fetchone() is None:
                    continue  # deleted before the lock was ours
                cur = await db.execute(
                    "SELECT id FROM chunks WHERE scope = %s AND article_rowid = %s", (scope, rowid)
                )
                removed += [r["id"] for r in await cur.fetchall()]
                if art is not None:
                    cur = await db.execute(
                        "SELECT 1 FROM articles WHERE scope = %s AND content_hash = %s AND rowid != %s",
                        (scope, art.content_hash, rowid),
                    )
                    if await cur.fetchone() is not None:
                        art = None  # now the same words as another article: a duplicate
                if art is None:
                    await db.execute("DELETE FROM articles WHERE scope = %s AND rowid = %s", (scope, rowid))
                    deleted.append(rowid)
                    continue
                for table in ("chunks", "claims", "article_dates", "article_sketches", "duplicates"):
                    await db.execute(
                        f"DELETE FROM {table} WHERE scope = %s AND article_rowid = %s", (scope, rowid)
                    )
                await db.execute(
                    "UPDATE articles SET text = %s, content_hash = %s, published = %s, published_from = %s,"
                    " language = %s WHERE scope = %s AND rowid = %s",
                    (
                        art.text,
                        art.content_hash,
                        art.published.isoformat() if art.published else None,
                        art.published_from,
                        art.language,
                        scope,
                        rowid,
                    ),
                )
                await _insert_derived(db, scope, rowid, art)
                # Its own former copy may now be the nearest sketch: an article never copies itself.
                await db.execute(
                    "DELETE FROM duplicates WHERE scope = %s AND article_rowid = %s AND original_rowid = %s",
                    (scope, rowid, rowid),
                )
                added += await _insert_chunks(db, scope, rowid, art, model)
        return removed, added, deleted

    async def _insert_article(
        self, db: Connection, scope: str, source_id: int, art: NewArticle, now: str
    ) -> int:
        """Write one article and what hangs off it but its chunks; returns its row id."""
        cur = await db.execute(
            "INSERT INTO articles (scope, id, source_id, title, outlet, url, published, published_from,"
            " language, ingested_at, text, content_hash) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) RETURNING rowid",
            article_values(scope, source_id, art, now),
        )
        row = await cur.fetchone()
        assert row is not None
        rowid = int(row["rowid"])
        await _insert_derived(db, scope, rowid, art)
        if art.archive is not None:
            archive = art.archive
            await db.execute(
                "INSERT INTO archives (scope, sha256, size, data) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (scope, archive.sha256, archive.size, archive.compressed),
            )
            await db.execute(
                "INSERT INTO article_fetches (scope, article_rowid, sha256, url, status, content_type,"
                " fetched_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                archive.fetch_values(scope, rowid),
            )
        return rowid

    async def get(self, scope: str, article_id: str) -> Article | None:
        """One article by its id within a scope."""
        row = await self.db.fetch_one(
            f"{ARTICLE_SELECT} WHERE a.scope = %s AND a.id = %s", (scope, article_id)
        )
        return article_from_row(row) if row else None

    async def archived(self, scope: str, article_id: str) -> ArchivedPage | None:
        """The page an article was read from, as fetched; None if it has none (a file, an upload)."""
        row = await self.db.fetch_one(
            f"{ARCHIVED_SELECT} WHERE a.scope = %s AND a.id = %s", (scope, article_id)
        )
        return archived_from_row(row) if row else None

    async def by_rowid(self, rowids: Iterable[int]) -> dict[int, Article]:
        """Stored articles keyed by their row id."""
        rows = await self.db.fetch_all(f"{ARTICLE_SELECT} WHERE a.rowid = ANY(%s)", (sorted(set(rowids)),))
        return {r["rowid"]: article_from_row(r) for r in rows}

    async def claims(self, rowids: Iterable[int]) -> dict[int, list[Claim]]:
        """Stored claims keyed by article row id, in text order (articles without any are absent)."""
        out: dict[int, list[Claim]] = {}
        rows = await self.db.fetch_all(
            'SELECT c.article_rowid, c.start, c."end", c.speaker, c.speaker_start, c.speaker_end, c.cue,'
            ' substr(a.text, c.start + 1, c."end" - c.start) AS text'
            " FROM claims c JOIN articles a ON a.scope = c.scope AND a.rowid = c.article_rowid"
            " WHERE c.article_rowid = ANY(%s) ORDER BY c.article_rowid, c.start, c.id",
            (sorted(set(rowids)),),
        )
        for r in rows:
            out.setdefault(r["article_rowid"], []).append(claim_from_row(r))
        return out

    async def texts(self, after_rowid: int, limit: int) -> list[tuple[int, str]]:
        """(row id, text) of up to ``limit`` articles with a row id above ``after_rowid``, in order."""
        rows = await self.db.fetch_all(
            "SELECT rowid, text FROM articles WHERE rowid > %s ORDER BY rowid LIMIT %s", (after_rowid, limit)
        )
        return [(r["rowid"], r["text"]) for r in rows]

    async def replace_claims(self, items: Sequence[tuple[int, Sequence[Claim]]]) -> None:
        """Replace the claims of some articles in one transaction (articles deleted meanwhile are skipped)."""
        async with self.db.writing() as db:
            for rowid, claims in items:
                await db.execute("DELETE FROM claims WHERE article_rowid = %s", (rowid,))
                cur = await db.execute("SELECT scope FROM articles WHERE rowid = %s", (rowid,))
                row = await cur.fetchone()
                if row:
                    await _insert_claims(db, row["scope"], rowid, claims)

    async def backfill_chunk_dates(self, resolve: ChunkDays) -> int:
        """Nothing to fill: a Postgres store is written with chunk dates from the start (or migrated)."""
        if await self.db.get_meta("chunk_dates") != "1":
            raise RuntimeError(
                "this PostgreSQL store lacks chunk dates: migrate it again with `sitrep migrate`"
            )
        return 0

    async def add_copies_and_names(
        self, items: Sequence[tuple[int, Sequence[int], Sequence[tuple[str, str]]]]
    ) -> None:
        """For articles stored before near-duplicate and spelling detection: (row id, sketch, names)."""
        async with self.db.writing() as db:
            for rowid, article_sketch, names in items:
                cur = await db.execute("SELECT scope FROM articles WHERE rowid = %s", (rowid,))
                row = await cur.fetchone()
                if row is None:
                    continue  # deleted meanwhile
                scope = row["scope"]
                await db.execute(
                    "DELETE FROM article_sketches WHERE scope = %s AND article_rowid = %s", (scope, rowid)
                )
                await db.execute(
                    "DELETE FROM duplicates WHERE scope = %s AND article_rowid = %s", (scope, rowid)
                )
                await _link_near_duplicate(db, scope, rowid, article_sketch)
                await _put_names(db, scope, names)

    async def add_names(self, items: Sequence[tuple[int, Sequence[tuple[str, str]]]]) -> None:
        """More name spellings of stored articles (a newer ``name_spellings``): (row id, names)."""
        async with self.db.writing() as db:
            for rowid, names in items:
                cur = await db.execute("SELECT scope FROM articles WHERE rowid = %s", (rowid,))
                row = await cur.fetchone()
                if row is not None:  # else deleted meanwhile
                    await _put_names(db, row["scope"], names)


async def _insert_derived(db: Connection, scope: str, rowid: int, art: NewArticle) -> None:
    """An article's sketch and near-copy link, name spellings, mentioned dates and claims."""
    await _link_near_duplicate(db, scope, rowid, art.sketch)
    await _put_names(db, scope, art.names)
    async with db.cursor() as c:
        await c.executemany(
            "INSERT INTO article_dates (scope, article_rowid, year, month, day) VALUES (%s, %s, %s, %s, %s)",
            [(scope, rowid, y, m, d) for (y, m, d) in art.mentioned_dates],
        )
    await _insert_claims(db, scope, rowid, art.claims)


async def _insert_chunks(
    db: Connection, scope: str, rowid: int, art: NewArticle, model: str
) -> list[tuple[int, np.ndarray]]:
    """Write an article's chunks with their vectors and days; returns (chunk id, vector) pairs."""
    added: list[tuple[int, np.ndarray]] = []
    for chunk, vec, chunk_days in zip(
        art.chunks, art.vectors, art.chunk_days or ((),) * len(art.chunks), strict=True
    ):
        cur = await db.execute(
            'INSERT INTO chunks (scope, article_rowid, seq, start, "end", text, model, embedding)'
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s::vector) RETURNING id",
            (scope, rowid, chunk.seq, chunk.start, chunk.end, chunk.text, model, vector_literal(vec)),
        )
        chunk_row = await cur.fetchone()
        assert chunk_row is not None
        chunk_id = int(chunk_row["id"])
        await put_chunk_days(db, scope, chunk_id, chunk_days)
        added.append((chunk_id, vec))
    return added


async def put_chunk_days(db: Connection, scope: str, chunk_id: int, days: Sequence[date]) -> None:
    """The days a chunk speaks of, inside the current write transaction."""
    async with db.cursor() as cur:
        await cur.executemany(
            "INSERT INTO chunk_dates (scope, chunk_id, day) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            [(scope, chunk_id, d.isoformat()) for d in days],
        )


async def _insert_claims(db: Connection, scope: str, rowid: int, claims: Sequence[Claim]) -> None:
    async with db.cursor() as cur:
        await cur.executemany(
            'INSERT INTO claims (scope, article_rowid, start, "end", speaker, speaker_start, speaker_end, cue)'
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            claim_values(list(claims), scope, rowid),
        )


async def _put_names(db: Connection, scope: str, names: Sequence[tuple[str, str]]) -> None:
    async with db.cursor() as c:
        await c.executemany(
            "INSERT INTO name_spellings (scope, key, spelling) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            [(scope, key, spelling) for key, spelling in names],
        )


async def _link_near_duplicate(db: Connection, scope: str, rowid: int, sketch: Sequence[int]) -> None:
    """Store an article's sketch and, if an earlier article in the scope is a near copy, the link."""
    if not sketch:
        return

    async def sharing(hashes: Sequence[int]) -> list[int]:
        cur = await db.execute(
            "SELECT article_rowid FROM article_sketches WHERE scope = %s AND h = ANY(%s)"
            " GROUP BY article_rowid HAVING COUNT(*) >= %s ORDER BY COUNT(*) DESC, article_rowid LIMIT 20",
            (scope, list(hashes), MIN_SHARED),
        )
        return [r["article_rowid"] for r in await cur.fetchall()]

    async def sketches_of(rowids: list[int]) -> dict[int, list[int]]:
        cur = await db.execute(
            "SELECT article_rowid, h FROM article_sketches WHERE scope = %s AND article_rowid = ANY(%s)"
            " ORDER BY article_rowid, h",
            (scope, rowids),
        )
        found: dict[int, list[int]] = {}
        for r in await cur.fetchall():
            found.setdefault(r["article_rowid"], []).append(r["h"])
        return found

    async def root_of(copy: int) -> int | None:
        cur = await db.execute(
            "SELECT original_rowid FROM duplicates WHERE scope = %s AND article_rowid = %s", (scope, copy)
        )
        row = await cur.fetchone()
        return int(row["original_rowid"]) if row else None

    original = await find_original(sketch, sharing=sharing, sketches_of=sketches_of, root_of=root_of)
    if original is not None:
        await db.execute(
            "INSERT INTO duplicates (scope, article_rowid, original_rowid, similarity) VALUES (%s, %s, %s, %s)",
            (scope, rowid, *original),
        )
    async with db.cursor() as c:
        await c.executemany(
            "INSERT INTO article_sketches (scope, article_rowid, h) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            [(scope, rowid, h) for h in sketch],
        )
