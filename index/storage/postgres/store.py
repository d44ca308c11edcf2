"""PostgreSQL store (psycopg 3, async): the SQLite ``Store``'s interface over the pg_schema tables.

Several processes (bot shards, workers, the CLI) write at once. Each write is one transaction;
``add_source_articles`` starts by taking ``pg_advisory_xact_lock(hashtext(scope))`` and then looks
again, inside the lock, for the article hashes and ids the caller checked before embedding: what
another writer stored meanwhile is skipped and counted as a duplicate instead of failing on the
unique constraints (which would throw away the whole batch). The lock is per scope, so guilds ingest
in parallel, and it is released with the transaction, so a killed process never leaves it held.

Two connections: the writer (one transaction at a time, under an asyncio lock) and a reader in
autocommit mode, so questions see committed data only and never wait for an ingest.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import fields
from datetime import date
from typing import Any

import numpy as np
import psycopg

from index.attribution.claims import Claim
from index.models import Article, Chunk, SourceInfo
from index.storage.postgres.connection import PgConnection, Row
from index.storage.postgres.filters import CORPUS_STATS_SQL, bm25_search, filter_sql, phrase_query
from index.storage.postgres.schema import SCHEMA, SCHEMA_LOCK, SCHEMA_VERSION
from index.storage.sqlite.store import (
    ArticleFilter,
    NewArticle,
    SourceQueries,
    article_from_row,
    source_from_row,
    utc_now,
)
from index.text.near_duplicates import MIN_SHARED, best_match

# The stores it writes hold every derived table from the start: the engine's backfills for stores
# written by older versions have nothing to do.
STATS_SECONDS = 60.0  # how long BM25's corpus statistics are reused (see _corpus_stats)
FRESH_META = {"schema_version": SCHEMA_VERSION, "chunk_dates": "1", "copies_and_names": "1"}


def vector_literal(vec: np.ndarray) -> str:
    """pgvector's text form; ``repr`` of a float32 widened to a double parses back to the same float32."""
    return "[" + ",".join(map(repr, np.asarray(vec, dtype="float32").tolist())) + "]"


class PgStore(SourceQueries):
    """All persistent state, vectors included, in one PostgreSQL database."""

    def __init__(self, url: str, writer: PgConnection, reader: PgConnection) -> None:
        """Use ``PgStore.open``."""
        self.url = url
        self.writer = writer
        self.reader = reader
        self._write = asyncio.Lock()
        # Transactions on the shared reader (a vector search's SET LOCAL) must not nest or interleave.
        self.reader_transaction = asyncio.Lock()
        self._stats: tuple[float, tuple[float, float]] | None = None  # (when counted, BM25 statistics)

    @classmethod
    async def open(cls, url: str) -> PgStore:
        """Connect, creating the extension, tables and indexes if needed."""
        writer = await PgConnection.open(url)
        try:
            async with writer.transaction() as db:
                # Two processes starting at once must not race on CREATE ... IF NOT EXISTS.
                await db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                await db.execute(SCHEMA)
                for key, value in FRESH_META.items():
                    await db.execute(
                        "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
                        (key, value),
                    )
            reader = await PgConnection.open(url)
        except BaseException:
            await writer.close()
            raise
        return cls(url, writer, reader)

    async def close(self) -> None:
        """Close both connections."""
        await self.reader.close()
        await self.writer.close()

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[psycopg.AsyncConnection[Row]]:
        """One write transaction on the writer connection (see pg_connection for a dropped one)."""
        async with self._write, self.writer.transaction() as db:
            yield db
        self._stats = None  # this process changed the chunks: count them again

    async def fetch_all(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        """Rows of a query on the reader (committed data only)."""

        async def query(conn: psycopg.AsyncConnection[Row]) -> list[Row]:
            async with conn.cursor() as cur:
                await cur.execute(sql, args)
                return await cur.fetchall()

        return await self.reader.read(query)

    async def fetch_one(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        """The first row of a query on the reader, or None."""
        rows = await self.fetch_all(sql, args)
        return rows[0] if rows else None

    # -- meta ---------------------------------------------------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        """A value from the meta table, or None."""
        row = await self.fetch_one("SELECT value FROM meta WHERE key = %s", (key,))
        return row["value"] if row else None

    async def set_meta(self, **values: str) -> None:
        """Set meta values, all in one transaction."""
        async with self.writing() as db:
            await self._put_meta(db, values)

    @staticmethod
    async def _put_meta(db: psycopg.AsyncConnection[Row], values: dict[str, str]) -> None:
        async with db.cursor() as cur:
            await cur.executemany(
                "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

    # -- sources ------------------------------------------------------------------------------------

    async def sources(self, scope: str | None = None, *, source_id: int | None = None) -> list[SourceInfo]:
        """Sources with their article counts, newest first; all scopes when ``scope`` is None."""
        where: list[str] = []
        args: list[Any] = []
        if scope is not None:
            where.append("s.scope = %s")
            args.append(scope)
        if source_id is not None:
            where.append("s.id = %s")
            args.append(source_id)
        rows = await self.fetch_all(
            "SELECT s.*, (SELECT COUNT(*) FROM articles a WHERE a.scope = s.scope AND a.source_id = s.id) AS n"
            " FROM sources s" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY s.id DESC",
            args,
        )
        return [source_from_row(r) for r in rows]

    async def source_chunk_ids(self, source_id: int) -> list[int]:
        """Ids of every chunk of a source's articles."""
        rows = await self.fetch_all(
            "SELECT c.id FROM chunks c JOIN articles a ON a.scope = c.scope AND a.rowid = c.article_rowid"
            " WHERE a.source_id = %s",
            (source_id,),
        )
        return [r["id"] for r in rows]

    async def delete_source(self, source_id: int) -> int:
        """Delete a source and, by cascade, its articles, chunks and vectors; returns articles removed."""
        async with self.writing() as db:
            cur = await db.execute("SELECT COUNT(*) AS n FROM articles WHERE source_id = %s", (source_id,))
            row = await cur.fetchone()
            await db.execute("DELETE FROM sources WHERE id = %s", (source_id,))
        return int(row["n"]) if row else 0

    async def mark_polled(self, source_id: int) -> None:
        """Record that a feed was polled now."""
        async with self.writing() as db:
            await db.execute("UPDATE sources SET last_polled = %s WHERE id = %s", (utc_now(), source_id))

    # -- articles -----------------------------------------------------------------------------------

    async def known_hashes(self, scope: str, hashes: Iterable[str]) -> set[str]:
        """Which of ``hashes`` are already stored in ``scope``."""
        rows = await self.fetch_all(
            "SELECT content_hash FROM articles WHERE scope = %s AND content_hash = ANY(%s)",
            (scope, list(hashes)),
        )
        return {r["content_hash"] for r in rows}

    async def known_ids(self, scope: str, ids: Iterable[str]) -> set[str]:
        """Which of the article ``ids`` are already taken in ``scope``."""
        rows = await self.fetch_all(
            "SELECT id FROM articles WHERE scope = %s AND id = ANY(%s)", (scope, list(ids))
        )
        return {r["id"] for r in rows}

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
            The source id, (chunk id, vector) pairs of the new chunks, and how many articles were
            skipped because another process stored them (or their id) since the caller looked.
        """
        added: list[tuple[int, np.ndarray]] = []
        now = utc_now()
        async with self.writing() as db:
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
                for chunk, vec, chunk_days in zip(
                    art.chunks, art.vectors, art.chunk_days or ((),) * len(art.chunks), strict=True
                ):
                    cur = await db.execute(
                        'INSERT INTO chunks (scope, article_rowid, seq, start, "end", text, model, embedding)'
                        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s::vector) RETURNING id",
                        (
                            scope,
                            rowid,
                            chunk.seq,
                            chunk.start,
                            chunk.end,
                            chunk.text,
                            model,
                            vector_literal(vec),
                        ),
                    )
                    chunk_row = await cur.fetchone()
                    assert chunk_row is not None
                    chunk_id = int(chunk_row["id"])
                    await self._put_chunk_days(db, scope, chunk_id, chunk_days)
                    added.append((chunk_id, vec))
        return source_id, added, len(articles) - len(fresh)

    async def _insert_article(
        self, db: psycopg.AsyncConnection[Row], scope: str, source_id: int, art: NewArticle, now: str
    ) -> int:
        """Write one article and what hangs off it but its chunks; returns its row id."""
        cur = await db.execute(
            "INSERT INTO articles (scope, id, source_id, title, outlet, url, published, published_from,"
            " language, ingested_at, text, content_hash) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) RETURNING rowid",
            (
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
            ),
        )
        row = await cur.fetchone()
        assert row is not None
        rowid = int(row["rowid"])
        await self._link_near_duplicate(db, scope, rowid, art.sketch)
        async with db.cursor() as c:
            await c.executemany(
                "INSERT INTO name_spellings (scope, key, spelling) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                [(scope, key, spelling) for key, spelling in art.names],
            )
            await c.executemany(
                "INSERT INTO article_dates (scope, article_rowid, year, month, day) VALUES (%s, %s, %s, %s, %s)",
                [(scope, rowid, y, m, d) for (y, m, d) in art.mentioned_dates],
            )
        await self._insert_claims(db, scope, rowid, art.claims)
        return rowid

    # -- claims -------------------------------------------------------------------------------------

    @staticmethod
    async def _insert_claims(
        db: psycopg.AsyncConnection[Row], scope: str, rowid: int, claims: Sequence[Claim]
    ) -> None:
        async with db.cursor() as cur:
            await cur.executemany(
                'INSERT INTO claims (scope, article_rowid, start, "end", speaker, speaker_start, speaker_end, cue)'
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (scope, rowid, c.start, c.end, c.speaker, c.speaker_start, c.speaker_end, c.cue)
                    for c in claims
                ],
            )

    async def claims_for(self, rowids: Iterable[int]) -> dict[int, list[Claim]]:
        """Stored claims keyed by article row id, in text order (articles without any are absent)."""
        out: dict[int, list[Claim]] = {}
        rows = await self.fetch_all(
            'SELECT c.article_rowid, c.start, c."end", c.speaker, c.speaker_start, c.speaker_end, c.cue,'
            ' substr(a.text, c.start + 1, c."end" - c.start) AS text'
            " FROM claims c JOIN articles a ON a.scope = c.scope AND a.rowid = c.article_rowid"
            " WHERE c.article_rowid = ANY(%s) ORDER BY c.article_rowid, c.start, c.id",
            (sorted(set(rowids)),),
        )
        for r in rows:
            out.setdefault(r["article_rowid"], []).append(Claim(**{f.name: r[f.name] for f in fields(Claim)}))
        return out

    async def article_texts(self, after_rowid: int, limit: int) -> list[tuple[int, str]]:
        """(row id, text) of up to ``limit`` articles with a row id above ``after_rowid``, in order."""
        rows = await self.fetch_all(
            "SELECT rowid, text FROM articles WHERE rowid > %s ORDER BY rowid LIMIT %s", (after_rowid, limit)
        )
        return [(r["rowid"], r["text"]) for r in rows]

    async def replace_claims(self, items: Sequence[tuple[int, Sequence[Claim]]]) -> None:
        """Replace the claims of some articles in one transaction (articles deleted meanwhile are skipped)."""
        async with self.writing() as db:
            for rowid, claims in items:
                await db.execute("DELETE FROM claims WHERE article_rowid = %s", (rowid,))
                cur = await db.execute("SELECT scope FROM articles WHERE rowid = %s", (rowid,))
                row = await cur.fetchone()
                if row:
                    await self._insert_claims(db, row["scope"], rowid, claims)

    async def articles_by_rowid(self, rowids: Iterable[int]) -> dict[int, Article]:
        """Stored articles keyed by their row id."""
        rows = await self.fetch_all("SELECT * FROM articles WHERE rowid = ANY(%s)", (sorted(set(rowids)),))
        return {r["rowid"]: article_from_row(r) for r in rows}

    async def article(self, scope: str, article_id: str) -> Article | None:
        """One article by its id within a scope."""
        row = await self.fetch_one("SELECT * FROM articles WHERE scope = %s AND id = %s", (scope, article_id))
        return article_from_row(row) if row else None

    async def chunk_articles(self, chunk_ids: Sequence[int]) -> dict[int, tuple[int, int, int]]:
        """chunk id -> (article rowid, start, end)."""
        rows = await self.fetch_all(
            'SELECT id, article_rowid, start, "end" FROM chunks WHERE id = ANY(%s)', (list(chunk_ids),)
        )
        return {r["id"]: (r["article_rowid"], r["start"], r["end"]) for r in rows}

    # -- filters, keyword search --------------------------------------------------------------------

    async def count_articles(self, f: ArticleFilter) -> int:
        """How many articles the filter admits."""
        where, args = filter_sql(f)
        row = await self.fetch_one(f"SELECT COUNT(*) AS n FROM articles a WHERE {where}", args)
        return int(row["n"]) if row else 0

    async def allowed_chunk_ids(self, f: ArticleFilter) -> list[int]:
        """Ids of the chunks of the articles the filter admits."""
        where, args = filter_sql(f)
        rows = await self.fetch_all(
            f"SELECT c.id FROM chunks c JOIN articles a ON a.scope = c.scope AND a.rowid = c.article_rowid WHERE {where}",
            args,
        )
        return [r["id"] for r in rows]

    async def keyword_search(self, terms: Sequence[str], f: ArticleFilter, limit: int) -> list[int]:
        """BM25-ranked chunk ids matching any of ``terms`` within the filter (see pg_filters.bm25_search)."""
        if not terms:
            return []
        where, args = filter_sql(f)
        stats = await self._corpus_stats()
        return [r["id"] for r in await self.fetch_all(*bm25_search(terms, where, args, limit, stats))]

    async def _corpus_stats(self) -> tuple[float, float]:
        """(chunks, average words per chunk) for BM25, recounted at most every ``STATS_SECONDS``.

        Counting reads the whole chunks table (~0.3 s a question at 100k chunks); a minute-old average
        moves scores by a hair, and this process's own writes reset it.
        """
        now = time.monotonic()
        if self._stats is None or now - self._stats[0] > STATS_SECONDS:
            row = await self.fetch_one(CORPUS_STATS_SQL)
            assert row is not None
            self._stats = (now, (float(row["n"]), float(row["avgdl"])))
        return self._stats[1]

    async def years_for(self, month: int, day: int | None, scopes: Sequence[str]) -> list[int]:
        """Years with reporting on ``month``/``day`` (published or stated in the text), most recent first."""
        pattern = f"%-{month:02d}-{day:02d}" if day else f"%-{month:02d}-%"
        rows = await self.fetch_all(
            "SELECT DISTINCT substr(a.published, 1, 4)::int AS y FROM articles a"
            " WHERE a.scope = ANY(%s) AND a.published LIKE %s"
            " UNION SELECT DISTINCT COALESCE(d.year, substr(a.published, 1, 4)::int)"
            " FROM article_dates d JOIN articles a ON a.scope = d.scope AND a.rowid = d.article_rowid"
            " WHERE a.scope = ANY(%s) AND d.month = %s AND (%s::int IS NULL OR d.day = %s)"
            # ...and days the text speaks of without naming them ("yesterday" in the next day's report).
            " UNION SELECT DISTINCT substr(cd.day, 1, 4)::int FROM chunk_dates cd WHERE cd.scope = ANY(%s)"
            " AND cd.day LIKE %s",
            [list(scopes), pattern, list(scopes), month, day, day, list(scopes), pattern],
        )
        return sorted({int(r["y"]) for r in rows if r["y"]}, reverse=True)

    async def newest_published(self, scopes: Sequence[str]) -> date | None:
        """The newest publication date in the scopes (what "last week" in a question is relative to)."""
        row = await self.fetch_one(
            "SELECT MAX(published) AS p FROM articles WHERE scope = ANY(%s)", (list(scopes),)
        )
        return date.fromisoformat(row["p"]) if row and row["p"] else None

    async def scopes(self) -> list[str]:
        """The scopes that have articles."""
        return [r["scope"] for r in await self.fetch_all("SELECT DISTINCT scope FROM articles")]

    async def outlets(self, scopes: Sequence[str]) -> list[str]:
        """Distinct outlet names in the scopes."""
        rows = await self.fetch_all(
            "SELECT DISTINCT outlet FROM articles WHERE scope = ANY(%s) AND outlet IS NOT NULL",
            (list(scopes),),
        )
        return [r["outlet"] for r in rows]

    async def mentioned(self, term: str, scopes: Sequence[str]) -> bool:
        """Whether any article in the scopes contains ``term`` (a full-text phrase match)."""
        query, args = phrase_query([term])
        row = await self.fetch_one(
            f"SELECT 1 AS one FROM chunks c WHERE c.scope = ANY(%s) AND c.tsv @@ ({query}) LIMIT 1",
            [list(scopes), *args],
        )
        return row is not None

    # -- event dates --------------------------------------------------------------------------------

    @staticmethod
    async def _put_chunk_days(
        db: psycopg.AsyncConnection[Row], scope: str, chunk_id: int, days: Sequence[date]
    ) -> None:
        async with db.cursor() as cur:
            await cur.executemany(
                "INSERT INTO chunk_dates (scope, chunk_id, day) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                [(scope, chunk_id, d.isoformat()) for d in days],
            )

    async def chunks_speaking_of(
        self, chunk_ids: Sequence[int], intervals: Sequence[tuple[date, date]]
    ) -> set[int]:
        """Which of ``chunk_ids`` speak of a day in one of the intervals."""
        if not chunk_ids or not intervals:
            return set()
        ranges = " OR ".join("day BETWEEN %s AND %s" for _ in intervals)
        rows = await self.fetch_all(
            f"SELECT DISTINCT chunk_id FROM chunk_dates WHERE chunk_id = ANY(%s) AND ({ranges})",
            [list(chunk_ids), *(d.isoformat() for pair in intervals for d in pair)],
        )
        return {r["chunk_id"] for r in rows}

    async def backfill_chunk_dates(
        self, resolve: Callable[[str, date | None, Sequence[Chunk]], Sequence[Sequence[date]]]
    ) -> int:
        """Nothing to fill: a Postgres store is written with chunk dates from the start (or migrated)."""
        if await self.get_meta("chunk_dates") != "1":
            raise RuntimeError(
                "this PostgreSQL store lacks chunk dates: migrate it again with `sitrep migrate`"
            )
        return 0

    async def add_copies_and_names(
        self, items: Sequence[tuple[int, Sequence[int], Sequence[tuple[str, str]]]]
    ) -> None:
        """For articles stored before near-duplicate and spelling detection: (row id, sketch, names)."""
        async with self.writing() as db:
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
                await self._link_near_duplicate(db, scope, rowid, article_sketch)
                async with db.cursor() as c:
                    await c.executemany(
                        "INSERT INTO name_spellings (scope, key, spelling) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                        [(scope, key, spelling) for key, spelling in names],
                    )

    async def spellings(self, key: str, scopes: Sequence[str]) -> list[str]:
        """The corpus's spellings of a name with this spelling key (see place_names.py)."""
        rows = await self.fetch_all(
            "SELECT DISTINCT spelling FROM name_spellings WHERE key = %s AND scope = ANY(%s) ORDER BY spelling",
            (key, list(scopes)),
        )
        return [r["spelling"] for r in rows]

    # -- near duplicates ----------------------------------------------------------------------------

    async def _link_near_duplicate(
        self, db: psycopg.AsyncConnection[Row], scope: str, rowid: int, sketch: Sequence[int]
    ) -> None:
        """Store an article's sketch and, if an earlier article in the scope is a near copy, the link."""
        if not sketch:
            return
        cur = await db.execute(
            "SELECT article_rowid FROM article_sketches WHERE scope = %s AND h = ANY(%s)"
            " GROUP BY article_rowid HAVING COUNT(*) >= %s ORDER BY COUNT(*) DESC, article_rowid LIMIT 20",
            (scope, list(sketch), MIN_SHARED),
        )
        candidates = [r["article_rowid"] for r in await cur.fetchall()]
        if candidates:
            sketches: dict[int, list[int]] = {c: [] for c in candidates}
            cur = await db.execute(
                "SELECT article_rowid, h FROM article_sketches WHERE scope = %s AND article_rowid = ANY(%s)"
                " ORDER BY article_rowid, h",
                (scope, candidates),
            )
            for r in await cur.fetchall():
                sketches[r["article_rowid"]].append(r["h"])
            match = best_match(sketch, sketches)
            if match is not None:
                cur = await db.execute(
                    "SELECT original_rowid FROM duplicates WHERE scope = %s AND article_rowid = %s",
                    (scope, match[0]),
                )
                root = await cur.fetchone()
                await db.execute(
                    "INSERT INTO duplicates (scope, article_rowid, original_rowid, similarity) VALUES (%s, %s, %s, %s)",
                    (scope, rowid, root["original_rowid"] if root else match[0], match[1]),
                )
        async with db.cursor() as c:
            await c.executemany(
                "INSERT INTO article_sketches (scope, article_rowid, h) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                [(scope, rowid, h) for h in sketch],
            )

    async def duplicate_roots(self, rowids: Iterable[int]) -> dict[int, int]:
        """For the given articles that are near copies, the article their group hangs from."""
        rows = await self.fetch_all(
            "SELECT article_rowid, original_rowid FROM duplicates WHERE article_rowid = ANY(%s)",
            (sorted(set(rowids)),),
        )
        return {r["article_rowid"]: r["original_rowid"] for r in rows}

    # -- outlet labels ------------------------------------------------------------------------------

    async def set_outlet_label(self, scope: str, outlet: str, label: str, set_by: str | None) -> None:
        """Label an outlet in a scope (replacing its previous label there)."""
        async with self.writing() as db:
            await db.execute(
                "INSERT INTO outlet_labels (scope, outlet_key, outlet, label, set_by, set_at)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (scope, outlet_key) DO UPDATE SET"
                " outlet = excluded.outlet, label = excluded.label, set_by = excluded.set_by, set_at = excluded.set_at",
                (scope, outlet.casefold(), outlet, label, set_by, utc_now()),
            )

    async def remove_outlet_label(self, scope: str, outlet: str) -> bool:
        """Remove an outlet's label in a scope; False when it had none."""
        async with self.writing() as db:
            cur = await db.execute(
                "DELETE FROM outlet_labels WHERE scope = %s AND outlet_key = %s", (scope, outlet.casefold())
            )
        return cur.rowcount > 0

    async def outlet_labels(self, scope: str) -> dict[str, tuple[str, str]]:
        """A scope's labels: casefolded outlet -> (outlet as written, label)."""
        rows = await self.fetch_all(
            "SELECT outlet_key, outlet, label FROM outlet_labels WHERE scope = %s ORDER BY outlet_key",
            (scope,),
        )
        return {r["outlet_key"]: (r["outlet"], r["label"]) for r in rows}

    # -- vectors ------------------------------------------------------------------------------------

    async def chunks_missing_vectors(self, model: str) -> list[tuple[int, str]]:
        """(chunk id, text) of chunks with no vector for ``model`` (after a model change)."""
        rows = await self.fetch_all(
            "SELECT id, text FROM chunks WHERE model IS DISTINCT FROM %s OR embedding IS NULL ORDER BY id",
            (model,),
        )
        return [(r["id"], r["text"]) for r in rows]

    # Sentence vectors are kept by the embedded store only; here a question embeds its candidates.
    async def articles_lacking_sentence_vectors(
        self, model: str, after_rowid: int, limit: int
    ) -> list[tuple[int, str]]:
        """None: PostgreSQL stores no sentence vectors (questions embed their candidate sentences)."""
        return []

    async def last_article_rowid(self) -> int:
        """0: nothing to fill (see ``articles_lacking_sentence_vectors``)."""
        return 0

    async def put_sentence_vectors(
        self, model: str, items: Sequence[tuple[int, int, int, np.ndarray]]
    ) -> None:
        """Nothing to store (see ``articles_lacking_sentence_vectors``)."""

    async def sentence_vectors(
        self, model: str, rowids: Iterable[int]
    ) -> dict[tuple[int, int, int], np.ndarray]:
        """None stored (see ``articles_lacking_sentence_vectors``)."""
        return {}

    async def put_vectors(self, model: str, items: Sequence[tuple[int, np.ndarray]]) -> None:
        """Store vectors for existing chunks (one transaction)."""
        async with self.writing() as db, db.cursor() as cur:
            await cur.executemany(
                "UPDATE chunks SET model = %s, embedding = %s::vector WHERE id = %s",
                [(model, vector_literal(v), cid) for cid, v in items],
            )

    # -- counts, feedback ---------------------------------------------------------------------------

    async def counts(self) -> tuple[int, int, int]:
        """(sources, articles, chunks)."""
        row = await self.fetch_one(
            "SELECT (SELECT COUNT(*) FROM sources) AS s, (SELECT COUNT(*) FROM articles) AS a,"
            " (SELECT COUNT(*) FROM chunks) AS c"
        )
        assert row is not None
        return int(row["s"]), int(row["a"]), int(row["c"])

    async def add_feedback(
        self, *, scope: str, user_id: str, question: str, quotes: list[dict[str, Any]], vote: int
    ) -> None:
        """Store a 👍/👎 on an answer."""
        async with self.writing() as db:
            await db.execute(
                "INSERT INTO feedback (created_at, scope, user_id, question, quotes, vote)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                (utc_now(), scope, user_id, question, json.dumps(quotes, ensure_ascii=False), vote),
            )

    async def feedback(self) -> list[dict[str, Any]]:
        """All feedback rows, oldest first."""
        return await self.fetch_all(
            "SELECT id, created_at, scope, user_id, question, quotes, vote FROM feedback ORDER BY id"
        )
