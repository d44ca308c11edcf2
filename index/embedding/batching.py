"""Texts grouped into model calls by their length: what a call costs is its characters (tokens), and a
question waiting for the model waits for at most one call."""

from __future__ import annotations

from collections.abc import Sequence


def by_length(lengths: Sequence[int], max_chars: int, max_texts: int) -> list[list[int]]:
    """Indexes of texts (in order) per model call: at most ``max_chars`` characters in all (a longer
    text goes alone) and ``max_texts`` texts."""
    calls: list[list[int]] = []
    size = 0
    for i, length in enumerate(lengths):
        if not calls or size + length > max_chars or len(calls[-1]) >= max_texts:
            calls.append([])
            size = 0
        calls[-1].append(i)
        size += length
    return calls
