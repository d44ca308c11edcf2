"""The trust evaluation: its dev set still points at the data, and the section runs on a slice."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.evaluation.harness import find_reference, format_report, load_reference, run_eval
from index.evaluation.sections import EvalContext
from index.evaluation.trust_data import (
    ANSWERABLE_KINDS,
    KINDS,
    UNANSWERABLE_KINDS,
    GoldSpan,
    Locator,
    drifted_spans,
    first_per_kind,
    junk_reason,
    load_archive,
    load_questions,
    mentions,
    speaker_right,
)
from tests.conftest import SHARED

DATA = SHARED / "data"
needs_data = pytest.mark.skipif(not (DATA / "realtimeqa").exists(), reason="../shared/data is absent")


@pytest.fixture(scope="module")
def archive() -> list[dict[str, Any]]:
    return load_archive(DATA)


# -- the dev set --------------------------------------------------------------------------------


def test_dev_set_is_well_formed() -> None:
    questions = load_questions()
    counts = Counter(q.kind for q in questions)
    assert set(counts) == set(KINDS)
    assert 80 <= len(questions) <= 120 and counts["bad_input"] >= 8
    assert len({q.id for q in questions}) == len(questions)
    for q in questions:
        if q.kind in ANSWERABLE_KINDS:
            assert q.gold and all(g.speakers for g in q.gold), q.id
        if q.kind == "each_claim":
            assert len(q.sides) == 2, q.id
        if q.kind in ("unanswerable_place", "unanswerable_actor", "unanswerable_after_end"):
            assert q.absent, q.id
        if q.disagreement == "pair":
            assert len(q.sides) == 2, q.id


def test_limit_takes_the_first_questions_of_each_kind() -> None:
    questions = load_questions()
    chosen = first_per_kind(questions, 2)
    assert Counter(q.kind for q in chosen) == dict.fromkeys(KINDS, 2)
    assert chosen == [q for q in questions if q in chosen]  # file order kept


@needs_data
def test_archive_is_the_issue_s_305_articles(archive: list[dict[str, Any]]) -> None:
    assert len(archive) == 305
    assert archive[0]["date"] == "2022-01-12" and archive[-1]["date"] == "2022-12-30"
    assert len({d["text"] for d in archive}) == len(archive)


@needs_data
def test_every_gold_span_still_matches_the_data(archive: list[dict[str, Any]]) -> None:
    assert drifted_spans(load_questions(), {d["id"]: d["text"] for d in archive}) == []


@needs_data
def test_unanswerable_key_terms_are_absent_from_the_archive(archive: list[dict[str, Any]]) -> None:
    texts = [d["text"] for d in archive] + [d.get("title") or "" for d in archive]
    newest = date.fromisoformat(max(d["date"] for d in archive))
    for q in load_questions():
        assert not any(mentions(term, texts) for term in q.absent), q.id
        if q.kind == "unanswerable_after_end":
            assert q.after is not None and q.after > newest, q.id


# -- judging ------------------------------------------------------------------------------------


def test_quote_overlapping_a_gold_span_matches_despite_cleaning() -> None:
    raw = "Intro line.\n\nThe mayor said “nine people” died.  Next sentence here."
    start = raw.index("The mayor")
    gold = GoldSpan("a", start, raw.index("  Next"), "x", ("mayor",))
    locator = Locator({"a": raw})
    assert locator.matches(["a"], 'The mayor said "nine people" died.', [gold]) == [gold]
    assert locator.matches(["a"], "Next sentence here.", [gold]) == []
    assert locator.matches(["b"], "The mayor said", [gold]) == []


@pytest.mark.parametrize(
    ("speaker", "keys", "right"),
    [
        ("Russian Ministry of Defense", ["Defense Ministry", "Ministry of Defense", "!Ukrain*"], True),
        ("Ukrainian Ministry of Defense", ["Ministry of Defense", "!Ukrain*"], False),
        ("statement", ["Ministry of Defense"], False),
        (None, ["Zelensky"], False),
        ("Ukraine’s military", ["Ukraine's military"], True),
        ("Kremlin spokesman Dmitry Peskov", ["Peskov"], True),
    ],
)
def test_speaker_right(speaker: str | None, keys: list[str], right: bool) -> None:
    assert speaker_right(speaker, keys) is right


@pytest.mark.parametrize(
    ("quote", "reason"),
    [
        ("Photos: Russia invades Ukraine A farmer drives a combine. Hide Caption 31 of 266", "caption"),
        ("MUST WATCH 'This war is for all the world' 04:35", "video"),
        ("Evgeniy Maloletka/AP A wounded man exits the building.", "credit"),
        ("Kyiv, Ukraine (CNN) A strike hit an evacuation crossing point.", "dateline"),
        ("Russia invades Ukraine", "headline"),
        ("Referendums announced", "subheading"),
        ("Claim: Images show Russian-bombed Syria, and Kyiv", "subheading"),
        ("AID FOR UKRAINE:Biden calls Putin a 'war criminal': March 16 recap", "link"),
        ("GENEVA — The United Nations says it has confirmed 240 casualties.", "dateline"),
        ("Nine people were killed in a bombardment, local officials said.", None),
        ("CNN has determined the civilians were killed in the strike.", None),
    ],
)
def test_junk_reason(quote: str, reason: str | None) -> None:
    assert junk_reason(quote, "Russia invades Ukraine | CNN") == reason


def test_a_sentence_followed_by_a_photo_credit_is_a_caption() -> None:
    raw = "Lede.\n\nCivilians gather at the station on April 6. Jane Doe/AFP/Getty Images\n\nMore."
    tail = Locator({"a": raw}).tail("a", "Civilians gather at the station on April 6.")
    assert junk_reason("Civilians gather at the station on April 6.", None, tail) == "caption"
    assert junk_reason("Lede.", None, Locator({"a": raw}).tail("a", "Lede.")) is None


def test_before_column_reads_the_newest_report_with_the_same_limit(tmp_path: Path) -> None:
    def report(limit: int | None, value: float) -> dict[str, Any]:
        metric = {"name": "gold quote at rank 1", "sitrep": value, "baseline": 0.1, "kind": "share"}
        section = {"name": "trust", "metrics": [metric], "info": {}, "skipped": None}
        return {
            "date": "d",
            "limit": limit,
            "machine": "m",
            "seconds": 1,
            "baseline": "b",
            "sections": [section],
        }

    for name, limit, value in [("eval-1.json", None, 0.2), ("eval-2.json", 3, 0.3), ("eval-3.json", 3, 0.4)]:
        (tmp_path / name).write_text(json.dumps(report(limit, value)))
    assert find_reference(tmp_path, 3) == tmp_path / "eval-3.json"
    assert find_reference(tmp_path, None) == tmp_path / "eval-1.json"
    assert find_reference(tmp_path, 7) is None
    table = format_report(report(3, 0.9), load_reference(tmp_path / "eval-2.json"))
    row = next(line for line in table.splitlines() if "rank 1" in line)
    assert row.split()[-4:] == ["90.0%", "30.0%", "10.0%", "9.00x"]
    assert "before: eval-2.json" in table


# -- the section, with the real model -----------------------------------------------------------


@needs_data
@pytest.mark.model
@pytest.mark.eval
async def test_trust_slice_computes_every_metric(embedder: SentenceTransformerEmbedder) -> None:
    report = await run_eval(EvalContext(data_dir=DATA, embedder=embedder, limit=1), ["trust"])
    (section,) = report["sections"]
    assert section["skipped"] is None
    metrics = {m["name"]: m for m in section["metrics"]}
    assert len(metrics) == 12
    for m in metrics.values():
        if m["kind"] == "share":
            assert 0.0 <= m["sitrep"] <= 1.0, m
        else:
            assert m["sitrep"] >= 0.0, m
    info = section["info"]
    assert info["questions_asked"] == len(KINDS)  # one per kind
    assert info["exceptions"] == 0
    assert set(info["per_kind"]) == set(ANSWERABLE_KINDS + UNANSWERABLE_KINDS)
    assert metrics["bad input answered without an exception"]["sitrep"] == 1.0
    assert "trust" in format_report(report)
