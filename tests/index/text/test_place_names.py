"""Place-name spelling variants: a question's spelling finds the corpus's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.text.place_names import name_spellings, spelling_key, widen_names


@pytest.mark.parametrize(
    "variants",
    [
        ("Deir ez-Zor", "Deir Ezzor", "Dayr az Zawr", "Deir al-Zor", "Deir El Zor"),
        ("Latakia", "Lattakia", "Al-Lattakia"),
        ("Ras al-Ain", "Ras al Ayn", "Ras Ain"),
    ],
)
def test_transliteration_variants_share_a_key(variants: tuple[str, ...]) -> None:
    keys = {spelling_key(v) for v in variants}
    assert len(keys) == 1 and "" not in keys, keys


def test_different_places_and_short_names() -> None:
    assert spelling_key("Deir ez-Zor") != spelling_key("Daraa")
    assert spelling_key("Latakia") != spelling_key("Tartus")
    assert spelling_key("Bab") == ""  # too short to match safely


def test_names_are_read_whole_and_widened() -> None:
    found = name_spellings("Shelling hit Dayr az Zawr and the port of Lattakia.")
    assert (spelling_key("Deir ez-Zor"), "Dayr az Zawr") in found
    assert (spelling_key("Latakia"), "Lattakia") in found
    assert widen_names(["Deir"], "strikes in Deir ez-Zor?") == ["Deir ez-Zor"]
    assert widen_names(["Drusk"], "officials in Drusk's hospitals") == ["Drusk"]


@pytest.mark.model
@pytest.mark.parametrize(
    "question",
    [
        "Did a drone strike hit a fuel depot in Deir ez-Zor?",
        "Did a drone strike hit a fuel depot in Deir Ezzor?",
    ],
)
async def test_a_question_spelling_finds_the_corpus_spelling(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, question: str, database_url: str | None
) -> None:
    articles = [
        {"id": "dz", "outlet": "Monitor", "published": "2024-02-02",
         "text": "A drone strike hit a fuel depot in Dayr az Zawr on Thursday, a local monitor said."},
        {"id": "lt", "outlet": "Monitor", "published": "2024-02-02",
         "text": "A missile strike hit a warehouse in Lattakia on Thursday, the port authority said."},
    ]  # fmt: skip
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")
    engine = await Engine.open(tmp_path / "data", embedder=embedder, database_url=database_url)
    try:
        await engine.ingest([str(corpus)])
        answer = await engine.ask(question)
        latakia = await engine.ask("Did a missile strike hit a warehouse in Latakia?")
    finally:
        await engine.close()
    assert answer.found and answer.articles_searched == 1
    assert [q.document.id for q in answer.quotes] == ["dz"]
    assert len(answer.filters.places) == 1 and answer.filters.places[0].startswith("Deir")
    assert latakia.articles_searched == 1 and [q.document.id for q in latakia.quotes] == ["lt"]
