"""What a question asks for, as scoring reads it: the asked speaker's share of a quote's speaker."""

from __future__ import annotations

import pytest

from index.answering.asked import speaker_share, stemmed_share, topic_words
from index.answering.planning import QueryPlan


@pytest.mark.parametrize(
    ("asked", "speaker", "share"),
    [
        ("Prime Minister Shmyhal", "Prime Minister Denys Shmyhal", 1.0),
        ("Prime Minister Shmyhal", "Denys Shmyhal", 1.0),  # the title is no part of the name
        ("Russia's defense ministry", "the Russian Defense Ministry", 1.0),
        ("Russian defense ministry", "the Russian Defense Ministry", 1.0),
        ("Kremlin spokesman Peskov", "Dmitry Peskov", pytest.approx(1 / 3)),
        ("Kremlin spokesman Peskov", "US President Joe Biden", 0.0),
        # Another country's ministry of the same name is another speaker.
        ("Zeltran Defence Ministry", "Orvenian Defence Ministry", 0.0),
    ],
)
def test_speaker_share_is_the_share_of_the_asked_speakers_words(
    asked: str, speaker: str, share: float
) -> None:
    assert speaker_share(asked, speaker) == share


def test_a_partys_topic_leaves_out_countries_and_matches_by_stem() -> None:
    words = ("russian", "conscripts", "fighting", "ukraine", "putin", "say", "defense", "ministry")
    plan = QueryPlan("Were Russian conscripts fighting in Ukraine?", words, words, (), (), (), (), False)
    topic = topic_words(plan, ("Putin", "defense ministry"))
    assert topic == ["conscripts", "fighting"]  # every quote of the war says "Russian" and "Ukraine"
    assert stemmed_share("I emphasize that conscript soldiers are not participating.", topic) == 0.5
    assert stemmed_share("The Russian operation aims at the demilitarization of Ukraine.", topic) == 0.0
