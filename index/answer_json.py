"""Answers back from their JSON shape (``Answer.to_dict``, what ``sitrep ask --json`` prints): the bot
keeps each answer it posted this way, so its buttons still work after a restart."""

from __future__ import annotations

from datetime import date
from typing import Any

from index.models import Answer, Disagreement, DisputedClaim, DocumentRef, QueryFilters, Quote


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def document_from_dict(data: dict[str, Any]) -> DocumentRef:
    """The inverse of ``DocumentRef.to_dict``."""
    return DocumentRef(**{**data, "published": _day(data.get("published"))})


def quote_from_dict(data: dict[str, Any]) -> Quote:
    """The inverse of ``Quote.to_dict`` (the score as rounded there)."""
    return Quote(
        text=data["text"],
        speaker=data.get("speaker"),
        start=data["start"],
        end=data["end"],
        score=data.get("score", 0.0),
        document=document_from_dict(data["document"]),
        also_in=tuple(document_from_dict(d) for d in data.get("also_in", ())),
        event_dates=tuple(date.fromisoformat(d) for d in data.get("event_dates", ())),
        language=data.get("language", "und"),
    )


def filters_from_dict(data: dict[str, Any]) -> QueryFilters:
    """The inverse of ``QueryFilters.to_dict``."""
    return QueryFilters(
        since=_day(data.get("since")),
        until=_day(data.get("until")),
        outlets=tuple(data.get("outlets", ())),
        places=tuple(data.get("places", ())),
        excluded_labels=tuple(data.get("excluded_labels", ())),
        relative=tuple(data.get("relative", ())),
    )


def disagreement_from_dict(data: dict[str, Any]) -> Disagreement:
    """The inverse of ``Disagreement.to_dict``."""
    return Disagreement(
        category=data["category"],
        claims=tuple(DisputedClaim(**c) for c in data["claims"]),
        kind=data.get("kind", "figures"),
        event=data.get("event", ""),
    )


def answer_from_dict(data: dict[str, Any]) -> Answer:
    """The inverse of ``Answer.to_dict``: ``answer_from_dict(a.to_dict()) == a`` up to score rounding."""
    return Answer(
        question=data["question"],
        found=data["found"],
        quotes=tuple(quote_from_dict(q) for q in data["quotes"]),
        articles_searched=data.get("articles_searched", 0),
        filters=filters_from_dict(data.get("filters") or {}),
        note=data.get("note"),
        disagreements=tuple(disagreement_from_dict(d) for d in data.get("disagreements", ())),
    )
