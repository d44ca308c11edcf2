"""The Postgres store: one PostgreSQL database (psycopg 3, async) as the seven roles of
``storage.Storage``, shared by any number of bot shards, workers and CLI processes.

Vectors are a column of ``chunks``, searched by ``vectors.PgVectors``; the tables are in ``schema.py``.
"""

from __future__ import annotations

from index.storage.postgres.annotations import PgAnnotations
from index.storage.postgres.arrivals import PgArrivals
from index.storage.postgres.articles import PgArticles
from index.storage.postgres.database import Database
from index.storage.postgres.embeddings import PgEmbeddings
from index.storage.postgres.filter_sets import FilterSets
from index.storage.postgres.posted import PgPosted
from index.storage.postgres.read_cache import ReadCache
from index.storage.postgres.search import PgSearch
from index.storage.postgres.sources import PgSources
from index.storage.postgres.watches import PgWatches
from index.storage.records import LANGUAGE_COUNTS


class PgStore:
    """All persistent state, vectors included, in one PostgreSQL database."""

    def __init__(self, db: Database) -> None:
        """Use ``PgStore.open``."""
        self.db = db
        self.sources = PgSources(db)
        self.articles = PgArticles(db)
        cache = ReadCache(db)  # the lookups every question repeats, until the next write
        self.filter_sets = FilterSets(db, cache)  # shared by keyword and vector search
        self.search = PgSearch(db, self.filter_sets)
        self.embeddings = PgEmbeddings(db)
        self.annotations = PgAnnotations(db)
        self.watches = PgWatches(db)
        self.posted = PgPosted(db)
        self.arrivals = PgArrivals(db)

    @classmethod
    async def open(cls, url: str) -> PgStore:
        """Connect, creating the extension, tables and indexes if needed."""
        return cls(await Database.open(url))

    @property
    def read_only(self) -> bool:
        """Never: a database that refuses writes says so per write (see connection.py)."""
        return False

    @property
    def url(self) -> str:
        """The database URL it was opened with."""
        return self.db.url

    async def close(self) -> None:
        """Close both connections."""
        await self.db.close()

    async def get_meta(self, key: str) -> str | None:
        """A value from the meta table, or None."""
        return await self.db.get_meta(key)

    async def set_meta(self, **values: str) -> None:
        """Set meta values, all in one transaction."""
        await self.db.set_meta(**values)

    async def counts(self) -> tuple[int, int, int]:
        """(sources, articles, chunks)."""
        row = await self.db.fetch_one(
            "SELECT (SELECT COUNT(*) FROM sources) AS s, (SELECT COUNT(*) FROM articles) AS a,"
            " (SELECT COUNT(*) FROM chunks) AS c"
        )
        assert row is not None
        return int(row["s"]), int(row["a"]), int(row["c"])

    async def languages(self) -> list[tuple[str, int]]:
        """(language, articles) of the whole store, most articles first."""
        rows = await self.db.fetch_all(LANGUAGE_COUNTS)
        return [(r["language"], int(r["n"])) for r in rows]
