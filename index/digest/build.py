"""The digest of a window of ingest times: read what arrived, group its claims off the event loop."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from index.digest.grouping import group_claims
from index.digest.records import Digest

if TYPE_CHECKING:
    from index.engine import Engine

DEFAULT_LIMIT = 500  # articles read per digest: a busy day of an archive (grouped in seconds, off the loop)


async def build_digest(
    engine: Engine,
    *,
    scopes: Sequence[str],
    since: datetime,
    until: datetime,
    limit: int = DEFAULT_LIMIT,
) -> Digest:
    """What the archive received in ``[since, until)`` (by ``Article.ingested_at``), by event.

    Args:
        engine: an open engine (its store is read; no model is needed).
        scopes: the corpora to read (GLOBAL_SCOPE and/or a guild id).
        since, until: aware datetimes (any zone; compared in UTC, to the second).
        limit: read at most this many articles, the last received; ``Digest.capped`` says when the
            window held more.

    Returns:
        The digest: an empty window gives one with ``empty`` true (``render_digest`` says "Nothing
        new in the archive between … and …"), which is not an error.

    Raises:
        ValueError: a naive datetime, or ``since`` not before ``until``.
    """
    since, until = _utc(since), _utc(until)
    if since >= until:
        raise ValueError(f"the window must start before it ends ({since.isoformat()} ≥ {until.isoformat()})")
    scopes = tuple(dict.fromkeys(scopes))
    arrivals = await engine.store.arrivals.between(scopes, since, until, limit)
    claims = await engine.store.articles.claims(arrivals.articles)
    received = [(article, claims.get(rowid, [])) for rowid, article in arrivals.articles.items()]
    # Grouping reads every claimed sentence for places, days and figures: CPU work, off the loop.
    grouped = await engine.threads.on_build(group_claims, received)
    return Digest(
        scopes=scopes,
        since=since,
        until=until,
        received=arrivals.total,
        read=len(arrivals.articles),
        events=grouped.events,
        other=grouped.other,
        without_claims=grouped.without_claims,
    )


def _utc(when: datetime) -> datetime:
    """An aware time in UTC, to the second (as ``ingested_at`` is stored and compared)."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{when.isoformat()} has no time zone: give an aware datetime")
    return when.astimezone(UTC).replace(microsecond=0)
