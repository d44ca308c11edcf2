"""SQL for an ``ArticleFilter`` over ``articles a`` in SQLite, and FTS5 phrases.

Each alternative of a date filter is a list built once per query, not a lookup per article: a
one-day filter over a million chunks took 330 ms as per-article EXISTS.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from index.dates.parsing import whole_years
from index.storage.records import ArticleFilter
from index.storage.sqlite.database import marks

SHORT_INTERVAL_DAYS = 62  # up to two months of days are looked up one by one in article_dates
# The article is one of those with a chunk holding a full-text phrase (place names, bare years in
# filters). The unary + keeps SQLite from driving the query by this list, which it then re-reads
# per candidate chunk (340 ms instead of 20 for one place at 100k chunks): it is a filter only.
ARTICLES_MATCHING = (
    "+a.rowid IN (SELECT c2.article_rowid FROM chunks_fts JOIN chunks c2 ON c2.id = chunks_fts.rowid"
    " WHERE chunks_fts MATCH ?)"
)


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


def filter_sql(f: ArticleFilter) -> tuple[str, list[Any]]:
    """A WHERE clause over ``articles a`` for the filter, and its arguments."""
    clauses = [f"a.scope IN ({marks(f.scopes)})"]
    args: list[Any] = list(f.scopes)
    if f.rowids is not None:
        clauses.append("a.rowid > ? AND a.rowid <= ?")
        args.extend(f.rowids)
    if f.outlets:
        clauses.append(f"lower(a.outlet) IN ({marks(f.outlets)})")
        args.extend(o.lower() for o in f.outlets)
    if f.intervals:
        ors = []
        for lo, hi in f.intervals:
            # Published in the interval, or the text itself states a date in it.
            ors.append("(a.published BETWEEN ? AND ?)")
            args.extend([lo.isoformat(), hi.isoformat()])
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
                ors.append(ARTICLES_MATCHING)
                args.append(fts_phrase(str(year)))
        clauses.append("(" + " OR ".join(ors) + ")")
    if f.exclude_outlets:
        clauses.append(f"(a.outlet IS NULL OR lower(a.outlet) NOT IN ({marks(f.exclude_outlets)}))")
        args.extend(o.lower() for o in f.exclude_outlets)
    spellings = dict(f.place_spellings)
    for place in f.places:
        # Any of the corpus's spellings of the place ("Deir Ezzor" for "Deir ez-Zor"), as words
        # in the full-text index: found once per question, not by reading every article's text.
        clauses.append(ARTICLES_MATCHING)
        args.append(" OR ".join(fts_phrase(p) for p in spellings.get(place, (place,))))
    return " AND ".join(clauses), args
