"""Each text embedded once: chunk vectors from sentence vectors, the sentence fill embedding nothing again,
and with the real model the chunk vectors near what the model gives the chunk's own text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from index.answering.sentence_vectors import quote_windows
from index.embedding.e5_encoder import MultilingualE5Embedder
from index.embedding.factory import LazyEmbedder
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.ingest.chunk_vectors import BATCH_CHARS, Window, batches, chunk_vectors, windows_of
from index.ingest.readers import TextMeta
from index.models import Chunk
from tests.conftest import CountingEmbedder

TEXT = (
    "Shelling hit the Varn fuel depot overnight, the regional governor said on Monday.\n"
    "Two workers were injured. Firefighters contained the blaze by dawn.\n"
    'Port director Ivo Brask said: "We will rebuild the quay in stone."'
)


def test_windows_are_the_quote_windows_and_name_their_own_sentence() -> None:
    windows = windows_of([TEXT, "One line only."])
    assert [(w.start, w.end) for w in windows if w.article == 0] == list(quote_windows(TEXT))
    assert [(w.article, TEXT[w.own_start : w.own_end]) for w in windows][:3] == [
        (0, "Shelling hit the Varn fuel depot overnight, the regional governor said on Monday."),
        (0, "Two workers were injured."),  # joined to the next in its window, but weighs as itself
        (0, "Firefighters contained the blaze by dawn."),
    ]
    short = windows[1]
    assert (
        TEXT[short.start : short.end] == "Two workers were injured. Firefighters contained the blaze by dawn."
    )
    assert windows[-1].article == 1


def test_batches_bound_characters_and_keep_a_long_window_alone() -> None:
    windows = [Window(0, 0, 3000, 0, 3000)] * 5 + [Window(0, 0, BATCH_CHARS + 1, 0, BATCH_CHARS + 1)]
    assert batches(windows) == [[0, 1], [2, 3], [4], [5]]


def test_a_chunks_vector_is_its_sentences_weighted_mean_normalised() -> None:
    windows = [Window(0, 0, 10, 0, 10), Window(0, 11, 41, 11, 41), Window(0, 42, 50, 42, 50)]
    vecs = np.eye(3, dtype="float32")
    chunks = [[Chunk("a", 0, 0, 41, "x"), Chunk("a", 1, 42, 50, "y")], [Chunk("b", 0, 0, 5, "z")]]
    out, missing = chunk_vectors(chunks, windows, vecs)
    expected = np.array([10, 30, 0], dtype="float32") / np.linalg.norm([10, 30])
    assert np.allclose(out[0], expected) and np.allclose(out[1], [0, 0, 1])
    assert missing == [(1, 0)] and not out[2].any()  # article b has no sentence: embedded by its own text
    none, all_missing = chunk_vectors([[Chunk("c", 0, 0, 5, "z")]], [], np.zeros((0, 3), dtype="float32"))
    assert none.shape == (1, 3) and all_missing == [(0, 0)]  # no window at all: rows of the model's width


async def test_an_ingest_embeds_each_sentence_once_and_the_fill_embeds_nothing(tmp_path: Path) -> None:
    counting = CountingEmbedder()
    engine = await Engine.open(tmp_path / "data", embedder=counting, chunk_vectors="sentences")
    try:
        path = tmp_path / "depot.txt"
        path.write_text("Varn depot\n\n" + TEXT)
        report = await engine.ingest(
            [str(path)], meta=TextMeta(outlet="Varn Gazette", published=date(2025, 9, 1))
        )
        assert report.added == 1
        embedded_by_ingest = counting.embedded
        stored = await engine.fill_sentence_vectors()
        assert stored > 0 and counting.embedded == embedded_by_ingest  # the fill reused them all
        [(_rowid, text)] = await engine.store.articles.texts(0, 10)
        assert embedded_by_ingest == len(quote_windows(text))  # no chunk embedded by its own text
        found = (await engine.ask("Who said the quay would be rebuilt in stone?")).quotes
        assert found and "rebuild the quay in stone" in found[0].text
    finally:
        await engine.close()


async def test_both_stores_make_chunk_vectors_from_sentences(
    tmp_path: Path, database_url: str | None
) -> None:
    # Both stores make chunk vectors from the sentences' and find the same chunks for a question.
    counting = CountingEmbedder()
    engine = await Engine.open(
        tmp_path / "data", embedder=counting, chunk_vectors="sentences", database_url=database_url
    )
    try:
        path = tmp_path / "depot.txt"
        path.write_text("Varn depot\n\n" + TEXT)
        assert (await engine.ingest([str(path)], meta=TextMeta(outlet="Varn Gazette"))).added == 1
        [(_rowid, text)] = await engine.store.articles.texts(0, 10)
        assert counting.embedded == len(quote_windows(text))  # no chunk embedded by its own text
        found = (await engine.ask("Who said the quay would be rebuilt in stone?")).quotes
        assert found and "rebuild the quay in stone" in found[0].text
    finally:
        await engine.close()


async def test_with_model_chunk_vectors_chunks_and_sentences_are_each_embedded(tmp_path: Path) -> None:
    counting = CountingEmbedder()
    engine = await Engine.open(tmp_path / "data", embedder=counting, chunk_vectors="model")
    try:
        path = tmp_path / "depot.txt"
        path.write_text("Varn depot\n\n" + TEXT)
        report = await engine.ingest([str(path)], meta=TextMeta(outlet="Varn Gazette"))
        assert counting.embedded == report.chunks  # the chunks, by their own text
        stored = await engine.fill_sentence_vectors()
        assert stored > 0 and counting.embedded == report.chunks + stored  # then every sentence again
    finally:
        await engine.close()


@pytest.mark.model
def test_with_the_model_a_derived_chunk_vector_is_near_the_chunks_own(
    embedder: SentenceTransformerEmbedder,
) -> None:
    windows = windows_of([TEXT])
    vecs = embedder.embed([TEXT[w.start : w.end] for w in windows])
    chunk = Chunk("a", 0, 0, len(TEXT), TEXT)
    derived, _ = chunk_vectors([[chunk]], windows, vecs)
    own = embedder.embed([TEXT])[0]
    unrelated = embedder.embed(["The school choir sang at the spring festival in the town hall."])[0]
    assert float(derived[0] @ own) > 0.85 > float(derived[0] @ unrelated)


async def test_unset_the_encoder_decides_and_the_multilingual_one_embeds_chunks(tmp_path: Path) -> None:
    assert (
        LazyEmbedder().chunks_from_sentences
        and not LazyEmbedder(backend="multilingual").chunks_from_sentences
    )
    assert MultilingualE5Embedder.chunks_from_sentences is False  # known without loading it

    class ChunksItself(CountingEmbedder):
        chunks_from_sentences = False

    for embedder, sentences in ((CountingEmbedder(), True), (ChunksItself(), False)):
        engine = await Engine.open(
            tmp_path / type(embedder).__name__, embedder=embedder
        )  # chunk_vectors unset
        try:
            path = tmp_path / "depot.txt"
            path.write_text("Varn depot\n\n" + TEXT)
            report = await engine.ingest([str(path)], meta=TextMeta(outlet="Varn Gazette"))
            [(_rowid, text)] = await engine.store.articles.texts(0, 10)
            expected = len(quote_windows(text)) if sentences else report.chunks
            assert embedder.embedded == expected
        finally:
            await engine.close()


@pytest.mark.parametrize("mode", ["sentences", "model"])
async def test_a_repeated_text_is_embedded_once(tmp_path: Path, mode: str) -> None:
    counting = CountingEmbedder()
    async with await Engine.open(tmp_path / "data", embedder=counting, chunk_vectors=mode) as engine:
        line = "Convoys moved along the northern road without incident that week. "
        path = tmp_path / "long.txt"
        path.write_text("Convoys\n\n" + line * 400 + TEXT + " " + line * 400)
        report = await engine.ingest([str(path)])
        assert report.added == 1
        [(_rowid, text)] = await engine.store.articles.texts(0, 10)
        windows = [text[s:e] for s, e in quote_windows(text)]
        chunks = [r[0] for r in await engine.store.db.rows("SELECT text FROM chunks")]  # type: ignore[attr-defined]
        distinct = set(windows) if mode == "sentences" else set(chunks)
        assert counting.embedded == len(distinct) < len(windows if mode == "sentences" else chunks)
        found = (await engine.ask("Who said the quay would be rebuilt in stone?")).quotes
        assert found and "rebuild the quay in stone" in found[0].text
