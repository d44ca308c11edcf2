"""What the embedded store received in a window of ingest times (the digest reads it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from index.storage.notification_roles import ArrivalStore
from index.storage.records import ARTICLE_SELECT, Arrivals, stored_time
from index.storage.sqlite.database import Database, marks


class SqliteArrivals(ArrivalStore):
    """Articles by ``ingested_at``: ISO 8601 text in UTC to the second, so a range of texts is a range
    of times, and the (scope, ingested_at) index answers both queries."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def between(self, scopes: Sequence[str], since: datetime, until: datetime, limit: int) -> Arrivals:
        """The articles of ``scopes`` stored in ``[since, until)``: the ``limit`` received last, in
        the order received, and how many the window holds."""
        wanted = list(dict.fromkeys(scopes))
        if not wanted:
            return Arrivals({}, 0)
        where = f"a.scope IN ({marks(wanted)}) AND a.ingested_at >= ? AND a.ingested_at < ?"
        args = (*wanted, stored_time(since), stored_time(until))
        counted = await self.db.row(f"SELECT COUNT(*) FROM articles a WHERE {where}", args)
        rows = await self.db.rows(
            f"{ARTICLE_SELECT} WHERE {where} ORDER BY a.ingested_at DESC, a.rowid DESC LIMIT ?",
            (*args, max(0, limit)),
        )
        return Arrivals.of(rows, int(counted[0]) if counted else 0)
