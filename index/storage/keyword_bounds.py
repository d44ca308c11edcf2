"""How much keyword work a question may cost on a large archive, for both stores.

A full-text engine scores every row a query matches before it sorts them: on a million chunks a
question of common words matched ~330k rows and took over a second. On an archive of
``PRUNED_FROM`` chunks or more each store scores two bounded sets instead, each with the whole
question's BM25, so a chunk's score is the one the exact ranking gives it:

- the newest ``WINDOW`` chunks holding any of the words (more under a narrow filter, up to
  ``MOST_SCORED`` rows times words);
- every chunk holding one of the rarest words, while those have at most ``RARE_POSTINGS`` matches:
  a distinctive name or place is found in old reporting too.

``sqlite/keyword.py`` and ``postgres/keyword.py`` apply them; benchmarks/keyword_levels.py measures
what this keeps of the exact ranking.
"""

from __future__ import annotations

from collections.abc import Mapping

PRUNED_FROM = 20_000  # chunks; a smaller archive is ranked exactly on every word (it is cheap)
WINDOW = 800  # newest matches scored on a large archive (BM25 costs ~1-2 µs a row and word)
MOST_SCORED = 8_000  # ...scaled up under a narrow filter, to this many rows times words at most
RARE_POSTINGS = 2_000  # the rarest words' matches are all scored while they are at most this many


def by_rarity(counts: Mapping[str, int], rare_postings: int = RARE_POSTINGS) -> tuple[list[str], list[str]]:
    """The words that match anything, split into (rare, common): the rarest words while their
    matches together are at most ``rare_postings``, then the rest."""
    words = [t for t in sorted(counts, key=counts.__getitem__) if counts[t]]
    rare: list[str] = []
    while len(rare) < len(words) and sum(counts[t] for t in [*rare, words[len(rare)]]) <= rare_postings:
        rare.append(words[len(rare)])
    return rare, words[len(rare) :]
