"""What the Postgres store received in a window of ingest times (the digest reads it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from index.storage.notification_roles import ArrivalStore
from index.storage.postgres.database import Database
from index.storage.records import ARTICLE_SELECT, Arrivals, stored_time

# COLLATE "C": byte order, whatever the database's collation, as the ISO texts compare; the
# (scope, ingested_at COLLATE "C") index answers both queries.
_WINDOW = 'a.scope = ANY(%s) AND a.ingested_at >= %s COLLATE "C" AND a.ingested_at < %s COLLATE "C"'


class PgArrivals(ArrivalStore):
    """Articles by ``ingested_at``: ISO 8601 text in UTC to the second, so a range of texts is a range
    of times."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def between(self, scopes: Sequence[str], since: datetime, until: datetime, limit: int) -> Arrivals:
        """The articles of ``scopes`` stored in ``[since, until)``: the ``limit`` received last, in
        the order received, and how many the window holds."""
        args = (list(dict.fromkeys(scopes)), stored_time(since), stored_time(until))
        counted = await self.db.fetch_one(f"SELECT COUNT(*) AS n FROM articles a WHERE {_WINDOW}", args)
        rows = await self.db.fetch_all(
            f'{ARTICLE_SELECT} WHERE {_WINDOW} ORDER BY a.ingested_at COLLATE "C" DESC, a.rowid DESC LIMIT %s',
            (*args, max(0, limit)),
        )
        return Arrivals.of(rows, int(counted["n"]) if counted else 0)
