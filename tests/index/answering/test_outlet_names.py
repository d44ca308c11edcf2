"""Outlets as people name them: aliases from domains and parentheses, common words only when meant."""

from __future__ import annotations

import pytest

from index.answering.outlet_names import aliases, closest_outlets, find_outlets, resolve_outlet

OUTLETS = [
    "cnn.com",
    "usatoday.com",
    "theweek.com",
    "SANA (Syrian Arab News Agency)",
    "Zeltran Voice",
    "Reuters",
]


def test_aliases_come_from_domains_parentheses_and_a_leading_article() -> None:
    assert aliases("cnn.com") == {"cnncom", "cnn"}
    assert {"sana", "syrianarabnewsagency"} <= aliases("SANA (Syrian Arab News Agency)")
    assert "week" in aliases("The Week") and "theweek" in aliases("theweek.com")


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("How many were killed according to USA Today?", [("usatoday.com", "USA Today")]),
        ("according to usa today, how many died", [("usatoday.com", "usa today")]),
        ("what did cnn report about Kharkiv", [("cnn.com", "cnn")]),
        ("What did SANA say about Aleppo?", [("SANA (Syrian Arab News Agency)", "SANA")]),
        (
            "According to the Syrian Arab News Agency",
            [("SANA (Syrian Arab News Agency)", "Syrian Arab News Agency")],
        ),
        ("The Week reported what?", [("theweek.com", "The Week")]),
        ("What happened in the week after the strike?", []),  # plain words, no outlet
        ("What happened today in Kyiv?", []),
        (
            "Did Zeltran Voice and Reuters agree?",
            [("Zeltran Voice", "Zeltran Voice"), ("Reuters", "Reuters")],
        ),
    ],
)
def test_outlets_are_found_by_the_names_people_use(question: str, named: list[tuple[str, str]]) -> None:
    found = find_outlets(question, OUTLETS)
    assert [(m.outlet, question[m.start : m.end]) for m in found] == named


def test_an_explicit_outlet_option_is_resolved_or_suggested() -> None:
    assert resolve_outlet("CNN", OUTLETS) == "cnn.com"
    assert resolve_outlet("usa today", OUTLETS) == "usatoday.com"
    assert resolve_outlet("Al Jazeera", OUTLETS) is None
    assert closest_outlets("Reuter", OUTLETS) == ["Reuters"]
    assert closest_outlets("Al Jazeera", OUTLETS) == []
