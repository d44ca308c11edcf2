"""Model calls sized by characters and count."""

from __future__ import annotations

from index.embedding.batching import by_length


def test_calls_hold_at_most_the_characters_and_texts_allowed_in_order() -> None:
    assert by_length([400, 400, 300, 900, 50, 50, 50], 1000, 3) == [[0, 1], [2], [3, 4, 5], [6]]


def test_a_text_longer_than_a_call_goes_alone_and_nothing_gives_no_call() -> None:
    assert by_length([10, 5000, 10], 1000, 64) == [[0], [1], [2]]
    assert by_length([], 1000, 64) == []
