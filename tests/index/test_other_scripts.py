"""Keyword search over reporting in Cyrillic, Armenian and Arabic script, in both stores: the words of
a question in that language find the report that uses them (the English model can't, by meaning)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from index.embedding.base import Embedder
from index.engine import Engine
from index.evaluation.crosslingual import load_devset
from index.evaluation.data import write_articles
from tests.conftest import FakeEmbedder


@asynccontextmanager
async def devset_ingested(
    tmp_path: Path, embedder: Embedder, database_url: str | None
) -> AsyncIterator[Engine]:
    """An engine over the crosslingual dev set's reports, ingested with ``embedder``."""
    articles, _ = load_devset()
    corpus = tmp_path / "corpus.jsonl"
    write_articles(articles, corpus)
    async with await Engine.open(tmp_path / "data", embedder=embedder, database_url=database_url) as engine:
        assert (await engine.ingest([str(corpus)])).added == len(articles)
        yield engine


@pytest.mark.parametrize(
    ("question", "gold"),
    [
        ("Ливенкой беспилотников", "xl-ru-1"),
        ("підстанції Вербівці", "xl-uk-2"),
        ("غارة جوية على سوق بلدة تل وردة", "xl-ar-1"),
        ("Այգեպար գյուղի", "xl-hy-1"),
    ],
)
async def test_words_in_other_scripts_find_their_report(
    question: str, gold: str, tmp_path: Path, database_url: str | None
) -> None:
    async with devset_ingested(tmp_path, FakeEmbedder(), database_url) as engine:
        answer = await engine.ask(question, retrieval="keyword")
        assert answer.found and answer.quotes[0].document.id == gold, answer.note
        assert answer.quotes[0].language == gold.split("-")[1]


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "gold"),
    [
        ("How many food parcels did the Red Cross hand out in Tavush?", "xl-hy-2"),  # Կարմիր խաչը
        ("Why did the Al-Rahma hospital stop working?", "xl-ar-2"),  # الرحمة: too short for a key
        (
            "When did the first train arrive after the railway bridge over the Lava river was repaired?",
            "xl-ru-3",
        ),
        ("How many ships were sunk in the harbour?", None),  # nothing answers it
    ],
)
async def test_english_questions_by_meaning_with_the_multilingual_backend(
    question: str, gold: str | None, tmp_path: Path, database_url: str | None
) -> None:
    from index.embedding.e5_encoder import MultilingualE5Embedder

    async with devset_ingested(tmp_path, MultilingualE5Embedder(), database_url) as engine:
        answer = await engine.ask(question)
    if gold is None:
        assert not answer.found and answer.note == "Nothing in the archive answers that.", answer.quotes
    else:
        assert answer.found and answer.quotes[0].document.id == gold, answer.note
