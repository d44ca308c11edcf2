"""The records passed to callers: the JSON shapes of ``sitrep ask --json``, the ingest summary line,
and which days a quote speaks of besides its publication day."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from index.models import (
    Answer,
    Claim,
    Disagreement,
    DisputedClaim,
    DocumentRef,
    Failure,
    IngestReport,
    QueryFilters,
    Quote,
)

DOC = DocumentRef(
    id="ov-016", title="Toll rises", outlet="Zeltran Voice", url=None, published=date(2025, 3, 12)
)


def quote(**changes: object) -> Quote:
    values: dict[str, object] = {
        "text": "Eleven were killed.", "speaker": "the ministry", "start": 10, "end": 29, "score": 0.812345,
        "document": DOC,
    }  # fmt: skip
    return Quote(**(values | changes))  # type: ignore[arg-type]


def test_an_answer_as_json() -> None:
    answer = Answer(
        question="Who reported casualties?",
        found=True,
        quotes=(
            quote(
                also_in=(DocumentRef("w", None, "Harbor Wire", "https://hw.example/w", None),),
            ),
        ),
        articles_searched=55,
        filters=QueryFilters(since=date(2025, 3, 12), places=("Pellin",)),
        disagreements=(Disagreement("killed", (DisputedClaim(0, "the ministry", "11", "soldiers"),)),),
    )
    data = json.loads(json.dumps(answer.to_dict()))  # JSON-serialisable as is
    assert data == {
        "question": "Who reported casualties?",
        "found": True,
        "quotes": [
            {
                "text": "Eleven were killed.",
                "language": "und",  # not told: a quote built by hand
                "speaker": "the ministry",
                "start": 10,
                "end": 29,
                "score": 0.8123,
                "document": {
                    "id": "ov-016", "title": "Toll rises", "outlet": "Zeltran Voice", "url": None,
                    "published": "2025-03-12", "label": None, "sha256": None, "fetched_at": None,
                },
                "also_in": [
                    {"id": "w", "title": None, "outlet": "Harbor Wire", "url": "https://hw.example/w",
                     "published": None, "label": None, "sha256": None, "fetched_at": None}
                ],
                "event_dates": [],
            }
        ],
        "articles_searched": 55,
        "filters": {
            "since": "2025-03-12", "until": None, "outlets": [], "places": ["Pellin"], "excluded_labels": [],
            "relative": [],
        },
        "note": None,
        "disagreements": [
            {
                "category": "killed", "kind": "figures", "event": "",
                "claims": [{"quote": 0, "claimant": "the ministry", "figure": "11", "subject": "soldiers", "party": ""}],
            }
        ],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("event_dates", "other"),
    [
        ((), ()),
        ((date(2025, 3, 12),), ()),  # only its publication day: nothing to add
        ((date(2025, 3, 11),), (date(2025, 3, 11),)),
        ((date(2025, 3, 11), date(2025, 3, 12)), (date(2025, 3, 11), date(2025, 3, 12))),
    ],
)
def test_other_event_dates(event_dates: tuple[date, ...], other: tuple[date, ...]) -> None:
    assert quote(event_dates=event_dates).other_event_dates() == other
    assert quote(event_dates=event_dates).to_dict()["event_dates"] == [d.isoformat() for d in event_dates]


def test_the_ingest_summary_line() -> None:
    report = IngestReport(added=1234, duplicates=2, failed=[Failure("x", "bad")], chunks=5678, seconds=12.345)
    assert (
        report.summary() == "1,234 articles added, 2 skipped as duplicate, 1 failed; 5,678 chunks in 12.3 s"
    )
    assert IngestReport().summary() == "0 articles added, 0 skipped as duplicate, 0 failed; 0 chunks in 0.0 s"


def test_one_article_is_singular_in_the_summary() -> None:
    assert IngestReport(added=1, chunks=1).summary().startswith("1 article added, 0 skipped as duplicate")
    assert IngestReport(added=1, chunks=1).summary().endswith("; 1 chunk in 0.0 s")


def test_a_failure_names_its_location_once() -> None:
    url = "http://127.0.0.1:9/x"
    doubled = Failure(url, f"{url}: 127.0.0.1 is not a public address")
    assert doubled.reason == "127.0.0.1 is not a public address"
    assert doubled.line() == f"failed: {url}: 127.0.0.1 is not a public address"
    assert Failure("a.txt", "a.txt.bak: no such file").reason == "a.txt.bak: no such file"  # another name


def test_a_claim_as_printed_by_sitrep_claims() -> None:
    claim = Claim("Varna ministry", 40, 54, "said", "“We held,”", 20, 30)
    assert claim.to_dict() == {
        "speaker": "Varna ministry", "speaker_start": 40, "speaker_end": 54, "cue": "said",
        "text": "“We held,”", "start": 20, "end": 30,
    }  # fmt: skip


def test_records_are_frozen_and_reports_are_not() -> None:
    with pytest.raises(FrozenInstanceError):
        quote().text = "edited"  # type: ignore[misc]
    report = IngestReport()
    report.failed.append(Failure("x", "bad"))  # filled in as an ingest goes
    assert IngestReport().failed == []  # each report has a list of its own


def test_a_quotes_day_is_the_first_it_speaks_of_else_its_publication_day() -> None:
    assert quote(event_dates=(date(2025, 3, 11), date(2025, 3, 12))).day() == date(2025, 3, 11)
    assert quote(event_dates=()).day() == date(2025, 3, 12)  # published that day
