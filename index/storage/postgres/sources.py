"""Sources and feeds in the Postgres store."""

from __future__ import annotations

from typing import Any

from index.models import SourceInfo
from index.storage.postgres.database import Database
from index.storage.protocols import SourceStore
from index.storage.records import ORPHAN_ARCHIVES, source_counts, source_from_row, utc_now

_MATCH = "a.scope = s.scope AND a.source_id = s.id"  # a source's articles


class PgSources(SourceStore):
    """The ``sources`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def find(
        self, scope: str | None = None, *, source_id: int | None = None, versions: bool = False
    ) -> list[SourceInfo]:
        """Sources with their article counts (and ``versions``), newest first; every scope when ``scope``
        is None."""
        where: list[str] = []
        args: list[Any] = []
        if scope is not None:
            where.append("s.scope = %s")
            args.append(scope)
        if source_id is not None:
            where.append("s.id = %s")
            args.append(source_id)
        rows = await self.db.fetch_all(
            f"SELECT s.*, {source_counts(_MATCH, versions=versions)} FROM sources s"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY s.id DESC",
            args,
        )
        return [source_from_row(r) for r in rows]

    async def chunk_ids(self, source_id: int) -> list[int]:
        """Ids of every chunk of a source's articles."""
        rows = await self.db.fetch_all(
            "SELECT c.id FROM chunks c JOIN articles a ON a.scope = c.scope AND a.rowid = c.article_rowid"
            " WHERE a.source_id = %s",
            (source_id,),
        )
        return [r["id"] for r in rows]

    async def delete(self, source_id: int) -> int:
        """Delete a source and, by cascade, its articles, chunks and vectors; returns articles removed."""
        async with self.db.writing() as db:
            cur = await db.execute(
                "SELECT COUNT(*) AS n, (SELECT scope FROM sources WHERE id = %s) AS scope FROM articles"
                " WHERE source_id = %s",
                (source_id, source_id),
            )
            row = await cur.fetchone()
            await db.execute("DELETE FROM sources WHERE id = %s", (source_id,))
            if row is not None and row["scope"] is not None:
                await db.execute(ORPHAN_ARCHIVES.format("%s"), (row["scope"],))
        return int(row["n"]) if row else 0

    async def mark_polled(self, source_id: int) -> None:
        """Record that a feed was polled now."""
        async with self.db.writing() as db:
            await db.execute("UPDATE sources SET last_polled = %s WHERE id = %s", (utc_now(), source_id))
