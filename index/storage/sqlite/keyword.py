"""BM25 ranking of chunks over SQLite's full-text index, with bounded work on a large archive.

FTS5 scores every row a query matches before it can sort them (~330k rows, over a second, for a
question of common words at a million chunks). On an archive of ``PRUNED_FROM`` chunks or more the
ranking scores the bounded sets of ``keyword_bounds.py`` instead, each with the whole question's BM25
(every word once in the query): the newest matches (``WINDOW`` over the share a narrow filter admits,
since it drops most of them) and every match of the rarest words.

An older chunk holding only common words is left to the vector search. Smaller archives are
ranked exactly, as one ``OR`` query over every word.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Sequence

import numpy as np

from index.storage.keyword_bounds import MOST_SCORED, PRUNED_FROM, RARE_POSTINGS, WINDOW, by_rarity
from index.storage.sqlite.database import Database
from index.storage.sqlite.filters import fts_phrase

__all__ = ["MOST_SCORED", "PRUNED_FROM", "RARE_POSTINGS", "WINDOW", "ranked_chunks"]
# A filter admitting at least this share of the archive is applied to a ranking over everything,
# OVERSAMPLE times deeper than needed; one admitting less is narrow.
BROAD_FILTER = 0.2
OVERSAMPLE = 2

Admits = Callable[[np.ndarray], np.ndarray]  # chunk ids -> whether the filter admits each
NEWEST_SCORED = (
    "SELECT rowid, bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rowid DESC LIMIT ?"
)


async def ranked_chunks(
    db: Database,
    terms: Sequence[str],
    limit: int,
    *,
    chunks: int,
    admits: Admits | None,
    share: float,
    matching: Callable[[str], Awaitable[int]],
) -> list[int]:
    """The ``limit`` best chunk ids for ``terms`` among those ``admits`` lets through.

    Args:
        chunks: the archive's size in chunks (which way it is ranked).
        admits: the filter, or None for none.
        share: the share of the archive the filter admits (1.0 for none).
        matching: a term -> how many chunks hold it (which words are rare).
    """
    if not terms or limit <= 0 or share <= 0:
        return []
    if chunks < PRUNED_FROM:
        return await _exact(db, " OR ".join(fts_phrase(t) for t in terms), limit, admits, share)
    counts = {t: await matching(t) for t in dict.fromkeys(terms)}
    rare, common = by_rarity(counts, RARE_POSTINGS)
    words = [*rare, *common]
    if not words:
        return []  # no chunk holds any of them
    window = min(MOST_SCORED // len(words), math.ceil(WINDOW / share))
    queries = [(" OR ".join(fts_phrase(t) for t in words), window if common else RARE_POSTINGS)]
    if rare and common:
        # Each word once per query, so BM25 sums over all of them: rare ones with, then without, the rest.
        either = "(" + " OR ".join(fts_phrase(t) for t in rare) + ")"
        rest = "(" + " OR ".join(fts_phrase(t) for t in common) + ")"
        queries += [(f"{either} AND {rest}", RARE_POSTINGS), (f"{either} NOT {rest}", RARE_POSTINGS)]
    found = [await _scored(db, NEWEST_SCORED, [match, n]) for match, n in queries]
    ids = np.concatenate([i for i, _ in found])
    scores = np.concatenate([s for _, s in found])
    if admits is not None and len(ids):
        keep = admits(ids)
        ids, scores = ids[keep], scores[keep]
    # BM25 is lower for better matches; equal scores in row id order, as the exact ranking has them.
    best = ids[np.lexsort((ids, scores))].tolist()
    return list(dict.fromkeys(best))[:limit]


async def _exact(db: Database, match: str, limit: int, admits: Admits | None, share: float) -> list[int]:
    """Every match ranked by BM25; with a filter, read deep enough to leave ``limit`` admitted."""
    sql = "SELECT rowid, 0 FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts) LIMIT ?"
    if admits is None:
        ids, _ = await _scored(db, sql, [match, limit])
        return [int(i) for i in ids]
    want = math.ceil(limit * OVERSAMPLE / share)
    ids, _ = await _scored(db, sql, [match, want])
    if len(ids) == want and np.count_nonzero(admits(ids)) < limit:
        ids, _ = await _scored(db, sql, [match, -1])  # too few admitted near the top: read them all
    return ids[admits(ids)][:limit].tolist() if len(ids) else []


async def _scored(db: Database, sql: str, args: list[object]) -> tuple[np.ndarray, np.ndarray]:
    """A query's (chunk id, score) rows as two arrays."""
    rows = await db.rows(sql, args)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    scores = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
    return ids, scores
