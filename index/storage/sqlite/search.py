"""What a question reads from the embedded store: filters, BM25 over FTS5, and its passages.

Lookups every question repeats (outlets, scopes, newest date, counts, term frequencies) are kept
until the next commit by any connection (``read_cache.py``).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from functools import partial
from typing import Any, TypeVar

import numpy as np

from index.storage.protocols import SearchStore
from index.storage.records import ARTICLE_SELECT, ArticleFilter, Passages, article_from_row
from index.storage.sqlite.articles import claims_of
from index.storage.sqlite.database import Database, marks
from index.storage.sqlite.filter_columns import FilterColumns
from index.storage.sqlite.filters import admitted_articles, fts_phrase, years_with_day
from index.storage.sqlite.keyword import BROAD_FILTER, OVERSAMPLE, ranked_chunks

T = TypeVar("T")

BOUND_PARAMETERS = 500  # values per IN list: under SQLite's bound-parameter limit


class SqliteSearch(SearchStore):
    """Read-only queries for answering, on the reader connection."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache = db.cache
        self._columns = FilterColumns()
        self._refreshing = asyncio.Lock()

    # -- filters ------------------------------------------------------------------------------------

    async def columns(self) -> FilterColumns:
        """What filters read, as of the last commit the reader sees."""
        async with self._refreshing:  # two refreshes at once could mix a removal with a stale append
            return await self._cache.get("columns", partial(self._columns.refresh, self.db))

    async def admitted_articles(self, f: ArticleFilter) -> np.ndarray:
        """The articles the filter admits, as a boolean mask by row id (see ``filters.py``)."""

        async def compute() -> np.ndarray:
            return await admitted_articles(self.db, await self.columns(), f, self._cache.get)

        return await self._cache.get(("admitted", f), compute)

    async def admitted_chunk_mask(self, f: ArticleFilter) -> np.ndarray:
        """The chunks the filter admits, as a boolean mask by chunk id."""

        async def compute() -> np.ndarray:
            return (await self.columns()).chunks_of(await self.admitted_articles(f))

        return await self._cache.get(("admitted chunks", f), compute)

    async def count(self, f: ArticleFilter) -> int:
        """How many articles the filter admits."""
        return int(np.count_nonzero(await self.admitted_articles(f)))

    async def admitted_share(self, f: ArticleFilter) -> float:
        """The share of all stored articles that the filter admits (1.0: it restricts nothing)."""
        everything = int(np.count_nonzero((await self.columns()).scope >= 0))
        return await self.count(f) / everything if everything else 0.0

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
        admits = _admits(await self.admitted_chunk_mask(f))
        ids = np.asarray(chunk_ids, dtype=np.int64)
        return [int(i) for i in ids[admits(ids)]]

    async def allowed_chunk_ids(self, f: ArticleFilter) -> list[int]:
        """Ids of the chunks of the articles the filter admits."""
        return np.flatnonzero(await self.admitted_chunk_mask(f)).tolist()

    # -- keyword search -----------------------------------------------------------------------------

    async def keyword(self, terms: Sequence[str], f: ArticleFilter, limit: int) -> list[int]:
        """BM25-ranked chunk ids matching any of ``terms`` within the filter (see ``keyword.py``:
        on a large archive only the newest matches and the rarest words' are scored)."""
        if not terms:
            return []
        chunks = await self._cache.get("chunks", partial(self.db.number, "SELECT MAX(id) FROM chunks"))
        share = await self.admitted_share(f)
        return await ranked_chunks(
            self.db,
            terms,
            limit,
            chunks=chunks,
            admits=None if share >= 1.0 else _admits(await self.admitted_chunk_mask(f)),
            share=share,
            matching=lambda t: self._cache.get(("df", t), partial(self._matching_chunks, t)),
        )

    async def _matching_chunks(self, term: str) -> int:
        return await self.db.number(
            "SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?", [fts_phrase(term)]
        )

    # -- what the retrieved chunks hold ---------------------------------------------------------------

    async def speaking_of(self, chunk_ids: Sequence[int], intervals: Sequence[tuple[date, date]]) -> set[int]:
        """Which of ``chunk_ids`` speak of a day in one of the intervals."""
        if not chunk_ids or not intervals:
            return set()
        ranges = " OR ".join("day BETWEEN ? AND ?" for _ in intervals)
        args: list[Any] = [*chunk_ids, *(d.isoformat() for pair in intervals for d in pair)]
        rows = await self.db.rows(
            f"SELECT DISTINCT chunk_id FROM chunk_dates WHERE chunk_id IN ({marks(chunk_ids)}) AND ({ranges})",
            args,
        )
        return {r[0] for r in rows}

    async def passages(self, chunk_ids: Sequence[int]) -> Passages:
        """The chunks' (article row id, start, end), their articles, claims and near-copy roots."""
        located: dict[int, tuple[int, int, int]] = {}
        ids = list(chunk_ids)
        for i in range(0, len(ids), BOUND_PARAMETERS):
            part = ids[i : i + BOUND_PARAMETERS]
            rows = await self.db.rows(
                f'SELECT id, article_rowid, start, "end" FROM chunks WHERE id IN ({marks(part)})', part
            )
            located.update({r[0]: (r[1], r[2], r[3]) for r in rows})
        wanted = sorted({rowid for rowid, _, _ in located.values()})
        if not wanted:
            return Passages(located=located)
        rows = await self.db.rows(f"{ARTICLE_SELECT} WHERE a.rowid IN ({marks(wanted)})", wanted)
        articles = {r["rowid"]: article_from_row(r) for r in rows}
        claims = await claims_of(self.db, wanted)
        return Passages(located=located, articles=articles, claims=claims, roots=await self.originals(wanted))

    # -- what a question's words are checked against ----------------------------------------------------

    async def years_for(self, month: int, day: int | None, scopes: Sequence[str]) -> list[int]:
        """Years with reporting on ``month``/``day`` (published or stated in the text), most recent first."""
        years = await self._cache.get(
            ("years", month, day, tuple(scopes)), lambda: self._years(month, day, scopes)
        )
        return list(years)

    async def _years(self, month: int, day: int | None, scopes: Sequence[str]) -> list[int]:
        cols = await self.columns()
        return sorted(await years_with_day(self.db, cols, cols.in_scopes(scopes), month, day), reverse=True)

    async def newest_published(self, scopes: Sequence[str]) -> date | None:
        """The newest publication date in the scopes (what "last week" in a question is relative to)."""
        return await self._cache.get(("newest", tuple(scopes)), lambda: self._newest(scopes))

    async def _newest(self, scopes: Sequence[str]) -> date | None:
        row = await self.db.row(
            f"SELECT MAX(published) FROM articles WHERE scope IN ({marks(scopes)})", list(scopes)
        )
        return date.fromisoformat(row[0]) if row and row[0] else None

    async def published_range(self, scopes: Sequence[str]) -> tuple[date | None, date | None]:
        """The oldest and newest publication dates in the scopes (None, None when nothing is dated)."""

        async def read() -> tuple[date | None, date | None]:
            row = await self.db.row(
                f"SELECT MIN(published), MAX(published) FROM articles WHERE scope IN ({marks(scopes)})",
                list(scopes),
            )
            return (
                date.fromisoformat(row[0]) if row and row[0] else None,
                date.fromisoformat(row[1]) if row and row[1] else None,
            )

        return await self._cache.get(("range", tuple(scopes)), read)

    async def scopes(self) -> list[str]:
        """The scopes that have articles."""

        async def distinct() -> list[str]:
            return [r[0] for r in await self.db.rows("SELECT DISTINCT scope FROM articles")]

        return list(await self._cache.get("scopes", distinct))

    async def outlets(self, scopes: Sequence[str]) -> list[str]:
        """Distinct outlet names in the scopes."""

        async def distinct() -> list[str]:
            rows = await self.db.rows(
                f"SELECT DISTINCT outlet FROM articles WHERE scope IN ({marks(scopes)}) AND outlet IS NOT NULL",
                list(scopes),
            )
            return [r[0] for r in rows]

        return list(await self._cache.get(("outlets", tuple(scopes)), distinct))

    async def mentioned(self, term: str, scopes: Sequence[str]) -> bool:
        """Whether any article in the scopes contains ``term`` (FTS phrase match)."""
        row = await self.db.row(
            "SELECT 1 FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid"
            f" JOIN articles a ON a.rowid = c.article_rowid WHERE chunks_fts MATCH ? AND a.scope IN ({marks(scopes)})"
            " LIMIT 1",
            [fts_phrase(term), *scopes],
        )
        return row is not None

    async def newest_rowid(self) -> int:
        """The highest article row id stored (0 for none)."""
        return await self.db.number("SELECT COALESCE(MAX(rowid), 0) FROM articles")

    async def originals(self, rowids: Sequence[int]) -> dict[int, int]:
        """Of these articles, the near copies -> their original's row id."""
        wanted = list(rowids)
        out: dict[int, int] = {}
        for i in range(0, len(wanted), BOUND_PARAMETERS):
            part = wanted[i : i + BOUND_PARAMETERS]
            rows = await self.db.rows(
                f"SELECT article_rowid, original_rowid FROM duplicates WHERE article_rowid IN ({marks(part)})",
                part,
            )
            out.update({r[0]: r[1] for r in rows})
        return out

    async def spellings(self, key: str, scopes: Sequence[str]) -> list[str]:
        """The corpus's spellings of a name with this spelling key (see text/place_names.py)."""
        rows = await self.db.rows(
            f"SELECT DISTINCT spelling FROM name_spellings WHERE key = ? AND scope IN ({marks(scopes)}) ORDER BY spelling",
            (key, *scopes),
        )
        return [r[0] for r in rows]


def _admits(mask: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """Chunk ids -> whether ``mask`` (by chunk id) admits each; ids past its end are not admitted."""

    def admits(ids: np.ndarray) -> np.ndarray:
        inside = ids < len(mask)
        out = np.zeros(len(ids), dtype=bool)
        out[inside] = mask[ids[inside]]
        return out

    return admits
