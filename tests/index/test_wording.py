"""Counts in words."""

from index.wording import counted


def test_counts_take_the_number_their_noun_needs() -> None:
    assert counted(1, "article") == "1 article"
    assert counted(0, "article") == "0 articles"
    assert counted(1234, "quote") == "1,234 quotes"
    assert counted(2, "copy", "copies") == "2 copies" and counted(1, "copy", "copies") == "1 copy"
