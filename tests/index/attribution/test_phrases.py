"""The speaker phrase inside one sentence: quotations masked (same length), then the noun phrase before
or after its best cue, cut at clause boundaries and asides."""

from __future__ import annotations

import pytest

from index.attribution.lexicon import BROAD_CUE_RE, MASK
from index.attribution.phrases import find_np, mask_quotes, masked_regions, np_before


def phrase_and_cue(sentence: str, broad: bool = False) -> tuple[str, str] | None:
    masked, _ = mask_quotes(sentence, False)
    found = find_np(masked, BROAD_CUE_RE) if broad else find_np(masked)
    if found is None:
        return None
    (a, b), (c, d) = found
    return sentence[a:b], sentence[c:d]


# -- masking quotations ---------------------------------------------------------------------------------


def test_a_quotation_is_masked_to_the_same_length() -> None:
    sentence = "“We held the line,” the Varna ministry said."
    masked, inside = mask_quotes(sentence, False)
    assert len(masked) == len(sentence) and not inside
    assert masked == MASK * 19 + " the Varna ministry said."
    assert masked_regions(masked) == [(0, 19)]


def test_short_scare_quotes_stay_readable() -> None:
    sentence = "He said “the NO WAY banners” were gone."
    assert mask_quotes(sentence, False) == (sentence, False)


def test_a_quotation_over_sentences_carries_on() -> None:
    opened, inside = mask_quotes("“We held the line for three days, and", False)
    assert inside and set(opened) == {MASK}
    closed, inside = mask_quotes("then it ended,” the mayor said.", True)  # starts within the quotation
    assert not inside and closed.endswith(" the mayor said.") and closed.startswith(MASK * 14)
    straight, _ = mask_quotes('and then it ended," the mayor said.', True)
    assert straight.endswith(" the mayor said.")


def test_two_apostrophes_stand_for_a_double_quote() -> None:
    masked, _ = mask_quotes("He said ''we will stay, whatever comes,'' firmly.", False)
    assert masked.startswith("He said ") and masked.endswith(" firmly.") and MASK in masked


# -- the phrase and its cue --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("“We held the line,” the Varna ministry said.", ("the Varna ministry", "said")),
        ("“The town is ours,” said Colonel Ivo Brandt on Tuesday.", ("Colonel Ivo Brandt", "said")),
        ("The Varna ministry said the line held.", ("The Varna ministry", "said")),
        ("Jane Roe, a student at the university, said the dorm was empty.", ("Jane Roe", "said")),
        # A participial lead sets the scene; the name after it speaks, not "Musk" of "Musk told him".
        (
            "Speaking to CNN on Tuesday, Ian Bremmer, president of Eurasia Group, claimed Musk told him so.",
            ("Ian Bremmer, president of Eurasia Group", "claimed"),
        ),
        (
            "Asked about the talks, Colonel Ivo Brandt, a spokesman, said they had failed.",
            ("Colonel Ivo Brandt, a spokesman", "said"),
        ),
        ("Reed and Smith, the senators, said the bill would pass.", ("Reed and Smith", "said")),
        # A named body's role before the name says which side the name speaks for.
        (
            "On Monday, the chairman of Varna's state power company, Ivo Brandt, said the plant was full.",
            ("the chairman of Varna's state power company, Ivo Brandt", "said"),
        ),
        (
            "The head of the Ossel regional council, Mara Venn, said two died.",
            ("The head of the Ossel regional council, Mara Venn", "said"),
        ),
        (
            "A spokesman for the ministry, Ivo Brandt, said it was fake.",
            ("Ivo Brandt", "said"),
        ),  # no named body
        ("It was 30 degrees, the weather service said.", ("the weather service", "said")),
        (
            "According to the district hospital, three people were wounded.",
            ("the district hospital", "According to"),
        ),
        # The main clause's cue wins over one in an opening subordinate clause.
        (
            "When the moderator pointed out the error, the candidate said it was fine.",
            ("the candidate", "said"),
        ),
        ("Fighting continued in the east.", None),
        ("The claims were false.", None),
        ("The monitors believe the tally is low.", None),  # a stance, not speech
    ],
)
def test_find_np(sentence: str, expected: tuple[str, str] | None) -> None:
    assert phrase_and_cue(sentence) == expected


def test_broad_cues_find_stances_too() -> None:
    assert phrase_and_cue("The monitors believe the tally is low.", broad=True) == ("The monitors", "believe")


def test_a_cue_inside_a_quotation_is_not_ours() -> None:
    assert phrase_and_cue("“The army said nothing and did nothing at all.”") is None


@pytest.mark.parametrize(
    ("before", "subject"),
    [
        ("the Varna Defense Ministry said", "the Varna Defense Ministry"),
        ("Officials have also said", "Officials"),  # auxiliaries and adverbs skipped
        ("It was said", None),  # passive: nobody speaks
        ("Jane Roe, 21, a student, said", "Jane Roe"),  # the head of the comma chain
    ],
)
def test_np_before_a_cue(before: str, subject: str | None) -> None:
    cue = before.rindex(" said") + 1
    span = np_before(before, cue)
    assert (before[span[0] : span[1]] if span else None) == subject
