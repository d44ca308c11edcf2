"""What ends an answer before ranking: questions that can't be searched, and constraints the archive
lacks, each with a note that names what is missing."""

from __future__ import annotations

from datetime import date

import pytest

from index.answering.coverage import (
    MAX_QUESTION_CHARS,
    language_hint,
    missing_note,
    no_match_note,
    question_problem,
)
from index.answering.planning import QueryPlan

D = date


def plan(**fields: object) -> QueryPlan:
    base: dict[str, object] = dict(
        question="q", terms=(), content_words=(), intervals=(), outlets=(), places=(), names=(), who=False
    )
    return QueryPlan(**{**base, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * (MAX_QUESTION_CHARS + 1), "characters long"),
        ("🔥🔥🔥 !!!", "no words"),
        ("and what did they say about that afterwards?", "refer to"),
        ("what about it?", "refer to"),
        ("what was it", "refer to"),
        # Follow-ups whose every other word is generic: the subject was in an earlier question.
        ("And how many were killed there?", "“there” refer to"),
        ("Did they confirm it later?", "refer to"),
        ("Tell me more about that attack.", "“that” refer to"),
        ("And what happened the day after?", "“the day after” refer to"),
        ("What did the other side say about it?", "“the other side” refer to"),
    ],
)
def test_questions_that_cannot_be_searched_get_a_note(question: str, says: str) -> None:
    note = question_problem(question)
    assert note is not None and says in note


@pytest.mark.parametrize(
    "question",
    [
        "Who reported casualties on July 12?",
        "What did the Armenian Ministry of Defense say?",
        "Kharkiv shelling",
        "Wagner",
        # A pointer word beside a subject of its own is no follow-up.
        "What did they say about the grain deal?",
        "What did Russia say after that?",
        "How many were killed in 2022 after that?",
    ],
)
def test_ordinary_questions_go_on(question: str) -> None:
    assert question_problem(question) is None


@pytest.mark.parametrize("question", ["Что сказало министерство обороны Армении?", "ما هي الخسائر في حلب؟"])
def test_another_language_is_searched_and_an_empty_answer_says_why(question: str) -> None:
    # Keyword search finds the archive's own words in any script: not refused, but explained.
    assert question_problem(question) is None
    assert "English-only" in language_hint(question)
    assert language_hint("Who reported casualties in Pellin?") == ""


def test_a_place_or_name_the_archive_lacks_is_named() -> None:
    assert missing_note(
        plan(missing=("Aleppo",)), known_outlets=[], outlet=None, oldest=None, newest=None
    ) == ("Nothing in the archive mentions Aleppo.")
    note = missing_note(
        plan(missing=("Aleppo", "Prigozhin")), known_outlets=[], outlet=None, oldest=None, newest=None
    )
    assert note == "Nothing in the archive mentions Aleppo or Prigozhin."


def test_an_outlet_the_archive_lacks_is_named_with_the_nearest() -> None:
    note = missing_note(
        plan(outlets=("Reuter",)),
        known_outlets=["Reuters", "cnn.com"],
        outlet="Reuter",
        oldest=None,
        newest=None,
    )
    assert note == "No article in the archive is from Reuter. Did you mean Reuters?"
    assert (
        missing_note(
            plan(outlets=("cnn.com",)), known_outlets=["cnn.com"], outlet="CNN", oldest=None, newest=None
        )
        is None
    )


def test_dates_after_the_archive_say_where_it_ends() -> None:
    covered = {"oldest": D(2022, 2, 24), "newest": D(2022, 12, 31)}
    after = plan(intervals=((D(2023, 6, 6), D(2023, 6, 6)),))
    assert missing_note(after, known_outlets=[], outlet=None, **covered) == (
        "The archive's reporting ends on 31 December 2022, before the date(s) in the question."
    )
    # Reporting speaks of earlier days (2014's protests in 2022 articles): the article count decides.
    before = plan(intervals=((D(2014, 2, 18), D(2014, 2, 20)),))
    assert missing_note(before, known_outlets=[], outlet=None, **covered) is None
    within = plan(intervals=((D(2022, 3, 16), D(2022, 3, 16)),))
    assert missing_note(within, known_outlets=[], outlet=None, **covered) is None
    unresolved = plan(unresolved_dates=True)
    assert "no reporting on or about the date(s)" in (
        missing_note(unresolved, known_outlets=[], outlet=None, **covered) or ""
    )
    # Undated articles may still speak of a day: no publication dates decide nothing.
    assert missing_note(within, known_outlets=[], outlet=None, oldest=None, newest=None) is None


def test_constraints_that_exist_apart_but_not_together() -> None:
    note = no_match_note(plan(places=("Tovuz",), intervals=((D(2023, 7, 12), D(2023, 7, 12)),)))
    assert note == "No article in the archive mentions Tovuz and is dated or speaks of a day on 12 July 2023."
