"""Example questions that work on an archive: built from the events its reporting holds (place, day,
what happened) and kept only when asking them finds an answer, so a help text never shows a question
that answers "Not found"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from index.dates.event_dates import describe_days
from index.digest import build_digest

if TYPE_CHECKING:
    from index.engine import Engine

READ = 200  # the most recently received articles are read for events
TRIED = 6  # questions asked to find the ones that work
CASUALTIES = {"killed", "wounded", "dead", "injured", "casualties"}


def _question(category: str, place: str, days: Sequence[date]) -> str:
    what = "casualties" if category in CASUALTIES else category
    when = f" on {describe_days(days)}" if days else ""
    if category == "denial":
        return f"what was denied about {place}{when}?"
    return f"who reported {what} in {place}{when}?"


async def example_questions(engine: Engine, scopes: Sequence[str], *, wanted: int = 2) -> list[str]:
    """Up to ``wanted`` questions about events in the archive (the ones most reported first) that the
    archive answers; none for an archive without dated, placed claims."""
    digest = await build_digest(
        engine, scopes=scopes, since=datetime(1970, 1, 1, tzinfo=UTC), until=datetime.now(UTC), limit=READ
    )
    events = sorted(digest.events, key=lambda e: len(e.claims), reverse=True)
    candidates = list(
        dict.fromkeys(_question(e.category, e.places[0], e.days[:1]) for e in events if e.places)
    )
    found = []
    for question in candidates[:TRIED]:
        if (await engine.ask(question, scopes=scopes)).found:
            found.append(question)
            if len(found) >= wanted:
                break
    return found
