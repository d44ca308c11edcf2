"""Engine plumbing with a fake embedder: ingest counts and dedupe, bad sources, rollback, removal, rebuild."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from index.engine import Engine
from index.errors import SourceNotFoundError
from index.models import GLOBAL_SCOPE
from tests.conftest import FakeEmbedder


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


REPORTS = [
    {
        "id": "t-1",
        "title": "Shelling in Orvik",
        "outlet": "Orvik Post",
        "published": "2025-03-12",
        "text": "Artillery hit the Orvik grain silo on March 12, the mayor Dana Kell said. "
        "Three people were wounded, according to the district hospital.",
    },
    {
        "id": "t-2",
        "title": "Talks resume",
        "outlet": "Harbor Wire",
        "published": "2025-03-13T09:30:00+02:00",
        "text": "Negotiators met again in the capital on Thursday, the foreign ministry said.",
    },
]


async def test_ingest_is_idempotent_and_counts(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "a.jsonl", REPORTS)
    engine = await Engine.open(tmp_path / "data", embedder=FakeEmbedder())
    try:
        first = await engine.ingest([str(src)])
        assert (first.added, first.duplicates, first.failed) == (2, 0, [])
        assert first.chunks >= 2
        assert "2 articles added, 0 skipped as duplicate, 0 failed" in first.summary()
        second = await engine.ingest([str(src)])
        assert (second.added, second.duplicates) == (0, 2)
        stats = await engine.stats()
        assert (stats.sources, stats.articles, stats.index_vectors) == (1, 2, stats.chunks)
        article = await engine.store.articles.get(GLOBAL_SCOPE, "t-2")
        assert article is not None and str(article.published) == "2025-03-13"
    finally:
        await engine.close()


async def test_a_bad_jsonl_line_rejects_the_file_and_stores_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(REPORTS[0]) + "\n{not json\n" + json.dumps({"title": "no text"}) + "\n")
    engine = await Engine.open(tmp_path / "data", embedder=FakeEmbedder())
    try:
        report = await engine.ingest([str(bad)])
        assert report.added == 0
        (failure,) = report.failed
        assert "line 2: not valid JSON" in failure.reason
        assert "line 3: 'text' is missing" in failure.reason
        assert (await engine.stats()).articles == 0
        assert await engine.sources() == []
    finally:
        await engine.close()


async def test_unsupported_and_missing_sources_are_reported(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    engine = await Engine.open(tmp_path / "data", embedder=FakeEmbedder())
    try:
        report = await engine.ingest([str(tmp_path / "x.pdf"), str(tmp_path / "nope.txt")])
        reasons = [f.reason for f in report.failed]
        assert "unsupported file type .pdf" in reasons[0]
        assert "no such file" in reasons[1]
    finally:
        await engine.close()


async def test_a_failure_while_writing_rolls_back_the_whole_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write_jsonl(tmp_path / "a.jsonl", REPORTS)
    engine = await Engine.open(tmp_path / "data", embedder=FakeEmbedder())
    try:
        original = engine.store.db.writer.execute
        calls = {"n": 0}

        def flaky(sql: str, *args: object):  # type: ignore[no-untyped-def]
            if sql.startswith("INSERT INTO chunks"):
                calls["n"] += 1
                if calls["n"] == 2:
                    raise sqlite3.OperationalError("disk I/O error")
            return original(sql, *args)

        monkeypatch.setattr(engine.store.db.writer, "execute", flaky)
        with pytest.raises(sqlite3.OperationalError):
            await engine.ingest([str(src)])
        monkeypatch.undo()
        assert (await engine.store.counts()) == (0, 0, 0)
        assert engine.vectors.size == 0
        report = await engine.ingest([str(src)])
        assert report.added == 2
    finally:
        await engine.close()


async def test_remove_source_respects_scope(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "a.jsonl", REPORTS)
    engine = await Engine.open(tmp_path / "data", embedder=FakeEmbedder())
    try:
        guild = await engine.ingest([str(src)], scope="111", added_by="alice")
        (source_id,) = guild.source_ids
        with pytest.raises(SourceNotFoundError):
            await engine.remove_source(source_id, scope="222")
        assert [s.added_by for s in await engine.sources("111")] == ["alice"]
        assert await engine.sources("222") == []
        assert await engine.remove_source(source_id, scope="111") == 2
        stats = await engine.stats()
        assert (stats.articles, stats.chunks, stats.index_vectors) == (0, 0, 0)
    finally:
        await engine.close()


async def test_rebuild_keeps_vectors_without_reembedding(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "a.jsonl", REPORTS)

    class CountingEmbedder(FakeEmbedder):
        calls = 0

        def embed(self, texts: list[str]):  # type: ignore[no-untyped-def]
            CountingEmbedder.calls += len(texts)
            return super().embed(texts)

    engine = await Engine.open(tmp_path / "data", embedder=CountingEmbedder())
    try:
        await engine.ingest([str(src)])
        before = CountingEmbedder.calls
        stats = await engine.rebuild()
        assert CountingEmbedder.calls == before
        assert stats.index_vectors == stats.chunks and stats.last_rebuild
    finally:
        await engine.close()


async def test_an_answer_kept_during_a_failing_ingest_is_kept_and_nothing_of_the_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write_jsonl(tmp_path / "a.jsonl", REPORTS)
    engine = await Engine.open(tmp_path / "data", embedder=FakeEmbedder())
    try:
        original = engine.store.db.writer.execute
        halfway = asyncio.Event()
        release = asyncio.Event()

        def flaky(sql: str, *args: object):  # type: ignore[no-untyped-def]
            if sql.startswith("INSERT INTO vectors"):

                async def stall_then_fail() -> None:
                    halfway.set()
                    await release.wait()
                    raise sqlite3.OperationalError("disk I/O error")

                return stall_then_fail()
            return original(sql, *args)

        monkeypatch.setattr(engine.store.db.writer, "execute", flaky)
        ingest = asyncio.create_task(engine.ingest([str(src)]))
        await asyncio.wait_for(halfway.wait(), 120)  # hang guards, these timeouts
        # Mid-transaction: a question sees none of it, and a vote waits for the writer.
        answer = await engine.ask("Artillery hit the Orvik grain silo")
        assert answer.articles_searched == 0 and not answer.found
        # The bot keeps each answer it posts: that write waits for the writer, and a read (its own
        # round trip) finds nothing yet.
        vote = asyncio.create_task(engine.store.posted.save(GLOBAL_SCOPE, "u", answer))
        assert await engine.store.posted.votes() == [] and await engine.store.posted.get(1) is None
        assert not vote.done()
        release.set()
        with pytest.raises(sqlite3.OperationalError):
            await ingest
        monkeypatch.undo()
        await asyncio.wait_for(vote, 120)
        assert await engine.store.counts() == (0, 0, 0)
        kept = await engine.store.posted.get(vote.result())
        assert kept is not None and kept.answer == answer
    finally:
        await engine.close()
