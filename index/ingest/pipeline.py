"""The way of a source into the archive: collect → prepare → enrich → embed → store.

Each file, page or feed is one source, stored in one transaction per group of ``STORE_BATCH``
articles: a source that fails leaves the store as it was, a crash keeps every committed group, and
re-running the ingest adds exactly the rest (duplicates are recognised by content hash).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from index.embedding.base import Embedder
from index.errors import SourceError
from index.ingest.chunk_vectors import EMBED_BATCH, Window, embed_texts, from_sentences, windows_of
from index.ingest.collect import Collected, collect_url, expand_location, read_bytes, read_file
from index.ingest.fetching import Fetcher
from index.ingest.prepare import Prepared, enrich, prepare, to_new_article
from index.ingest.readers import TextMeta
from index.ingest.telegram import DEFAULT_BASE_URL, channel_of, collect_channel, is_post_id
from index.models import Failure, IngestReport, Progress, RawArticle
from index.storage.protocols import Storage, VectorSearch
from index.threads import EngineThreads

log = logging.getLogger(__name__)

ProgressCallback = Callable[[Progress], None]

# Articles per write transaction: a crash mid-ingest keeps every committed batch, and re-running
# the ingest adds exactly the rest (duplicates are recognised by content hash).
STORE_BATCH = 32
# Longer "articles" are dumps, not reporting: refused with a message instead of minutes of work.
MAX_ARTICLE_CHARS = 2_000_000


@dataclass
class _Batch:
    report: IngestReport
    changed: bool = False  # whether the vector search gained vectors and must be committed


class Ingestor:
    """Ingests sources into one store and its vector search."""

    def __init__(
        self,
        store: Storage,
        vectors: VectorSearch,
        embedder: Embedder,
        threads: EngineThreads,
        fetcher: Fetcher,
        *,
        writing: Callable[[], AbstractAsyncContextManager[None]],
        after: Callable[[IngestReport], None],
    ) -> None:
        """``writing()`` holds the engine's write locks around a whole ingest; ``after(report)`` runs
        once it is committed (the engine's background retrain and sentence fill)."""
        self.store = store
        self.telegram_base_url = DEFAULT_BASE_URL  # where channels' previews are read (Engine.open sets it)
        self.vectors = vectors
        self.embedder = embedder
        self.threads = threads
        self.fetcher = fetcher
        self._writing = writing
        self._after = after
        # Set (Engine.open): chunk vectors are made from the sentences' vectors, which are handed here
        # for the sentence fill to store (index.ingest.chunk_vectors); None: chunks embedded themselves.
        self.remember: Callable[[list[str], np.ndarray], None] | None = None

    async def locations(
        self,
        locations: Sequence[str],
        *,
        scope: str,
        added_by: str | None,
        meta: TextMeta,
        progress: ProgressCallback | None,
    ) -> IngestReport:
        """Ingest files, directories, article URLs, feed URLs and Telegram channels (see ``Engine.ingest``)."""
        async with self._batch() as batch:
            for location in locations:
                try:
                    # A Telegram address is no path, whatever it looks like ("t.me/NAME").
                    files = None if channel_of(location) is not None else expand_location(location)
                except SourceError as e:
                    batch.report.failed.append(Failure(location, str(e)))
                    continue
                for target in files if files is not None else [location]:
                    try:
                        if isinstance(target, Path):
                            collected = await self.threads.on_build(read_file, target, meta)
                        else:
                            collected = await self._collect(target, scope, meta)
                    except SourceError as e:
                        batch.report.failed.append(Failure(str(target), str(e)))
                        continue
                    batch.changed |= await self._store(collected, scope, added_by, batch.report, progress)
        return batch.report

    async def _collect(self, location: str, scope: str, meta: TextMeta) -> Collected:
        """Fetch and read a page, a feed or a Telegram channel (new posts only: see telegram.py)."""
        channel = channel_of(location)
        if channel is None:
            return await collect_url(location, self.fetcher, meta)

        async def known(ids: list[str]) -> set[str]:
            return await self.store.articles.known_ids(scope, ids)

        return await collect_channel(channel, self.fetcher, base_url=self.telegram_base_url, known=known)

    async def upload(
        self,
        filename: str,
        data: bytes,
        *,
        scope: str,
        added_by: str | None,
        progress: ProgressCallback | None,
        meta: TextMeta | None = None,
    ) -> IngestReport:
        """Ingest an uploaded file's bytes by its extension; ``meta`` is what the uploader said about it."""
        async with self._batch() as batch:
            try:
                collected = await self.threads.on_build(
                    lambda: read_bytes(filename, data, meta or TextMeta(), location=f"upload:{filename}")
                )
            except SourceError as e:
                batch.report.failed.append(Failure(filename, str(e)))
            else:
                batch.changed = await self._store(collected, scope, added_by, batch.report, progress)
        return batch.report

    async def feeds(self, scope: str | None) -> IngestReport:
        """Poll every feed and Telegram channel (of one scope, or all) and ingest new entries."""
        async with self._batch() as batch:
            for feed in await self.store.sources.feeds(scope):
                try:
                    collected = await self._collect(feed.location, feed.scope, TextMeta())
                except SourceError as e:
                    batch.report.failed.append(Failure(feed.location, str(e)))
                    continue
                batch.changed |= await self._store(collected, feed.scope, feed.added_by, batch.report, None)
                await self.store.sources.mark_polled(feed.id)
        return batch.report

    @asynccontextmanager
    async def _batch(self) -> AsyncIterator[_Batch]:
        """One ingest: under the write locks, timed, the index committed once at the end if it changed."""
        batch = _Batch(IngestReport())
        started = time.perf_counter()
        async with self._writing():
            yield batch
            if batch.changed:
                await self.vectors.commit()
        batch.report.seconds = time.perf_counter() - started
        self._after(batch.report)

    async def _store(
        self,
        collected: Collected,
        scope: str,
        added_by: str | None,
        report: IngestReport,
        progress: ProgressCallback | None,
    ) -> bool:
        """Prepare, dedupe, enrich, embed and store one source; returns whether the index changed."""
        report.failed.extend(collected.failures)
        collected = _within_limits(collected, report)
        if not collected.articles:
            return False
        prepared = await self.threads.on_build(
            lambda: [_prepare(raw, source) for raw, source in collected.articles]
        )
        fresh = await self._fresh(collected, prepared, scope, report)
        changed = False
        chunks_total = sum(len(p.chunks) for p in fresh)
        embedded = 0
        for first in range(0, len(fresh), STORE_BATCH):
            group = fresh[first : first + STORE_BATCH]

            def embedding(chunks: int, first: int = first, before: int = embedded) -> None:
                # After each model call, so a long article (or a slow machine) shows it is moving.
                if progress:
                    progress(
                        Progress(
                            first, len(fresh), "embedding", chunks=before + chunks, chunks_total=chunks_total
                        )
                    )

            changed |= await self._store_group(collected, scope, added_by, group, report, embedding)
            embedded += sum(len(p.chunks) for p in group)
            if progress:
                done = first + len(group)
                stage = "storing" if done == len(fresh) else "embedding"
                added = tuple(p.id for p in group)
                progress(Progress(done, len(fresh), stage, added, chunks=embedded, chunks_total=chunks_total))
        if not fresh:  # a source whose articles are all known still gets its row (and shows as added)
            changed |= await self._store_group(collected, scope, added_by, [], report)
        return changed

    async def _fresh(
        self,
        collected: Collected,
        prepared: list[Prepared | SourceError | None],
        scope: str,
        report: IngestReport,
    ) -> list[Prepared]:
        """The prepared articles not stored yet (nor twice in this source); the rest are reported."""
        ready = [p for p in prepared if isinstance(p, Prepared)]
        hashes = await self.store.articles.known_hashes(scope, [p.content_hash for p in ready])
        taken = await self.store.articles.known_ids(scope, [p.id for p in ready])
        fresh: list[Prepared] = []
        seen_hashes: set[str] = set()
        seen_ids: set[str] = set()
        for (raw, _), p in zip(collected.articles, prepared, strict=True):
            label = raw.url or raw.title or collected.location
            if p is None:
                report.failed.append(Failure(label, "nothing left after removing boilerplate"))
            elif isinstance(p, SourceError):
                report.failed.append(Failure(label, str(p)))
            elif p.content_hash in hashes or p.content_hash in seen_hashes:
                report.duplicates += 1
            elif p.id in taken and is_post_id(p.id) and p.id not in seen_ids:
                # A Telegram post changed since it was stored: the new text is a version of its own,
                # and the old one stays (what a channel said first matters as much as its correction).
                version = _version(p)
                if version.id in taken or version.id in seen_ids:
                    report.duplicates += 1
                else:
                    fresh.append(version)
                    seen_hashes.add(p.content_hash)
                    seen_ids.add(version.id)
                    report.edited += 1
            elif p.id in taken or p.id in seen_ids:
                report.failed.append(
                    Failure(label, f"article id {p.id!r} is already used by another article")
                )
            else:
                fresh.append(p)
                seen_hashes.add(p.content_hash)
                seen_ids.add(p.id)
        return fresh

    async def _store_group(
        self,
        collected: Collected,
        scope: str,
        added_by: str | None,
        group: list[Prepared],
        report: IngestReport,
        embedding: Callable[[int], None] | None = None,
    ) -> bool:
        """Enrich, embed and store some of a source's articles in one transaction; returns whether
        the index changed. ``embedding`` is told the group's chunks embedded after each model call."""
        # First, before the build thread is busy with enrich (None: chunks embedded by their own text).
        windows = await self.threads.on_build(windows_of, [p.text for p in group]) if self.remember else None
        # Claims, days and names are found on the build thread while the model embeds: the model's
        # threads leave ~0.4 of the two cores idle, and this work then costs an ingest little time.
        enriching = asyncio.ensure_future(self.threads.on_build(lambda: [enrich(p) for p in group]))
        try:
            vectors = await self.vectors_of(group, windows, embedding)
        except BaseException:
            await asyncio.gather(enriching, return_exceptions=True)  # not left running unawaited
            raise
        enriched = await enriching
        new_articles = []
        offset = 0
        for e in enriched:
            n = len(e.prepared.chunks)
            new_articles.append(to_new_article(e, vectors[offset : offset + n]))
            offset += n
        source_id, added, skipped = await self.store.articles.add(
            scope=scope,
            kind=collected.kind,
            location=collected.location,
            added_by=added_by,
            articles=new_articles,
            model=self.embedder.name,
        )
        if source_id not in report.source_ids:
            report.source_ids.append(source_id)
        # Another process may have stored some of them since the duplicate check (Postgres).
        report.added += len(new_articles) - skipped
        report.duplicates += skipped
        report.chunks += len(added)
        if not added:
            return False
        await self.vectors.added(
            np.array([cid for cid, _ in added], dtype="int64"), np.vstack([v for _, v in added])
        )
        return True

    async def vectors_of(
        self,
        group: Sequence[Prepared],
        windows: Sequence[Window] | None = None,
        embedded: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """The chunk vectors of ``group``'s articles, one row per chunk in order: made from their
        sentences' (``windows``, computed when not given) when ``remember`` is set, else each chunk
        embedded by its own text. ``embedded`` gets the chunks done after each model call."""
        if self.remember is None:
            texts = [c.text for p in group for c in p.chunks]
            return await embed_texts(self.embedder, self.threads, texts, embedded)
        if windows is None:
            windows = await self.threads.on_build(windows_of, [p.text for p in group])
        return await from_sentences(self.embedder, self.threads, group, windows, self.remember, embedded)


def _version(p: Prepared) -> Prepared:
    """A prepared post under the id of its version (its content hash), its chunks renamed with it."""
    version = f"{p.id}@{p.content_hash[:8]}"
    return replace(p, id=version, chunks=tuple(replace(c, article_id=version) for c in p.chunks))


def _within_limits(collected: Collected, report: IngestReport) -> Collected:
    """The source without articles too long to be one (each reported with what to do)."""
    oversized = [raw for raw, _ in collected.articles if len(raw.text) > MAX_ARTICLE_CHARS]
    for raw in oversized:
        report.failed.append(
            Failure(
                raw.url or raw.title or collected.location,
                f"too long for one article ({len(raw.text):,} characters; the limit is"
                f" {MAX_ARTICLE_CHARS:,}): split it into articles",
            )
        )
    if not oversized:
        return collected
    return replace(collected, articles=[a for a in collected.articles if len(a[0].text) <= MAX_ARTICLE_CHARS])


def _prepare(raw: RawArticle, published_from: str | None) -> Prepared | SourceError | None:
    """``prepare``, with a refusal kept as the value it reports (the source's other articles go on)."""
    try:
        return prepare(raw, published_from)
    except SourceError as e:
        return e


async def embed_missing_chunks(store: Storage, embedder: Embedder, threads: EngineThreads) -> None:
    """Embed and store vectors for chunks that have none for ``embedder`` (after a model change)."""
    missing = await store.embeddings.missing_chunk_vectors(embedder.name)
    for i in range(0, len(missing), EMBED_BATCH):
        part = missing[i : i + EMBED_BATCH]
        vecs = await threads.on_model_when_idle(embedder.embed, [t for _, t in part])
        await store.embeddings.put_chunk_vectors(
            embedder.name, [(cid, v) for (cid, _), v in zip(part, vecs, strict=True)]
        )
