"""Near-duplicate articles: wire copy republished by several outlets, lightly edited.

Each article gets a bottom-k MinHash sketch: the ``SKETCH_SIZE`` smallest hashes of its 5-word
shingles (lower-cased words only, so punctuation, case and spacing don't matter). Two sketches
estimate the Jaccard similarity of the shingle sets: of the k smallest hashes of their union, the
share that both have. A different headline or an added sentence moves it a little; a different
story brings it near zero. The store keeps the sketch hashes in an indexed table, so finding the
candidates for a new article is one lookup on its 64 hashes, not a scan of every article.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Mapping, Sequence

SHINGLE_WORDS = 5
SKETCH_SIZE = 64
MIN_SIMILARITY = 0.5  # estimated Jaccard of 5-word shingles; lightly edited copies score 0.6-0.95
MIN_SHARED = 8  # sketch hashes two articles must share before the estimate is worth computing
SENTENCE_OVERLAP = 0.7  # word-set Jaccard above which two sentences of copies say the same thing

_WORD = re.compile(r"\w+", re.UNICODE)


def _hash(shingle: str) -> int:
    # 63 bits: fits SQLite's signed INTEGER and keeps the order the sketch relies on.
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big") >> 1


def sketch(text: str) -> tuple[int, ...]:
    """The article's bottom-k sketch (sorted); empty for texts shorter than one shingle."""
    words = [w.lower() for w in _WORD.findall(text)]
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    return tuple(sorted({_hash(s) for s in shingles})[:SKETCH_SIZE])


def similarity(a: Collection[int], b: Collection[int]) -> float:
    """Estimated Jaccard similarity of two articles from their sketches."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[:SKETCH_SIZE]
    both = set(a) & set(b)
    return sum(1 for h in union if h in both) / len(union)


def same_words(a: str, b: str) -> bool:
    """Whether two sentences (of copies of one story) say the same thing, lightly edited."""
    wa, wb = {w.lower() for w in _WORD.findall(a)}, {w.lower() for w in _WORD.findall(b)}
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= SENTENCE_OVERLAP


def best_match(new: Sequence[int], candidates: Mapping[int, Sequence[int]]) -> tuple[int, float] | None:
    """The candidate (rowid, similarity) most similar to ``new``, if any reaches MIN_SIMILARITY."""
    scored = [(rowid, similarity(new, other)) for rowid, other in candidates.items()]
    scored = [x for x in scored if x[1] >= MIN_SIMILARITY]
    return max(scored, key=lambda x: (x[1], -x[0])) if scored else None
