"""Scoring a candidate: similarity plus the evidence a reader looks for (asked words, title, speaker,
figure, counted nouns, cause, days)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from index.answering.answer_shapes import counted_words
from index.answering.quotes import Candidate
from index.answering.scoring import COUNTED, NO_COUNT, REASON_GIVEN, score
from tests.index.answering.test_quotes import PLAN, article, candidate


def test_evidence_raises_the_score_and_headings_lower_it() -> None:
    base = score(candidate("A ship was seen near the coast of the city today.", 0.5), PLAN)
    words = score(candidate("A ship was seen near Pellin where people were killed.", 0.5), PLAN)
    figure = score(candidate("Four people were killed near Pellin, officials counted.", 0.5), PLAN)
    spoken = score(
        candidate("A ship was seen near the coast of the city today.", 0.5, speaker="the mayor"), PLAN
    )
    heading = score(candidate("Killed in Pellin:", 0.5), PLAN)
    ranked_low = score(candidate("A ship was seen near the coast of the city today.", 0.5, rank=20), PLAN)
    assert heading < ranked_low < base < spoken < words < figure
    assert figure - words == pytest.approx(0.08)  # a casualty question is answered by a figure


def test_a_date_in_the_plan_favours_that_days_reports() -> None:
    dated = replace(PLAN, intervals=((date(2025, 3, 12), date(2025, 3, 12)),))
    text = "Shells hit the port of the city, the mayor told reporters."
    undated = score(candidate(text, 0.5), dated)
    published = score(candidate(text, 0.5, art=article(text, published=date(2025, 3, 12))), dated)
    stated = "On March 12 shells hit the port of the city, the mayor told reporters."
    says_it = score(candidate(stated, 0.5, art=article(stated, published=date(2025, 3, 20))), dated)
    assert published - undated == pytest.approx(0.04) and says_it - undated == pytest.approx(0.04)


def test_the_asked_speakers_words_rank_above_words_about_the_speaker() -> None:
    # "What did Peskov say about Biden": Peskov's words, not Biden's words about Peskov.
    plan = replace(
        PLAN,
        question="What did Kremlin spokesman Peskov say about Biden?",
        content_words=("kremlin", "spokesman", "peskov", "biden"),
        speaker="Kremlin spokesman Peskov",
    )
    own = candidate("Biden's remarks were unhelpful.", 0.5, speaker="Kremlin spokesman Dmitry Peskov")
    about = candidate("The Kremlin spokesman Peskov misled the public.", 0.5, speaker="President Joe Biden")
    assert score(own, plan) > score(about, plan)


def titled(text: str, title: str, id: str) -> Candidate:
    a = replace(article(text, id=id, outlet=f"Outlet {id}"), title=title)
    return candidate(text, 0.5, speaker="Kremlin spokesman Dmitry Peskov", art=a)


def test_a_quote_from_an_article_about_the_question_ranks_above_the_same_speaker_elsewhere() -> None:
    # "Biden's remarks were unacceptable" refers to what its article's title names.
    plan = replace(
        PLAN,
        question="What did Peskov say about Biden calling Putin a war criminal?",
        content_words=("peskov", "biden", "calling", "putin", "war", "criminal"),
        speaker="Peskov",
    )
    on_it = titled(
        "Biden's remarks were unacceptable.", "Biden on Putin: 'I think he is a war criminal'", "a1"
    )
    elsewhere = titled("Biden's remarks were unacceptable.", "Biden says Putin cannot stay", "a2")
    untitled = candidate("Biden's remarks were unacceptable.", 0.5, speaker="Kremlin spokesman Dmitry Peskov")
    assert score(on_it, plan) > score(elsewhere, plan) > score(untitled, plan)


def test_a_why_question_ranks_a_sentence_giving_a_cause_up() -> None:
    plan = replace(
        PLAN,
        question="Why did the army leave Pellin?",
        content_words=("army", "leave", "pellin"),
        reason=True,
    )
    cause = score(candidate("The army left Pellin because the dead would only grow.", 0.5), plan)
    event = score(candidate("The army left Pellin after months of fighting for it.", 0.5), plan)
    assert cause - event == pytest.approx(REASON_GIVEN)
    assert score(candidate("The army left Pellin because of it.", 0.5), replace(plan, reason=False)) == (
        pytest.approx(
            score(candidate("The army left Pellin after all of it.", 0.5), replace(plan, reason=False))
        )
    )


def test_what_a_count_counts_ranks_up() -> None:
    # "How much damage": "minor damage to a minesweeper", not "the attack involved nine drones".
    plan = replace(
        PLAN,
        question="How much damage did the ministry say the drone attack caused?",
        content_words=("damage", "drone", "attack"),
        counted=("damage",),
    )
    damage = score(candidate("There was only minor damage to a minesweeper.", 0.5), plan)
    drones = score(candidate("There was only a minesweeper near the ships.", 0.5), plan)
    assert damage - drones == pytest.approx(COUNTED + 0.12 / 3)  # the counted word and one asked word


def test_a_toll_question_ranks_a_sentence_without_a_count_down() -> None:
    # "The attack took place in Chaplyne, a town of about 3,500 people" answers nothing about the dead.
    plan = replace(PLAN, counting=True)
    place = score(candidate("The attack took place in Pellin, a town of about 3,500 people.", 0.5), plan)
    uncounted = score(
        candidate("The attack took place in Pellin, a town by the river.", 0.5), replace(plan, counting=False)
    )
    assert uncounted - place == pytest.approx(NO_COUNT)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many Ukrainian athletes and coaches have been killed in the war?", ("athletes", "coaches")),
        ("How much damage did Russia say the drone attack on Sevastopol caused?", ("damage",)),
        ("What did Elon Musk say about how many Starlink terminals in Ukraine pay?", ("terminals",)),
        ("How many Russians are against the war?", ("russians",)),
        ("How many wounded were taken to hospital?", ("wounded",)),
        ("How many people died in Kremenchuk?", ()),  # any casualty count counts people
        ("How many were killed there?", ()),
        ("Who reported casualties in Pellin?", ()),
    ],
)
def test_counted_words(question: str, expected: tuple[str, ...]) -> None:
    assert counted_words(question) == expected
