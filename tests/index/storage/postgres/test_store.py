"""The PostgreSQL backend against the embedded one: same answers, migration, concurrent writers, CLI."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.cli.commands import main
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.models import GLOBAL_SCOPE, Answer
from index.storage.factory import embedded_dir, is_postgres
from index.storage.postgres.filters import bm25_search, filter_sql
from index.storage.postgres.store import PgStore
from index.storage.postgres.vectors import PgVectors
from index.storage.records import ArticleFilter
from tests.conftest import QUESTIONS, SAMPLES, FakeEmbedder

pytestmark = pytest.mark.model

# Measured on the sample corpus: IDENTICAL of the 10 answers are the same quotes in the same order,
# and on average OVERLAP of an answer's quotes (Jaccard) are in both backends' answers.
IDENTICAL_FLOOR = 9  # measured: 9 (the tenth quotes one of two identical copies instead of the other)
OVERLAP_FLOOR = 0.84  # measured: 0.85


def quotes_of(answer: Answer) -> list[tuple[str, str, str | None]]:
    """What a reader sees of each quote: its words, its article and its speaker."""
    return [(q.text, q.document.id, q.speaker) for q in answer.quotes]


@pytest.fixture
async def both_engines(
    sample_template: Path,
    pg_sample_template: str,
    new_database: Callable[..., str],
    tmp_path: Path,
    embedder: SentenceTransformerEmbedder,
) -> AsyncIterator[tuple[Engine, Engine]]:
    """The sample corpus on SQLite + FAISS and on Postgres, each ingested the same way."""
    shutil.copytree(sample_template, tmp_path / "sqlite")
    lite = await Engine.open(tmp_path / "sqlite", embedder=embedder)
    pg = await Engine.open(tmp_path / "pg", embedder=embedder, database_url=new_database(pg_sample_template))
    yield lite, pg
    await lite.close()
    await pg.close()


def test_backend_selection() -> None:
    assert is_postgres("postgresql://u@h/db") and is_postgres("postgres://h/db")
    assert not is_postgres(None) and not is_postgres("") and not is_postgres("sqlite:///data")
    assert embedded_dir(None, Path("data")) == Path("data")
    assert embedded_dir("sqlite:////srv/sitrep", Path("data")) == Path("/srv/sitrep")
    assert embedded_dir("sqlite:///rel/dir", Path("data")) == Path("rel/dir")
    with pytest.raises(ValueError):
        embedded_dir("mysql://h/db", Path("data"))


async def test_both_backends_give_the_same_quotes(both_engines: tuple[Engine, Engine]) -> None:
    """The same quotes, or nearly: both rank keywords by BM25, but FTS5's tokenizer and stemmer are
    not Postgres's, and FAISS and pgvector order the equal scores of identical copies differently."""
    lite, pg = both_engines
    identical, overlap = 0, 0.0
    for question in QUESTIONS:
        a, b = quotes_of(await lite.ask(question)), quotes_of(await pg.ask(question))
        identical += a == b
        overlap += len(set(a) & set(b)) / max(len(set(a) | set(b)), 1)
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


async def test_filtered_vector_search_returns_k_on_either_path(
    both_engines: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A selective filter still gets its k nearest chunks, exact or through HNSW with a raised ef_search."""
    lite, pg = both_engines
    f = ArticleFilter(scopes=(GLOBAL_SCOPE,), outlets=("Orvenia Unbowed",))
    allowed = set(await pg.store.search.allowed_chunk_ids(f))
    assert 3 < len(allowed) < (await pg.stats()).chunks / 10
    qvec = pg.embedder.embed(["hospital strike"])[0]
    exact = await pg.vectors.search(qvec, 3, f, True)
    assert len(exact) == 3 and {cid for cid, _ in exact} <= allowed
    assert [cid for cid, _ in exact] == [cid for cid, _ in await lite.vectors.search(qvec, 3, f, True)]
    monkeypatch.setattr("index.storage.postgres.vectors.EXACT_MAX", 0)  # force the HNSW path
    approximate = await pg.vectors.search(qvec, 3, f, True)
    assert len(approximate) == 3 and {cid for cid, _ in approximate} <= allowed


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
    code = await asyncio.to_thread(main, ["--data-dir", str(data), "migrate", "--to", pg_url])
    printed = capsys.readouterr().out
    assert code == 0, printed
    lines = {line.split()[0]: line.split()[1:] for line in printed.splitlines()[1:]}
    assert lines["chunks"][0] == lines["chunks"][1] == lines["vectors"][0] != "0"
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
        for question in QUESTIONS[:4]:
            assert quotes_of(await pg.ask(question)) == quotes_of(await ingested.ask(question)), question
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
        assert "1 articles" in capsys.readouterr().out
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


async def _insert_articles(db: Any, n: int, text_prefix_sql: str) -> None:
    """One global source with ``n`` articles whose text is the prefix and the article's number."""
    await db.execute(
        "INSERT INTO sources (scope, kind, location, added_at) VALUES ('global', 'file', 'x', 'now')"
    )
    await db.execute(
        "INSERT INTO articles (scope, id, source_id, language, ingested_at, text, content_hash)"
        f" SELECT 'global', 'a' || i, (SELECT id FROM sources), 'en', 'now', {text_prefix_sql} || i, 'h' || i"
        " FROM generate_series(1, %s) AS i",
        (n,),
    )


async def test_the_hnsw_path_uses_the_index_and_finds_the_exact_neighbours(pg_url: str) -> None:
    """The broad-question query is one the HNSW index can serve (same expression, same predicate),
    the exact one is not, and on 2,000 random vectors they agree on nearly all of the top 10."""
    store = await PgStore.open(pg_url)
    try:
        async with store.db.writing() as db:
            await _insert_articles(db, 2000, "'text '")
            await db.execute(
                'INSERT INTO chunks (scope, article_rowid, seq, start, "end", text, model, embedding)'
                " SELECT 'global', rowid, 0, 0, 4, text, 'fake-bow-64',"
                " (SELECT array_agg(random() - 0.5) FROM generate_series(1, 64) WHERE rowid > 0)::vector"
                " FROM articles"
            )
        vectors = PgVectors(store, dim=64, model="fake-bow-64", fill_missing=_nothing)
        await vectors.load()
        f = ArticleFilter(scopes=(GLOBAL_SCOPE,))
        qvec = np.random.default_rng(7).standard_normal(64).astype("float32")
        plans = {}
        for exact in (True, False):
            sql, args = vectors.nearest_sql(qvec, 10, f, exact=exact)
            reader = await store.db.reader.get()
            async with reader.transaction():
                await reader.execute("SET LOCAL enable_seqscan = off")
                cur = await reader.execute("EXPLAIN " + sql, args)
                plans[exact] = " ".join(str(next(iter(r.values()))) for r in await cur.fetchall())
        assert "chunks_embedding_hnsw_64" in plans[False], plans[False]
        assert "chunks_embedding_hnsw_64" not in plans[True], plans[True]
        found = {}
        for limit in (20_000, 0):
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr("index.storage.postgres.vectors.EXACT_MAX", limit)
                found[limit] = [cid for cid, _ in await vectors.search(qvec, 10, f, False)]
        assert len(found[0]) == 10 and len(set(found[0]) & set(found[20_000])) >= 8
    finally:
        await store.close()


async def _nothing() -> None:
    """No chunk lacks a vector here."""


async def test_bm25_counts_each_phrase_once_not_once_per_matching_chunk(pg_url: str) -> None:
    """The document frequencies are counted once per question: inlined into the ORDER BY they were
    recounted for every matching chunk (minutes at 100k chunks, benchmarks/scale.py)."""
    store = await PgStore.open(pg_url)
    try:
        async with store.db.writing() as db:
            await _insert_articles(db, 300, "'police said the mob was dispersed '")
            await db.execute(
                'INSERT INTO chunks (scope, article_rowid, seq, start, "end", text)'
                " SELECT 'global', rowid, 0, 0, 10, text FROM articles"
            )
        where, args = filter_sql(ArticleFilter(scopes=(GLOBAL_SCOPE,)))
        sql, params = bm25_search(["police", "mob"], where, args, 40, await store.search._corpus_stats())
        cur = await (await store.db.reader.get()).execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        row = await cur.fetchone()
        assert row is not None
        plan = next(iter(row.values()))

        def nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
            yield node
            for child in node.get("Plans", []):
                yield from nodes(child)

        # The scans that count a phrase's hits over the whole table (``tsv @@ t.q``, t being the
        # unnested phrases) run once per phrase (2), not once per matching chunk (600 loops before).
        counts = [
            n["Actual Loops"]
            for n in nodes(plan[0]["Plan"])
            if n.get("Relation Name") == "chunks" and "t.q" in str(n.get("Recheck Cond", n.get("Filter", "")))
        ]
        assert counts and max(counts) <= 2, counts
        found = await store.search.keyword(["police", "mob"], ArticleFilter(scopes=(GLOBAL_SCOPE,)), 40)
        assert len(found) == 40
    finally:
        await store.close()
