"""What a speaker phrase names: the name trimmed from its phrase and where it stands, the claimant's
kind (which pronouns may refer back to it), label lines, roles, and an earlier full mention."""

from __future__ import annotations

import pytest

from index.attribution.names import (
    Speaker,
    is_adverb,
    is_generic,
    kind_of,
    labelled_speaker,
    named_mention,
    named_speaker,
    names_someone,
)


def test_a_named_speaker_drops_edges_and_one_determiner_and_keeps_its_span() -> None:
    text = "  the Varna   ministry, "
    speaker = named_speaker(text, 0, len(text))
    assert speaker == Speaker("Varna ministry", "org", 6, 22)
    assert text[speaker.start : speaker.end] == "Varna   ministry"  # as written; the name's spaces collapsed


@pytest.mark.parametrize(
    ("line", "name", "kind"),
    [
        ("The Azerbaijani Defense Ministry:", "Azerbaijani Defense Ministry", "org"),
        ("Colonel Ivo Brandt:", "Colonel Ivo Brandt", "person"),
        ("Ministry of Defence of Azerbaijan:", "Ministry of Defence of Azerbaijan", "org"),
    ],
)
def test_a_label_line_names_who_speaks_next(line: str, name: str, kind: str) -> None:
    speaker = labelled_speaker(line, 100)
    assert speaker is not None and (speaker.name, speaker.kind) == (name, kind)
    assert line[speaker.start - 100 : speaker.end - 100] == name  # the span is in article offsets


@pytest.mark.parametrize(
    "line",
    [
        "Update 3:",  # a heading word, with a number
        "Photo: AP",
        "the ministry said:",  # lower case: a sentence, not a label
        "Read more about the war in the east and the talks that followed in Lisenne:",  # too long
        "Officials say that:",
        "",
    ],
)
def test_lines_that_are_not_labels(line: str) -> None:
    assert labelled_speaker(line, 0) is None


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("Dan Gerstein", True), ("the BBC", True), ("a warning", False), ("Tuesday", False), ("", False)],
)
def test_names_someone(phrase: str, expected: bool) -> None:
    assert names_someone(phrase) is expected


@pytest.mark.parametrize(
    ("word", "expected"), [("angrily", True), ("family", False), ("Kelly", False), ("only", False)]
)
def test_is_adverb(word: str, expected: bool) -> None:
    assert is_adverb(word) is expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["the", "ministry"], True),
        (["its", "chief", "spokesman"], True),
        (["the", "Ministry"], False),  # capitalised: a name
        (["ministry"], False),
        (["the", "regional", "health", "ministry"], False),  # longer than a role
        (["a", "ministry"], False),
    ],
)
def test_is_generic(words: list[str], expected: bool) -> None:
    assert is_generic(words) is expected


@pytest.mark.parametrize(
    ("phrase", "kind"),
    [
        ("Ms Jane Roe", "female"),
        ("the minister's wife", "female"),
        ("Mr Ivo Brandt", "male"),
        ("Colonel Ivo Brandt", "person"),
        ("Dana Kell", "person"),  # two capitalised words
        ("the army and police", "plural"),
        ("rebel fighters", "plural"),
        ("Defence Ministry", "org"),
        ("Ivo", "unknown"),
        pytest.param(
            "officials",
            "plural",
            marks=pytest.mark.xfail(
                strict=True,
                reason="kind_of reads 'officials' as 'official' (a title) before PLURAL_HINTS (library defect)",
            ),
        ),
        pytest.param(
            "local residents",
            "plural",
            marks=pytest.mark.xfail(strict=True, reason="as above: 'residents' -> 'resident', a person"),
        ),
    ],
)
def test_kind_of(phrase: str, kind: str) -> None:
    assert kind_of(phrase) == kind


def test_an_earlier_full_mention_of_a_role() -> None:
    before = "The Ministry of Defence of Azerbaijan said on Monday that the border was calm. Later"
    span = named_mention(before, "ministry")
    assert span is not None and before[span[0] : span[1]] == "The Ministry of Defence of Azerbaijan"
    assert named_mention("The ministry said nothing more.", "ministry") is None  # a one-word mention
    assert named_mention("No names here.", "ministry") is None
