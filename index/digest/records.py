"""What a digest holds: the events a window of ingest brought news of, each with its claims by
claimant and where they disagree, and the claims that name no place or day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from index.answering.figures import Figure
from index.dates.event_dates import describe_days
from index.models import Disagreement, Quote


@dataclass(frozen=True)
class DigestClaim:
    """One claimant's statement: a verbatim quote (the sentences holding a stored claim), the figures
    it claims for its event, or that it denies."""

    claimant: str  # who, with the outlet when that tells which one: "Defence Ministry (Zeltran Voice)"
    quote: Quote
    figures: tuple[Figure, ...] = ()
    denies: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "claimant": self.claimant,
            "figures": [
                {"category": f.category, "label": f.label, "subject": f.subject} for f in self.figures
            ],
            "denies": self.denies,
            "quote": self.quote.to_dict(),
        }


@dataclass(frozen=True)
class DigestEvent:
    """Claims about one event: the same place, the same day, the same category (``events.same_event``)."""

    days: tuple[date, ...]  # the day (or the two days a report without a day of its own may mean)
    places: tuple[str, ...]
    category: str  # "killed", "wounded", "drones destroyed"…; "denial" for a denial alone
    whose: str  # whose losses, as the claims say: "Orvenian", "civilian", ""
    claims: tuple[DigestClaim, ...]  # grouped by claimant, in the order received
    disagreements: tuple[Disagreement, ...] = ()  # quote indices point into ``claims``

    @property
    def title(self) -> str:
        """ "12 March 2025 · Pellin · killed (Orvenian)"."""
        what = f"{self.category} ({self.whose})" if self.whose else self.category
        return " · ".join([describe_days(self.days), ", ".join(self.places), what])

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "title": self.title,
            "days": [d.isoformat() for d in self.days],
            "places": list(self.places),
            "category": self.category,
            "whose": self.whose,
            "claims": [c.to_dict() for c in self.claims],
            "disagreements": [d.to_dict() for d in self.disagreements],
        }


@dataclass(frozen=True)
class Digest:
    """What the archive received in ``[since, until)`` (by ``Article.ingested_at``), by event."""

    scopes: tuple[str, ...]
    since: datetime  # aware, UTC
    until: datetime
    received: int  # articles the window holds
    read: int  # of them, those read (the last received, up to the limit)
    events: tuple[DigestEvent, ...]  # oldest first
    other: tuple[DigestClaim, ...] = ()  # claims of figures or denials that name no place or day
    without_claims: int = 0  # articles read that state no figure and deny nothing

    @property
    def empty(self) -> bool:
        """Whether the window received nothing."""
        return self.received == 0

    @property
    def capped(self) -> bool:
        """Whether the window held more articles than were read."""
        return self.read < self.received

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``sitrep digest --json``: the same for the same archive and window."""
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "scopes": list(self.scopes),
            "received": self.received,
            "read": self.read,
            "events": [e.to_dict() for e in self.events],
            "other": [c.to_dict() for c in self.other],
            "without_claims": self.without_claims,
        }
