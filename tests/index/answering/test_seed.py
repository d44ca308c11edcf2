"""The article the project started from, end to end with the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine

pytestmark = pytest.mark.model

BOILERPLATE = ("PayPal", "BTC", "ETH", "0x9f4c", "Consider helping us", "patreon", "2,500 $")


async def test_who_reported_casualties_on_july_12(
    seed_article: Path, tmp_path: Path, embedder: SentenceTransformerEmbedder, database_url: str | None
) -> None:
    engine = await Engine.open(tmp_path, embedder=embedder, database_url=database_url)
    try:
        report = await engine.ingest(
            [str(seed_article)],
        )
        assert report.added == 1
        answer = await engine.ask("who reported casualties on July 12?")
    finally:
        await engine.close()

    assert answer.found
    texts = [q.text for q in answer.quotes]
    azerbaijani = [q for q in answer.quotes if "3 soldiers were killed and 5 others were injured" in q.text]
    assert azerbaijani, texts
    assert "Defense Ministry" in (azerbaijani[0].speaker or "")
    assert "Azerbaijani" in (azerbaijani[0].speaker or "")
    denial = [q for q in answer.quotes if "no Armenian was killed" in q.text]
    assert denial, texts
    assert "Stepanyan" in (denial[0].speaker or "")
    for q in answer.quotes:
        assert not any(b.lower() in q.text.lower() for b in BOILERPLATE), q.text
        assert q.document.title and q.document.title.startswith("At Least 4 Azerbaijani Soldiers Killed")


async def test_the_seed_is_stored_without_boilerplate(
    seed_article: Path, tmp_path: Path, embedder: SentenceTransformerEmbedder, database_url: str | None
) -> None:
    engine = await Engine.open(tmp_path, embedder=embedder, database_url=database_url)
    try:
        await engine.ingest([str(seed_article)])
        (article,) = (await engine.store.articles.by_rowid([1])).values()
    finally:
        await engine.close()
    for b in BOILERPLATE:
        assert b.lower() not in article.text.lower()
    assert "The video analysis below was released in May 2020:" not in article.text
    assert "Posted by Shushan Stepanyan on Sunday, July 12, 2020" in article.text
    assert article.language == "en"
