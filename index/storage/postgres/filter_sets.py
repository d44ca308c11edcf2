"""A question's place and date filters as sets of article row ids, read once and kept while the
database is unchanged: what ``sqlite/filter_columns.py`` does for the embedded store.

Written into each query as correlated ``EXISTS`` subqueries (``filters.filter_sql``), two places
made PostgreSQL join the two sets of matching articles row by row: the planner estimated one row
for each, found ten thousand, and one keyword query on 100k chunks ran 26 s (``Rows Removed by Join
Filter: 99277740``). Each set read on its own is one index scan (~20-140 ms on 100k chunks); the
query then holds a single ``a.rowid = ANY(...)`` array, which PostgreSQL 14+ hashes.

The sets are kept in the store's ``ReadCache`` until something is written. Row ids are unique across
scopes (an identity column).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import Any

import numpy as np

from index.dates.parsing import whole_years
from index.storage.postgres.database import Database
from index.storage.postgres.filters import PHRASE, filter_sql
from index.storage.postgres.read_cache import ReadCache
from index.storage.records import ArticleFilter

_PLACE = "SELECT DISTINCT article_rowid AS r FROM chunks WHERE scope = ANY(%s) AND tsv @@ ({query})"
# Published in the interval, or the text states a date in it, or one of its chunks speaks of a day
# in it ("yesterday" in the next day's report): filter_sql's three tests, each through its index.
_INTERVAL = (
    "SELECT rowid AS r FROM articles WHERE scope = ANY(%s) AND published BETWEEN %s AND %s"
    " UNION SELECT d.article_rowid FROM article_dates d JOIN articles a"
    " ON a.scope = d.scope AND a.rowid = d.article_rowid WHERE d.scope = ANY(%s) AND d.day IS NOT NULL"
    " AND lpad(COALESCE(d.year, substr(a.published, 1, 4)::int)::text, 4, '0')"
    " || '-' || lpad(d.month::text, 2, '0') || '-' || lpad(d.day::text, 2, '0') BETWEEN %s AND %s"
    " UNION SELECT c.article_rowid FROM chunk_dates cd JOIN chunks c ON c.scope = cd.scope AND c.id = cd.chunk_id"
    " WHERE cd.scope = ANY(%s) AND cd.day BETWEEN %s AND %s"
)


class FilterSets:
    """The article sets of a store's place and date filters, kept until the next write."""

    def __init__(self, db: Database, cache: ReadCache) -> None:
        self.db = db
        self.cache = cache

    async def where(self, f: ArticleFilter) -> tuple[str, list[Any]]:
        """``filters.filter_sql``'s WHERE clause over ``articles a``, its places and dates read as
        one set of article row ids."""
        if not f.places and not f.intervals:
            return filter_sql(f)
        admitted = await self._sets(f)
        where, args = filter_sql(_without_sets(f))
        return f"{where} AND a.rowid = ANY(%s::bigint[])", [*args, admitted.tolist()]

    async def admitted(self, f: ArticleFilter) -> np.ndarray | None:
        """The row ids of the articles the filter admits, where places and dates are all it restricts
        besides scopes (their sets hold articles of those scopes only); None where SQL must decide."""
        if not (f.places or f.intervals) or _without_sets(f).restricts:
            return None
        return await self._sets(f)

    async def admitted_chunks(self, f: ArticleFilter) -> int | None:
        """How many chunks the articles ``admitted`` gives hold, from each article's chunk count (read
        once until the next write); None where ``admitted`` is None.

        Counted in SQL, a place most articles mention (17,648 of 22,900 at 100k chunks) cost 60-90 ms
        a question: the chunks of every admitted article read to count them.
        """
        rows = await self.admitted(f)
        if rows is None:
            return None
        rowids, counts = await self.cache.get(("chunk_counts",), self._chunk_counts)
        at = np.searchsorted(rowids, rows)
        held = at < len(rowids)
        held[held] = rowids[at[held]] == rows[held]  # an article without chunks is not in rowids
        return int(counts[at[held]].sum())

    async def _chunk_counts(self) -> np.ndarray:
        """Each article's chunk count: a (2, n) array of row ids (ascending) and counts."""
        rows = await self.db.fetch_all(
            "SELECT article_rowid AS r, count(*) AS n FROM chunks GROUP BY article_rowid ORDER BY article_rowid"
        )
        return np.array([[r["r"] for r in rows], [r["n"] for r in rows]], dtype=np.int64)

    async def _sets(self, f: ArticleFilter) -> np.ndarray:
        """The intersection of the filter's place and date sets (row ids, ascending)."""
        scopes = list(f.scopes)
        spellings = dict(f.place_spellings)
        admitted: np.ndarray | None = None
        for place in f.places:
            alternatives = tuple(spellings.get(place, (place,)))
            rows = await self.cache.get(
                ("place", alternatives, *scopes), partial(self._place, scopes, alternatives)
            )
            admitted = rows if admitted is None else np.intersect1d(admitted, rows, assume_unique=True)
        if f.intervals:
            rows = await self.cache.get(
                ("dates", f.intervals, *scopes), partial(self._dates, scopes, f.intervals)
            )
            admitted = rows if admitted is None else np.intersect1d(admitted, rows, assume_unique=True)
        assert admitted is not None
        return admitted

    async def _place(self, scopes: list[str], alternatives: Sequence[str]) -> np.ndarray:
        """Articles with a chunk holding any spelling of the place, as words of the full-text index."""
        query = " || ".join([PHRASE] * len(alternatives))
        return await self._rows(_PLACE.format(query=query), [scopes, *alternatives])

    async def _dates(self, scopes: list[str], intervals: Sequence[tuple[Any, Any]]) -> np.ndarray:
        """Articles published in, stating a date in, or speaking of a day in any of the intervals;
        for a whole year, also those holding the bare year ("in 1992")."""
        parts, args = [], []
        for lo, hi in intervals:
            span = [lo.isoformat(), hi.isoformat()]
            parts.append(_INTERVAL)
            args += [scopes, *span, scopes, *span, scopes, *span]
            for year in whole_years(lo, hi):
                parts.append(_PLACE.format(query=PHRASE))
                args += [scopes, str(year)]
        return await self._rows(" UNION ".join(parts), args)

    async def _rows(self, sql: str, args: list[Any]) -> np.ndarray:
        rows = await self.db.fetch_all(sql, args)
        return np.unique(np.fromiter((r["r"] for r in rows), dtype=np.int64, count=len(rows)))


def _without_sets(f: ArticleFilter) -> ArticleFilter:
    """The filter without what ``FilterSets`` reads as sets (places and dates)."""
    return replace(f, places=(), intervals=(), place_spellings=())
