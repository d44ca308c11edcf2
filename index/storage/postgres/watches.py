"""Watches, daily digests and leases in the Postgres store (shared by every bot shard and worker)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from index.models import DigestSchedule, Watch
from index.storage.notification_roles import WatchStore
from index.storage.postgres.database import Database
from index.storage.records import utc_now, watch_from_row


class PgWatches(WatchStore):
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
        async with self.db.writing() as db:
            cur = await db.execute(
                "INSERT INTO watches (scope, channel, query, outlet, exclude_label, created_by, created_at,"
                " after_rowid) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING *",
                (scope, channel, query, outlet, exclude_label, created_by, utc_now(), after_rowid),
            )
            row = await cur.fetchone()
        assert row is not None
        return watch_from_row(row)

    async def watches(self, scope: str | None = None) -> list[Watch]:
        """A scope's watches (every scope's when None), oldest first."""
        where, args = ("WHERE scope = %s", (scope,)) if scope is not None else ("", ())
        rows = await self.db.fetch_all(f"SELECT * FROM watches {where} ORDER BY id", args)
        return [watch_from_row(r) for r in rows]

    async def remove_watch(self, scope: str, watch_id: int) -> bool:
        """Remove a scope's watch; False when it has none with that id."""
        async with self.db.writing() as db:
            cur = await db.execute("DELETE FROM watches WHERE scope = %s AND id = %s", (scope, watch_id))
        return cur.rowcount > 0

    async def disable_watch(self, watch_id: int, reason: str) -> None:
        """Stop a watch, saying why."""
        await self._write(
            "UPDATE watches SET enabled = false, disabled_reason = %s WHERE id = %s", (reason, watch_id)
        )

    async def checked(self, watch_id: int, through_rowid: int) -> None:
        """Record that a watch checked the articles up to ``through_rowid``."""
        await self._write(
            "UPDATE watches SET after_rowid = GREATEST(after_rowid, %s) WHERE id = %s",
            (through_rowid, watch_id),
        )

    async def claim_alerts(self, watch_id: int, keys: Sequence[str]) -> list[str]:
        """Of ``keys``, those not alerted before, now recorded."""
        claimed = []
        async with self.db.writing() as db:
            for key in dict.fromkeys(keys):
                cur = await db.execute(
                    "INSERT INTO watch_alerts (watch_id, key, alerted_at) VALUES (%s, %s, %s)"
                    " ON CONFLICT (watch_id, key) DO NOTHING",
                    (watch_id, key, utc_now()),
                )
                if cur.rowcount > 0:
                    claimed.append(key)
        return claimed

    async def alerted(self, watch_id: int) -> None:
        """Count a posted alert."""
        await self._write(
            "UPDATE watches SET alerts = alerts + 1, last_alert_at = %s WHERE id = %s", (utc_now(), watch_id)
        )

    async def set_digest(self, schedule: DigestSchedule) -> None:
        """Set (or replace) a scope's daily digest."""
        s = schedule
        await self._write(
            "INSERT INTO digests (scope, channel, at, timezone, created_by, last_sent)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (scope) DO UPDATE SET channel = excluded.channel,"
            " at = excluded.at, timezone = excluded.timezone, created_by = excluded.created_by,"
            " last_sent = excluded.last_sent",
            (s.scope, s.channel, s.at, s.timezone, s.created_by, s.last_sent),
        )

    async def remove_digest(self, scope: str) -> bool:
        """Stop a scope's daily digest; False when it had none."""
        async with self.db.writing() as db:
            cur = await db.execute("DELETE FROM digests WHERE scope = %s", (scope,))
        return cur.rowcount > 0

    async def digests(self) -> list[DigestSchedule]:
        """Every scope's daily digest."""
        rows = await self.db.fetch_all(
            "SELECT scope, channel, at, timezone, created_by, last_sent FROM digests ORDER BY scope"
        )
        return [DigestSchedule(**r) for r in rows]

    async def digest_sent(self, scope: str, day: str) -> bool:
        """Mark a scope's digest for ``day`` as sent; False when it already was."""
        async with self.db.writing() as db:
            cur = await db.execute(
                "UPDATE digests SET last_sent = %s WHERE scope = %s AND (last_sent IS NULL OR last_sent < %s)",
                (day, scope, day),
            )
        return cur.rowcount > 0

    async def hold_lease(self, name: str, holder: str, seconds: float) -> bool:
        """Take or renew the lease ``name``; False while another holder's is unexpired.

        The database's clock, not the callers': processes on several machines share one lease.
        """
        async with self.db.writing() as db:
            cur = await db.execute(
                "INSERT INTO leases (name, holder, expires)"
                " VALUES (%s, %s, extract(epoch FROM clock_timestamp()) + %s) ON CONFLICT (name) DO UPDATE"
                " SET holder = excluded.holder, expires = excluded.expires"
                " WHERE leases.holder = excluded.holder OR leases.expires < extract(epoch FROM clock_timestamp())",
                (name, holder, seconds),
            )
        return cur.rowcount > 0

    async def _write(self, sql: str, args: tuple[Any, ...]) -> None:
        async with self.db.writing() as db:
            await db.execute(sql, args)
