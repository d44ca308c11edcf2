"""BM25 over Postgres's full-text index with the bounded work of ``keyword_bounds.py``.

Below ``PRUNED_FROM`` chunks every match is scored (``filters.bm25_search``). From there the query
scores only the newest ``WINDOW`` matches the filter admits and every admitted match of the rarest
words, each with the whole question's BM25, so a chunk's score is the exact ranking's. The words'
document frequencies come from the caller (kept until the next write), not counted per question.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from index.storage.keyword_bounds import PRUNED_FROM, RARE_POSTINGS, WINDOW, by_rarity
from index.storage.postgres.filters import ADMITTED_CHUNKS, BM25_B, BM25_K1, PHRASE

__all__ = ["PRUNED_FROM", "bounded_bm25_search"]


def bounded_bm25_search(
    counts: Mapping[str, int],
    where: str,
    where_args: Sequence[Any],
    limit: int,
    stats: tuple[float, float],
) -> tuple[str, list[Any]] | None:
    """The query for the ``limit`` best admitted chunks of a large archive, or None when no chunk
    holds any of the words.

    Args:
        counts: each term (a phrase) -> how many chunks of the whole table hold it (BM25's idf and
            which words are rare).
        where: the filter's clause over ``articles a`` (``FilterSets.where``), with ``where_args``.
        stats: (chunks, average words per chunk) of the whole table.
    """
    rare, common = by_rarity(counts, RARE_POSTINGS)
    words = [*rare, *common]
    if not words:
        return None
    n, avgdl = stats
    # FTS5's idf, as filters.bm25_search computes it in SQL.
    idf = [max(math.log((n - counts[t] + 0.5) / (counts[t] + 0.5)), 1e-6) for t in words]
    parts: list[str] = []
    args: list[Any] = [*words, idf]
    if common:
        any_word = " || ".join([PHRASE] * len(words))
        parts.append(
            f"(SELECT c.id FROM {ADMITTED_CHUNKS} WHERE c.tsv @@ ({any_word}) AND {where} ORDER BY c.id DESC LIMIT %s)"
        )
        args += [*words, *where_args, WINDOW]
    if rare:
        any_rare = " || ".join([PHRASE] * len(rare))
        parts.append(f"(SELECT c.id FROM {ADMITTED_CHUNKS} WHERE c.tsv @@ ({any_rare}) AND {where})")
        args += [*rare, *where_args]
    phrases = ", ".join([PHRASE] * len(words))
    sql = (
        f"WITH w AS MATERIALIZED (SELECT t.q, t.idf FROM unnest(ARRAY[{phrases}], %s::float8[]) AS t(q, idf)),"
        f" cand AS MATERIALIZED ({' UNION '.join(parts)})"
        " SELECT c.id FROM cand JOIN chunks c ON c.id = cand.id"
        " ORDER BY (SELECT sum(w.idf * tf * %s / (tf + %s * (1 - %s + %s * c.tokens / %s)))"
        " FROM w, LATERAL (SELECT 10 * ts_rank_cd(c.tsv, w.q, 0) AS tf) AS f) DESC, c.id LIMIT %s"
    )
    args += [BM25_K1 + 1, BM25_K1, BM25_B, BM25_B, avgdl, limit]
    return sql, args
