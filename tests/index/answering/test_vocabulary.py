"""The words questions are read with: what a word is, stopwords, month and day names, expansions."""

from __future__ import annotations

import pytest

from index.answering.vocabulary import EXPANSIONS, MONTHS_AND_DAYS, STOPWORDS, WORD, is_adjective


def test_words_keep_apostrophes_and_hyphens_inside() -> None:
    text = "Zeltran-backed officials' “cease-fire” in Drusk’s port, 12 dead"
    assert WORD.findall(text) == [
        "Zeltran-backed",
        "officials'",
        "cease-fire",
        "in",
        "Drusk’s",
        "port",
        "12",
        "dead",
    ]


def test_stopwords_are_lowercase_function_words_not_content() -> None:
    assert {"who", "what", "the", "did", "about"} <= STOPWORDS
    assert all(w == w.lower() for w in STOPWORDS)
    assert not {"killed", "shelling", "attack", "ceasefire", "hospital"} & STOPWORDS


def test_months_and_days_are_known_in_full_and_abbreviated() -> None:
    assert {"march", "mar", "sept", "sep", "sunday"} <= MONTHS_AND_DAYS
    assert len([m for m in MONTHS_AND_DAYS if m.endswith("day")]) == 7


@pytest.mark.parametrize(
    "word",
    [
        pytest.param(
            w,
            marks=pytest.mark.xfail(
                strict=True, reason="EXPANSIONS['casualty'] leaves out 'casualty' itself (library defect)"
            ),
        )
        if w == "casualty"
        else w
        for w in sorted(EXPANSIONS)
    ],
)
def test_an_expansion_keeps_the_word_it_widens(word: str) -> None:
    # Keyword search is given the expansion instead of the word: the word itself must stay in it.
    assert word in EXPANSIONS[word]


def test_expansions_are_lowercase_words_without_repeats() -> None:
    for word, widened in EXPANSIONS.items():
        assert word == word.lower() and all(w == w.lower() and WORD.fullmatch(w) for w in widened), word
        assert len(set(widened)) == len(widened), word
        assert word not in STOPWORDS


@pytest.mark.parametrize(
    ("word", "adjective"),
    [
        ("Russian", True),
        ("Russian-held", True),
        ("Turkish", True),
        ("Israeli", True),
        ("Israelis", True),  # the people, in the plural
        ("Ukrainians", True),
        # Places and names that end like demonyms are none.
        ("Chernivtsi", False),
        ("Syrskyi", False),
        ("Paris", False),
        ("Kyiv", False),
        ("Al-Quds", False),
    ],
)
def test_nationality_adjectives_and_peoples_are_told_from_places(word: str, adjective: bool) -> None:
    assert is_adjective(word) is adjective
