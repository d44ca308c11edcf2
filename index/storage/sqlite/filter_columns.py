"""What article filters read, held in memory as arrays: each chunk's article, each article's scope,
outlet and publication day.

A question's filter used to be SQL over ``articles`` with subqueries; on a million chunks counting
what it admits, listing its chunks for FAISS and checking ranked hits against it took ~240 ms a
question (benchmarks/perf.py). Here it is a boolean mask over article row ids, and a chunk's
admission one array lookup.

The arrays follow the database through the reader connection. Rows are only ever added at the end
(row ids grow) except when something is updated or deleted, which the schema's triggers count in
``meta.rewrites``: an unchanged count means the rows past the loaded ones are all that is new, so a
commit costs a read of the new rows, not of the whole archive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from index.storage.sqlite.database import Database

NO_DAY = 0  # ``published`` of an undated (or missing) article: no date ordinal is 0
UNIX_EPOCH = date(1970, 1, 1).toordinal()  # numpy's day 0


@dataclass(frozen=True)
class PublishedDays:
    """Publication days as three arrays."""

    year: np.ndarray
    month: np.ndarray
    day: np.ndarray


@dataclass
class FilterColumns:
    """The columns filters read, by row id; row 0 and deleted rows belong to no scope."""

    chunk_article: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int32))
    scope: np.ndarray = field(default_factory=lambda: np.full(1, -1, dtype=np.int16))
    outlet: np.ndarray = field(default_factory=lambda: np.full(1, -1, dtype=np.int32))
    published: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int32))
    scopes: dict[str, int] = field(default_factory=dict)  # scope -> code
    outlets: dict[str, int] = field(default_factory=dict)  # casefolded outlet -> code
    rewrites: str | None = None  # meta.rewrites when last read
    loaded: bool = False
    last_article: int = 0  # the highest row id read (the arrays have room past it)
    last_chunk: int = 0

    async def refresh(self, db: Database) -> FilterColumns:
        """Read what was committed since the last refresh: the new rows, or everything again when
        rows were updated or deleted. Returns itself."""
        rewrites = await db.get_meta("rewrites")
        if rewrites != self.rewrites or not self.loaded:
            self.__init__()  # type: ignore[misc]  # back to empty: everything is read again
        # Chunks before articles: a chunk committed between the two reads still finds its article.
        chunk_pairs = await db.integers(
            "SELECT group_concat(id || ',' || article_rowid) FROM chunks WHERE id > ?", (self.last_chunk,)
        )
        article_rows = await db.rows(
            "SELECT rowid, scope, outlet, published FROM articles WHERE rowid > ?", (self.last_article,)
        )
        self._add_articles(article_rows)
        self._add_chunks(chunk_pairs[0::2], chunk_pairs[1::2])
        self.rewrites, self.loaded = rewrites, True
        return self

    def _add_articles(self, rows: Sequence[Sequence[object]]) -> None:
        if not rows:
            return
        top = int(max(int(r[0]) for r in rows))  # type: ignore[call-overload]
        self.scope = _grown(self.scope, top + 1, -1)
        self.outlet = _grown(self.outlet, top + 1, -1)
        self.published = _grown(self.published, top + 1, NO_DAY)
        for rowid, scope, outlet, published in rows:
            i = int(rowid)  # type: ignore[call-overload]
            self.scope[i] = self.scopes.setdefault(str(scope), len(self.scopes))
            self.outlet[i] = (
                self.outlets.setdefault(str(outlet).casefold(), len(self.outlets)) if outlet else -1
            )
            self.published[i] = _ordinal(published)
        self.last_article = top

    def _add_chunks(self, ids: np.ndarray, owners: np.ndarray) -> None:
        if not len(ids):
            return
        self.chunk_article = _grown(self.chunk_article, int(ids.max()) + 1, 0)
        self.chunk_article[ids] = owners
        self.last_chunk = max(self.last_chunk, int(ids.max()))

    # -- masks ----------------------------------------------------------------------------------------

    def in_scopes(self, scopes: Iterable[str]) -> np.ndarray:
        """Articles in any of the scopes (a boolean mask by row id)."""
        codes = [self.scopes[s] for s in scopes if s in self.scopes]
        return np.isin(self.scope, codes)

    def with_outlet(self, outlets: Iterable[str]) -> np.ndarray:
        """Articles from any of the outlets, compared casefolded."""
        codes = [self.outlets[o.casefold()] for o in outlets if o.casefold() in self.outlets]
        return np.isin(self.outlet, codes)

    def published_between(self, lo: date, hi: date) -> np.ndarray:
        """Articles published on a day from ``lo`` to ``hi``."""
        return (self.published >= lo.toordinal()) & (self.published <= hi.toordinal())

    def published_days(self, articles: np.ndarray) -> PublishedDays:
        """The publication days of the dated articles among ``articles`` (a mask)."""
        ordinals = self.published[articles & (self.published != NO_DAY)]
        days = (ordinals - UNIX_EPOCH).astype("datetime64[D]")
        months = days.astype("datetime64[M]")
        return PublishedDays(
            year=days.astype("datetime64[Y]").astype(np.int64) + 1970,
            month=months.astype(np.int64) % 12 + 1,
            day=(days - months).astype(np.int64) + 1,
        )

    def holding(self, chunk_ids: np.ndarray) -> np.ndarray:
        """A boolean mask by article row id of the articles holding these chunks (unknown ids
        dropped): one pass over the ids, no sort."""
        ids = chunk_ids[(chunk_ids > 0) & (chunk_ids < len(self.chunk_article))]
        mask = np.zeros(len(self.scope), dtype=bool)
        mask[self.chunk_article[ids]] = True
        mask[0] = False  # a chunk id past the last read, or removed, maps to article 0
        return mask

    def chunks_of(self, articles: np.ndarray) -> np.ndarray:
        """A boolean mask by chunk id of the chunks whose article ``articles`` (a mask) admits."""
        mask: np.ndarray = articles[self.chunk_article]
        return mask

    def mask_of(self, rowids: np.ndarray) -> np.ndarray:
        """A boolean mask by article row id holding ``rowids``."""
        mask = np.zeros(len(self.scope), dtype=bool)
        mask[rowids[rowids < len(mask)]] = True
        return mask


def _grown(array: np.ndarray, size: int, fill: int) -> np.ndarray:
    """``array`` extended to ``size`` entries with ``fill`` (itself when it is long enough)."""
    if len(array) >= size:
        return array
    out = np.full(max(size, len(array) * 5 // 4), fill, dtype=array.dtype)  # room to grow by appends
    out[: len(array)] = array
    return out


def _ordinal(published: object) -> int:
    """An ISO date (or datetime) string's day ordinal; ``NO_DAY`` for none or an unreadable one."""
    if not published:
        return NO_DAY
    try:
        return date.fromisoformat(str(published)[:10]).toordinal()
    except ValueError:
        return NO_DAY
