"""Watches against new articles, with the real model on both backends: an alert only for reporting that
answers the watch, once, and never for a copy of what the archive held."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from index.engine import Engine
from index.models import Article, Watch
from index.watching.matching import WatchMatcher, settled_row
from tests.index.watching.articles import HARBOUR, REVISED, SCHOOL, SCHOOL_COPY, SCHOOL_WIRE, arrive

pytestmark = pytest.mark.model


async def watch(engine: Engine, query: str, **options: str) -> Watch:
    newest = await engine.store.search.newest_rowid()
    return await engine.store.watches.add_watch(
        "3000",
        "4000",
        query,
        outlet=options.get("outlet"),
        exclude_label=options.get("exclude_label"),
        created_by="9001",
        after_rowid=newest,
    )


async def watches(engine: Engine) -> list[Watch]:
    return await engine.store.watches.watches("3000")


async def test_new_reporting_that_answers_a_watch_alerts_once(sample_engine: Engine, tmp_path: Path) -> None:
    engine = sample_engine
    pellin = await watch(engine, "civilians killed in Pellin")
    wagner = await watch(engine, "Wagner mercenaries")
    matcher = WatchMatcher(engine)
    assert await matcher.check(await watches(engine)) == []  # nothing new: the archive before never alerts

    await arrive(engine, tmp_path, "school", SCHOOL, "Ossel Courier", "2025-03-20")
    (alert,) = await matcher.check(await watches(engine))
    assert alert.watch.id == pellin.id and alert.articles == 1
    assert {q.document.outlet for q in alert.answer.quotes} == {"Ossel Courier"}
    assert any("Two civilians were killed in Pellin" in q.text for q in alert.answer.quotes)
    assert await matcher.claim(alert)
    assert not await matcher.claim(alert)  # a second process finds it posted
    await matcher.done(alert, posted=True)
    after = {w.id: w for w in await watches(engine)}
    assert after[pellin.id].alerts == 1 and after[pellin.id].after_rowid == alert.through_rowid
    assert after[wagner.id].after_rowid == alert.through_rowid  # looked, and found nothing

    # Unrelated reporting, and the same report republished with its own first and last lines: nothing.
    await arrive(engine, tmp_path, "harbour", HARBOUR, "Vestby Tidende", "2025-03-20")
    copy = await arrive(engine, tmp_path, "school-copy", SCHOOL_COPY, "Brenmoor Gazette", "2025-03-21")
    assert copy.added == 1  # stored (a near copy, not the same text)
    assert await matcher.check(await watches(engine)) == []
    newest = await engine.store.search.newest_rowid()
    assert {w.after_rowid for w in await watches(engine)} == {newest}


async def test_a_watch_alert_shows_where_new_reporting_contradicts_earlier_claims(
    sample_engine: Engine, tmp_path: Path
) -> None:
    engine = sample_engine
    await watch(engine, "soldiers killed at Pellin on March 12")
    await arrive(engine, tmp_path, "revised", REVISED, "Zeltran Voice", "2025-03-21")
    (alert,) = await WatchMatcher(engine).check(await watches(engine))
    assert any("Twenty enemy soldiers" in q.text for q in alert.answer.quotes)
    assert alert.earlier is not None and alert.contradictions
    for d in alert.contradictions:
        docs = {alert.earlier.quotes[c.quote].document.outlet for c in d.claims}
        assert len(docs) >= 1
        ids = {alert.earlier.quotes[c.quote].document.id for c in d.claims}
        assert len(ids) >= 2  # a new claim against an older one


async def test_a_watch_with_an_outlet_only_alerts_for_that_outlet(
    sample_engine: Engine, tmp_path: Path
) -> None:
    engine = sample_engine
    await watch(engine, "civilians killed in Pellin", outlet="Northline Wire")
    matcher = WatchMatcher(engine)
    await arrive(engine, tmp_path, "school", SCHOOL, "Ossel Courier", "2025-03-20")
    assert await matcher.check(await watches(engine)) == []
    await arrive(engine, tmp_path, "school-wire", SCHOOL_WIRE, "Northline Wire", "2025-03-20")
    (alert,) = await matcher.check(await watches(engine))
    assert {q.document.outlet for q in alert.answer.quotes} == {"Northline Wire"}


async def test_a_burst_of_new_articles_makes_one_alert_per_watch(
    sample_engine: Engine, tmp_path: Path
) -> None:
    engine = sample_engine
    await watch(engine, "civilians killed in Pellin")
    await arrive(engine, tmp_path, "school", SCHOOL, "Ossel Courier", "2025-03-20")
    await arrive(engine, tmp_path, "school-wire", SCHOOL_WIRE, "Northline Wire", "2025-03-20")
    await arrive(engine, tmp_path, "harbour", HARBOUR, "Vestby Tidende", "2025-03-20")
    (alert,) = await WatchMatcher(engine).check(await watches(engine))
    assert alert.articles == 2 and {q.document.outlet for q in alert.answer.quotes} == {
        "Ossel Courier",
        "Northline Wire",
    }


def stored(rowid: int, minutes_ago: float) -> Article:
    when = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return Article(f"a{rowid}", None, None, None, None, None, "en", when.isoformat(), "", 1, "global")


def test_marks_stop_before_a_fresh_gap_a_writer_may_still_fill() -> None:
    # Rows 11 and 12 read after mark 10; 13 missing; 14 stored a minute ago: 13 may be committing.
    rows = {r: stored(r, 1) for r in (11, 12, 14)}
    assert settled_row(10, [11, 12, 14], rows) == 12
    assert settled_row(10, [11, 12, 13, 14], {**rows, 13: stored(13, 1)}) == 14  # no gap
    old = {r: stored(r, 60) for r in (11, 12, 14)}
    assert settled_row(10, [11, 12, 14], old) == 14  # an hour old: a removed article, not a writer
    assert settled_row(10, [12], {12: stored(12, 1)}) == 10  # right after the mark
    assert settled_row(10, [], {}) == 10


async def test_a_poll_re_reading_past_a_gap_posts_only_what_was_not_posted(
    sample_engine: Engine, tmp_path: Path
) -> None:
    engine = sample_engine
    await watch(engine, "civilians killed in Pellin")
    matcher = WatchMatcher(engine)
    await arrive(engine, tmp_path, "school", SCHOOL, "Ossel Courier", "2025-03-20")
    (first,) = await matcher.check(await watches(engine))
    posted = await matcher.claim(first)
    assert posted is not None and posted.articles == 1
    await arrive(engine, tmp_path, "school-wire", SCHOOL_WIRE, "Northline Wire", "2025-03-20")
    # The first alert's mark was never moved (as after a gap): the next poll reads both articles.
    (second,) = await matcher.check(await watches(engine))
    assert {q.document.outlet for q in second.answer.quotes} == {"Ossel Courier", "Northline Wire"}
    again = await matcher.claim(second)
    assert again is not None and {q.document.outlet for q in again.answer.quotes} == {"Northline Wire"}
    assert again.articles == 1
    assert await matcher.claim(second) is None  # everything in it posted now
