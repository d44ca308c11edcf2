"""Stored sentence vectors: filled after ingest, looked up by questions, the same answers."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

from index.answering.sentence_vectors import quote_windows as _quote_windows
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from tests.conftest import QUESTIONS, CountingEmbedder


class CountingWrapper:
    """An embedder that records the texts it is given and delegates to ``embed``."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray], seen: list[str]) -> None:
        self.name, self.dim = "all-MiniLM-L6-v2", 384
        self._embed, self._seen = embed, seen

    def embed(self, texts: list[str]) -> np.ndarray:
        self._seen.extend(texts)
        return self._embed(texts)


def stored_rows(data_dir: Path) -> dict[int, int]:
    """Sentence vectors stored per article rowid."""
    with closing(sqlite3.connect(data_dir / "sitrep.db")) as db:
        return dict(db.execute("SELECT article_rowid, count(*) FROM sentence_vectors GROUP BY article_rowid"))


async def test_ingest_fills_them_and_a_question_embeds_only_itself(
    tmp_path: Path, database_url: str | None
) -> None:
    doc = tmp_path / "report.txt"
    doc.write_text(
        "Shelling hit the port of Pellin overnight, the harbour master said. Two cranes burned.\n\n"
        "The defence ministry denied any strike on the port. It blamed a fuel fire.\n",
        encoding="utf-8",
    )
    embedder = CountingEmbedder()
    async with await Engine.open(
        tmp_path / "data", embedder=embedder, sentence_vectors=True, database_url=database_url
    ) as engine:
        await engine.ingest([str(doc)])
        assert engine.sentences.filling is not None
        await asyncio.wait_for(engine.sentences.filling, timeout=120)  # a hang guard
        ((rowid, article),) = (await engine.store.articles.by_rowid([1])).items()
        stored = await engine.store.embeddings.sentence_vectors(embedder.name, [rowid])
        assert sorted(stored) == [(rowid, s, e) for s, e in _quote_windows(article.text)]
        embedder.embedded = 0
        answer = await engine.ask("What did the defence ministry deny?")
        assert answer.found and embedder.embedded == 1  # the question alone
        await engine.remove_source((await engine.sources())[0].id)
        assert await engine.store.embeddings.sentence_vectors(embedder.name, [rowid]) == {}  # removed with it


async def test_answers_from_stored_vectors_equal_those_embedded_per_question(
    tmp_path: Path,
    sample_template: Path,
    embedder: SentenceTransformerEmbedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shutil.copytree(sample_template, tmp_path / "data")
    async with await Engine.open(tmp_path / "data", embedder=embedder) as engine:
        live = [await engine.ask(q) for q in QUESTIONS]
        stored = await engine.fill_sentence_vectors()
        assert stored > 0 and len(stored_rows(tmp_path / "data")) == (await engine.stats()).articles
        engine.sentences.clear_cache()
        embedded: list[str] = []
        # Every part of the engine embeds through this one object: count what it is given.
        monkeypatch.setattr(embedder, "embed", CountingWrapper(embedder.embed, embedded).embed)
        looked_up = [await engine.ask(q) for q in QUESTIONS]
        assert embedded and set(embedded) <= set(QUESTIONS)  # questions only: every sentence looked up
    for a, b in zip(live, looked_up, strict=True):
        # float16 storage moves a cosine by ~1e-3 at most: the same quotes, in the same order but for
        # two that tie to that precision (0.52927 and 0.52927 may swap).
        keys_a = [(q.document.id, q.start) for q in a.quotes]
        keys_b = [(q.document.id, q.start) for q in b.quotes]
        assert sorted(keys_a) == sorted(keys_b)
        for x, y in zip(a.quotes, b.quotes, strict=True):
            assert (x.document.id, x.start) == (y.document.id, y.start) or abs(x.score - y.score) < 2e-3


async def test_a_fill_after_a_removal_covers_a_reused_rowid(tmp_path: Path) -> None:
    docs = []
    for name, text in [
        ("a", "Shelling hit Pellin."),
        ("b", "Drones struck Tarsa."),
        ("c", "Talks resumed in Orvik."),
    ]:
        docs.append(tmp_path / f"{name}.txt")
        docs[-1].write_text(text + " Officials said so.\n", encoding="utf-8")
    async with await Engine.open(tmp_path / "data", embedder=CountingEmbedder()) as engine:
        for doc in docs[:2]:
            await engine.ingest([str(doc)])
        await engine.fill_sentence_vectors()
        assert set(stored_rows(tmp_path / "data")) == {1, 2}
        await engine.remove_source(max(s.id for s in await engine.sources()))
        await engine.ingest([str(docs[2])])  # SQLite gives it the removed article's rowid 2
        assert await engine.fill_sentence_vectors() > 0
        assert set(stored_rows(tmp_path / "data")) == {1, 2}
        assert await engine.fill_sentence_vectors() == 0  # nothing left: starts past what is done
