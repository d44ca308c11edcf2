"""From candidate sentences to quotes: windows of one or two sentences, scoring, the relevance floor,
variety across articles and claimants, copies merged and cited from the earliest, verification."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from index.answering.planning import QueryPlan
from index.answering.quotes import (
    MAX_PER_ARTICLE,
    MAX_PER_SPEAKER,
    MIN_SIMILARITY,
    MIN_SIMILARITY_WITH_KEYWORDS,
    Candidate,
    is_heading,
    relevant,
    select_quotes,
    sentence_windows,
    verify,
)
from index.answering.scoring import score
from index.models import Article

PLAN = QueryPlan(
    question="How many were killed in Pellin?",
    terms=("killed", "pellin"),
    content_words=("killed", "pellin"),
    intervals=(),
    outlets=(),
    places=(),
    names=(),
    who=False,
)


def article(text: str, id: str = "a1", outlet: str | None = "Wire", published: date | None = None) -> Article:
    return Article(
        id=id,
        title=None,
        outlet=outlet,
        url=None,
        published=published,
        published_from=None,
        language="en",
        ingested_at="2025-01-01T00:00:00+00:00",
        text=text,
        source_id=1,
        scope="global",
    )


def candidate(
    text: str,
    similarity: float,
    *,
    speaker: str | None = None,
    art: Article | None = None,
    rank: int = 0,
) -> Candidate:
    """A candidate for the whole of ``text`` (its own article, and outlet, unless ``art`` holds it)."""
    own = f"a-{abs(hash(text)) % 10**8}"
    a = art or article(text, id=own, outlet=f"Outlet {own}")
    start = a.text.index(text)
    return Candidate(a, start, start + len(text), speaker, similarity, rank)


# -- sentence windows ---------------------------------------------------------------------------------


def spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` split after '. ' and at line breaks (a stand-in for the splitter)."""
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch == "\n" or (ch in ".:" and text[i + 1 : i + 2] in (" ", "\n", "")):
            end = i + (ch != "\n")
            if text[start:end].strip():
                out.append((start, end))
            start = i + 1
    if text[start:].strip():
        out.append((start, len(text)))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in out]


def test_a_long_sentence_is_quoted_alone() -> None:
    text = "Artillery fire struck the river port of Kalvo early on Tuesday, damaging two warehouses. Next one follows here."
    sentences = spans(text)
    assert sentence_windows(text, sentences, 0, 1) == [(0, sentences[0][1], 0)]


def test_a_short_sentence_is_joined_with_the_next_in_its_paragraph() -> None:
    text = (
        "He was clear. Four dock workers were wounded and taken to the district hospital, he said.\n\nShort."
    )
    sentences = spans(text)
    windows = sentence_windows(text, sentences, 0, len(sentences))
    assert [text[s:e] for s, e, _ in windows] == [
        "He was clear. Four dock workers were wounded and taken to the district hospital, he said.",
        "Four dock workers were wounded and taken to the district hospital, he said.",
        "Short.",  # the last: nothing to join
    ]
    assert [i for _, _, i in windows] == [0, 1, 2]


def test_a_short_paragraph_end_is_not_joined_across_paragraphs_but_a_colon_is() -> None:
    text = (
        "Quiet night.\nThe next paragraph says something else entirely, officials said.\nHe said:\n“We held.”"
    )
    sentences = spans(text)
    windows = {text[s:e] for s, e, _ in sentence_windows(text, sentences, 0, len(sentences))}
    assert "Quiet night." in windows  # alone: the next sentence is another paragraph
    assert "He said:\n“We held.”" in windows  # what a colon introduces comes with it


def test_windows_stay_within_the_requested_sentences() -> None:
    text = "One. Two. Three."
    sentences = spans(text)
    assert [i for _, _, i in sentence_windows(text, sentences, 1, 99)] == [1, 2]
    assert sentence_windows(text, sentences, 3, 5) == []


# -- relevance ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "similarity", "expected"),
    [
        ("Anything at all about the weather.", MIN_SIMILARITY, True),
        ("Anything at all about the weather.", MIN_SIMILARITY - 0.01, False),
        ("Two were killed in Pellin overnight.", MIN_SIMILARITY_WITH_KEYWORDS, True),  # most words shared
        ("Two were killed overnight.", MIN_SIMILARITY - 0.01, True),  # half the words is enough
        ("Two were killed in Pellin overnight.", MIN_SIMILARITY_WITH_KEYWORDS - 0.01, False),
    ],
)
def test_relevance_floor(text: str, similarity: float, expected: bool) -> None:
    assert relevant(candidate(text, similarity), PLAN) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Is the mayor playing into the army's hands?", False),  # a question asserts nothing
        ("“Is the bridge still standing?”", False),
        ("He asked “why?” and the mayor said the bridge was closed.", True),
    ],
)
def test_a_question_is_not_relevant(text: str, expected: bool) -> None:
    assert relevant(candidate(text, 0.9), PLAN) is expected


def test_a_question_about_the_wounded_prefers_the_count_of_the_wounded() -> None:
    plan = replace(
        PLAN,
        question="How many were wounded at the Pellin market?",
        content_words=("wounded", "pellin", "market"),
    )
    # Each shares two of the three words: only the kind of count tells them apart.
    wounded = candidate("98 were wounded in Pellin.", 0.5)
    killed = candidate("50 were killed at the Pellin market.", 0.5)
    assert score(wounded, plan) > score(killed, plan)
    assert [q.text for q, _ in select_quotes([killed, wounded], plan, k=2)] == [wounded.text, killed.text]


# -- choosing quotes ---------------------------------------------------------------------------------------


def test_nothing_relevant_is_no_quote() -> None:
    assert select_quotes([candidate("The weather was fine.", 0.1)], PLAN, k=5) == []


def test_best_first_at_most_k() -> None:
    cands = [
        candidate(f"Report {n}: {n} people were killed in Pellin, officials said.", 0.5 + n / 100)
        for n in range(6)
    ]
    chosen = select_quotes(cands, PLAN, k=3)
    assert [q.text for q, _ in chosen] == [cands[n].text for n in (5, 4, 3)]
    assert [q.score for q, _ in chosen] == sorted((q.score for q, _ in chosen), reverse=True)


def test_one_article_and_one_speaker_do_not_fill_the_answer() -> None:
    sentences = [f"Sentence {n}: {n + 2} people were killed in Pellin, the mayor said." for n in range(6)]
    one = article(" ".join(sentences), id="long")
    cands = [candidate(s, 0.9 - n / 100, art=one) for n, s in enumerate(sentences)]
    others = [
        candidate(f"Elsewhere {n}: soldiers were killed near Pellin, a medic said.", 0.8) for n in range(3)
    ]
    chosen = select_quotes([*cands, *others], PLAN, k=5)
    assert sum(a.id == "long" for _, a in chosen) == MAX_PER_ARTICLE
    speaking = [
        candidate(f"Claim {n}: {n} were killed in Pellin.", 0.9, speaker="the army") for n in range(6)
    ]
    chosen = select_quotes([*speaking, *others], PLAN, k=6)
    assert sum(q.speaker == "the army" for q, _ in chosen) == MAX_PER_SPEAKER


def test_few_sources_may_speak_at_more_length() -> None:
    sentences = [f"Sentence {n}: {n + 2} people were killed in Pellin, the mayor said." for n in range(5)]
    one = article(" ".join(sentences), id="only")
    chosen = select_quotes([candidate(s, 0.9, art=one) for s in sentences], PLAN, k=4)
    assert len(chosen) == 4 > MAX_PER_ARTICLE  # the only article that says anything


def test_overlapping_windows_of_one_article_are_not_both_quoted() -> None:
    text = "Four were killed in Pellin. Two more died in hospital, doctors said."
    a = article(text)
    both = Candidate(a, 0, len(text), None, 0.9)
    first = Candidate(a, 0, text.index(" Two"), None, 0.85)
    chosen = select_quotes([both, first], PLAN, k=5)
    assert [(q.start, q.end) for q, _ in chosen] == [(0, len(text))]


def test_filler_far_below_the_best_is_dropped() -> None:
    best = candidate("Nine people were killed in Pellin overnight, officials said.", 0.95)
    filler = candidate("Pellin is a town with an old bridge, officials said.", MIN_SIMILARITY)
    assert [q.text for q, _ in select_quotes([best, filler], PLAN, k=5)] == [best.text]


def test_republished_words_are_quoted_once_from_the_earliest_copy() -> None:
    words = "Four people were killed in Pellin overnight, the governor said."
    late = article("Wire copy. " + words, id="late", outlet="Paper B", published=date(2025, 3, 14))
    early = article(words + " More.", id="early", outlet="Wire A", published=date(2025, 3, 12))
    undated = article(words, id="undated", outlet="Paper C")
    chosen = select_quotes(
        [
            candidate(words, 0.9, art=late),
            candidate(words, 0.8, art=early),
            candidate(words, 0.7, art=undated),
        ],
        PLAN,
        k=5,
    )
    [(quote, cited)] = chosen
    assert cited.id == "early" and quote.document.outlet == "Wire A" and quote.start == 0
    assert [d.id for d in quote.also_in] == ["late", "undated"]
    assert quote.score == pytest.approx(score(candidate(words, 0.9, art=late), PLAN))  # the best copy's score


def test_near_copies_merge_only_within_a_near_duplicate_group() -> None:
    a_text = "Four dock workers were wounded and taken to hospital, the governor said."
    b_text = "Four dock workers were wounded and then taken to hospital, the governor said."
    a, b = article(a_text, id="a"), article(b_text, id="b")
    cands = [candidate(a_text, 0.9, art=a), candidate(b_text, 0.85, art=b)]
    assert len(select_quotes(cands, PLAN, k=5)) == 2  # lightly different words, not known copies
    grouped = select_quotes(cands, PLAN, k=5, groups={("global", "a"): 1, ("global", "b"): 1})
    assert [(q.document.id, [d.id for d in q.also_in]) for q, _ in grouped] == [("a", ["b"])]


def test_who_questions_put_each_claimant_first_then_group_them() -> None:
    who = replace(PLAN, who=True)
    army = [
        candidate(f"Army {n}: {n + 3} were killed in Pellin.", 0.9 - n / 100, speaker="the army")
        for n in range(3)
    ]
    medic = candidate("Medics counted 11 killed in Pellin.", 0.6, speaker="a medic")
    chosen = select_quotes([*army, medic], who, k=3)
    assert [q.speaker for q, _ in chosen] == [
        "the army",
        "the army",
        "a medic",
    ]  # the medic is not crowded out
    without = select_quotes([*army, medic], PLAN, k=3)
    assert [q.speaker for q, _ in without] == ["the army"] * 3


def test_each_party_is_quoted_and_its_pick_comes_first() -> None:
    plan = replace(PLAN, question="What did Russia and Ukraine each claim about Pellin?")
    russia = [
        candidate(f"Claim {n}: {n + 2} were killed in Pellin.", 0.9 - n / 100, speaker=s)
        for n, s in enumerate(["the Russian Defense Ministry", "Kremlin spokesman Dmitry Peskov", "Moscow"])
    ]
    ukraine = candidate("Nobody was killed in Pellin.", 0.6, speaker="Ukraine's General Staff")
    without = select_quotes([*russia, ukraine], plan, k=3)
    assert ukraine.text not in [q.text for q, _ in without]  # outranked by Russia's three
    chosen = select_quotes([*russia, ukraine], plan, k=3, parties=("Russia", "Ukraine"))
    # Each party's pick first, though Russia's second quote outscores Ukraine's.
    assert [q.text for q, _ in chosen] == [russia[0].text, ukraine.text, russia[1].text]


def test_copies_differing_only_in_quotation_marks_are_merged() -> None:
    curly = "“We held the line in Pellin,” the commander said of the killed."
    straight = '"We held the line in Pellin," the commander said of the killed.'
    cands = [
        candidate(curly, 0.9, art=article(curly, id="curly", outlet="Wire A")),
        candidate(straight, 0.8, art=article(straight, id="straight", outlet="Paper B")),
    ]
    [(quote, cited)] = select_quotes(cands, PLAN, k=5)
    assert cited.id == "curly" and [d.id for d in quote.also_in] == ["straight"]


def test_verify_keeps_only_quotes_verbatim_at_their_offsets(caplog: pytest.LogCaptureFixture) -> None:
    text = "Four were killed in Pellin. Two more died in hospital."
    a = article(text)
    good = select_quotes([Candidate(a, 0, 27, None, 0.9)], PLAN, k=1)[0][0]
    moved = replace(good, start=1, end=28)
    edited = replace(good, text="Five were killed in Pellin.")
    blank = replace(good, text="", start=0, end=0)
    assert verify([(good, a), (moved, a), (edited, a), (blank, a)]) == [good]
    assert caplog.text.count("not verbatim in article a1") == 3


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("Referendums announced\nRussia said 12 were killed.", True),  # a section head on its own line
        ("Russia's losses mount\nBody.", True),
        ("Russia said 12 were killed.\nBody.", False),  # a sentence
        ("“We held the line,” the ministry said\nBody.", False),  # someone's words, no full stop
        ("Body text. Referendums announced\nNext.", False),  # the end of a paragraph, not a line of its own
        # A live blog's headline, in the present tense.
        ("Drone strike on depot may have been a mistake, Zeltran says\nBody.", True),
        ("Drone strike on depot may have been a mistake, Zeltran said\nBody.", False),
        ("Drone strike on depot was “a mistake,” Zeltran says\nBody.", False),
        # A headline with the page's tag: the seed's title was quoted as a claim.
        ("At Least 4 Soldiers Killed In Border Clashes (Video)\nBody.", True),
        ("Four soldiers were killed in the clashes (Video).\nBody.", False),
    ],
)
def test_a_heading_is_a_short_line_of_its_own_not_closed_like_a_sentence(text: str, heading: bool) -> None:
    first_line_end = text.index("\n")
    start = 11 if text.startswith("Body text.") else 0
    assert is_heading(text, start, first_line_end) is heading


def test_a_line_closed_by_another_scripts_full_stop_is_no_heading() -> None:
    text = "Ստեփանակերտում հրետակոծություն է եղել, հայտնել է Արա Մելքոնյանը։\nԵրկու տուն այրվել է։"
    assert not is_heading(text, 0, text.index("\n"))


def test_party_picks_keep_to_k() -> None:
    plan = replace(PLAN, question="What did Russia and Ukraine each claim about Pellin?")
    quotes = [
        candidate("Two were killed in Pellin.", 0.9, speaker="the Russian Defense Ministry"),
        candidate("Three were killed in Pellin.", 0.8, speaker="Kremlin spokesman Dmitry Peskov"),
        candidate("Nobody was killed in Pellin.", 0.7, speaker="Ukraine's General Staff"),
        candidate("Nobody died in Pellin.", 0.6, speaker="Ukraine's Defense Ministry"),
    ]
    # "At most k quotes" holds for "each claim" questions too.
    assert len(select_quotes(quotes, plan, k=1, parties=("Russia", "Ukraine"))) == 1
    assert len(select_quotes(quotes, plan, k=2, parties=("Russia", "Ukraine"))) == 2
