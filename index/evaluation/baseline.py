"""The naive baseline ``sitrep eval`` measures against: what a generic "chat with your documents" does.

Fixed 150-word chunks, plain MiniLM embeddings in a flat FAISS index, dense top-5, no dates, no
keywords, no attribution; its "quotes" are the sentences of the retrieved chunks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import faiss
import numpy as np

from index.embedding.base import Embedder
from index.text.sentences import split_sentences

CHUNK_WORDS = 150
TOP_K = 5
BATCH = 64
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class BaselineChunk:
    """A fixed-size window of one document's words, verbatim."""

    doc_id: str
    text: str


def word_chunks(doc_id: str, text: str, size: int = CHUNK_WORDS) -> list[BaselineChunk]:
    """Consecutive windows of ``size`` words (the original spacing kept inside a window)."""
    spans = [m.span() for m in _TOKEN.finditer(text)]
    return [
        BaselineChunk(doc_id, text[spans[i][0] : spans[min(i + size, len(spans)) - 1][1]])
        for i in range(0, len(spans), size)
    ]


class NaiveBaseline:
    """Dense top-k retrieval over fixed word chunks."""

    def __init__(self, embedder: Embedder) -> None:
        """An empty index over ``embedder``'s vectors."""
        self.embedder = embedder
        self.chunks: list[BaselineChunk] = []
        self.index = faiss.IndexFlatIP(embedder.dim)

    def add(self, docs: Sequence[tuple[str, str]]) -> int:
        """Chunk and embed (doc id, text) pairs; returns the number of chunks added."""
        chunks = [c for doc_id, text in docs for c in word_chunks(doc_id, text)]
        for i in range(0, len(chunks), BATCH):
            vecs = self.embedder.embed([c.text for c in chunks[i : i + BATCH]])
            self.index.add(np.ascontiguousarray(vecs, dtype="float32"))
        self.chunks.extend(chunks)
        return len(chunks)

    def retrieve(self, question: str, k: int = TOP_K) -> list[BaselineChunk]:
        """The ``k`` chunks nearest to the question."""
        if not self.chunks:
            return []
        qvec = np.ascontiguousarray(self.embedder.embed([question]), dtype="float32")
        _, ids = self.index.search(qvec, min(k, len(self.chunks)))
        return [self.chunks[i] for i in ids[0] if i >= 0]

    def quotes(self, question: str, k: int = TOP_K) -> list[tuple[str, str]]:
        """(doc id, sentence) for every sentence of the top-``k`` chunks, in rank order."""
        out: list[tuple[str, str]] = []
        for chunk in self.retrieve(question, k):
            out.extend((chunk.doc_id, chunk.text[s:e]) for s, e in split_sentences(chunk.text))
        return out
