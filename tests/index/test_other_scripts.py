"""Keyword search over reporting in Cyrillic, Armenian and Arabic script, in both stores: the words of
a question in that language find the report that uses them (the English model can't, by meaning)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.engine import Engine
from index.evaluation.crosslingual import load_devset
from index.evaluation.data import write_articles
from tests.conftest import FakeEmbedder


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
    articles, _ = load_devset()
    corpus = tmp_path / "corpus.jsonl"
    write_articles(articles, corpus)
    async with await Engine.open(
        tmp_path / "data", embedder=FakeEmbedder(), database_url=database_url
    ) as engine:
        report = await engine.ingest([str(corpus)])
        assert report.added == len(articles)
        answer = await engine.ask(question, retrieval="keyword")
        assert answer.found and answer.quotes[0].document.id == gold, answer.note
        assert answer.quotes[0].language == gold.split("-")[1]
