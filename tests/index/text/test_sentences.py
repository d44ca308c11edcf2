import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.text.sentences import split_sentences
from tests.conftest import SEED


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("Mr. Smith met Mrs. Jones. They talked.", ["Mr. Smith met Mrs. Jones.", "They talked."]),
        (
            "Dr. Ivanova, Gen. Petrov, Lt. Col. Sidorov, Maj. Orlov, Capt. Kuzmin and Sgt. Popov arrived. Then?",
            [
                "Dr. Ivanova, Gen. Petrov, Lt. Col. Sidorov, Maj. Orlov, Capt. Kuzmin and Sgt. Popov arrived.",
                "Then?",
            ],
        ),
        (
            "Gov. Ross, Sen. Lee and Rep. Diaz spoke. St. Petersburg was quiet.",
            [
                "Gov. Ross, Sen. Lee and Rep. Diaz spoke.",
                "St. Petersburg was quiet.",
            ],
        ),
        (
            "It began on Aug. 11, 2016 and ended Sept. 3. Talks followed.",
            [
                "It began on Aug. 11, 2016 and ended Sept. 3.",
                "Talks followed.",
            ],
        ),
        ("Fighting resumed in Dec. The army withdrew.", ["Fighting resumed in Dec.", "The army withdrew."]),
        (
            "Jan. 5, Feb. 6, Mar. 7, Apr. 8, Oct. 9 and Nov. 10 were quiet.",
            ["Jan. 5, Feb. 6, Mar. 7, Apr. 8, Oct. 9 and Nov. 10 were quiet."],
        ),
        (
            "U.S. and U.K. troops joined U.N. monitors. They left.",
            [
                "U.S. and U.K. troops joined U.N. monitors.",
                "They left.",
            ],
        ),
        (
            "Sanctions were imposed by the U.S. The ministry objected.",
            [
                "Sanctions were imposed by the U.S.",
                "The ministry objected.",
            ],
        ),
        (
            "Weapons, e.g. Grad rockets, i.e. artillery, etc. were used. No more.",
            [
                "Weapons, e.g. Grad rockets, i.e. artillery, etc. were used.",
                "No more.",
            ],
        ),
        (
            "Resolution No. 2334 passed. Russia vs. Ukraine.",
            ["Resolution No. 2334 passed.", "Russia vs. Ukraine."],
        ),
        (
            "J. Smith and A. B. Jones reported it. Nobody else did.",
            [
                "J. Smith and A. B. Jones reported it.",
                "Nobody else did.",
            ],
        ),
        (
            "The front moved 3.5 km. Losses were 2.5 times higher.",
            [
                "The front moved 3.5 km.",
                "Losses were 2.5 times higher.",
            ],
        ),
        (
            "He paused... then went on. Wait… The shelling stopped.",
            [
                "He paused... then went on.",
                "Wait…",
                "The shelling stopped.",
            ],
        ),
        ('"We repelled the attack," the ministry said.', ['"We repelled the attack," the ministry said.']),
        ("“Text,” Stepanyan said. “More text.”", ["“Text,” Stepanyan said.", "“More text.”"]),
        (
            'He said: "We will hold the line." The shelling went on.',
            [
                'He said: "We will hold the line."',
                "The shelling went on.",
            ],
        ),
        (
            '"Are we safe?" she asked. "Fire!" Ivanov shouted. "Run!" The crowd fled.',
            [
                '"Are we safe?" she asked.',
                '"Fire!" Ivanov shouted.',
                '"Run!"',
                "The crowd fled.",
            ],
        ),
        ("“It is over…” he said. ‘Quiet.’ Then more.", ["“It is over…” he said.", "‘Quiet.’", "Then more."]),
        ("The toll rose (it was confirmed.) Then calm.", ["The toll rose (it was confirmed.)", "Then calm."]),
        ("In 2020. 3 soldiers died.", ["In 2020.", "3 soldiers died."]),
        ("He came at 5 p.m. on Monday. He left.", ["He came at 5 p.m. on Monday.", "He left."]),
        (
            "the army attacked on march 3. mr. smith saw it. j. doe did too.",
            [
                "the army attacked on march 3.",
                "mr. smith saw it.",
                "j. doe did too.",
            ],
        ),
        ("Он сказал. Потом ушёл.", ["Он сказал.", "Потом ушёл."]),
        ("我们来了。他们走了！好吗？", ["我们来了。", "他们走了！", "好吗？"]),
        ("... and then they came. It ended.", ["... and then they came.", "It ended."]),
        # An ellipsis inside a quotation that goes on leaves words out; it ends no sentence.
        ("“Pellin is free … This is our day.”", ["“Pellin is free … This is our day.”"]),
        (
            "He said: “We stood ... We will stand.” Then he left.",
            ["He said: “We stood ... We will stand.”", "Then he left."],
        ),
        ("The speech was fiction... Then more.", ["The speech was fiction...", "Then more."]),
    ],
)
def test_sentences_within_a_line(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Heading without punctuation\nFirst sentence. Second one.",
            [
                "Heading without punctuation",
                "First sentence.",
                "Second one.",
            ],
        ),
        (
            "The Azerbaijani Defense Ministry:\n\n“We hold.”",
            ["The Azerbaijani Defense Ministry:", "“We hold.”"],
        ),
        ("A line that ends\nmid-sentence", ["A line that ends", "mid-sentence"]),
        ("Para one.\r\n\r\nPara two.\rPara three.", ["Para one.", "Para two.", "Para three."]),
        ("  indented sentence.  \t\n\n   \n  trailing  ", ["indented sentence.", "trailing"]),
        ("Mr.\nSmith", ["Mr.", "Smith"]),
    ],
)
def test_every_line_break_ends_a_sentence(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n", " \r\n "])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def test_spans_are_offsets_into_the_original_text() -> None:
    text = "  First one.   Second “quoted,” she said.\n\nThird"
    assert split_sentences(text) == [(2, 12), (15, 41), (43, 48)]


def test_seed_article_sentences() -> None:
    if not SEED.exists():
        pytest.skip("../shared is absent")
    text = SEED.read_text(encoding="utf-8")
    found = sentences(text)
    assert (
        "According to it, 3 soldiers were killed and 5 others were injured during the exchange of artillery fire."
        in found
    )
    assert (
        "“For some reason unknown to us, the Azerbaijani armed forces attempted to violate the state border of the"
        " Republic of Armenia in the Tavush direction in an UAZ vehicle,” Stepanyan said."
    ) in found
    assert (
        "“After warning the Armenian side, leaving the UAZ, the enemy troops returned to their positions.”"
        in found
    )
    assert "The Azerbaijani Defense Ministry:" in found
    assert any(
        s.startswith("This time the clashes took place") and "i.e. not in the Nagorno-Karabakh" in s
        for s in found
    )


@given(st.text(alphabet=st.sampled_from(list('ab AB.!?,"“”’…:\n\r\t3e.g')), max_size=200))
def test_spans_are_ordered_non_empty_and_stripped(text: str) -> None:
    last_end = 0
    for start, end in split_sentences(text):
        assert last_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip()
        assert "\n" not in piece and "\r" not in piece
        last_end = end


@given(st.text(max_size=300))
def test_every_non_space_character_is_in_some_sentence(text: str) -> None:
    covered: set[int] = set()
    for start, end in split_sentences(text):
        covered.update(range(start, end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_armenian_and_arabic_terminators_end_sentences() -> None:
    armenian = "Գիշերը կրակ է բացվել գյուղի ուղղությամբ։ Տուժածներ չկան։"
    assert [armenian[a:b] for a, b in split_sentences(armenian)] == [
        "Գիշերը կրակ է բացվել գյուղի ուղղությամբ։",
        "Տուժածներ չկան։",
    ]
    arabic = "هل توقف القصف؟ قال المرصد إن القصف استمر."
    assert [arabic[a:b] for a, b in split_sentences(arabic)] == [
        "هل توقف القصف؟",
        "قال المرصد إن القصف استمر.",
    ]
