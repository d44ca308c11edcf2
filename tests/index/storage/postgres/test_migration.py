"""``sitrep migrate``: the embedded store copied into Postgres answers as one ingested there."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from index.cli.commands import main
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.models import DigestSchedule
from index.storage.sqlite.store import SqliteStore
from tests.conftest import QUESTIONS
from tests.index.storage.posted_contract import ANSWER
from tests.index.storage.postgres.helpers import quotes_of

pytestmark = pytest.mark.model


async def test_migrate_round_trip(
    sample_template: Path,
    pg_sample_template: str,
    new_database: Callable[..., str],
    pg_url: str,
    tmp_path: Path,
    embedder: SentenceTransformerEmbedder,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    shutil.copytree(sample_template, data)
    # A server's watch (with an alert it posted) and its daily digest move with the archive.
    sqlite = await SqliteStore.open(data)
    watch = await sqlite.watches.add_watch(
        "3000",
        "4000",
        "casualties in Pellin",
        outlet=None,
        exclude_label=None,
        created_by="9001",
        after_rowid=3,
    )
    assert await sqlite.watches.claim_alerts(watch.id, ["r1"]) == ["r1"]
    await sqlite.watches.set_digest(DigestSchedule("3000", "4000", "07:30", "Europe/Kyiv", "9001"))
    posted = await sqlite.posted.save("3000", "9001", ANSWER)  # a posted answer's buttons keep working
    await sqlite.posted.vote(posted, 1, "9001", -1, "wrong speaker")
    await sqlite.close()
    async with await Engine.open(data, embedder=embedder) as filled:
        assert await filled.fill_sentence_vectors() > 0  # what the bot stores after an ingest
    code = await asyncio.to_thread(main, ["--data-dir", str(data), "migrate", "--to", pg_url])
    printed = capsys.readouterr().out
    assert code == 0, printed
    lines = {line.split()[0]: line.split()[1:] for line in printed.splitlines()[1:]}
    assert lines["chunks"][0] == lines["chunks"][1] == lines["vectors"][0] != "0"
    assert lines["sentence_vectors"][0] == lines["sentence_vectors"][1] != "0"
    assert {"sources", "articles", "claims", "chunk_dates", "article_sketches", "name_spellings"} <= set(
        lines
    )
    # A second run finds articles there and refuses, unless forced.
    assert await asyncio.to_thread(main, ["--data-dir", str(data), "migrate", "--to", pg_url]) == 1
    assert await asyncio.to_thread(main, ["--data-dir", str(data), "migrate", "--to", pg_url, "--force"]) == 0
    # The migrated store answers as the same corpus ingested straight into Postgres does.
    ingested = await Engine.open(
        tmp_path / "i", embedder=embedder, database_url=new_database(pg_sample_template)
    )
    pg = await Engine.open(tmp_path / "pg", embedder=embedder, database_url=pg_url)
    try:
        # The planner has the copied tables' statistics and visibility at once, not when autovacuum gets to them.
        analyzed = await pg.store.db.fetch_all(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL AND last_vacuum IS NOT NULL"
        )
        assert {"articles", "chunks", "chunk_dates", "article_dates"} <= {r["relname"] for r in analyzed}
        # The sentence vectors came along: questions embed only themselves, nothing is left to fill.
        assert await pg.store.embeddings.articles_lacking_sentence_vectors(embedder.name, 0, 10) == []
        for question in QUESTIONS[:4]:
            assert quotes_of(await pg.ask(question)) == quotes_of(await ingested.ask(question)), question
        assert await pg.store.watches.watches() == [watch]
        assert await pg.store.watches.claim_alerts(watch.id, ["r1", "r2"]) == ["r2"]  # r1 was posted before
        assert [d.at for d in await pg.store.watches.digests()] == ["07:30"]
        moved = await pg.store.posted.get(posted)
        assert moved is not None and moved.answer == ANSWER
        assert [(v.quote, v.reason) for v in await pg.store.posted.votes(posted)] == [(1, "wrong speaker")]
        assert await pg.store.posted.save("3000", None, ANSWER) > posted
        later = await pg.store.watches.add_watch(
            "3000", "4000", "Wagner", outlet=None, exclude_label=None, created_by=None, after_rowid=0
        )
        assert later.id > watch.id
        # Ids continue after the copied ones: a new source lands and is answerable.
        note = tmp_path / "note.txt"
        note.write_text(
            "Emergency crews in Pellin said on Friday that the Vardo bridge had collapsed after shelling.",
            encoding="utf-8",
        )
        report = await pg.ingest([str(note)])
        assert report.added == 1 and not report.failed
        answer = await pg.ask("What happened to the Vardo bridge?")
        assert any("Vardo bridge" in q.text for q in answer.quotes)
    finally:
        await ingested.close()
        await pg.close()


async def test_a_store_written_before_answers_were_kept_migrates_without_them(
    sample_template: Path, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(sample_template, data)
    with sqlite3.connect(data / "sitrep.db") as db:  # as an older sitrep left it
        db.execute("DROP TABLE quote_votes")
        db.execute("DROP TABLE posted_answers")
    code = await asyncio.to_thread(main, ["--data-dir", str(data), "migrate", "--to", pg_url])
    printed = capsys.readouterr().out
    assert code == 0, printed
    lines = {line.split()[0]: line.split()[1:] for line in printed.splitlines()[1:]}
    assert lines["posted_answers"] == ["0", "0"] and lines["articles"][0] == lines["articles"][1] != "0"
