"""Vector search for the Postgres store: pgvector over the chunks' ``embedding`` column.

There is no side file to keep in step: a chunk's vector is written in the same transaction as the
chunk, so every process sees it as soon as it commits, and ``added``/``removed``/``commit`` have
nothing to do.

Filtered search. pgvector 0.6's HNSW scan filters *after* the graph search: it finds
``hnsw.ef_search`` (default 40) candidates and then drops those the WHERE clause rejects, so a
selective filter (one guild's articles, one week) can return far fewer than k rows, or none.
Hence: when the filter admits at most ``EXACT_MAX`` chunks, the search orders exactly over the
filtered set (an expression the index doesn't cover, so the planner scans the filtered rows:
milliseconds at that size, and the same answer as FAISS's exact flat index); otherwise it takes the
``ef_search`` nearest chunks from the HNSW index, with ``ef_search`` raised by the inverse of the
filter's selectivity so that about 2k of them survive the filter, and filters those.
"""

from __future__ import annotations

import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import numpy as np
import psycopg

from index.storage.postgres.connection import Row
from index.storage.postgres.database import vector_literal
from index.storage.postgres.filters import ADMITTED_CHUNKS, filter_sql
from index.storage.postgres.schema import SCHEMA_LOCK, hnsw_index_name, hnsw_index_sql
from index.storage.postgres.store import PgStore
from index.storage.records import ArticleFilter, utc_now

log = logging.getLogger(__name__)

EXACT_MAX = 20_000  # filtered sets up to this many chunks are ordered exactly (~10 ms on two cores)
EF_SEARCH_MIN = 100  # HNSW candidates per query without a selective filter
EF_SEARCH_MAX = 1000  # pgvector's upper bound for hnsw.ef_search


class PgVectors:
    """Nearest-chunk search in PostgreSQL (exact for small filtered sets, HNSW otherwise)."""

    def __init__(
        self, store: PgStore, *, dim: int, model: str, fill_missing: Callable[[], Awaitable[None]]
    ) -> None:
        """``fill_missing`` embeds chunks that have no vector for ``model`` (a rebuild calls it)."""
        self.store = store
        self.dim = int(dim)
        self.model = model
        self._fill_missing = fill_missing

    @property
    def kind(self) -> str:
        """The index type."""
        return f"pgvector HNSW (vector_ip_ops, dim={self.dim}; exact up to {EXACT_MAX} filtered chunks)"

    @property
    def needs_rebuild(self) -> bool:
        """HNSW grows in place: never."""
        return False

    async def describe(self) -> tuple[str, int, int]:
        """(kind, vectors held, index bytes) for stats."""
        row = await self.store.db.fetch_one(
            "SELECT (SELECT COUNT(*) FROM chunks WHERE model = %s AND vector_dims(embedding) = %s) AS n,"
            " COALESCE(pg_relation_size(to_regclass(%s)), 0) AS b",
            (self.model, self.dim, hnsw_index_name(self.dim)),
        )
        assert row is not None
        return self.kind, int(row["n"]), int(row["b"])

    async def load(self) -> None:
        """Make the HNSW index for this dimension; embed chunks stored under another model."""
        async with self.store.db.writing() as db:
            await db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            await db.execute(hnsw_index_sql(self.dim))
        if await self.store.get_meta("index_model") != self.model:
            if await self.store.embeddings.missing_chunk_vectors(self.model):
                log.info("stored vectors are not %s's; embedding the chunks again", self.model)
                await self.rebuild()
            await self.store.set_meta(index_model=self.model, index_dim=str(self.dim))

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        """Nothing to hold: each store write is its own transaction (see pg_store.py)."""
        yield

    async def follow(self) -> None:
        """Nothing to follow: other processes' commits are visible to the next query."""

    async def added(self, ids: np.ndarray, vecs: np.ndarray) -> None:
        """The vectors were written with their chunks."""

    async def removed(self, ids: Sequence[int]) -> None:
        """The vectors went with their chunks."""

    async def commit(self) -> None:
        """Every write was committed already."""

    def _source(self, where: str, args: list[Any]) -> tuple[str, list[Any]]:
        """FROM/WHERE of the chunks the filter (``where`` over ``articles a``) admits that hold a
        vector of this model."""
        return (
            f"FROM {ADMITTED_CHUNKS} WHERE {where} AND c.model = %s AND vector_dims(c.embedding) = {self.dim}"
        ), [*args, self.model]

    def nearest_sql(
        self,
        qvec: np.ndarray,
        k: int,
        f: ArticleFilter,
        *,
        exact: bool,
        candidates: int = EF_SEARCH_MIN,
        where: tuple[str, list[Any]] | None = None,
    ) -> tuple[str, list[Any]]:
        """The query for the ``k`` nearest admitted chunks: exact, or the filter applied to the
        ``candidates`` nearest chunks of the HNSW index. ``where`` is the filter's clause when it
        was read already (``FilterSets.where``)."""
        q = vector_literal(qvec)
        where_sql, where_args = where or filter_sql(f)
        if exact:
            source, args = self._source(where_sql, where_args)
            # Not the indexed expression: the planner scans the filtered rows and sorts them exactly.
            order = "c.embedding <#> %s::vector"
            return f"SELECT c.id, -({order}) AS score {source} ORDER BY {order}, c.id LIMIT %s", [
                q,
                *args,
                q,
                k,
            ]
        # The HNSW scan is a subquery on chunks alone, ordered by the indexed expression only, so the
        # planner can't start from a join instead; the filter then applies to its candidates, which
        # is what pgvector does inside the scan anyway.
        order = f"c.embedding::vector({self.dim}) <#> %s::vector({self.dim})"
        return (
            f"SELECT n.id, n.score FROM (SELECT c.id, c.scope, c.article_rowid, -({order}) AS score FROM chunks c"
            f" WHERE c.model = %s AND vector_dims(c.embedding) = {self.dim} ORDER BY {order} LIMIT %s) AS n"
            f" JOIN articles a ON a.scope = n.scope AND a.rowid = n.article_rowid WHERE {where_sql}"
            " ORDER BY n.score DESC, n.id LIMIT %s"
        ), [q, self.model, q, candidates, *where_args, k]

    async def search(
        self, qvec: np.ndarray, k: int, f: ArticleFilter, restricted: bool
    ) -> list[tuple[int, float]]:
        """The ``k`` nearest chunks within the filter, best first, with their cosine similarity."""
        if k <= 0:
            return []
        exact, ef_search = False, EF_SEARCH_MIN
        where = await self.store.filter_sets.where(f)
        if restricted:
            # A filter of places and dates: the admitted articles' chunk counts, summed (every chunk,
            # whichever model embedded it: a store in the middle of a model change counts high).
            # Otherwise counted in SQL up to EXACT_MAX + 1 only: a full count read every admitted row's
            # vector (most of a question's time at 100k chunks) to learn no more than "more than
            # EXACT_MAX"; chunks of this model, not of this vector length: vector_dims() reads each
            # vector (1.5 KB), and a chunk whose vector has another length only makes the count high.
            admitted = await self.store.filter_sets.admitted_chunks(f)
            if admitted is None:  # outlets, exclusions or row ranges: counted in SQL
                where_sql, where_args = where
                count = await self.store.db.fetch_one(
                    f"SELECT COUNT(*) AS n FROM (SELECT 1 FROM {ADMITTED_CHUNKS} WHERE {where_sql}"
                    f" AND c.model = %s LIMIT {EXACT_MAX + 1}) AS admitted",
                    [*where_args, self.model],
                )
                admitted = int(count["n"]) if count else 0
            if admitted == 0:
                return []
            exact = admitted <= EXACT_MAX
            if not exact:
                # The planner's row estimate is total enough here; admitted is a lower bound, so the
                # selectivity is too and ef_search errs on the side of more candidates.
                total = await self.store.db.fetch_one(
                    "SELECT GREATEST(reltuples, 1)::float8 AS n FROM pg_class WHERE oid = 'chunks'::regclass"
                )
                selectivity = min(1.0, admitted / (float(total["n"]) if total else admitted))
                ef_search = min(EF_SEARCH_MAX, max(EF_SEARCH_MIN, math.ceil(2 * k / selectivity)))
        sql, query_args = self.nearest_sql(qvec, k, f, exact=exact, candidates=ef_search, where=where)

        async def query(conn: psycopg.AsyncConnection[Row]) -> list[Row]:
            async with conn.transaction():
                await conn.execute(f"SET LOCAL hnsw.ef_search = {int(ef_search)}")
                cur = await conn.execute(sql, query_args)
                return await cur.fetchall()

        async with self.store.db.reader_transaction:
            rows = await self.store.db.reader.read(query)
        return [(int(r["id"]), float(r["score"])) for r in rows]

    async def rebuild(self) -> None:
        """Embed the chunks that lack a vector for this model, then rebuild the HNSW index."""
        await self._fill_missing()
        async with self.store.db.writing() as db:
            await db.execute(f"REINDEX INDEX {hnsw_index_name(self.dim)}")
        await self.store.set_meta(index_model=self.model, index_dim=str(self.dim), last_rebuild=utc_now())
