"""Sentence-aware chunking: runs of whole sentences with offsets into the article's clean text."""

from __future__ import annotations

from collections.abc import Sequence

from index.models import Chunk

MAX_CHUNK_CHARS = 700
"""MiniLM reads 256 word pieces (~1,000 characters of English); 700 leaves room for long words."""


def chunk_spans(
    sentences: Sequence[tuple[int, int]], *, max_chars: int = MAX_CHUNK_CHARS, overlap: int = 1
) -> list[tuple[int, int, int, int]]:
    """Group sentence spans into chunks.

    Args:
        sentences: sentence (start, end) spans, in order.
        max_chars: a chunk grows by whole sentences while it stays within this many characters;
            a single longer sentence becomes a chunk of its own.
        overlap: how many trailing sentences of a chunk start the next one, so a claim and its
            attribution in adjacent sentences always share a chunk.

    Returns:
        (start, end, first_sentence, last_sentence_exclusive) for each chunk.
    """
    chunks: list[tuple[int, int, int, int]] = []
    i = 0
    n = len(sentences)
    while i < n:
        j = i + 1
        while j < n and sentences[j][1] - sentences[i][0] <= max_chars:
            j += 1
        chunks.append((sentences[i][0], sentences[j - 1][1], i, j))
        if j >= n:
            break
        # Step forward, keeping `overlap` sentences, but always make progress.
        i = max(j - overlap, i + 1)
    return chunks


def chunk_article(
    article_id: str, text: str, sentences: Sequence[tuple[int, int]], *, max_chars: int = MAX_CHUNK_CHARS
) -> list[Chunk]:
    """Chunk an article's clean text; each chunk's text is exactly ``text[start:end]``.

    Args:
        article_id: the stored article's id.
        text: the article's clean text.
        sentences: its sentence spans (from ``index.text.sentences.split_sentences``).
        max_chars: see ``chunk_spans``.

    Returns:
        The chunks, numbered from 0.
    """
    return [
        Chunk(article_id=article_id, seq=seq, start=start, end=end, text=text[start:end])
        for seq, (start, end, _, _) in enumerate(chunk_spans(sentences, max_chars=max_chars))
    ]
