"""Jobs as JSON: what goes through the queue's rows and the ingest process's pipe comes back the same."""

from __future__ import annotations

import json
from datetime import date

from index.ingest.readers import TextMeta
from index.jobs.wire import meta_payload, progress_dict, progress_of, report_dict, report_of, text_meta
from index.models import Failure, IngestReport, Progress


def test_a_report_survives_json_edited_posts_included() -> None:
    report = IngestReport(
        added=3, duplicates=1, failed=[Failure("u", "why")], chunks=7, seconds=1.5, source_ids=[4], edited=2
    )
    result = json.loads(json.dumps(report_dict(report, ["a", "b", "c"])))
    assert report_of(result) == report and result["added_ids"] == ["a", "b", "c"]
    del result["edited"]  # a result stored by an earlier sitrep
    assert report_of(result).edited == 0


def test_progress_and_an_uploaders_notes_survive_json() -> None:
    p = Progress(2, 5, "embedding", added_ids=("x", "y"), chunks=9, chunks_total=20)
    assert progress_of(json.loads(json.dumps(progress_dict(p)))) == p
    meta = TextMeta(
        outlet="Varn Gazette", url="https://varn.example/q", published=date(2025, 9, 5), title="Q"
    )
    assert text_meta({"meta": json.loads(json.dumps(meta_payload(meta)))}) == meta
    assert text_meta({}) == TextMeta() and meta_payload(None)["published"] is None
