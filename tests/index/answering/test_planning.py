"""A question as a search plan: keyword terms, date intervals, outlets, places (only those the archive
has) and other names, and whether it asks who said something."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from index.answering.planning import QueryPlan, asked_speaker, plan_query, without_title
from index.text.place_names import spelling_key

D = date
OUTLETS = ["Zeltran Voice", "Harbor Wire", "AP"]
MENTIONED = {"Pellin", "Tolvik Regional Hospital", "Drusk", "Deir ez-Zor"}


class Corpus:
    """The store's answers a plan asks for, faked; records what was asked."""

    def __init__(self, mentioned: frozenset[str] = frozenset()) -> None:
        self.years_asked: list[tuple[int, int | None]] = []
        self.mentions_asked: list[str] = []
        self.newest_asked = 0
        self.mentioned = MENTIONED | mentioned  # the archive's terms: MENTIONED and these

    async def years_for(self, month: int, day: int | None) -> list[int]:
        self.years_asked.append((month, day))
        return {(7, 12): [2020], (3, 12): [2025], (3, None): [2025]}.get((month, day), [])

    async def is_mentioned(self, term: str) -> bool:
        self.mentions_asked.append(term)
        return term in self.mentioned

    async def newest(self) -> date:
        self.newest_asked += 1
        return D(2025, 3, 31)

    async def spellings_of(self, key: str) -> list[str]:
        stored = {"Deir ez-Zor": ["Deir ez-Zor", "Dayr az Zawr"], "Ozerin": ["Ozyorin"]}
        return next((v for name, v in stored.items() if spelling_key(name) == key), [])

    async def plan(self, question: str, **options: Any) -> QueryPlan:
        return await plan_query(
            question,
            years_for=self.years_for,
            known_outlets=OUTLETS,
            is_mentioned=self.is_mentioned,
            newest=self.newest,
            spellings_of=self.spellings_of,
            **options,
        )


@pytest.fixture
def corpus() -> Corpus:
    return Corpus()


async def test_a_who_question_with_a_place_and_a_day(corpus: Corpus) -> None:
    plan = await corpus.plan("Who reported casualties in Pellin on March 12?")
    assert plan.who and plan.places == ("Pellin",) and plan.names == ()
    assert plan.intervals == ((D(2025, 3, 12), D(2025, 3, 12)),)  # the year the corpus reports it in
    assert plan.content_words == ("casualties", "pellin")
    # "casualties" is widened to the words reports use; the date words are gone.
    assert {"casualties", "killed", "wounded", "pellin"} <= set(plan.terms)
    assert not {"march", "12", "who", "reported"} & set(plan.terms)
    assert corpus.years_asked == [(3, 12)] and corpus.newest_asked == 0  # no relative period asked


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("who said the bridge fell?", True),
        ("Which outlets confirmed it, and who denied it?", True),
        ("What did the people who fled say?", False),
        ("How many were killed?", False),
    ],
)
async def test_who_questions(corpus: Corpus, question: str, who: bool) -> None:
    assert (await corpus.plan(question)).who is who


async def test_an_outlet_named_in_the_question_filters_and_leaves_the_terms(corpus: Corpus) -> None:
    plan = await corpus.plan("According to the zeltran voice, how many soldiers were killed at Pellin?")
    assert plan.outlets == ("Zeltran Voice",)  # as the corpus spells it
    assert not {"zeltran", "voice"} & set(plan.terms) and "soldiers" in plan.terms
    # Short outlet names are not matched inside words: "AP" is not in "happened".
    assert (await corpus.plan("What happened at the quarry?")).outlets == ()
    # An explicit outlet option wins over the question's.
    assert (await corpus.plan("What did the Zeltran Voice say?", outlet="Harbor Wire")).outlets == (
        "Harbor Wire",
    )


async def test_a_place_the_archive_lacks_is_reported_missing(corpus: Corpus) -> None:
    plan = await corpus.plan("What happened in Narnia?")
    # Not dropped from the filter (answering about other places instead): named as missing.
    assert (plan.places, plan.missing) == ((), ("Narnia",))
    assert "Narnia" in corpus.mentions_asked


async def test_a_place_is_found_in_the_archives_other_spellings(corpus: Corpus) -> None:
    plan = await corpus.plan("What happened in Ozerin?")
    # Not mentioned as asked, but spelled "Ozyorin" in the corpus: a filter on that spelling.
    assert plan.places == ("Ozerin",) and plan.place_spellings == (("Ozerin", ("Ozyorin",)),)
    assert "Ozyorin" in plan.terms
    both = await corpus.plan("What happened in Deir ez-Zor?")  # mentioned as asked, and spelled otherwise
    assert both.place_spellings == (("Deir ez-Zor", ("Deir ez-Zor", "Dayr az Zawr")),)


async def test_adjectives_months_and_titles_are_not_places(corpus: Corpus) -> None:
    plan = await corpus.plan("What did Russian-held Drusk and Kurdish officials in March say of Drusk?")
    assert plan.places == ("Drusk",)
    assert "Russian-held" not in plan.places and "March" not in plan.places
    names = await corpus.plan("What did Governor Alina Korshev write on Telegram?")
    assert names.places == () and names.names == ("Governor", "Alina", "Korshev", "Telegram")


async def test_a_relative_period_is_anchored_on_the_newest_report(corpus: Corpus) -> None:
    plan = await corpus.plan("What happened in Pellin last week?")
    assert plan.intervals == ((D(2025, 3, 24), D(2025, 3, 30)),) and corpus.newest_asked == 1
    assert plan.periods_explained == (
        "last week = 24–30 March 2025, relative to the newest report on 31 March 2025",
    )
    assert "week" not in plan.terms


async def test_dates_the_corpus_has_no_reporting_on_are_unresolved(corpus: Corpus) -> None:
    plan = await corpus.plan("What happened on Feb 3?")
    assert plan.unresolved_dates and plan.intervals == ()


@pytest.mark.parametrize(
    ("question", "since", "until", "intervals", "unresolved"),
    [
        ("shelling", D(2025, 3, 1), None, ((D(2025, 3, 1), D.max),), False),
        ("shelling", None, D(2025, 3, 1), ((D.min, D(2025, 3, 1)),), False),
        # Options narrow the question's own dates...
        ("shelling in March", D(2025, 3, 10), D(2025, 4, 30), ((D(2025, 3, 10), D(2025, 3, 31)),), False),
        # ...and a question date outside them leaves nothing to search.
        ("shelling on March 12", D(2025, 4, 1), None, (), True),
    ],
)
async def test_since_and_until_options(
    corpus: Corpus,
    question: str,
    since: date | None,
    until: date | None,
    intervals: tuple[tuple[date, date], ...],
    unresolved: bool,
) -> None:
    plan = await corpus.plan(question, since=since, until=until)
    assert (plan.intervals, plan.unresolved_dates) == (intervals, unresolved)


async def test_an_empty_question_plans_nothing(corpus: Corpus) -> None:
    plan = await corpus.plan("")
    assert (plan.terms, plan.content_words, plan.intervals, plan.places, plan.names, plan.who) == (
        (), (), (), (), (), False
    )  # fmt: skip


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        # Places and names in -i are no adjectives ("Israeli" is): the archive lacks them, so they're named.
        ("What happened in Chernivtsi during the war?", ("Chernivtsi",)),
        ("How many refugees arrived in Kamianets-Podilskyi?", ("Kamianets-Podilskyi",)),
        # The title is no part of the name the archive must hold ("General" may be written otherwise).
        ("What did General Oleksandr Syrskyi say about Pellin?", ("Oleksandr Syrskyi",)),
    ],
)
async def test_names_ending_like_adjectives_are_required(question: str, missing: tuple[str, ...]) -> None:
    plan = await Corpus().plan(question)
    assert plan.missing == missing


async def test_a_nationality_adjective_is_no_place_and_a_place_after_one_is() -> None:
    plan = await Corpus().plan("Were there Israeli strikes in Drusk?")
    assert plan.places == ("Drusk",) and plan.missing == ()
    held = await Corpus().plan("Were there strikes in Russian-held Pellin?")
    assert held.missing == () and "Pellin" in held.places + held.actors


async def test_the_parties_of_an_each_claim_question_are_not_both_required() -> None:
    plan = await Corpus().plan("What did Pellin and Drusk each claim about the strike?")
    assert plan.places == () and plan.actors == () and plan.missing == ()


# -- the asked speaker, the parties, named events ------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("What did Kremlin spokesman Peskov say about the talks in Pellin?", "Kremlin spokesman Peskov"),
        ("How many homes burned, according to the mayor of Irpin?", "mayor of Irpin"),
        ("What has the governor of Drusk said about the strike?", "governor of Drusk"),
        ("How much damage did Russia say the strike caused?", "Russia"),
        ("What did Russia and Ukraine each claim?", None),  # two speakers, not one
        ("What did you say?", None),
        ("Did it say anything about Pellin?", None),
        ("What happened in Tovuz?", None),
        ("What does each side claim about the strike?", None),  # the sides are no speaker
    ],
)
def test_the_speaker_a_question_asks_for(question: str, speaker: str | None) -> None:
    assert asked_speaker(question) == speaker


@pytest.mark.parametrize(
    ("name", "bare"),
    [
        ("Prime Minister Shmyhal", "Shmyhal"),
        ("Gen. Korshev", "Korshev"),
        ("President Alina Korshev", "Alina Korshev"),
        ("General Staff", "General Staff"),  # a body, not a general
        ("Defense Ministry", "Defense Ministry"),
        ("mayor of Irpin", "mayor of Irpin"),  # no name after the title
        ("Korshev", "Korshev"),
    ],
)
def test_titles_are_no_part_of_a_persons_name(name: str, bare: str) -> None:
    assert without_title(name) == bare


async def test_the_plan_carries_the_asked_speaker_and_not_an_outlet() -> None:
    plan = await Corpus().plan("What did Kremlin spokesman Peskov say about Pellin?")
    assert plan.speaker == "Kremlin spokesman Peskov"
    # "Zeltran Voice" is an outlet to filter on, not someone whose words are asked for.
    outlet = await Corpus().plan("What did the Zeltran Voice say about Pellin?")
    assert outlet.outlets == ("Zeltran Voice",) and outlet.speaker is None


@pytest.mark.parametrize(
    ("question", "parties", "each_side"),
    [
        ("What did Pellin and Drusk each claim about the strike?", ("Pellin", "Drusk"), False),
        ("What do the students and the border guards say?", ("students", "border guards"), False),
        ("What does each side claim about the strike in Pellin?", (), True),
        ("Give both sides' accounts of the shelling.", (), True),
        ("What happened in Pellin?", (), False),
    ],
)
async def test_the_plan_carries_the_parties_or_asks_for_each_side(
    question: str, parties: tuple[str, ...], each_side: bool
) -> None:
    plan = await Corpus().plan(question)
    assert (plan.parties, plan.each_side) == (parties, each_side)


async def test_a_title_is_not_required_with_the_name() -> None:
    # The archive writes "Prime Minister Denys Shmyhal": only the name must be found.
    corpus = Corpus(frozenset({"Shmyhal"}))
    plan = await corpus.plan("What did Prime Minister Shmyhal say about Pellin?")
    assert plan.missing == () and "Shmyhal" in plan.actors
    assert "Prime Minister Shmyhal" not in corpus.mentions_asked


async def test_a_named_event_whose_noun_the_archive_never_uses_is_missing() -> None:
    # The archive names Wagner, but never a mutiny: it has nothing on the event.
    plan = await Corpus(frozenset({"Wagner"})).plan("What happened during the Wagner mutiny?")
    assert "Wagner mutiny" in plan.missing and "Wagner" not in plan.missing
    reported = await Corpus(frozenset({"Wagner", "mutiny"})).plan("What happened during the Wagner mutiny?")
    assert reported.missing == ()


async def test_an_adjective_before_a_noun_names_no_event() -> None:
    corpus = Corpus()
    plan = await corpus.plan("Were there Israeli strikes in Drusk?")
    assert plan.missing == () and "strikes" not in corpus.mentions_asked


async def test_a_name_and_its_verb_are_no_named_event() -> None:
    # "Did Ukraine recapture Pellin?": a subject and its verb; only "the <Name> <noun>" names an event.
    corpus = Corpus(frozenset({"Ukraine"}))
    plan = await corpus.plan("Did Ukraine recapture Pellin?")
    assert not any("recapture" in m for m in plan.missing) and "recapture" not in corpus.mentions_asked


@pytest.mark.parametrize(
    ("question", "counting"),
    [
        ("How many soldiers were killed in Pellin?", True),
        ("How much aid did Zeltra send?", True),
        ("What was the toll in Drusk?", True),
        # How bad, not how many: the sentence that answers needs no figure.
        ("How much damage did the strike on Pellin cause?", False),
    ],
)
async def test_counting_questions_ask_for_a_figure(question: str, counting: bool) -> None:
    assert (await Corpus().plan(question)).counting is counting


def test_a_subject_after_did_is_no_named_event_and_state_is_no_verb() -> None:
    assert asked_speaker("What did Russian state media say?") == "Russian state media"
    assert without_title("Defense Minister") == "Defense Minister"  # titles only: kept


async def test_did_the_name_verb_is_no_named_event() -> None:
    corpus = Corpus(frozenset({"Kremlin"}))
    plan = await corpus.plan("Why did the Kremlin downplay the strike on Pellin?")
    assert not any("downplay" in m for m in plan.missing) and "downplay" not in corpus.mentions_asked
