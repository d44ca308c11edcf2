"""What people add to the Postgres store: outlet labels per scope and votes on answers."""

from __future__ import annotations

import json
from typing import Any

from index.storage.postgres.database import Database
from index.storage.protocols import AnnotationStore
from index.storage.records import utc_now


class PgAnnotations(AnnotationStore):
    """The ``outlet_labels`` and ``feedback`` tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def set_label(self, scope: str, outlet: str, label: str, set_by: str | None) -> None:
        """Label an outlet in a scope (replacing its previous label there)."""
        async with self.db.writing() as db:
            await db.execute(
                "INSERT INTO outlet_labels (scope, outlet_key, outlet, label, set_by, set_at)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (scope, outlet_key) DO UPDATE SET"
                " outlet = excluded.outlet, label = excluded.label, set_by = excluded.set_by, set_at = excluded.set_at",
                (scope, outlet.casefold(), outlet, label, set_by, utc_now()),
            )

    async def remove_label(self, scope: str, outlet: str) -> bool:
        """Remove an outlet's label in a scope; False when it had none."""
        async with self.db.writing() as db:
            cur = await db.execute(
                "DELETE FROM outlet_labels WHERE scope = %s AND outlet_key = %s", (scope, outlet.casefold())
            )
        return cur.rowcount > 0

    async def labels(self, scope: str) -> dict[str, tuple[str, str]]:
        """A scope's labels: casefolded outlet -> (outlet as written, label)."""
        rows = await self.db.fetch_all(
            "SELECT outlet_key, outlet, label FROM outlet_labels WHERE scope = %s ORDER BY outlet_key",
            (scope,),
        )
        return {r["outlet_key"]: (r["outlet"], r["label"]) for r in rows}

    async def add_feedback(
        self, *, scope: str, user_id: str, question: str, quotes: list[dict[str, Any]], vote: int
    ) -> None:
        """Store a 👍/👎 on an answer."""
        async with self.db.writing() as db:
            await db.execute(
                "INSERT INTO feedback (created_at, scope, user_id, question, quotes, vote)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                (utc_now(), scope, user_id, question, json.dumps(quotes, ensure_ascii=False), vote),
            )

    async def feedback(self) -> list[dict[str, Any]]:
        """All feedback rows, oldest first."""
        return await self.db.fetch_all(
            "SELECT id, created_at, scope, user_id, question, quotes, vote FROM feedback ORDER BY id"
        )
