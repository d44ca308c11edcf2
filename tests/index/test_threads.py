"""Questions go first: ingest embedding and index rebuilds wait while an ask is in progress."""

from __future__ import annotations

import asyncio
from pathlib import Path

from index.engine import Engine
from tests.conftest import CountingEmbedder, FakeEmbedder


async def test_ingest_embedding_waits_for_questions_in_progress(tmp_path: Path) -> None:
    doc = tmp_path / "report.txt"
    doc.write_text("Shelling hit the port overnight, officials said.\n\n" * 40, encoding="utf-8")
    embedder = CountingEmbedder()
    async with await Engine.open(tmp_path / "data", embedder=embedder) as engine:
        async with engine.threads.question():
            ingest = asyncio.create_task(engine.ingest([str(doc)]))
            await asyncio.sleep(0.3)
            assert embedder.embedded == 0 and not ingest.done()  # held back while a question runs
        report = await asyncio.wait_for(ingest, timeout=10)
        assert report.chunks >= 1 and embedder.embedded == report.chunks
        assert not engine.threads.answering
        answer = await engine.ask("What did shelling hit?")
        assert answer.found and not engine.threads.answering


async def test_a_rebuild_waits_for_questions_in_progress(tmp_path: Path) -> None:
    doc = tmp_path / "report.txt"
    doc.write_text("Shelling hit the port overnight, officials said.\n\n" * 40, encoding="utf-8")
    async with await Engine.open(tmp_path / "data", embedder=FakeEmbedder()) as engine:
        await engine.ingest([str(doc)])
        before = await engine.store.get_meta("last_rebuild")
        async with engine.threads.question():
            rebuild = asyncio.create_task(engine.rebuild())
            await asyncio.sleep(0.5)  # a rebuild of these few chunks takes milliseconds when let run
            assert not rebuild.done() and await engine.store.get_meta("last_rebuild") == before
        stats = await asyncio.wait_for(rebuild, timeout=10)
        assert stats.index_vectors == stats.chunks >= 1
        assert await engine.store.get_meta("last_rebuild") != before
