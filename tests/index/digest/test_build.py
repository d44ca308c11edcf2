"""The digest of the sample corpus, read from a real store on each backend: the same text every
time, compared with ``expected_digest.txt`` (``SITREP_UPDATE_EXPECTED=1`` rewrites it after a
deliberate change to how claims are read or grouped: read the diff before committing it)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from index.digest import build_digest, digest_pages, render_digest
from index.engine import Engine

EXPECTED = Path(__file__).with_name("expected_digest.txt")
# Wide enough for any ingest time: the text shows these bounds and nothing of the clock.
SINCE, UNTIL = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


@pytest.mark.model
async def test_the_sample_corpus_gives_the_expected_digest(sample_engine: Engine) -> None:
    digest = await build_digest(sample_engine, scopes=["global"], since=SINCE, until=UNTIL)
    text = render_digest(digest) + "\n"
    if os.environ.get("SITREP_UPDATE_EXPECTED"):
        EXPECTED.write_text(text, encoding="utf-8")
    assert text == EXPECTED.read_text(encoding="utf-8")
    assert (digest.received, digest.read, digest.capped) == (55, 55, False)
    days = [e.days[0] for e in digest.events]
    assert days == sorted(days)  # oldest first
    pages = digest_pages(digest)
    assert len(pages) > 1 and all(len(p) <= 2000 for p in pages)
    assert set(text.splitlines()) - {""} <= {line for p in pages for line in p.splitlines()}


@pytest.mark.model
async def test_a_window_before_anything_was_ingested_is_nothing_new(sample_engine: Engine) -> None:
    digest = await build_digest(
        sample_engine, scopes=["global"], since=SINCE, until=datetime(2000, 1, 2, tzinfo=UTC)
    )
    assert digest.empty and digest.events == () and digest.other == ()
    assert (
        render_digest(digest)
        == "Nothing new in the archive between 2000-01-01 00:00 and 2000-01-02 00:00 UTC."
    )
    other_scope = await build_digest(sample_engine, scopes=["1234"], since=SINCE, until=UNTIL)
    assert other_scope.empty  # a server's digest reads its own scopes only


@pytest.mark.model
async def test_a_window_holding_more_than_the_limit_reads_the_last_received(sample_engine: Engine) -> None:
    digest = await build_digest(sample_engine, scopes=["global"], since=SINCE, until=UNTIL, limit=5)
    assert (digest.received, digest.read, digest.capped) == (55, 5, True)
    assert "these are the 5 received last" in render_digest(digest)


@pytest.mark.model
async def test_times_without_a_zone_or_a_window_ending_first_are_refused(sample_engine: Engine) -> None:
    with pytest.raises(ValueError, match="time zone"):
        await build_digest(sample_engine, scopes=["global"], since=datetime(2025, 1, 1), until=UNTIL)
    with pytest.raises(ValueError, match="start before"):
        await build_digest(sample_engine, scopes=["global"], since=UNTIL, until=SINCE)
