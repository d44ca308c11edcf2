"""What an ``ArticleFilter`` admits in the embedded store: a boolean mask over article row ids.

Scopes, outlets and publication days are read from the arrays in ``filter_columns.py``. What only
the text holds (days it states or speaks of, places and bare years as words) is looked up once per
interval or phrase through SQLite's indexes and the full-text index, as the chunks or articles that
hold it, and cached by the caller until the next commit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from functools import partial

import numpy as np

from index.dates.parsing import whole_years
from index.storage.records import ArticleFilter
from index.storage.sqlite.database import Database
from index.storage.sqlite.filter_columns import FilterColumns

SHORT_INTERVAL_DAYS = 62  # up to two months of days are looked up one by one in article_dates

# (kind, lo, hi) or (kind, phrase) -> an article mask, kept by the caller until a commit.
Lookup = Callable[[tuple[object, ...], Callable[[], Awaitable[np.ndarray]]], Awaitable[np.ndarray]]


def fts_phrase(term: str) -> str:
    """``term`` as one FTS5 phrase."""
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


async def admitted_articles(
    db: Database, cols: FilterColumns, f: ArticleFilter, lookup: Lookup
) -> np.ndarray:
    """The articles ``f`` admits, as a boolean mask by row id over ``cols``'s articles.

    ``lookup(key, compute)`` returns ``compute()``'s mask, or the one it kept for ``key``.
    """
    mask = cols.in_scopes(f.scopes)
    if f.rowids is not None:
        after, through = f.rowids
        mask[: after + 1] = False
        mask[through + 1 :] = False
    if f.outlets:
        mask &= cols.with_outlet(f.outlets)
    if f.exclude_outlets:
        mask &= ~cols.with_outlet(f.exclude_outlets)  # an article without an outlet stays
    if f.intervals:
        dated = np.zeros_like(mask)
        for lo, hi in f.intervals:
            # Published in the interval, or the text itself states a date in it, or one of its chunks
            # speaks of a day in it ("yesterday" in the next day's report).
            dated |= cols.published_between(lo, hi)
            dated |= await lookup(("stated", lo, hi), partial(_stated, db, cols, lo, hi))
            dated |= await lookup(("spoken", lo, hi), partial(_spoken_of, db, cols, lo, hi))
            # A whole year ("in 1992") is mostly written as the bare year, which no date row holds.
            for year in whole_years(lo, hi):
                dated |= await _holding(db, cols, fts_phrase(str(year)), lookup)
        mask &= dated
    spellings = dict(f.place_spellings)
    for place in f.places:
        # Any of the corpus's spellings of the place ("Deir Ezzor" for "Deir ez-Zor"), as words in
        # the full-text index: found once per phrase, not by reading every article's text.
        phrase = " OR ".join(fts_phrase(p) for p in spellings.get(place, (place,)))
        mask &= await _holding(db, cols, phrase, lookup)
    return mask


async def _holding(db: Database, cols: FilterColumns, match: str, lookup: Lookup) -> np.ndarray:
    """The articles with a chunk the full-text expression matches, as a mask (kept: ~0.2 MB a
    million chunks, where the chunk ids were 2.7 MB for a common place)."""

    async def read() -> np.ndarray:
        ids = await db.integers(
            "SELECT group_concat(rowid) FROM chunks_fts WHERE chunks_fts MATCH ?", [match]
        )
        return cols.holding(ids)

    return await lookup(("holding", match), read)


async def _stated(db: Database, cols: FilterColumns, lo: date, hi: date) -> np.ndarray:
    """The articles whose text states a day in ``lo``..``hi`` (a date without a year takes the year
    of the article's publication), as a mask."""
    days, day_args = _days_of_year(lo, hi)
    rowids = await db.integers(
        "SELECT group_concat(DISTINCT d.article_rowid) FROM article_dates d JOIN articles a2 ON a2.rowid = d.article_rowid"
        f" WHERE d.day IS NOT NULL{days} AND printf('%04d-%02d-%02d', COALESCE(d.year,"
        " CAST(substr(a2.published, 1, 4) AS INTEGER)), d.month, d.day) BETWEEN ? AND ?",
        [*day_args, lo.isoformat(), hi.isoformat()],
    )
    return cols.mask_of(rowids)


async def _spoken_of(db: Database, cols: FilterColumns, lo: date, hi: date) -> np.ndarray:
    """The articles with a chunk that speaks of a day in ``lo``..``hi`` (``chunk_dates``), as a mask."""
    ids = await db.integers(
        "SELECT group_concat(chunk_id) FROM chunk_dates WHERE day BETWEEN ? AND ?",
        [lo.isoformat(), hi.isoformat()],
    )
    return cols.holding(ids)


async def years_with_day(
    db: Database, cols: FilterColumns, articles: np.ndarray, month: int, day: int | None
) -> set[int]:
    """Years in which an article of ``articles`` (a mask) was published on ``month``/``day`` (any
    day of the month for None), states that day, or has a chunk speaking of it."""
    published = cols.published_days(articles)
    on_day = (published.month == month) & ((published.day == day) if day else True)
    years = set(published.year[on_day].tolist())
    # Stated in the text: a date without a year is of the year the article was published.
    # Two forms, so SQLite uses the (month, day) index for a day instead of reading the whole month.
    stated = await db.integers(
        "SELECT group_concat(article_rowid || ',' || COALESCE(year, 0)) FROM article_dates"
        + (" WHERE month = ? AND day = ?" if day else " WHERE month = ?"),
        [month, day] if day else [month],
    )
    rowids, stated_years = stated[0::2], stated[1::2]
    inside = rowids < len(articles)
    rowids, stated_years = rowids[inside], stated_years[inside]
    kept = articles[rowids]
    undated = kept & (stated_years == 0)
    years |= set(stated_years[kept & (stated_years > 0)].tolist())
    years |= set(cols.published_days(cols.mask_of(rowids[undated])).year.tolist())
    # Spoken of by a chunk: chunk_dates holds whole ISO days, found through its index one day at a time.
    first, last = await db.row("SELECT MIN(day), MAX(day) FROM chunk_dates") or (None, None)
    if first and last:
        days = [
            f"{y:04d}-{month:02d}-{d:02d}"
            for y in range(int(first[:4]), int(last[:4]) + 1)
            for d in ([day] if day else range(1, 32))
        ]
        for i in range(0, len(days), 500):  # under SQLite's bound-parameter limit
            part = days[i : i + 500]
            spoken = await db.integers(
                "SELECT group_concat(chunk_id || ',' || substr(day, 1, 4)) FROM chunk_dates"
                f" WHERE day IN ({','.join('?' * len(part))})",
                part,
            )
            owners = cols.chunk_article[np.clip(spoken[0::2], 0, len(cols.chunk_article) - 1)]
            years |= set(spoken[1::2][articles[owners] & (owners > 0)].tolist())
    return years
