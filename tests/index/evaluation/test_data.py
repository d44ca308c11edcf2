"""The evaluation's data helpers: JSONL in and out, answer matching, normalised gold text, even slices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.evaluation.data import GoldDoc, answer_pattern, gold_docs, norm, read_jsonl, spread, write_articles


def test_articles_are_written_in_the_ingest_schema_without_empty_ones(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    records = [
        {"id": "1", "title": "T", "text": "Shelling hit Pellin.", "outlet": "O", "url": "u", "published": "2020-07-12", "extra": 1},
        {"id": "2", "text": "   "},
        {"id": "3", "text": "Ставка: обстрел."},
    ]  # fmt: skip
    assert write_articles(records, path) == 2
    back = read_jsonl(path)
    assert back == [
        {
            "id": "1",
            "title": "T",
            "text": "Shelling hit Pellin.",
            "outlet": "O",
            "url": "u",
            "published": "2020-07-12",
        },
        {
            "id": "3",
            "title": None,
            "text": "Ставка: обстрел.",
            "outlet": None,
            "url": None,
            "published": None,
        },
    ]
    assert "Ставка" in path.read_text(encoding="utf-8")  # written as UTF-8, not escaped


def test_read_jsonl_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"a": 1}) + "\n\n  \n" + json.dumps({"a": 2}) + "\n", encoding="utf-8")
    assert read_jsonl(path) == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize(
    ("answer", "text", "found"),
    [
        ("Kyiv", "Shelling in KYIV overnight", True),
        ("Kyiv", "the Kyivan suburbs", False),  # not inside a longer word
        ("12", "12 soldiers", True),
        ("12", "120 soldiers", False),  # nor a longer number
        ("U.S.", "the u.s. embassy", True),  # punctuation taken literally
        (" 3 ", "3 killed", True),  # the answer's spaces trimmed
    ],
)
def test_answer_pattern(answer: str, text: str, found: bool) -> None:
    assert bool(answer_pattern(answer).search(text)) is found


def test_norm_keeps_lowercase_letters_and_digits() -> None:
    assert norm("  Café\u00a0– “Quoted”\nText 12 ") == "cafequotedtext12"
    assert norm("") == ""


def test_gold_docs_locate_quotes_among_labelled_sentences() -> None:
    sentences = [
        {"doc_id": 7, "sent_id": 1, "text": "Police fired tear gas."},
        {"doc_id": 7, "sent_id": 0, "text": "Protesters gathered at noon."},
        {"doc_id": 7, "sent_id": 2, "text": "Two were hurt, officials said."},
        {"doc_id": 8, "sent_id": 0, "text": "Not wanted."},
    ]
    docs = gold_docs(sentences, {7})
    assert list(docs) == [7]
    doc = docs[7]
    assert doc.text == "protestersgatheredatnoonpolicefiredteargastwowerehurtofficialssaid"
    assert doc.overlapping("Police fired tear gas. Two were hurt") == {1, 2}
    assert doc.overlapping("“Police fired tear gas,”") == {1}  # punctuation and case don't matter
    assert doc.overlapping("Something else entirely.") is None
    assert doc.overlapping("") is None
    assert GoldDoc("", {}).overlapping("x") is None


@pytest.mark.parametrize(
    ("items", "n", "picked"),
    [
        (list(range(10)), 3, [0, 3, 6]),
        (list(range(10)), 10, list(range(10))),
        (list(range(3)), 5, [0, 1, 2]),
        ([1, 2, 3], None, [1, 2, 3]),
        ([], 2, []),
    ],
)
def test_spread(items: list[int], n: int | None, picked: list[int]) -> None:
    assert spread(items, n) == picked
