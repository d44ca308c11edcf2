"""Each text embedded once: an article's quotable sentences are embedded at ingest, and its chunks'
vectors are made from theirs.

Why: answers rank candidate sentences by their stored vectors (``answering/sentence_vectors``), and
search finds chunks by theirs. Embedding both meant every word went through the model twice, and an
ingest with its sentence fill ran at ~0.4x a bare encoder's throughput. The model's own pooling is a
mean over tokens, so a chunk's vector is taken as the mean of its sentences' vectors, each weighted
by its length inside the chunk, then normalised. The sentences' vectors are kept for the fill that
stores them (``SentenceVectors.remember``), which then embeds nothing again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index.answering.quotes import sentence_windows
from index.embedding.base import Embedder
from index.embedding.batching import by_length
from index.ingest.prepare import Prepared
from index.models import Chunk
from index.text.sentences import split_sentences
from index.threads import EngineThreads

# Characters of sentences per model call. A question in the same process waits for at most one call
# (EngineThreads): ~8,000 characters (~2,000 tokens of short sequences) is ~0.2 s on two cores, what
# one call of 8 chunks took before; far more than 1,000 (the fill's size) keeps per-call cost small.
BATCH_CHARS = 8_000
BATCH_MAX = 256
# Chunks per model call where chunks are embedded by their own text. A question waits for at most one
# batch in flight (EngineThreads), so it is small: ~8 x 200 tokens is ~0.2 s on two cores. With
# sentence vectors stored a question takes ~30-60 ms, and 16 chunks (~0.4 s) made asks during an
# ingest 10x slower; 4 chunks took ingest to 0.91x the bare encoder's throughput (benchmarks/perf.py).
EMBED_BATCH = 8


@dataclass(frozen=True)
class Window:
    """A quote window of one article: the text embedded, and the sentence it stands for in chunks."""

    article: int  # index in the group
    start: int
    end: int
    own_start: int  # the window's first sentence (a short one is joined to the next; that one has
    own_end: int  # its own window too, so each sentence weighs once in a chunk's mean)


def windows_of(texts: Sequence[str]) -> list[Window]:
    """The quote windows of each text, in order (the same spans ``quote_windows`` gives)."""
    out = []
    for n, text in enumerate(texts):
        spans = split_sentences(text)
        for start, end, i in sentence_windows(text, spans, 0, len(spans)):
            out.append(Window(n, start, end, *spans[i]))
    return out


def batches(windows: Sequence[Window]) -> list[list[int]]:
    """Indexes of ``windows`` per model call (``BATCH_CHARS``, ``BATCH_MAX``)."""
    return by_length([w.end - w.start for w in windows], BATCH_CHARS, BATCH_MAX)


def chunk_vectors(
    chunks: Sequence[Sequence[Chunk]], windows: Sequence[Window], vecs: np.ndarray
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The vectors of every chunk of every article (in order), from its sentences' vectors.

    Args:
        chunks: each article's chunks (offsets into its text).
        windows: every article's windows, as ``windows_of`` gave them.
        vecs: one unit vector per window (rows of the model's width, none when there are no windows).

    Returns:
        One unit row per chunk, and the (article, chunk) positions no sentence lies in (their rows are
        zero: the caller embeds those chunks' own text).
    """
    total = sum(len(c) for c in chunks)
    out = np.zeros((total, vecs.shape[1]), dtype="float32")
    missing: list[tuple[int, int]] = []
    by_article: dict[int, list[int]] = {}
    for i, w in enumerate(windows):
        by_article.setdefault(w.article, []).append(i)
    row = 0
    for n, article_chunks in enumerate(chunks):
        # Each window's own sentence, in text order: a chunk's are found by bisection, not by
        # looking at every window of its article (quadratic: a 2 MB article took minutes).
        mine = np.array(by_article.get(n, []), dtype=np.int64)
        starts = np.array([windows[i].own_start for i in mine], dtype=np.int64)
        order = np.argsort(starts, kind="stable")
        mine, starts = mine[order], starts[order]
        ends = np.array([windows[i].own_end for i in mine], dtype=np.int64)
        for k, chunk in enumerate(article_chunks):
            lo = int(np.searchsorted(ends, chunk.start, side="right"))  # the first ending inside it
            hi = int(np.searchsorted(starts, chunk.end, side="left"))  # past the last starting inside
            weights = (np.minimum(chunk.end, ends[lo:hi]) - np.maximum(chunk.start, starts[lo:hi])).clip(0)
            if not len(weights) or weights.sum() == 0:
                missing.append((n, k))
            else:
                mean = weights.astype("float32") @ vecs[mine[lo:hi]]
                out[row] = mean / max(float(np.linalg.norm(mean)), 1e-12)
            row += 1
    return out, missing


def distinct(texts: Sequence[str]) -> tuple[list[int], list[int]]:
    """Where each distinct text first stands, and for every text the number of its distinct one: a
    text repeated (boilerplate, a line copied down a page) is embedded once."""
    first: dict[str, int] = {}
    for i, text in enumerate(texts):
        first.setdefault(text, i)
    number = {text: n for n, text in enumerate(first)}
    return list(first.values()), [number[t] for t in texts]


async def from_sentences(
    embedder: Embedder,
    threads: EngineThreads,
    group: Sequence[Prepared],
    windows: Sequence[Window],
    remember: Callable[[list[str], np.ndarray], None] | None = None,
    embedded: Callable[[int], None] | None = None,
) -> np.ndarray:
    """The chunk vectors of ``group``'s articles (in order), made from their sentences' (``windows``,
    as ``windows_of`` gives them for the group's texts): each text embedded once, each model call
    waiting while questions are answered. The sentences' vectors go to ``remember``; ``embedded``
    gets a share of the group's chunks after each call. A chunk no sentence lies in is embedded by
    its own text."""
    texts = [group[w.article].text[w.start : w.end] for w in windows]
    chunks = sum(len(p.chunks) for p in group)
    firsts, inverse = distinct(texts)
    parts = []
    done = 0
    for part in batches([windows[i] for i in firsts]):
        parts.append(await threads.on_model_when_idle(embedder.embed, [texts[firsts[i]] for i in part]))
        done += len(part)
        if embedded is not None:
            embedded(chunks * done // max(1, len(firsts)))
    unique = np.vstack(parts) if parts else np.zeros((0, embedder.dim), dtype="float32")
    vecs = unique[inverse] if texts else unique
    if remember is not None:
        remember(texts, vecs)
    out, missing = chunk_vectors([p.chunks for p in group], windows, vecs)
    if missing:
        rows = [sum(len(p.chunks) for p in group[:n]) + k for n, k in missing]
        out[rows] = await embed_texts(embedder, threads, [group[n].chunks[k].text for n, k in missing])
    return out


async def embed_texts(
    embedder: Embedder,
    threads: EngineThreads,
    texts: Sequence[str],
    embedded: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Chunks embedded by their own text (each distinct text once), ``EMBED_BATCH`` per model call,
    each call waiting while questions are answered; ``embedded`` gets the count done after each call."""
    firsts, inverse = distinct(texts)
    unique = [texts[i] for i in firsts]
    out = []
    for i in range(0, len(unique), EMBED_BATCH):
        out.append(await threads.on_model_when_idle(embedder.embed, unique[i : i + EMBED_BATCH]))
        if embedded is not None:
            embedded(len(texts) * min(len(unique), i + EMBED_BATCH) // len(unique))
    if not out:
        return np.zeros((0, embedder.dim), dtype="float32")
    vecs: np.ndarray = np.vstack(out)[inverse]
    return vecs
