"""Linking a new article to the one it copies: the steps both backends take over their sketch tables.

A backend supplies three queries (inside its write transaction); this module decides what they mean.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from index.text.near_duplicates import best_match


async def find_original(
    sketch: Sequence[int],
    *,
    sharing: Callable[[Sequence[int]], Awaitable[list[int]]],
    sketches_of: Callable[[list[int]], Awaitable[dict[int, list[int]]]],
    root_of: Callable[[int], Awaitable[int | None]],
) -> tuple[int, float] | None:
    """The article an article with this sketch copies (the first of its group), and how similar.

    Args:
        sketch: the new article's bottom-k sketch (``near_duplicates.sketch``).
        sharing: row ids of the scope's articles sharing enough sketch hashes with it, found from
            the hash index outwards (never a scan of the scope's articles).
        sketches_of: their sketches, by row id.
        root_of: the article a stored copy hangs from, or None when it is an original.

    Returns:
        (row id of the group's first article, estimated similarity), or None for a new story.
    """
    candidates = await sharing(sketch) if sketch else []
    if not candidates:
        return None
    sketches: dict[int, list[int]] = {c: [] for c in candidates}
    sketches.update(await sketches_of(candidates))
    match = best_match(sketch, sketches)
    if match is None:
        return None
    root = await root_of(match[0])
    return (match[0] if root is None else root), match[1]
