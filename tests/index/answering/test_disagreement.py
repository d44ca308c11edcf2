"""Disagreement: rival figures for the same thing, and denials, put side by side."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from index.answering.disagreement import figures_in, find_disagreements, is_denial
from index.cli.render import format_answer
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.models import Answer, DocumentRef, Quote


def figures(text: str) -> list[tuple[str, str, str]]:
    return [(f.category, f.label, f.subject) for f in figures_in(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "3 soldiers were killed and 5 others were injured.",
            [("killed", "3", "soldiers"), ("wounded", "5", "")],
        ),
        ("no Armenian was killed", [("killed", "no", "Armenian")]),
        (
            "At least 4 Azerbaijani soldiers have been killed",
            [("killed", "At least 4", "Azerbaijani soldiers")],
        ),
        ("Dozens of people were wounded", [("wounded", "Dozens", "people")]),
        ("On July 12 three civilians were killed.", [("killed", "three", "civilians")]),
        ("Forces killed 12 Zeltran soldiers and destroyed a post.", [("killed", "12", "Zeltran soldiers")]),
        (
            "The army destroyed two tanks and shot down 3 drones.",
            [("tanks destroyed", "two", "tanks"), ("drones destroyed", "3", "drones")],
        ),
        ("The death toll rose to 14.", [("killed", "14", "")]),
        ("the Mission can confirm at least seven fatalities", [("killed", "at least seven", "")]),
        ("Talks on July 12 were held.", []),
        # An aside between the count and its verb.
        (
            "At least 40 people, including six children, were killed in the strike.",
            [("killed", "At least 40", "people")],
        ),
    ],
)
def test_figures_are_read_with_number_words_bounds_and_subjects(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert figures(text) == expected


def quote(text: str, speaker: str | None, outlet: str) -> Quote:
    return Quote(text, speaker, 0, len(text), 0.5, DocumentRef(outlet, None, outlet, None, date(2025, 3, 12)))


def test_rival_figures_from_different_claimants_disagree() -> None:
    quotes = [
        quote("Three Orvenian soldiers were killed and five wounded.", "Defence Ministry", "Herald"),
        quote("Eleven Orvenian soldiers were killed, the command said.", "Eastern Command", "Voice"),
        quote("Three Orvenian soldiers were killed, the ministry repeated.", "Defence Ministry", "Herald"),
    ]
    (d,) = find_disagreements(quotes)
    assert d.category == "killed"
    assert [(c.quote, c.claimant, c.figure) for c in d.claims] == [
        (0, "Defence Ministry (Herald)", "Three"),
        (1, "Eastern Command (Voice)", "Eleven"),
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Three soldiers were killed.", "At least two soldiers were killed."),  # compatible figures
        ("3 soldiers were killed.", "no Armenian was killed."),  # maybe not the same people
        ("Two civilians were killed.", "Twelve soldiers were killed."),  # civilians vs soldiers
        ("Seven people were killed.", "At least 18 deaths since March 3 were recorded."),  # a running total
    ],
)
def test_figures_that_can_both_be_true_do_not_disagree(a: str, b: str) -> None:
    assert find_disagreements([quote(a, "A", "X"), quote(b, "B", "Y")]) == ()


def test_one_claimant_updating_its_toll_is_not_a_disagreement() -> None:
    quotes = [
        quote("Three soldiers were killed.", "Ministry", "X"),
        quote("Four soldiers were killed.", "Ministry", "X"),
    ]
    assert find_disagreements(quotes) == ()


def test_a_denial_disputes_what_others_assert() -> None:
    quotes = [
        quote("Two drones were shot down over the city.", "Governor", "X"),
        quote("The ministry denied the reports, calling them disinformation.", "Ministry", "Y"),
    ]
    assert is_denial(quotes[1].text) and not is_denial(quotes[0].text)
    (d,) = find_disagreements(quotes)
    assert d.category == "denial"
    assert [(c.quote, c.figure) for c in d.claims] == [(1, "denies"), (0, "asserts")]


def test_disagreements_are_rendered_and_in_json() -> None:
    quotes = (
        quote("Three Orvenian soldiers were killed.", "Defence Ministry", "Herald"),
        quote("Eleven Orvenian soldiers were killed.", "Eastern Command", "Voice"),
    )
    answer = Answer("q", True, quotes, 2, disagreements=find_disagreements(quotes))
    text = format_answer(answer)
    assert "Sources disagree:" in text
    assert (
        "⚖ killed: Defence Ministry (Herald) says Three (Orvenian soldiers); Eastern Command (Voice) says"
        in text
    )
    data = json.loads(json.dumps(answer.to_dict()))
    assert data["disagreements"][0]["category"] == "killed"
    assert [c["quote"] for c in data["disagreements"][0]["claims"]] == [0, 1]


@pytest.mark.model
async def test_the_engine_puts_rival_tolls_side_by_side(sample_engine: Engine) -> None:
    answer = await sample_engine.ask("who reported casualties in Ozerin on March 20?")
    (d,) = [d for d in answer.disagreements if d.category == "killed"]
    figures_by_claimant = {c.claimant: c.figure for c in d.claims}
    assert figures_by_claimant == {
        "Defence Ministry (Zeltran Voice)": "Two",
        "General Staff (Orvenian National Herald)": "12",
    }
    for c in d.claims:  # each claim points at the quote that states it
        assert c.figure in answer.quotes[c.quote].text


@pytest.mark.model
async def test_the_seed_does_not_pit_azerbaijani_losses_against_armenian_ones(
    seed_article: Path, tmp_path: Path, embedder: SentenceTransformerEmbedder, database_url: str | None
) -> None:
    engine = await Engine.open(tmp_path, embedder=embedder, database_url=database_url)
    try:
        await engine.ingest([str(seed_article)])
        answer = await engine.ask("Who reported casualties on July 12?")
    finally:
        await engine.close()
    assert any("no Armenian was killed" in q.text for q in answer.quotes)
    assert [d for d in answer.disagreements if d.category == "killed"] == []
