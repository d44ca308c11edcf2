"""Watches, daily digests and leases in the embedded store (several processes may share its file)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from index.models import DigestSchedule, Watch
from index.storage.notification_roles import WatchStore
from index.storage.records import utc_now, watch_from_row
from index.storage.sqlite.database import Database


class SqliteWatches(WatchStore):
    """The ``watches``, ``watch_alerts``, ``digests`` and ``leases`` tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_watch(
        self,
        scope: str,
        channel: str,
        query: str,
        *,
        outlet: str | None,
        exclude_label: str | None,
        created_by: str | None,
        after_rowid: int,
    ) -> Watch:
        """Store a watch that checks articles after ``after_rowid``."""
        async with self.db.transaction() as db:
            cur = await db.execute(
                "INSERT INTO watches (scope, channel, query, outlet, exclude_label, created_by, created_at,"
                " after_rowid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (scope, channel, query, outlet, exclude_label, created_by, utc_now(), after_rowid),
            )
            async with db.execute("SELECT * FROM watches WHERE id = ?", (cur.lastrowid,)) as rows:
                row = await rows.fetchone()
        assert row is not None
        return watch_from_row(row)

    async def watches(self, scope: str | None = None) -> list[Watch]:
        """A scope's watches (every scope's when None), oldest first."""
        where, args = ("WHERE scope = ?", (scope,)) if scope is not None else ("", ())
        return [
            watch_from_row(r) for r in await self.db.rows(f"SELECT * FROM watches {where} ORDER BY id", args)
        ]

    async def remove_watch(self, scope: str, watch_id: int) -> bool:
        """Remove a scope's watch; False when it has none with that id."""
        async with self.db.transaction() as db:
            cur = await db.execute("DELETE FROM watches WHERE scope = ? AND id = ?", (scope, watch_id))
        return cur.rowcount > 0

    async def disable_watch(self, watch_id: int, reason: str) -> None:
        """Stop a watch, saying why."""
        await self._write(
            "UPDATE watches SET enabled = 0, disabled_reason = ? WHERE id = ?", (reason, watch_id)
        )

    async def checked(self, watch_id: int, through_rowid: int) -> None:
        """Record that a watch checked the articles up to ``through_rowid``."""
        await self._write(
            "UPDATE watches SET after_rowid = MAX(after_rowid, ?) WHERE id = ?", (through_rowid, watch_id)
        )

    async def claim_alerts(self, watch_id: int, keys: Sequence[str]) -> list[str]:
        """Of ``keys``, those not alerted before, now recorded."""
        claimed = []
        async with self.db.transaction() as db:
            for key in dict.fromkeys(keys):
                cur = await db.execute(
                    "INSERT INTO watch_alerts (watch_id, key, alerted_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (watch_id, key) DO NOTHING",
                    (watch_id, key, utc_now()),
                )
                if cur.rowcount > 0:
                    claimed.append(key)
        return claimed

    async def alerted(self, watch_id: int) -> None:
        """Count a posted alert."""
        await self._write(
            "UPDATE watches SET alerts = alerts + 1, last_alert_at = ? WHERE id = ?", (utc_now(), watch_id)
        )

    async def set_digest(self, schedule: DigestSchedule) -> None:
        """Set (or replace) a scope's daily digest."""
        s = schedule
        await self._write(
            "INSERT INTO digests (scope, channel, at, timezone, created_by, last_sent) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (scope) DO UPDATE SET channel = excluded.channel, at = excluded.at,"
            " timezone = excluded.timezone, created_by = excluded.created_by, last_sent = excluded.last_sent",
            (s.scope, s.channel, s.at, s.timezone, s.created_by, s.last_sent),
        )

    async def remove_digest(self, scope: str) -> bool:
        """Stop a scope's daily digest; False when it had none."""
        async with self.db.transaction() as db:
            cur = await db.execute("DELETE FROM digests WHERE scope = ?", (scope,))
        return cur.rowcount > 0

    async def digests(self) -> list[DigestSchedule]:
        """Every scope's daily digest."""
        rows = await self.db.rows(
            "SELECT scope, channel, at, timezone, created_by, last_sent FROM digests ORDER BY scope"
        )
        return [DigestSchedule(**dict(r)) for r in rows]

    async def digest_sent(self, scope: str, day: str) -> bool:
        """Mark a scope's digest for ``day`` as sent; False when it already was."""
        async with self.db.transaction() as db:
            cur = await db.execute(
                "UPDATE digests SET last_sent = ? WHERE scope = ? AND (last_sent IS NULL OR last_sent < ?)",
                (day, scope, day),
            )
        return cur.rowcount > 0

    async def hold_lease(self, name: str, holder: str, seconds: float) -> bool:
        """Take or renew the lease ``name``; False while another holder's is unexpired.

        Wall-clock seconds: the processes sharing an embedded store share its machine's clock.
        """
        now = time.time()
        async with self.db.transaction() as db:
            cur = await db.execute(
                "INSERT INTO leases (name, holder, expires) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE"
                " SET holder = excluded.holder, expires = excluded.expires"
                " WHERE leases.holder = excluded.holder OR leases.expires < ?",
                (name, holder, now + seconds, now),
            )
        return cur.rowcount > 0

    async def _write(self, sql: str, args: tuple[Any, ...]) -> None:
        async with self.db.transaction() as db:
            await db.execute(sql, args)
