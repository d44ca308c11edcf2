"""The PostgreSQL store against the embedded one: same answers and counts, concurrent writers, the CLI."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from index.cli.commands import main
from index.engine import Engine
from index.storage.postgres.store import PgStore
from tests.conftest import QUESTIONS, SAMPLES, FakeEmbedder
from tests.index.storage.postgres.helpers import quotes_of

pytestmark = pytest.mark.model

# Measured on the sample corpus: IDENTICAL of the 10 answers are the same quotes in the same order,
# and on average OVERLAP of an answer's quotes (Jaccard) are in both backends' answers. With chunk
# vectors made from sentences (the default) 8: one answer quotes one of two identical copies instead
# of the other, and one differs in its 9th and 10th quotes; the overlap rose from 0.85 to 0.92 (with
# chunks embedded by their own text: 9 and 0.85).
IDENTICAL_FLOOR = 8
OVERLAP_FLOOR = 0.90


async def test_both_backends_give_the_same_quotes(both_engines: tuple[Engine, Engine]) -> None:
    """The same quotes, or nearly: both rank keywords by BM25, but FTS5's tokenizer and stemmer are
    not Postgres's, and FAISS and pgvector order the equal scores of identical copies differently."""
    lite, pg = both_engines
    identical, overlap = 0, 0.0
    for question in QUESTIONS:
        a, b = quotes_of(await lite.ask(question)), quotes_of(await pg.ask(question))
        identical += a == b
        # Two empty answers (a question the archive can't answer, refused by both) agree entirely.
        overlap += 1.0 if a == b else len(set(a) & set(b)) / len(set(a) | set(b))
    print(
        f"identical answers {identical}/{len(QUESTIONS)}, mean quote overlap {overlap / len(QUESTIONS):.2f}"
    )
    assert identical >= IDENTICAL_FLOOR, f"{identical} of {len(QUESTIONS)} answers identical"
    assert overlap / len(QUESTIONS) >= OVERLAP_FLOOR


async def test_concurrent_questions_on_one_postgres_engine(both_engines: tuple[Engine, Engine]) -> None:
    """A bot answers several questions at once over one reader connection."""
    _, pg = both_engines
    alone = [quotes_of(await pg.ask(q)) for q in QUESTIONS[:4]]
    together = await asyncio.gather(*(pg.ask(q) for q in QUESTIONS[:4]))
    assert [quotes_of(a) for a in together] == alone


async def test_stats_and_sources_match(both_engines: tuple[Engine, Engine]) -> None:
    lite, pg = both_engines
    a, b = await lite.stats(), await pg.stats()
    assert (a.sources, a.articles, a.chunks) == (b.sources, b.articles, b.chunks) and a.chunks > 0
    assert b.index_vectors == b.chunks and "HNSW" in b.index_type
    assert [(s.location, s.articles) for s in await lite.sources()] == [
        (s.location, s.articles) for s in await pg.sources()
    ]


async def test_concurrent_writers_store_each_article_once(pg_url: str, tmp_path: Path) -> None:
    """Two engines (two shards or workers) ingest the same file at once: no error, one copy."""
    one = await Engine.open(tmp_path / "a", embedder=FakeEmbedder(), database_url=pg_url)
    two = await Engine.open(tmp_path / "b", embedder=FakeEmbedder(), database_url=pg_url)
    try:
        reports = await asyncio.gather(
            one.ingest([str(SAMPLES / "reports.jsonl")]), two.ingest([str(SAMPLES / "reports.jsonl")])
        )
        assert not any(r.failed for r in reports)
        stored = (await one.stats()).articles
        assert stored > 0 and sum(r.added for r in reports) == stored
        assert sum(r.duplicates for r in reports) == stored  # each article was added by exactly one
        assert (await two.stats()).articles == stored  # visible to the other at once
    finally:
        await one.close()
        await two.close()


async def test_cli_in_postgres_mode(
    pg_sample_template: str,
    new_database: Callable[..., str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = new_database(pg_sample_template)
    base = ["--data-dir", str(tmp_path), "--database-url", url]
    assert await asyncio.to_thread(main, [*base, "stats"]) == 0
    assert "HNSW" in capsys.readouterr().out
    assert await asyncio.to_thread(main, [*base, "sources"]) == 0
    assert "reports.jsonl" in capsys.readouterr().out
    assert await asyncio.to_thread(main, [*base, "rebuild"]) == 0
    assert "vectors" in capsys.readouterr().out
    assert await asyncio.to_thread(main, [*base, "ask", "Who was evacuated from Tolvik?"]) == 0
    assert "Tolvik" in capsys.readouterr().out
    note = tmp_path / "note.txt"
    note.write_text("Rescuers in Ozerin said the Harrow dam had been breached overnight.", encoding="utf-8")
    assert await asyncio.to_thread(main, [*base, "ingest", "--no-progress", str(note)]) == 0
    capsys.readouterr()
    assert await asyncio.to_thread(main, [*base, "ask", "--json", "What happened to the Harrow dam?"]) == 0
    assert "Harrow dam had been breached" in capsys.readouterr().out
    store = await PgStore.open(url)
    try:
        (note_source,) = [s for s in await store.sources.find() if s.location.endswith("note.txt")]
        before = await store.counts()
        assert await asyncio.to_thread(main, [*base, "sources", "remove", str(note_source.id)]) == 0
        assert "its 1 article" in capsys.readouterr().out
        after = await store.counts()
        assert after[:2] == (before[0] - 1, before[1] - 1) and after[2] < before[2]
    finally:
        await store.close()
    assert await asyncio.to_thread(main, [*base, "backup", str(tmp_path / "bak")]) == 2
    assert "pg_dump" in capsys.readouterr().err
    store = await PgStore.open(url)
    try:
        assert await store.get_meta("last_rebuild") is not None
    finally:
        await store.close()
