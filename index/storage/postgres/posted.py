"""Posted answers and the votes on their quotes in the Postgres store (every shard reads the same)."""

from __future__ import annotations

from index.models import Answer
from index.storage.posted_role import (
    PostedAnswer,
    PostedAnswerStore,
    QuoteVote,
    answer_json,
    posted_from_row,
    vote_from_row,
)
from index.storage.postgres.database import Database
from index.storage.records import utc_now


class PgPosted(PostedAnswerStore):
    """The ``posted_answers`` and ``quote_votes`` tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(self, scope: str, asker: str | None, answer: Answer) -> int:
        """Keep a posted answer; returns its id."""
        async with self.db.writing() as db:
            cur = await db.execute(
                "INSERT INTO posted_answers (scope, asker, created_at, answer) VALUES (%s, %s, %s, %s)"
                " RETURNING id",
                (scope, asker, utc_now(), answer_json(answer)),
            )
            row = await cur.fetchone()
        assert row is not None
        return int(row["id"])

    async def get(self, answer_id: int) -> PostedAnswer | None:
        """A posted answer, or None."""
        row = await self.db.fetch_one("SELECT * FROM posted_answers WHERE id = %s", (answer_id,))
        return posted_from_row(row) if row is not None else None

    async def vote(self, answer_id: int, quote: int, user_id: str, vote: int, reason: str | None) -> None:
        """Record (or change) a user's vote on a quote."""
        async with self.db.writing() as db:
            await db.execute(
                "INSERT INTO quote_votes (answer_id, quote, user_id, vote, reason, voted_at)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (answer_id, quote, user_id) DO UPDATE SET"
                " vote = excluded.vote, reason = excluded.reason, voted_at = excluded.voted_at",
                (answer_id, quote, user_id, vote, reason, utc_now()),
            )

    async def votes(self, answer_id: int | None = None) -> list[QuoteVote]:
        """Votes on one answer (every answer when None), oldest first."""
        where, args = ("WHERE answer_id = %s", (answer_id,)) if answer_id is not None else ("", ())
        rows = await self.db.fetch_all(f"SELECT * FROM quote_votes {where} ORDER BY voted_at, quote", args)
        return [vote_from_row(r) for r in rows]

    async def prune(self, before: str) -> int:
        """Forget unvoted answers posted before ``before``."""
        async with self.db.writing() as db:
            cur = await db.execute(
                "DELETE FROM posted_answers WHERE created_at < %s AND thread IS NULL"
                " AND NOT EXISTS (SELECT 1 FROM quote_votes v WHERE v.answer_id = posted_answers.id)",
                (before,),
            )
        return cur.rowcount

    async def open_thread(self, answer_id: int, thread: str) -> None:
        """Record the thread a posted answer opened."""
        async with self.db.writing() as db:
            await db.execute("UPDATE posted_answers SET thread = %s WHERE id = %s", (thread, answer_id))

    async def thread_start(self, thread: str) -> PostedAnswer | None:
        """The answer that opened ``thread``, or None."""
        row = await self.db.fetch_one("SELECT * FROM posted_answers WHERE thread = %s", (thread,))
        return posted_from_row(row) if row is not None else None
