"""From a raw article to what is stored: cleaned, dated, chunked (prepare), then claims, chunk days, the
near-copy sketch and name spellings (enrich)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from index.ingest.prepare import content_hash, enrich, prepare
from index.models import RawArticle

TEXT = (
    "TOLVIK, March 14, 2025 — Shelling hit the Pellin grain silo on March 12, the mayor Dana Kell said.\n\n"
    "“We lost two warehouses,” Kell told reporters.   Share this:\n\n"
    "According to the district hospital, three people were wounded on Sunday.\n\n"
    "Subscribe to our newsletter\n"
)
ARTICLE = RawArticle(text=TEXT, title="Silo hit", outlet="Pellin Post")


def test_the_text_is_cleaned_and_every_chunk_is_a_slice_of_it() -> None:
    p = prepare(ARTICLE, None)
    assert p is not None
    assert "Subscribe to our newsletter" not in p.text  # boilerplate line dropped
    assert p.text.startswith("TOLVIK, March 14, 2025 —") and p.text == p.text.strip()
    assert p.chunks and all(p.text[c.start : c.end] == c.text for c in p.chunks)
    assert [c.seq for c in p.chunks] == list(range(len(p.chunks)))
    assert all(c.article_id == p.id for c in p.chunks)
    assert p.language == "en"


def test_a_dateline_dates_an_undated_article() -> None:
    p = prepare(ARTICLE, None)
    assert p is not None
    assert (p.raw.published, p.published_from) == (date(2025, 3, 14), "dateline")
    # A year-less date in the text takes the article's year.
    assert (2025, 3, 12) in p.mentioned_dates and (2025, 3, 14) in p.mentioned_dates


def test_a_given_date_wins_over_the_dateline() -> None:
    p = prepare(replace(ARTICLE, published=date(2025, 3, 15)), "given")
    assert p is not None
    assert (p.raw.published, p.published_from) == (date(2025, 3, 15), "given")


def test_without_any_date_it_stays_undated() -> None:
    p = prepare(RawArticle(text="Shelling hit the silo, the mayor said."), "feed")
    assert p is not None
    assert (p.raw.published, p.published_from, p.mentioned_dates) == (None, None, ())


@pytest.mark.parametrize("text", ["", "  \n\t ", "Subscribe to our newsletter\nShare this:\n"])
def test_nothing_left_after_cleaning_is_none(text: str) -> None:
    assert prepare(RawArticle(text=text), None) is None


def test_the_id_is_given_or_derived_from_the_content_hash() -> None:
    p = prepare(ARTICLE, None)
    assert p is not None
    assert p.content_hash == content_hash(p.text, "Pellin Post")
    assert p.id == f"a-{p.content_hash[:12]}"
    given = prepare(replace(ARTICLE, id="wire-7"), None)
    assert given is not None and given.id == "wire-7" and all(c.article_id == "wire-7" for c in given.chunks)


def test_the_content_hash_is_stable_and_tells_outlets_apart() -> None:
    text = "Shelling hit the silo, the mayor said."
    assert content_hash(text, "Pellin Post") == content_hash(text, "Pellin Post")
    assert content_hash(text, "Pellin Post") == content_hash(text, "  pellin post ")  # case and spaces
    # The same wire story from a second outlet is another article: users see who carried it.
    assert content_hash(text, "Pellin Post") != content_hash(text, "Harbor Wire")
    assert content_hash(text, None) == content_hash(text, "")
    assert content_hash(text, None) != content_hash(text + " ", None)  # the words as stored, exactly
    assert len(content_hash(text, None)) == 64
    # Cleaning first: the same story with and without boilerplate is one article.
    a = prepare(RawArticle(text=text, outlet="Pellin Post"), None)
    b = prepare(RawArticle(text=text + "\n\nShare this:\n", outlet="Pellin Post"), None)
    assert a is not None and b is not None and a.content_hash == b.content_hash


def test_enrich_adds_claims_chunk_days_sketch_and_names() -> None:
    p = prepare(ARTICLE, None)
    assert p is not None
    e = enrich(p)
    assert e.prepared is p
    assert [(c.speaker, c.cue) for c in e.claims] == [
        ("mayor Dana Kell", "said"),
        ("mayor Dana Kell", "told"),
        ("district hospital", "According to"),
    ]
    assert all(p.text[c.start : c.end] == c.text for c in e.claims)
    assert len(e.chunk_days) == len(p.chunks)  # one tuple of days per chunk
    days = {d for chunk in e.chunk_days for d in chunk}
    assert date(2025, 3, 12) in days  # "on March 12" in the 2025 article
    assert date(2025, 3, 9) in days  # "on Sunday": the Sunday before March 14, 2025
    assert e.sketch and list(e.sketch) == sorted(e.sketch)
    assert ("dnkl", "Dana Kell") in e.names and any(spelling == "Pellin" for _, spelling in e.names)
