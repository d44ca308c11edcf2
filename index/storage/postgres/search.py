"""What a question reads from the Postgres store: filters, BM25 in SQL, and its passages."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date
from functools import partial

from index.models import Article, Claim
from index.storage.postgres import keyword
from index.storage.postgres.database import Database
from index.storage.postgres.filter_sets import FilterSets
from index.storage.postgres.filters import ADMITTED_CHUNKS, CORPUS_STATS_SQL, bm25_search, phrase_query
from index.storage.protocols import SearchStore
from index.storage.records import ArticleFilter, Passages, article_from_row, claim_from_row

STATS_SECONDS = 60.0  # how long BM25's corpus statistics are reused (see _corpus_stats)

# An article with its claims (the quoted span cut from its text, as Claim's fields) and its near-copy
# root, in one row: a question's passages cost two round trips, not four.
_ARTICLES_WITH_CLAIMS = """
SELECT a.*, d.original_rowid, f.sha256 AS fetch_sha256, f.fetched_at AS fetch_at,
    (SELECT json_agg(json_build_object(
        'speaker', c.speaker, 'speaker_start', c.speaker_start, 'speaker_end', c.speaker_end, 'cue', c.cue,
        'text', substr(a.text, c.start + 1, c."end" - c.start), 'start', c.start, 'end', c."end")
        ORDER BY c.start, c.id)
     FROM claims c WHERE c.scope = a.scope AND c.article_rowid = a.rowid) AS claims
FROM articles a LEFT JOIN duplicates d ON d.scope = a.scope AND d.article_rowid = a.rowid
    LEFT JOIN article_fetches f ON f.scope = a.scope AND f.article_rowid = a.rowid
WHERE a.rowid = ANY(%s)
"""


class PgSearch(SearchStore):
    """Read-only queries for answering, on the reader connection."""

    def __init__(self, db: Database, filter_sets: FilterSets) -> None:
        """``filter_sets`` (the store's, shared with vector search) holds the store's ``ReadCache``."""
        self.db = db
        self.filter_sets = filter_sets
        self.cache = filter_sets.cache
        self._stats: tuple[float, int, tuple[float, float]] | None = None  # (when, writes seen, statistics)

    async def count(self, f: ArticleFilter) -> int:
        """How many articles the filter admits."""
        return await self.cache.get(("count", f), partial(self._count, f))

    async def _count(self, f: ArticleFilter) -> int:
        admitted = await self.filter_sets.admitted(f)
        if admitted is not None:  # the articles of its place and date sets (~45 ms to count again)
            return len(admitted)
        where, args = await self.filter_sets.where(f)
        row = await self.db.fetch_one(f"SELECT COUNT(*) AS n FROM articles a WHERE {where}", args)
        return int(row["n"]) if row else 0

    async def allowed_chunk_ids(self, f: ArticleFilter) -> list[int]:
        """Ids of the chunks of the articles the filter admits."""
        where, args = await self.filter_sets.where(f)
        rows = await self.db.fetch_all(
            f"SELECT c.id FROM {ADMITTED_CHUNKS} WHERE {where}",
            args,
        )
        return [r["id"] for r in rows]

    async def keyword(self, terms: Sequence[str], f: ArticleFilter, limit: int) -> list[int]:
        """BM25-ranked chunk ids matching any of ``terms`` within the filter (see filters.bm25_search)."""
        if not terms:
            return []
        where, args = await self.filter_sets.where(f)
        stats = await self._corpus_stats()
        if stats[0] < keyword.PRUNED_FROM:
            return [r["id"] for r in await self.db.fetch_all(*bm25_search(terms, where, args, limit, stats))]
        counts = {
            t: await self.cache.get(("df", t), partial(self._matching, t)) for t in dict.fromkeys(terms)
        }
        query = keyword.bounded_bm25_search(counts, where, args, limit, stats)
        return [r["id"] for r in await self.db.fetch_all(*query)] if query else []

    async def _matching(self, term: str) -> int:
        """How many chunks of the whole table hold the phrase (its document frequency)."""
        query, args = phrase_query([term])
        row = await self.db.fetch_one(f"SELECT count(*) AS n FROM chunks WHERE tsv @@ ({query})", args)
        return int(row["n"]) if row else 0

    async def _corpus_stats(self) -> tuple[float, float]:
        """(chunks, average words per chunk) for BM25, recounted at most every ``STATS_SECONDS``.

        Counting reads the whole chunks table (~0.3 s a question at 100k chunks); a minute-old average
        moves scores by a hair, and this process's own writes reset it.
        """
        now = time.monotonic()
        if self._stats is None or now - self._stats[0] > STATS_SECONDS or self._stats[1] != self.db.writes:
            row = await self.db.fetch_one(CORPUS_STATS_SQL)
            assert row is not None
            self._stats = (now, self.db.writes, (float(row["n"]), float(row["avgdl"])))
        return self._stats[2]

    async def speaking_of(self, chunk_ids: Sequence[int], intervals: Sequence[tuple[date, date]]) -> set[int]:
        """Which of ``chunk_ids`` speak of a day in one of the intervals."""
        if not chunk_ids or not intervals:
            return set()
        ranges = " OR ".join("day BETWEEN %s AND %s" for _ in intervals)
        rows = await self.db.fetch_all(
            f"SELECT DISTINCT chunk_id FROM chunk_dates WHERE chunk_id = ANY(%s) AND ({ranges})",
            [list(chunk_ids), *(d.isoformat() for pair in intervals for d in pair)],
        )
        return {r["chunk_id"] for r in rows}

    async def passages(self, chunk_ids: Sequence[int]) -> Passages:
        """The chunks' (article row id, start, end), their articles, claims and near-copy roots."""
        rows = await self.db.fetch_all(
            'SELECT id, article_rowid, start, "end" FROM chunks WHERE id = ANY(%s)', (list(chunk_ids),)
        )
        located = {r["id"]: (r["article_rowid"], r["start"], r["end"]) for r in rows}
        wanted = sorted({rowid for rowid, _, _ in located.values()})
        if not wanted:
            return Passages(located=located)
        articles: dict[int, Article] = {}
        claims: dict[int, list[Claim]] = {}
        roots: dict[int, int] = {}
        for r in await self.db.fetch_all(_ARTICLES_WITH_CLAIMS, (wanted,)):
            articles[r["rowid"]] = article_from_row(r)
            if r["claims"]:
                claims[r["rowid"]] = [claim_from_row(c) for c in r["claims"]]
            if r["original_rowid"] is not None:
                roots[r["rowid"]] = r["original_rowid"]
        return Passages(located=located, articles=articles, claims=claims, roots=roots)

    async def years_for(self, month: int, day: int | None, scopes: Sequence[str]) -> list[int]:
        """Years with reporting on ``month``/``day`` (published or stated in the text), most recent first."""
        return await self.cache.get(
            ("years_for", month, day, tuple(scopes)), partial(self._years_for, month, day, scopes)
        )

    async def _years_for(self, month: int, day: int | None, scopes: Sequence[str]) -> list[int]:
        pattern = f"%-{month:02d}-{day:02d}" if day else f"%-{month:02d}-%"
        rows = await self.db.fetch_all(
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
        return await self.cache.get(
            ("newest_published", tuple(scopes)), partial(self._newest_published, scopes)
        )

    async def _newest_published(self, scopes: Sequence[str]) -> date | None:
        row = await self.db.fetch_one(
            "SELECT MAX(published) AS p FROM articles WHERE scope = ANY(%s)", (list(scopes),)
        )
        return date.fromisoformat(row["p"]) if row and row["p"] else None

    async def published_range(self, scopes: Sequence[str]) -> tuple[date | None, date | None]:
        """The oldest and newest publication dates in the scopes (None, None when nothing is dated)."""
        return await self.cache.get(
            ("published_range", tuple(scopes)), partial(self._published_range, scopes)
        )

    async def _published_range(self, scopes: Sequence[str]) -> tuple[date | None, date | None]:
        row = await self.db.fetch_one(
            "SELECT MIN(published) AS lo, MAX(published) AS hi FROM articles WHERE scope = ANY(%s)",
            (list(scopes),),
        )
        if row is None:
            return None, None
        return (
            date.fromisoformat(row["lo"]) if row["lo"] else None,
            date.fromisoformat(row["hi"]) if row["hi"] else None,
        )

    async def scopes(self) -> list[str]:
        """The scopes that have articles."""
        return [r["scope"] for r in await self.db.fetch_all("SELECT DISTINCT scope FROM articles")]

    async def outlets(self, scopes: Sequence[str]) -> list[str]:
        """Distinct outlet names in the scopes."""
        return await self.cache.get(("outlets", tuple(scopes)), partial(self._outlets, scopes))

    async def _outlets(self, scopes: Sequence[str]) -> list[str]:
        rows = await self.db.fetch_all(
            "SELECT DISTINCT outlet FROM articles WHERE scope = ANY(%s) AND outlet IS NOT NULL",
            (list(scopes),),
        )
        return [r["outlet"] for r in rows]

    async def mentioned(self, term: str, scopes: Sequence[str]) -> bool:
        """Whether any article in the scopes contains ``term`` (a full-text phrase match)."""
        return await self.cache.get(
            ("mentioned", term, tuple(scopes)), partial(self._mentioned, term, scopes)
        )

    async def _mentioned(self, term: str, scopes: Sequence[str]) -> bool:
        query, args = phrase_query([term])
        row = await self.db.fetch_one(
            f"SELECT 1 AS one FROM chunks c WHERE c.scope = ANY(%s) AND c.tsv @@ ({query}) LIMIT 1",
            [list(scopes), *args],
        )
        return row is not None

    async def newest_rowid(self) -> int:
        """The highest article row id stored (0 for none)."""
        row = await self.db.fetch_one("SELECT COALESCE(MAX(rowid), 0) AS n FROM articles")
        return int(row["n"]) if row else 0

    async def originals(self, rowids: Sequence[int]) -> dict[int, int]:
        """Of these articles, the near copies -> their original's row id."""
        rows = await self.db.fetch_all(
            "SELECT article_rowid, original_rowid FROM duplicates WHERE article_rowid = ANY(%s)",
            (list(rowids),),
        )
        return {r["article_rowid"]: r["original_rowid"] for r in rows}

    async def spellings(self, key: str, scopes: Sequence[str]) -> list[str]:
        """The corpus's spellings of a name with this spelling key (see text/place_names.py)."""
        return await self.cache.get(("spellings", key, tuple(scopes)), partial(self._spellings, key, scopes))

    async def _spellings(self, key: str, scopes: Sequence[str]) -> list[str]:
        rows = await self.db.fetch_all(
            "SELECT DISTINCT spelling FROM name_spellings WHERE key = %s AND scope = ANY(%s) ORDER BY spelling",
            (key, list(scopes)),
        )
        return [r["spelling"] for r in rows]
