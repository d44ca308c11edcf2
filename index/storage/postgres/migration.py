"""``sitrep migrate --to postgresql://…``: copy an embedded store (SQLite + FAISS) into PostgreSQL.

Every table is copied with its ids kept (the Postgres identities are ``BY DEFAULT``, and their
sequences are moved past the copied ids afterwards), so links between rows need no remapping.
Vectors are copied from SQLite's ``vectors`` and ``sentence_vectors`` tables for the model the index
was built with: no re-embedding. The whole copy is one Postgres transaction, read from one SQLite
snapshot: a failed migration leaves the target as it was, and a bot writing to the embedded store
meanwhile is not half-copied.

A target that already holds articles is refused unless ``force`` is given, which empties it
first: merging two stores would need their ids remapped, and a re-run after a failed or partial
attempt is the common case ``force`` is for.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psycopg

from index.errors import SitrepError
from index.storage.postgres.database import vector_literal
from index.storage.postgres.schema import IDENTITIES
from index.storage.postgres.store import PgStore
from index.text.place_names import NAMES_VERSION


class MigrationError(SitrepError):
    """The source or the target is not fit for a migration."""


# (target table, its columns, the SELECT over the SQLite store giving them in that order).
COPIES: tuple[tuple[str, str, str], ...] = (
    (
        "sources",
        "scope, id, kind, location, added_at, added_by, last_polled",
        "SELECT scope, id, kind, location, added_at, added_by, last_polled FROM sources",
    ),
    (
        "articles",
        "scope, rowid, id, source_id, title, outlet, url, published, published_from, language, ingested_at, text, content_hash",
        "SELECT scope, rowid, id, source_id, title, outlet, url, published, published_from, language, ingested_at, text, content_hash FROM articles",
    ),
    (
        "article_dates",
        "scope, id, article_rowid, year, month, day",
        "SELECT a.scope, d.rowid, d.article_rowid, d.year, d.month, d.day FROM article_dates d JOIN articles a ON a.rowid = d.article_rowid",
    ),
    (
        "chunks",
        'scope, id, article_rowid, seq, start, "end", text, model, embedding',
        'SELECT a.scope, c.id, c.article_rowid, c.seq, c.start, c."end", c.text, v.model, v.vec FROM chunks c'
        " JOIN articles a ON a.rowid = c.article_rowid LEFT JOIN vectors v ON v.chunk_id = c.id AND v.model = :model",
    ),
    (
        "chunk_dates",
        "scope, chunk_id, day",
        "SELECT DISTINCT a.scope, cd.chunk_id, cd.day FROM chunk_dates cd JOIN chunks c ON c.id = cd.chunk_id"
        " JOIN articles a ON a.rowid = c.article_rowid",
    ),
    (
        "outlet_labels",
        "scope, outlet_key, outlet, label, set_by, set_at",
        "SELECT scope, outlet_key, outlet, label, set_by, set_at FROM outlet_labels",
    ),
    (
        "article_sketches",
        "scope, article_rowid, h",
        "SELECT DISTINCT a.scope, s.article_rowid, s.h FROM article_sketches s JOIN articles a ON a.rowid = s.article_rowid",
    ),
    (
        "duplicates",
        "scope, article_rowid, original_rowid, similarity",
        "SELECT a.scope, d.article_rowid, d.original_rowid, d.similarity FROM duplicates d JOIN articles a ON a.rowid = d.article_rowid",
    ),
    ("name_spellings", "scope, key, spelling", "SELECT scope, key, spelling FROM name_spellings"),
    (
        "feedback",
        "scope, id, created_at, user_id, question, quotes, vote",
        "SELECT scope, id, created_at, user_id, question, quotes, vote FROM feedback",
    ),
    (
        "claims",
        'scope, id, article_rowid, start, "end", speaker, speaker_start, speaker_end, cue',
        'SELECT a.scope, c.id, c.article_rowid, c.start, c."end", c.speaker, c.speaker_start, c.speaker_end, c.cue'
        " FROM claims c JOIN articles a ON a.rowid = c.article_rowid",
    ),
    (
        "sentence_vectors",
        'scope, article_rowid, model, start, "end", vec',
        'SELECT a.scope, s.article_rowid, s.model, s.start, s."end", s.vec FROM sentence_vectors s'
        " JOIN articles a ON a.rowid = s.article_rowid WHERE s.model = :model",
    ),
    ("archives", "scope, sha256, size, data", "SELECT scope, sha256, size, data FROM archives"),
    (
        "article_fetches",
        "scope, article_rowid, sha256, url, status, content_type, fetched_at",
        "SELECT scope, article_rowid, sha256, url, status, content_type, fetched_at FROM article_fetches",
    ),
    (
        "watches",
        "id, scope, channel, query, outlet, exclude_label, created_by, created_at, after_rowid, enabled,"
        " disabled_reason, alerts, last_alert_at",
        "SELECT id, scope, channel, query, outlet, exclude_label, created_by, created_at, after_rowid, enabled,"
        " disabled_reason, alerts, last_alert_at FROM watches",
    ),
    ("watch_alerts", "watch_id, key, alerted_at", "SELECT watch_id, key, alerted_at FROM watch_alerts"),
    (
        "digests",
        "scope, channel, at, timezone, created_by, last_sent",
        "SELECT scope, channel, at, timezone, created_by, last_sent FROM digests",
    ),
    (
        "posted_answers",
        "id, scope, asker, created_at, answer, thread",
        "SELECT id, scope, asker, created_at, answer, thread FROM posted_answers",
    ),
    (
        "quote_votes",
        "answer_id, quote, user_id, vote, reason, voted_at",
        "SELECT answer_id, quote, user_id, vote, reason, voted_at FROM quote_votes",
    ),
)


# Tables an older store may lack (they appear when this version first writes to it): nothing to copy.
OPTIONAL = frozenset({"posted_answers", "quote_votes"})


@dataclass(frozen=True)
class TableCount:
    """Rows of one table on both sides of a migration."""

    table: str
    source: int
    target: int


async def migrate(db_path: Path, url: str, *, force: bool = False) -> list[TableCount]:
    """Copy the SQLite store at ``db_path`` into the Postgres database at ``url``.

    Returns:
        Per table (and ``vectors``: chunks with a vector), the rows read and the rows the target holds.

    Raises:
        MigrationError: no store at ``db_path``, or a non-empty target without ``force``.
    """
    if not db_path.exists():
        raise MigrationError(f"{db_path} does not exist: nothing to migrate")
    source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    target = await PgStore.open(url)
    try:
        source.execute("BEGIN")  # one snapshot for every table (WAL: writers go on meanwhile)
        model = _meta(source, "index_model")
        if (
            _meta(source, "chunk_dates") != "1"
            or _meta(source, "copies_and_names") != "1"
            or _meta(source, "names_version") != NAMES_VERSION
        ):
            # Postgres stores are written whole; the embedded store fills these in when it opens.
            raise MigrationError(
                f"{db_path} was written by an older sitrep: open it once (`sitrep stats`), then migrate"
            )
        if (await target.counts())[1] and not force:
            raise MigrationError(f"{url} already holds articles; --force empties it first")
        read: dict[str, int] = {}
        async with target.db.writing() as db:
            if force:
                await db.execute("TRUNCATE " + ", ".join(table for table, _, _ in COPIES) + " CASCADE")
            present = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table, columns, select in COPIES:
                n = 0
                if table in OPTIONAL and table not in present:  # a store this version never wrote to
                    read[table] = 0
                    continue
                async with db.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in source.execute(select, {"model": model}):
                        if table == "chunks":
                            blob = row[-1]
                            row = (
                                *row[:-1],
                                vector_literal(np.frombuffer(blob, dtype="float32")) if blob else None,
                            )
                        await copy.write_row(row)
                        n += 1
                read[table] = n
            read["vectors"] = sum(
                1 for _ in source.execute("SELECT 1 FROM vectors WHERE model = ?", (model,))
            )
            for key, value in source.execute("SELECT key, value FROM meta"):
                await db.execute(
                    "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            for table, column in IDENTITIES.items():
                # New rows continue after the copied ids.
                await db.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE(MAX({column}), 0) + 1, false) FROM {table}"
                )
        # The planner's statistics, now rather than whenever autovacuum gets to it: without them the
        # first questions on a migrated 100k-chunk store took 4-9 s at p95/p99 (benchmarks/scale.py).
        # VACUUM too: it marks the copied pages all-visible, so counts of chunks and articles by id
        # are index-only scans instead of reading every row (outside a transaction, as VACUUM must).
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            await conn.execute("VACUUM ANALYZE " + ", ".join(table for table, _, _ in COPIES))
        counts = []
        for table, n in read.items():
            sql = (
                "SELECT COUNT(*) AS n FROM chunks WHERE embedding IS NOT NULL"
                if table == "vectors"
                else f"SELECT COUNT(*) AS n FROM {table}"
            )
            row = await target.db.fetch_one(sql)
            counts.append(TableCount(table, n, int(row["n"]) if row else 0))
        return counts
    finally:
        source.close()
        await target.close()


def _meta(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None
