"""The storage role ``posted``: the answers the bot posted, kept whole so their buttons (pages, cite,
the other side) work after a restart and on any shard, and the votes on their quotes. Part of
``protocols.Storage``; apart only to keep each module small."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from index.answer_json import answer_from_dict
from index.models import Answer


@dataclass(frozen=True)
class PostedAnswer:
    """An answer as it was posted: its quotes, filters and disagreements, and who asked where."""

    id: int
    scope: str
    asker: str | None
    created_at: str  # ISO 8601, UTC
    answer: Answer


@dataclass(frozen=True)
class QuoteVote:
    """One user's vote on one quote of a posted answer (+1 right, -1 wrong), with an optional reason."""

    answer_id: int
    quote: int  # index into the answer's quotes
    user_id: str
    vote: int
    reason: str | None
    voted_at: str


class PostedAnswerStore(Protocol):
    """Posted answers and per-quote votes (one per user and quote; a new vote replaces the old)."""

    async def save(self, scope: str, asker: str | None, answer: Answer) -> int:
        """Keep a posted answer; returns its id (what the message's buttons carry)."""
        ...

    async def get(self, answer_id: int) -> PostedAnswer | None:
        """A posted answer, or None when it was never kept or has been pruned."""
        ...

    async def vote(self, answer_id: int, quote: int, user_id: str, vote: int, reason: str | None) -> None:
        """Record (or change) a user's vote on a quote of a posted answer."""
        ...

    async def votes(self, answer_id: int | None = None) -> list[QuoteVote]:
        """The votes on one answer's quotes (on every answer when None), oldest first."""
        ...

    async def prune(self, before: str) -> int:
        """Forget answers posted before ``before`` (ISO 8601) that nobody voted on and that opened no
        thread; returns how many."""
        ...

    async def open_thread(self, answer_id: int, thread: str) -> None:
        """Record that a posted answer opened ``thread`` (its conversation's first answer)."""
        ...

    async def thread_start(self, thread: str) -> PostedAnswer | None:
        """The answer that opened ``thread``, or None for a thread (or channel) no answer opened."""
        ...


def posted_from_row(row: Any) -> PostedAnswer:
    """A ``posted_answers`` row (either backend) as a ``PostedAnswer``."""
    return PostedAnswer(
        row["id"], row["scope"], row["asker"], row["created_at"], answer_from_dict(json.loads(row["answer"]))
    )


def vote_from_row(row: Any) -> QuoteVote:
    """A ``quote_votes`` row (either backend) as a ``QuoteVote``."""
    return QuoteVote(
        row["answer_id"], row["quote"], row["user_id"], row["vote"], row["reason"], row["voted_at"]
    )


def answer_json(answer: Answer) -> str:
    """What ``posted_answers.answer`` holds: the answer's JSON shape, compact."""
    return json.dumps(answer.to_dict(), ensure_ascii=False, separators=(",", ":"))
