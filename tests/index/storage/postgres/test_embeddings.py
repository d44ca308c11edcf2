"""PgEmbeddings: the embeddings role's contract (tests/index/storage/contracts.py) on PostgreSQL."""

from __future__ import annotations

import asyncio

from index.storage.postgres.schema import FILL_LOCK
from index.storage.postgres.store import PgStore
from tests.index.storage.contracts import EmbeddingsContract, SentenceVectorsContract


class TestPgEmbeddings(EmbeddingsContract):
    """Every check of the contract, on an empty Postgres database (the ``store`` fixture)."""


class TestPgSentenceVectors(SentenceVectorsContract):
    """Postgres keeps sentence vectors (float16) too, so questions need not embed sentences."""


async def test_one_process_fills_sentence_vectors_at_a_time(store: PgStore, pg_url: str) -> None:
    other = await PgStore.open(pg_url)  # another process's store on the same database
    try:
        async with store.embeddings.fill_lock():
            entered = asyncio.Event()

            async def fill_elsewhere() -> None:
                async with other.embeddings.fill_lock():
                    entered.set()

            waiting = asyncio.create_task(fill_elsewhere())
            # The other's lock request is seen waiting on the server (a hang guard, not a timing).
            async with asyncio.timeout(60):
                while not await store.db.fetch_all(
                    "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND NOT granted",
                    (FILL_LOCK & 0xFFFFFFFF,),
                ):
                    await asyncio.sleep(0.05)
            assert not entered.is_set()
        await asyncio.wait_for(waiting, timeout=60)  # released: the other fills now
        assert entered.is_set()
    finally:
        await other.close()
