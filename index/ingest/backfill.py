"""What a store written by an older sitrep lacks, filled in when it is opened (once per kind).

New articles get all of it at ingest (``prepare.enrich``); these walk the stored articles in row id
order, 200 at a time, on the build thread.
"""

from __future__ import annotations

import logging

from index.attribution.claims import CLAIMS_VERSION, extract_claims
from index.dates.event_dates import chunk_days
from index.storage.protocols import Storage
from index.text.near_duplicates import sketch
from index.text.place_names import NAMES_VERSION, name_spellings
from index.threads import EngineThreads

log = logging.getLogger(__name__)

BATCH = 200  # articles read and written per transaction


async def backfill(store: Storage, threads: EngineThreads) -> None:
    """Claims (when the extractor changed), chunk dates, near-copy links and name spellings."""
    await _claims(store, threads)
    await store.articles.backfill_chunk_dates(chunk_days)
    await _copies_and_names(store, threads)
    await _names(store, threads)


async def _claims(store: Storage, threads: EngineThreads) -> None:
    """Extract claims for articles stored before claims existed, or by an older extractor."""
    if await store.get_meta("claims_version") == CLAIMS_VERSION:
        return
    after, done = 0, 0
    while batch := await store.articles.texts(after, BATCH):
        found = await threads.on_build(lambda b=batch: [(r, extract_claims(t)) for r, t in b])
        await store.articles.replace_claims(found)
        after, done = batch[-1][0], done + len(batch)
    await store.set_meta(claims_version=CLAIMS_VERSION)
    if done:
        log.info("extracted claims for %d stored articles", done)


async def _copies_and_names(store: Storage, threads: EngineThreads) -> None:
    """Sketches (near-duplicate links) and name spellings for articles stored before they existed."""
    if await store.get_meta("copies_and_names") == "1":
        return
    after = 0
    while batch := await store.articles.texts(after, BATCH):
        found = await threads.on_build(
            lambda b=batch: [(r, sketch(t), tuple(name_spellings(t))) for r, t in b]
        )
        await store.articles.add_copies_and_names(found)
        after = batch[-1][0]
    await store.set_meta(copies_and_names="1", names_version=NAMES_VERSION)


async def _names(store: Storage, threads: EngineThreads) -> None:
    """Name spellings an older ``name_spellings`` missed (names in other scripts, translated names)."""
    if await store.get_meta("names_version") == NAMES_VERSION:
        return
    after = 0
    while batch := await store.articles.texts(after, BATCH):
        found = await threads.on_build(lambda b=batch: [(r, tuple(name_spellings(t))) for r, t in b])
        await store.articles.add_names(found)
        after = batch[-1][0]
    await store.set_meta(names_version=NAMES_VERSION)
