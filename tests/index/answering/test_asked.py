"""What a question asks for, as scoring reads it: the asked speaker's share of a quote's speaker."""

from __future__ import annotations

import pytest

from index.answering.asked import speaker_share


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
