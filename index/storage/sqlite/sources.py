"""Sources and feeds in the embedded store."""

from __future__ import annotations

from typing import Any

from index.models import SourceInfo
from index.storage.protocols import SourceStore
from index.storage.records import ORPHAN_ARCHIVES, source_counts, source_from_row, utc_now
from index.storage.sqlite.database import Database, bump_version

_MATCH = "a.source_id = s.id"  # a source's articles


class SqliteSources(SourceStore):
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
            where.append("s.scope = ?")
            args.append(scope)
        if source_id is not None:
            where.append("s.id = ?")
            args.append(source_id)
        sql = (
            f"SELECT s.*, {source_counts(_MATCH, versions=versions)} FROM sources s"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY s.id DESC"
        )
        return [source_from_row(r) for r in await self.db.rows(sql, args)]

    async def chunk_ids(self, source_id: int) -> list[int]:
        """Ids of every chunk of a source's articles."""
        rows = await self.db.rows(
            "SELECT c.id FROM chunks c JOIN articles a ON a.rowid = c.article_rowid WHERE a.source_id = ?",
            (source_id,),
        )
        return [r[0] for r in rows]

    async def delete(self, source_id: int) -> int:
        """Delete a source and, by cascade, its articles, chunks and vectors; returns articles removed."""
        async with self.db.transaction() as db:
            async with db.execute(
                "SELECT COUNT(*), (SELECT scope FROM sources WHERE id = ?) FROM articles WHERE source_id = ?",
                (source_id, source_id),
            ) as cur:
                row = await cur.fetchone()
            await db.execute("DELETE FROM sources WHERE id = ?", (source_id,))
            if row is not None and row[1] is not None:
                await db.execute(ORPHAN_ARCHIVES.format("?"), (row[1],))
            await bump_version(db)
        return int(row[0]) if row else 0

    async def mark_polled(self, source_id: int) -> None:
        """Record that a feed was polled now."""
        async with self.db.transaction() as db:
            await db.execute("UPDATE sources SET last_polled = ? WHERE id = ?", (utc_now(), source_id))
