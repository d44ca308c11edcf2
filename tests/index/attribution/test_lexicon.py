"""The cue patterns attribution reads: speech verbs of three strengths, stances, non-speech senses,
"according to", agents, participles, and the adverbials trimmed from a speaker phrase."""

from __future__ import annotations

import re

import pytest

from index.attribution.lexicon import (
    ACCORDING_RE,
    ANTECEDENT_KINDS,
    BROAD_CUE_RE,
    BY_AGENT_RE,
    CUE_RE,
    LEADING_ADVERBIAL_RE,
    NOT_SPEECH_RE,
    PARTICIPLE_RE,
    TRAILING_ADVERBIAL_RE,
    word_set,
)


def cues(pattern: re.Pattern[str], text: str) -> list[tuple[str, str | None]]:
    return [(m.group(0), m.lastgroup) for m in pattern.finditer(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministry said the town fell.", [("said", "verb")]),
        ("Officials denied it and warned of more.", [("denied", "verb"), ("warned", "verb")]),
        ("The army issued a short statement.", [("issued a short statement", "phrase")]),
        ("Medics put the death toll at 12.", [("put the death toll at", "phrase")]),
        ("He was quoted as saying so.", [("was quoted as saying", "phrase")]),
        # Loose verbs count only before "that", punctuation or a quotation...
        ("Officials noted that the road was cut.", [("noted", "loose")]),
        ("The mayor noted on Telegram that it was over.", [("noted", "loose")]),
        ("Fighting continued in the east.", []),
        # ...strict ones (also nouns) only before "that", a comma, a colon or a quotation.
        ("The army claims that it held.", [("claims", "strict")]),
        ("The claims were false.", []),
        ("In 30 states voting went on.", []),
        # Not inside other words.
        ("The unsaid and the re-said.", []),
    ],
)
def test_speech_cues(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert cues(CUE_RE, text) == expected


def test_broad_cues_add_stances_and_findings() -> None:
    text = "The monitors believe the tally is low and the data showed more."
    assert cues(CUE_RE, text) == []
    assert [c for c, _ in cues(BROAD_CUE_RE, text)] == ["believe", "showed"]


@pytest.mark.parametrize(
    "text",
    [
        "accused of looting",
        "blamed on rebels",
        "claimed the lives of",
        "described as calm",
        "said to be",
        "posted at",
    ],
)
def test_non_speech_senses(text: str) -> None:
    assert NOT_SPEECH_RE.match(text)


def test_according_to_agents_and_participles() -> None:
    assert [m.group(0) for m in ACCORDING_RE.finditer("according to the army, and According to medics")] == [
        "according to ",
        "According to ",
    ]
    assert not ACCORDING_RE.search("non-according to")
    assert BY_AGENT_RE.search("figures released by the ministry").group(0) == "released by "  # type: ignore[union-attr]
    assert [
        m.group("verb") for m in PARTICIPLE_RE.finditer("He left, saying it was over, while denying more")
    ] == [
        "saying",
        "denying",
    ]


@pytest.mark.parametrize(
    ("phrase", "trailing"),
    [
        ("the ministry on Tuesday", " on Tuesday"),
        ("the mayor in a statement", " in a statement"),
        ("the governor late last night", " late last night"),
        ("the mayor of Pellin", None),
    ],
)
def test_trailing_adverbials(phrase: str, trailing: str | None) -> None:
    m = TRAILING_ADVERBIAL_RE.search(phrase)
    assert (m.group(0) if m else None) == trailing


@pytest.mark.parametrize(
    ("phrase", "leading"),
    [
        ("On Tuesday the ministry", "On Tuesday "),
        ("Meanwhile the mayor", "Meanwhile "),
        ("Later that day officials", "Later that day "),
        ("The mayor", None),
    ],
)
def test_leading_adverbials(phrase: str, leading: str | None) -> None:
    m = LEADING_ADVERBIAL_RE.match(phrase)
    assert (m.group(0) if m else None) == leading


def test_pronouns_and_the_kinds_they_refer_back_to() -> None:
    assert ANTECEDENT_KINDS["she"] == ("female", "person", "unknown")
    assert "male" not in ANTECEDENT_KINDS["she"] and "female" not in ANTECEDENT_KINDS["he"]
    assert "plural" in ANTECEDENT_KINDS["they"] and "person" not in ANTECEDENT_KINDS["it"]
    assert word_set(" a  b\nc ") == frozenset({"a", "b", "c"})
