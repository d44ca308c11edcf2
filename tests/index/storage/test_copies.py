"""Finding the article a new one copies, from the three queries a backend supplies (faked here)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from index.storage.copies import find_original
from index.text.near_duplicates import MIN_SIMILARITY, sketch

STORY = (
    "Artillery fire struck the river port of Kalvo early on Tuesday, damaging two grain warehouses. "
    "The regional governor, Petra Danek, said four dock workers were wounded and taken to hospital. "
    "Firefighters needed six hours to put out the blaze at the second warehouse, officials said. "
    "The port had resumed grain shipments only last month after a pause of nearly a year."
)
EDITED = STORY.replace("said four", "said that four") + " Subscribe for updates."
OTHER = (
    "Farmers near Kalvo expect a record wheat harvest this summer after heavy spring rains. "
    "Prices at the local market fell for the third week in a row, traders said on Monday."
)


class FakeStore:
    """The sketch tables of one scope: row id -> sketch, and copy -> the article it hangs from."""

    def __init__(self, sketches: dict[int, Sequence[int]], roots: dict[int, int] | None = None) -> None:
        self.sketches = {rowid: list(s) for rowid, s in sketches.items()}
        self.roots = roots or {}
        self.calls: list[str] = []

    async def sharing(self, new: Sequence[int]) -> list[int]:
        self.calls.append("sharing")
        return [rowid for rowid, s in self.sketches.items() if set(s) & set(new)]

    async def sketches_of(self, rowids: list[int]) -> dict[int, list[int]]:
        self.calls.append("sketches_of")
        return {r: self.sketches[r] for r in rowids if r in self.sketches}

    async def root_of(self, rowid: int) -> int | None:
        self.calls.append("root_of")
        return self.roots.get(rowid)

    async def find(self, new: Sequence[int]) -> tuple[int, float] | None:
        return await find_original(
            new, sharing=self.sharing, sketches_of=self.sketches_of, root_of=self.root_of
        )


async def test_a_new_story_has_no_original() -> None:
    store = FakeStore({1: sketch(OTHER)})
    assert await store.find(sketch(STORY)) is None


async def test_an_edited_copy_hangs_from_the_article_it_copies() -> None:
    store = FakeStore({1: sketch(OTHER), 2: sketch(STORY)})
    found = await store.find(sketch(EDITED))
    assert found is not None
    rowid, similarity = found
    assert rowid == 2 and MIN_SIMILARITY <= similarity < 1.0
    assert store.calls == ["sharing", "sketches_of", "root_of"]


async def test_a_copy_of_a_copy_hangs_from_the_first_of_the_group() -> None:
    # Row 3 is a stored copy of row 2; the new article matches row 3 best (it is its exact words).
    store = FakeStore({2: sketch(STORY), 3: sketch(EDITED)}, roots={3: 2})
    found = await store.find(sketch(EDITED))
    assert found is not None and found[0] == 2
    assert found[1] == pytest.approx(1.0)  # the similarity is to the best match, not to the root


async def test_an_empty_sketch_asks_nothing() -> None:
    store = FakeStore({1: sketch(STORY)})
    assert await store.find(()) is None  # a text shorter than one shingle
    assert store.calls == []


async def test_candidates_whose_sketch_is_gone_are_not_matched() -> None:
    # The hash index named row 5, but its sketch was deleted meanwhile (the article removed).
    store = FakeStore({1: sketch(OTHER)})
    store.sketches[5] = []

    async def sharing(new: Sequence[int]) -> list[int]:
        return [5]

    found = await find_original(
        sketch(STORY), sharing=sharing, sketches_of=store.sketches_of, root_of=store.root_of
    )
    assert found is None and "root_of" not in store.calls


async def test_ties_go_to_the_earliest_article() -> None:
    store = FakeStore({7: sketch(STORY), 4: sketch(STORY)})
    found = await store.find(sketch(STORY))
    assert found == (4, 1.0)
