"""Work per article is bounded by what it holds: a page of thousands of fragments is refused before
anything is embedded, and the sentence fill pays per character, not per tiny sentence.

Timing is measured in benchmarks/page_cost.py; these tests check the behaviour that bounds it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.answering.sentence_vectors import (
    FILL_CHARS,
    FILL_MAX_SENTENCES,
    QUIET_FILL_CHARS,
    QUIET_FILL_MAX_SENTENCES,
    _batches,
    quote_windows,
)
from index.engine import Engine
from index.errors import SourceError
from index.ingest.prepare import FRAGMENTED_FROM, prepare
from index.models import RawArticle
from tests.conftest import CountingEmbedder

REPORT = (
    "Artillery fire struck the eastern district of Orvik on Monday, the regional governor said, "
    "and three civilians were wounded. The defence ministry denied that its units had fired first."
)


def tiny_paragraphs(n: int) -> str:
    return (
        "<html><head><title>Feed dump</title></head><body><article>"
        + "".join(f"<p>w{i}.</p>" for i in range(n))
        + "</article></body></html>"
    )


def test_a_text_of_fragments_is_refused_with_the_reason() -> None:
    text = "\n\n".join(f"w{i}." for i in range(FRAGMENTED_FROM))
    with pytest.raises(SourceError, match=r"1,000 of its 1,000 sentences are fragments"):
        prepare(RawArticle(text=text), None)


def test_reporting_with_captions_and_short_lines_is_not_refused() -> None:
    # Half of the lines are fragments (captions, credits): far more than reporting has, still kept.
    lines = [REPORT if i % 2 else "Photo: AP" for i in range(2 * FRAGMENTED_FROM)]
    prepared = prepare(RawArticle(text="\n\n".join(lines)), None)
    assert prepared is not None and prepared.chunks


async def test_a_page_of_tiny_paragraphs_is_refused_before_anything_is_embedded(tmp_path: Path) -> None:
    page = tmp_path / "dump.html"
    page.write_text(tiny_paragraphs(20_000), encoding="utf-8")
    report_file = tmp_path / "report.txt"
    report_file.write_text(REPORT, encoding="utf-8")
    embedder = CountingEmbedder()
    async with await Engine.open(tmp_path / "data", embedder=embedder, sentence_vectors=True) as engine:
        report = await engine.ingest([str(page), str(report_file)])
        assert report.added == 1  # the other source still lands
        [failure] = report.failed
        assert "fragments of one or two words" in failure.reason and "20,000" in failure.reason
        [(_rowid, text)] = await engine.store.articles.texts(0, 10)
        assert embedder.embedded == len(quote_windows(text))  # the report's sentences; nothing of the page
        await engine.fill_sentence_vectors()
        stats = await engine.stats()
        assert (stats.articles, stats.chunks) == (1, 1)


def test_the_fill_batches_by_characters() -> None:
    short = [(1, i * 10, i * 10 + 5) for i in range(1_000)]  # 1,000 sentences of 5 characters
    batches = _batches(short)
    assert [len(b) for b in batches] == [FILL_MAX_SENTENCES] * 15 + [1_000 - 15 * FILL_MAX_SENTENCES]
    long = [(1, 0, FILL_CHARS + 500), (1, 0, 300), (1, 0, 300), (1, 0, 300), (1, 0, 300)]
    assert [len(b) for b in _batches(long)] == [1, 3, 1]  # a long one alone; then ≤ FILL_CHARS
    assert [s for b in batches for s in b] == short  # every span once, in order


def test_with_no_question_asked_the_fill_makes_larger_calls() -> None:
    short = [(1, i * 10, i * 10 + 5) for i in range(1_000)]
    assert [len(b) for b in _batches(short, quiet=True)] == [QUIET_FILL_MAX_SENTENCES] * 3 + [232]
    long = [(1, 0, 300)] * 60  # 18,000 characters
    sizes = [sum(e - s for _, s, e in b) for b in _batches(long, quiet=True)]
    assert max(sizes) <= QUIET_FILL_CHARS and len(sizes) == 3


class CallSizes(CountingEmbedder):
    """Counts texts per model call."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[int] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return super().embed(texts)


@pytest.mark.parametrize("asked", [False, True])
async def test_the_fill_keeps_calls_small_while_questions_are_asked(asked: bool, tmp_path: Path) -> None:
    # 40 sentences of ~190 characters: one call when nobody asks, calls of ≤ 1,000 characters after a
    # question, so the next one waits for a short call at most.
    source = tmp_path / "reports.txt"
    source.write_text(" ".join([REPORT] * 20), encoding="utf-8")
    embedder = CallSizes()
    # Chunks embedded by their own text, so the fill has the sentences to embed (from sentences, it
    # stores the ingest's vectors without a call).
    async with await Engine.open(tmp_path / "data", embedder=embedder, chunk_vectors="model") as engine:
        await engine.ingest([str(source)])
        if asked:
            await engine.ask("Who was wounded in Orvik?")
        embedder.calls.clear()
        assert await engine.fill_sentence_vectors() > 0
    if asked:
        assert len(embedder.calls) > 1 and max(embedder.calls) <= FILL_CHARS // 90
    else:
        assert len(embedder.calls) == 1
