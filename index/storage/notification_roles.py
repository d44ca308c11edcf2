"""The storage roles behind notifications: ``watches`` (standing questions, daily digests, what was
alerted, the lease on posting) and ``arrivals`` (what the archive received when). Part of
``protocols.Storage``; apart only to keep each module small."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from index.models import DigestSchedule, Watch
from index.storage.records import Arrivals


class WatchStore(Protocol):
    """Standing questions and daily digests per scope, what was alerted, and who runs them (a lease)."""

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
        """Store a watch that checks articles after ``after_rowid`` (those stored before never alert)."""
        ...

    async def watches(self, scope: str | None = None) -> list[Watch]:
        """A scope's watches (every scope's when None), enabled or not, oldest first."""
        ...

    async def remove_watch(self, scope: str, watch_id: int) -> bool:
        """Remove a scope's watch; False when it has none with that id."""
        ...

    async def disable_watch(self, watch_id: int, reason: str) -> None:
        """Stop a watch (its channel is gone, or the bot may not post there), saying why."""
        ...

    async def checked(self, watch_id: int, through_rowid: int) -> None:
        """Record that a watch checked the articles up to ``through_rowid`` (never moves back)."""
        ...

    async def claim_alerts(self, watch_id: int, keys: Sequence[str]) -> list[str]:
        """Of ``keys`` (the articles, or their near-copy groups, an alert would show), those not
        alerted before, now recorded: so no process posts the same article twice."""
        ...

    async def alerted(self, watch_id: int) -> None:
        """Count a posted alert."""
        ...

    async def set_digest(self, schedule: DigestSchedule) -> None:
        """Set (or replace) a scope's daily digest."""
        ...

    async def remove_digest(self, scope: str) -> bool:
        """Stop a scope's daily digest; False when it had none."""
        ...

    async def digests(self) -> list[DigestSchedule]:
        """Every scope's daily digest."""
        ...

    async def digest_sent(self, scope: str, day: str) -> bool:
        """Mark a scope's digest for local ``day`` as sent; False when it already was (by any process)."""
        ...

    async def hold_lease(self, name: str, holder: str, seconds: float) -> bool:
        """Take or renew the lease ``name`` for ``seconds``; False while another holder's is unexpired."""
        ...


class ArrivalStore(Protocol):
    """What the archive received, by the time each article was stored (``Article.ingested_at``)."""

    async def between(self, scopes: Sequence[str], since: datetime, until: datetime, limit: int) -> Arrivals:
        """The articles of ``scopes`` stored in ``[since, until)`` (aware times, to the second), the
        ``limit`` received last of them in the order received, and how many the window holds."""
        ...
