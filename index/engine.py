"""The one async façade the CLI and the bot use: ingest, ask, sources, stats, rebuild.

Storage is a ``storage.Storage`` plus a ``storage.VectorSearch``, embedded (SQLite + FAISS) or
PostgreSQL + pgvector, chosen by ``storage.open_storage``; nothing here depends on which.

Threads: the embedding model (and the live FAISS index, in the embedded store) is touched only by
one worker thread (``_model``), so encodes never run concurrently (a shared model encoded from
several threads has crashed elsewhere). Building a fresh index for a rebuild, and other CPU work
on whole texts, runs on a second worker (``_build``). The event loop only awaits.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np

from index.answering import quotes as answering
from index.answering.disagreement import find_disagreements
from index.answering.outlet_labels import clean_label, label_quotes, outlets_with_labels
from index.answering.planning import QueryPlan, plan_query
from index.answering.quotes import Candidate
from index.answering.shortlist import shortlist
from index.attribution.claims import CLAIMS_VERSION, extract_claims, speaker_at
from index.attribution.passes import speakers_for
from index.dates.event_dates import chunk_days, with_event_dates
from index.embedding.base import DEFAULT_BACKEND, DEFAULT_MODEL, Embedder, LazyEmbedder, embedder_name
from index.errors import LabelError, SourceError, SourceNotFoundError
from index.ingest.collect import (
    Collected,
    Prepared,
    collect_url,
    expand_location,
    prepare,
    read_bytes,
    read_file,
)
from index.ingest.fetching import Fetcher
from index.ingest.readers import TextMeta
from index.models import (
    GLOBAL_SCOPE,
    Answer,
    Article,
    Failure,
    IngestReport,
    OutletLabel,
    Progress,
    QueryFilters,
    Quote,
    SourceInfo,
    Stats,
)
from index.storage.protocols import Storage, VectorSearch, open_storage, open_vector_search
from index.storage.sqlite.locking import OpenLock
from index.storage.sqlite.store import ArticleFilter, NewArticle
from index.text.near_duplicates import sketch
from index.text.place_names import name_spellings, spelling_key
from index.text.sentences import split_sentences

log = logging.getLogger(__name__)

T = TypeVar("T")
ProgressCallback = Callable[[Progress], None]
Retrieval = Literal["hybrid", "vector", "keyword"]

# Chunks per model call in ingest/rebuild. A question waits for at most one batch in flight (see
# _embed_when_idle), so it is small: ~8 x 200 tokens is ~0.2 s on two cores. With sentence vectors
# stored a question takes ~30-60 ms, and 16 chunks (~0.4 s) made asks during an ingest 10x slower;
# 4 chunks took ingest to 0.91x the bare encoder's throughput (benchmarks/perf.py section 1).
EMBED_BATCH = 8
# Articles per write transaction: a crash mid-ingest keeps every committed batch, and re-running
# the ingest adds exactly the rest (duplicates are recognised by content hash).
STORE_BATCH = 32
# Longer "articles" are dumps, not reporting: refused with a message instead of minutes of work.
MAX_ARTICLE_CHARS = 2_000_000
VECTOR_CANDIDATES = 40
KEYWORD_CANDIDATES = 40
FUSED_CHUNKS = 14
LIST_HEAD = 3  # each ranking's top chunks kept whatever their fused rank
FILL_ARTICLES = 32  # articles per stored group when filling sentence vectors
FILL_SENTENCES = 8  # sentences per model call then (~250 tokens: a question waits at most ~40 ms)
DATED_CHUNK_BOOST = 6  # ranks a chunk that speaks of the question's days moves up
RRF_K = 60  # the usual reciprocal-rank-fusion constant; damps the head of each list


@lru_cache(maxsize=2048)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(split_sentences(text))


@lru_cache(maxsize=2048)
def _speakers(text: str) -> tuple[str | None, ...]:
    return tuple(speakers_for(text, list(_sentences(text))))


def _quote_windows(text: str) -> list[tuple[int, int]]:
    """Every span a quote of ``text`` can be (its sentences, short ones joined to the next)."""
    spans = split_sentences(text)
    return [(s, e) for s, e, _ in answering.sentence_windows(text, spans, 0, len(spans))]


async def _lazy_embedder(store: Storage, name: str, backend: str, cache_dir: Path) -> LazyEmbedder:
    """The named model, loaded on first use; its dimension comes from the stored index when it has one."""
    dim = await store.get_meta("index_dim")
    same_model = await store.get_meta("index_model") == embedder_name(name, backend)
    return LazyEmbedder(name, int(dim) if dim and same_model else None, backend=backend, cache_dir=cache_dir)


def fuse(*rankings: Sequence[int]) -> list[int]:
    """Reciprocal rank fusion of several ranked id lists."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(scores, key=lambda i: -scores[i])


@dataclass
class _Batch:
    report: IngestReport
    changed: bool = False  # whether the vector search gained vectors and must be committed


class Engine:
    """Ingest reporting, index it, and answer questions with verbatim, attributed quotes."""

    def __init__(
        self, data_dir: Path, store: Storage, embedder: Embedder, open_lock: OpenLock | None
    ) -> None:
        """Use ``Engine.open``."""
        self.data_dir = data_dir
        self.store = store
        self.embedder = embedder
        self.vectors: VectorSearch  # set by ``open``: it runs work on this engine's threads
        self.fetcher = Fetcher()
        self._model = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitrep-model")
        self._build = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitrep-build")
        self._write_lock = asyncio.Lock()  # one ingest / removal / rebuild at a time
        self._open_lock = open_lock  # the embedded store's "data dir in use" lock
        self._sentence_vectors: dict[tuple[str, int, int], np.ndarray] = {}
        self._rebuilding: asyncio.Task[Stats] | None = None  # a retrain for a grown corpus
        self.keeps_sentence_vectors = False  # fill stored sentence vectors after ingest (``open``)
        self._filling: asyncio.Task[int] | None = None
        # Articles up to this rowid all have sentence vectors: a fill after an ingest starts here
        # instead of re-reading the whole archive (which held up questions for ~70 ms at 100k chunks).
        self._sentences_done_upto = 0
        self._questions = 0  # asks in progress; ingest/rebuild embedding yields to them
        self._no_questions = asyncio.Event()
        self._no_questions.set()

    # -- lifecycle ----------------------------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        data_dir: Path,
        *,
        model: str | None = None,
        embedder: Embedder | None = None,
        fetch_timeout: float = 20.0,
        fetch_max_bytes: int = 5 * 1024 * 1024,
        public_urls_only: bool = True,
        load_model: bool = True,
        encoder_backend: str = DEFAULT_BACKEND,
        database_url: str | None = None,
        sentence_vectors: bool = False,
    ) -> Engine:
        """Open (creating if needed) the store and load the model and the vector index.

        Args:
            data_dir: where sitrep.db and the FAISS file live (embedded store), and the model cache.
            model: a sentence-transformers name or path (default: the packaged all-MiniLM-L6-v2).
            embedder: an already loaded embedder (tests share one); overrides ``model``.
            fetch_timeout: seconds per HTTP request when ingesting URLs.
            fetch_max_bytes: pages and feeds larger than this are refused.
            public_urls_only: refuse URLs (and redirects, and feed links) that lead to loopback,
                private, link-local or other non-public addresses (the default; turned off only by
                the SITREP_ALLOW_PRIVATE_URLS setting, for people who run their own local sources).
            load_model: load the model now (False: on first use, so listing sources or stats
                needs no model).
            encoder_backend: "torch" (fp32) or "onnx-int8" (exported once into ``data_dir/models``).
            database_url: None or ``sqlite:///DIR`` (embedded) or ``postgresql://…`` (see storage.py).
            sentence_vectors: embed the sentences of stored articles in the background (after
                opening, after each ingest), so questions need not (``fill_sentence_vectors``).
        """
        data_dir.mkdir(parents=True, exist_ok=True)
        store, open_lock = await open_storage(data_dir, database_url)
        loop = asyncio.get_running_loop()
        try:
            chosen = (
                embedder
                if embedder is not None
                else await _lazy_embedder(store, model or DEFAULT_MODEL, encoder_backend, data_dir / "models")
            )
            if load_model and isinstance(chosen, LazyEmbedder):
                await loop.run_in_executor(None, chosen.load)
            # Reading .dim may load the model: off the event loop.
            dim = await loop.run_in_executor(None, lambda: chosen.dim)
            engine = cls(data_dir, store, chosen, open_lock)
            engine.vectors = open_vector_search(
                store,
                data_dir,
                database_url,
                dim=dim,
                model=chosen.name,
                on_model=lambda fn, *args: engine._on(engine._model, fn, *args),
                on_build=lambda fn, *args: engine._on(engine._build, fn, *args),
                fill_missing=engine._embed_missing,
                when_idle=engine._no_questions.wait,
            )
            engine.fetcher = Fetcher(
                timeout=fetch_timeout, max_bytes=fetch_max_bytes, public_only=public_urls_only
            )
            async with engine._write_lock:
                await engine.vectors.load()
            await engine._backfill_claims()
            await store.backfill_chunk_dates(chunk_days)  # stores written before chunk_dates existed
            await engine._backfill_copies_and_names()
            engine.keeps_sentence_vectors = sentence_vectors
            engine._fill_sentences_in_background()  # articles stored before, or by another process
        except BaseException:
            await store.close()
            if open_lock is not None:
                open_lock.release()
            raise
        return engine

    async def close(self) -> None:
        """Close the store, the HTTP session and the worker threads."""
        for task in (self._rebuilding, self._filling):
            if task is not None and not task.done():
                # The old index on disk stays valid, stored sentence vectors are whole transactions.
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        await self.fetcher.close()
        await self.store.close()
        self._model.shutdown(wait=True)
        self._build.shutdown(wait=True)
        if self._open_lock is not None:
            self._open_lock.release()

    async def __aenter__(self) -> Engine:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def index_path(self) -> Path:
        """The FAISS file (embedded store only)."""
        return Path(getattr(self.vectors, "path", self.data_dir / "vectors.faiss"))

    async def _on(self, executor: ThreadPoolExecutor, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)

    async def _backfill_copies_and_names(self) -> None:
        """Sketches (near-duplicate links) and name spellings for articles stored before they existed."""
        if await self.store.get_meta("copies_and_names") == "1":
            return
        after = 0
        while batch := await self.store.article_texts(after, 200):
            found = await self._on(
                self._build, lambda b=batch: [(r, sketch(t), tuple(name_spellings(t))) for r, t in b]
            )
            await self.store.add_copies_and_names(found)
            after = batch[-1][0]
        await self.store.set_meta(copies_and_names="1")

    async def _backfill_claims(self) -> None:
        """Extract claims for articles stored before claims existed, or by an older extractor."""
        if await self.store.get_meta("claims_version") == CLAIMS_VERSION:
            return
        after, done = 0, 0
        while batch := await self.store.article_texts(after, 200):
            found = await self._on(self._build, lambda b=batch: [(r, extract_claims(t)) for r, t in b])
            await self.store.replace_claims(found)
            after, done = batch[-1][0], done + len(batch)
        await self.store.set_meta(claims_version=CLAIMS_VERSION)
        if done:
            log.info("extracted claims for %d stored articles", done)

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[None]:
        """Hold this process's write lock and the vector search's (the data dir's file lock, for FAISS)."""
        async with self._write_lock, self.vectors.writing():
            yield

    # -- ingest -------------------------------------------------------------------------------------

    async def ingest(
        self,
        locations: Sequence[str],
        *,
        scope: str = GLOBAL_SCOPE,
        added_by: str | None = None,
        meta: TextMeta | None = None,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Ingest files, directories, article URLs and feed URLs.

        Each file, page or feed is one source, stored in one transaction: a source that fails leaves
        the store as it was, and the others still land. Re-ingesting a source adds nothing.

        Args:
            locations: paths or http(s) URLs.
            scope: GLOBAL_SCOPE, or a Discord guild id for a server's own sources.
            added_by: who added them (shown in source listings).
            meta: outlet/url/published/title for .txt/.md/.html files.
            progress: called on the event loop after each batch.
        """
        meta = meta or TextMeta()
        async with self._batch() as batch:
            report = batch.report
            for location in locations:
                try:
                    files = expand_location(location)
                except SourceError as e:
                    report.failed.append(Failure(location, str(e)))
                    continue
                for target in files if files is not None else [location]:
                    try:
                        if isinstance(target, Path):
                            collected = await self._on(self._build, read_file, target, meta)
                        else:
                            collected = await collect_url(target, self.fetcher, meta)
                    except SourceError as e:
                        report.failed.append(Failure(str(target), str(e)))
                        continue
                    batch.changed |= await self._store_collected(collected, scope, added_by, report, progress)
        return batch.report

    async def ingest_bytes(
        self,
        filename: str,
        data: bytes,
        *,
        scope: str,
        added_by: str | None = None,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Ingest an uploaded file (a Discord attachment) by its extension."""
        async with self._batch() as batch:
            try:
                collected = await self._on(
                    self._build,
                    lambda: read_bytes(filename, data, TextMeta(), location=f"upload:{filename}"),
                )
            except SourceError as e:
                batch.report.failed.append(Failure(filename, str(e)))
            else:
                batch.changed = await self._store_collected(
                    collected, scope, added_by, batch.report, progress
                )
        return batch.report

    @asynccontextmanager
    async def _batch(self) -> AsyncIterator[_Batch]:
        """One ingest: under the write lock, timed, the index saved once at the end if it changed."""
        batch = _Batch(IngestReport())
        started = time.perf_counter()
        async with self._writing():
            yield batch
            if batch.changed:
                await self.vectors.commit()
        batch.report.seconds = time.perf_counter() - started
        if self.vectors.needs_rebuild:
            self._rebuild_in_background()
        if batch.report.added:
            self._fill_sentences_in_background()

    def _fill_sentences_in_background(self) -> None:
        """Start ``fill_sentence_vectors`` unless it runs already or the engine keeps none."""
        if self.keeps_sentence_vectors and (self._filling is None or self._filling.done()):
            self._filling = asyncio.create_task(self.fill_sentence_vectors())

    async def fill_sentence_vectors(self) -> int:
        """Embed and store the quotable sentences of every article that has none stored yet.

        A question then looks its candidates up instead of embedding ~30 of them, most of its time.
        Each model call waits while a question is answered; every group of articles is stored in one
        transaction, so a stop loses at most the group in progress. Returns the sentences stored.
        """
        stored, after = 0, self._sentences_done_upto
        top = await self.store.last_article_rowid()  # an article stored after this is not yet looked at
        model = self.embedder.name
        while rows := await self.store.articles_lacking_sentence_vectors(model, after, FILL_ARTICLES):
            after = rows[-1][0]
            texts = dict(rows)
            spans = [(rowid, s, e) for rowid, text in rows for s, e in _quote_windows(text)]
            items = []
            for i in range(0, len(spans), FILL_SENTENCES):
                part = spans[i : i + FILL_SENTENCES]
                vecs = await self._embed_when_idle([texts[r][s:e] for r, s, e in part])
                items += [(r, s, e, v) for (r, s, e), v in zip(part, vecs, strict=True)]
            await self.store.put_sentence_vectors(model, items)
            stored += len(items)
        self._sentences_done_upto = max(self._sentences_done_upto, top)
        if stored:
            log.info("stored vectors of %d sentences", stored)
        return stored

    def _rebuild_in_background(self) -> None:
        """Retrain the index for a corpus that outgrew it, without holding up the ingest that grew it.

        The rebuild waits for the write lock, builds on the build thread and swaps the new index in;
        questions are answered from the current one meanwhile, and new adds still land in it.
        """
        if self._rebuilding is None or self._rebuilding.done():
            self._rebuilding = asyncio.create_task(self.rebuild())

    async def _store_collected(
        self,
        collected: Collected,
        scope: str,
        added_by: str | None,
        report: IngestReport,
        progress: ProgressCallback | None,
    ) -> bool:
        """Clean, dedupe, embed and store one source; returns whether the index changed."""
        report.failed.extend(collected.failures)
        oversized = [(raw, _) for raw, _ in collected.articles if len(raw.text) > MAX_ARTICLE_CHARS]
        for raw, _ in oversized:
            report.failed.append(
                Failure(
                    raw.url or raw.title or collected.location,
                    f"too long for one article ({len(raw.text):,} characters; the limit is"
                    f" {MAX_ARTICLE_CHARS:,}): split it into articles",
                )
            )
        if oversized:
            kept = [a for a in collected.articles if len(a[0].text) <= MAX_ARTICLE_CHARS]
            collected = replace(collected, articles=kept)
        if not collected.articles:
            return False
        prepared_all = await self._on(
            self._build, lambda: [prepare(raw, source) for raw, source in collected.articles]
        )
        fresh: list[Prepared] = []
        hashes = await self.store.known_hashes(scope, [p.content_hash for p in prepared_all if p])
        taken = await self.store.known_ids(scope, [p.id for p in prepared_all if p])
        seen_hashes: set[str] = set()
        seen_ids: set[str] = set()
        for (raw, _), p in zip(collected.articles, prepared_all, strict=True):
            label = raw.url or raw.title or collected.location
            if p is None:
                report.failed.append(Failure(label, "nothing left after removing boilerplate"))
            elif p.content_hash in hashes or p.content_hash in seen_hashes:
                report.duplicates += 1
            elif p.id in taken or p.id in seen_ids:
                report.failed.append(
                    Failure(label, f"article id {p.id!r} is already used by another article")
                )
            else:
                fresh.append(p)
                seen_hashes.add(p.content_hash)
                seen_ids.add(p.id)

        changed = False
        for first in range(0, len(fresh), STORE_BATCH):
            group = fresh[first : first + STORE_BATCH]
            changed |= await self._store_group(collected, scope, added_by, group, report)
            if progress:
                progress(
                    Progress(
                        done=first + len(group),
                        total=len(fresh),
                        stage="storing" if first + len(group) == len(fresh) else "embedding",
                        added_ids=tuple(p.id for p in group),
                    )
                )
        if not fresh:  # a source whose articles are all known still gets its row (and shows as added)
            changed |= await self._store_group(collected, scope, added_by, [], report)
        return changed

    async def _store_group(
        self,
        collected: Collected,
        scope: str,
        added_by: str | None,
        group: list[Prepared],
        report: IngestReport,
    ) -> bool:
        """Embed and store some of a source's articles in one transaction; returns whether the index changed."""
        texts = [c.text for p in group for c in p.chunks]
        batches: list[np.ndarray] = []
        for i in range(0, len(texts), EMBED_BATCH):
            batches.append(await self._embed_when_idle(texts[i : i + EMBED_BATCH]))
        vectors = np.vstack(batches) if batches else np.zeros((0, self.embedder.dim), dtype="float32")

        claims = await self._on(self._build, lambda: [tuple(extract_claims(p.text)) for p in group])
        # Off the event loop: both read the whole text.
        sketches = await self._on(
            self._build, lambda: [(sketch(p.text), tuple(name_spellings(p.text))) for p in group]
        )
        new_articles = []
        offset = 0
        for p, article_claims, (article_sketch, names) in zip(group, claims, sketches, strict=True):
            n = len(p.chunks)
            new_articles.append(
                NewArticle(
                    id=p.id,
                    title=p.raw.title,
                    outlet=p.raw.outlet,
                    url=p.raw.url,
                    published=p.raw.published,
                    published_from=p.published_from,
                    language=p.language,
                    text=p.text,
                    content_hash=p.content_hash,
                    mentioned_dates=p.mentioned_dates,
                    chunks=p.chunks,
                    vectors=vectors[offset : offset + n],
                    claims=article_claims,
                    chunk_days=chunk_days(p.text, p.raw.published, p.chunks),
                    sketch=article_sketch,
                    names=names,
                )
            )
            offset += n
        source_id, added, skipped = await self.store.add_source_articles(
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
        ids = np.array([cid for cid, _ in added], dtype="int64")
        vecs = np.vstack([v for _, v in added])
        await self.vectors.added(ids, vecs)
        return True

    async def _embed_when_idle(self, texts: list[str]) -> np.ndarray:
        """Embed for an ingest or rebuild, letting pending questions use the model thread first.

        The model thread runs one job at a time, in order: without this, a question asked during a
        long ingest would queue behind every batch submitted before it.
        """
        await self._no_questions.wait()
        return await self._on(self._model, self.embedder.embed, texts)

    @asynccontextmanager
    async def _question(self) -> AsyncIterator[None]:
        """Mark an ask in progress (ingest and rebuild embedding wait for it between batches)."""
        self._questions += 1
        self._no_questions.clear()
        try:
            yield
        finally:
            self._questions -= 1
            if not self._questions:
                self._no_questions.set()

    async def refresh_feeds(self, scope: str | None = None) -> IngestReport:
        """Poll every feed source (of one scope, or all) and ingest new entries."""
        async with self._batch() as batch:
            for feed in await self.store.feeds(scope):
                try:
                    collected = await collect_url(feed.location, self.fetcher, TextMeta())
                except SourceError as e:
                    batch.report.failed.append(Failure(feed.location, str(e)))
                    continue
                batch.changed |= await self._store_collected(
                    collected, feed.scope, feed.added_by, batch.report, None
                )
                await self.store.mark_polled(feed.id)
        return batch.report

    # -- sources ------------------------------------------------------------------------------------

    async def sources(self, scope: str | None = None) -> list[SourceInfo]:
        """Sources with article counts (one scope, or all when None)."""
        return await self.store.sources(scope)

    async def remove_source(self, source_id: int, *, scope: str | None = None) -> int:
        """Remove a source and its articles from the store and the index; returns articles removed.

        Raises:
            SourceNotFoundError: no such source in ``scope`` (a server can't remove another's).
        """
        async with self._writing():
            source = await self.store.get_source(source_id)
            if source is None or (scope is not None and source.scope != scope):
                raise SourceNotFoundError(f"no source #{source_id}" + (" in this server" if scope else ""))
            chunk_ids = await self.store.source_chunk_ids(source_id)
            removed = await self.store.delete_source(source_id)
            await self.vectors.removed(chunk_ids)
            self._sentence_vectors.clear()  # ids can be reused by a later ingest
            self._sentences_done_upto = 0  # ...even the highest rowid, below the fill's mark
            await self.vectors.commit()
        return removed

    async def record_feedback(
        self, *, question: str, quotes: Sequence[Quote], user_id: str, vote: int, scope: str
    ) -> None:
        """Store a vote (+1/-1) on an answer, with the quotes it showed."""
        if vote not in (1, -1):
            raise ValueError("vote must be +1 or -1")
        await self.store.add_feedback(
            scope=scope, user_id=user_id, question=question, quotes=[q.to_dict() for q in quotes], vote=vote
        )

    # -- outlet labels ------------------------------------------------------------------------------

    async def label_outlet(
        self, outlet: str, label: str, *, scope: str = GLOBAL_SCOPE, by: str | None = None
    ) -> bool:
        """Label an outlet in a scope; returns whether its answers (the scope's and the global
        articles) have any article from it yet.

        Raises:
            LabelError: an empty or overlong outlet or label.
        """
        outlet, label = clean_label(outlet, label)
        await self.store.set_outlet_label(scope, outlet, label, by)
        searched = tuple(dict.fromkeys((GLOBAL_SCOPE, scope)))
        return outlet.casefold() in {o.casefold() for o in await self.store.outlets(searched)}

    async def unlabel_outlet(self, outlet: str, *, scope: str = GLOBAL_SCOPE) -> None:
        """Remove an outlet's label in a scope.

        Raises:
            LabelError: the outlet has no label there.
        """
        if not await self.store.remove_outlet_label(scope, " ".join(outlet.split())):
            raise LabelError(f"{outlet!r} has no label here.")

    async def outlet_labels(self, scope: str = GLOBAL_SCOPE) -> list[OutletLabel]:
        """A scope's outlet labels, by outlet name."""
        return [OutletLabel(o, label) for o, label in (await self.store.outlet_labels(scope)).values()]

    # -- index --------------------------------------------------------------------------------------

    async def rebuild(self) -> Stats:
        """Rebuild the vector index from the stored vectors (embedding only chunks that lack one).

        Questions keep being answered from the old index until the new one is swapped in.
        """
        async with self._writing():
            await self.vectors.rebuild()
        return await self.stats()

    async def _embed_missing(self) -> None:
        """Embed and store vectors for chunks that have none for this model (after a model change)."""
        missing = await self.store.chunks_missing_vectors(self.embedder.name)
        for i in range(0, len(missing), EMBED_BATCH):
            part = missing[i : i + EMBED_BATCH]
            vecs = await self._embed_when_idle([t for _, t in part])
            await self.store.put_vectors(
                self.embedder.name, [(cid, v) for (cid, _), v in zip(part, vecs, strict=True)]
            )

    async def stats(self) -> Stats:
        """Counts and index facts."""
        sources, articles, chunks = await self.store.counts()
        kind, size, size_bytes = await self.vectors.describe()
        return Stats(
            sources=sources,
            articles=articles,
            chunks=chunks,
            index_type=kind,
            index_vectors=size,
            index_bytes=size_bytes,
            model=self.embedder.name,
            last_rebuild=await self.store.get_meta("last_rebuild"),
        )

    # -- answers ------------------------------------------------------------------------------------

    async def ask(
        self,
        question: str,
        *,
        k: int = 10,
        scopes: Sequence[str] = (GLOBAL_SCOPE,),
        outlet: str | None = None,
        since: date | None = None,
        until: date | None = None,
        retrieval: Retrieval = "hybrid",
        exclude_labels: Sequence[str] = (),
        as_of: date | None = None,
    ) -> Answer:
        """Answer with verbatim quotes from the articles in ``scopes``.

        Args:
            question: what the user asked; dates, outlets and place names in it become filters.
            k: at most this many quotes.
            scopes: which corpora to answer from (GLOBAL_SCOPE and/or a guild id).
            outlet, since, until: explicit filters, on top of what the question says.
            retrieval: "hybrid" (FAISS + BM25, fused), or one of them alone (for evaluation).
            exclude_labels: leave out outlets carrying these labels. Labels are those of the last
                scope in ``scopes`` (a server's own; the global ones for the CLI).
            as_of: the day the question was asked, which "this week" and "last week" are relative
                to; by default the newest report in ``scopes``.
        """
        question = question.strip()
        scopes = tuple(dict.fromkeys(scopes))
        await self.vectors.follow()
        if not question:
            return Answer(question=question, found=False, quotes=(), note="The question is empty.")
        plan = await plan_query(
            question,
            years_for=lambda m, d: self.store.years_for(m, d, scopes),
            known_outlets=await self.store.outlets(scopes),
            is_mentioned=lambda term: self.store.mentioned(term, scopes),
            outlet=outlet,
            since=since,
            until=until,
            newest=(lambda: _given(as_of)) if as_of else (lambda: self.store.newest_published(scopes)),
            spellings_of=lambda place: self.store.spellings(spelling_key(place), scopes),
        )
        labels = await self.store.outlet_labels(scopes[-1])
        article_filter = ArticleFilter(
            scopes=scopes,
            intervals=plan.intervals,
            outlets=plan.outlets,
            places=plan.places,
            exclude_outlets=outlets_with_labels(labels, exclude_labels),
            place_spellings=plan.place_spellings,
        )
        searched = await self.store.count_articles(article_filter)
        if searched == 0 and plan.places:
            # Places the archive has, but not within the other filters: don't require them.
            article_filter = replace(article_filter, places=())
            searched = await self.store.count_articles(article_filter)
        # What was applied, not what was parsed: the user sees the filters that shaped the answer.
        lo = min((a for a, _ in plan.intervals), default=date.min)
        hi = max((b for _, b in plan.intervals), default=date.max)
        filters = QueryFilters(
            since=None if lo == date.min else lo,  # open ends ("since March 3") stay open
            until=None if hi == date.max else hi,
            outlets=plan.outlets,
            places=article_filter.places,
            excluded_labels=tuple(dict.fromkeys(x.strip() for x in exclude_labels if x.strip())),
            relative=plan.periods_explained,
        )
        if plan.unresolved_dates:
            return Answer(
                question=question,
                found=False,
                quotes=(),
                filters=filters,
                note="No reporting in the archive is dated on or mentions the date(s) in the question.",
            )
        if searched == 0:
            return Answer(
                question=question,
                found=False,
                quotes=(),
                filters=filters,
                note="No articles match the question's filters (dates, outlet, places).",
            )
        async with self._question():
            pairs = await self._answer(plan, article_filter, k, retrieval)
        quotes = label_quotes(answering.verify([(with_event_dates(q, a), a) for q, a in pairs]), labels)
        return Answer(
            question=question,
            found=bool(quotes),
            quotes=tuple(quotes),
            articles_searched=searched,
            filters=filters,
            note=None if quotes else "Nothing in the archive answers that.",
            disagreements=find_disagreements(quotes),
        )

    async def _prefer_dated(self, fused: list[int], plan: QueryPlan) -> list[int]:
        """The chunks to quote from; for a dated question, those that speak of its days move up.

        A report published the next day ("yesterday", "on Sunday") is dated after the question's
        day and ranks on words alone; its chunk that speaks of the day is the one to quote.
        """
        pool = fused[: FUSED_CHUNKS * 2]
        dated = await self.store.chunks_speaking_of(pool, plan.intervals)
        if not dated:
            return fused[:FUSED_CHUNKS]
        order = {cid: rank - (DATED_CHUNK_BOOST if cid in dated else 0) for rank, cid in enumerate(pool)}
        return sorted(pool, key=lambda cid: order[cid])[:FUSED_CHUNKS]

    async def _answer(
        self, plan: QueryPlan, f: ArticleFilter, k: int, retrieval: Retrieval
    ) -> list[tuple[Quote, Article]]:
        restricted = bool(f.intervals or f.outlets or f.places or f.exclude_outlets) or set(f.scopes) != set(
            await self.store.scopes()
        )
        # The keyword search (SQLite's thread) runs while the question is embedded (the model's).
        qvecs, keyword_hits = await asyncio.gather(
            self._on(self._model, self.embedder.embed, [plan.question]),
            self.store.keyword_search(plan.terms, f, KEYWORD_CANDIDATES),
        )
        qvec = qvecs[0]
        vector_hits = await self.vectors.search(qvec, VECTOR_CANDIDATES, f, restricted)
        rankings = {
            "hybrid": [[cid for cid, _ in vector_hits], keyword_hits],
            "vector": [[cid for cid, _ in vector_hits]],
            "keyword": [keyword_hits],
        }[retrieval]
        chunk_ids = await self._prefer_dated(fuse(*rankings), plan)
        # Fusion favours chunks both lists hold; one list's very best (BM25's exact phrase, missing
        # from the vector list) would fall past the cut, so each list's head is always kept.
        heads = [cid for ranking in rankings for cid in ranking[:LIST_HEAD]]
        chunk_ids += [cid for cid in dict.fromkeys(heads) if cid not in set(chunk_ids)]
        located = await self.store.chunk_articles(chunk_ids)
        articles = await self.store.articles_by_rowid(rowid for rowid, _, _ in located.values())
        stored_claims = await self.store.claims_for(articles)
        roots = await self.store.duplicate_roots(articles)
        # Near copies of one story share a group id (the rowid of the article they copy).
        groups = {(a.scope, a.id): roots.get(rowid, rowid) for rowid, a in articles.items()}

        candidates: list[Candidate] = []
        seen: set[tuple[int, int]] = set()
        for rank, cid in enumerate(chunk_ids):
            if cid not in located:
                continue
            rowid, start, end = located[cid]
            article = articles[rowid]
            sentences = _sentences(article.text)
            speakers = _speakers(article.text)
            first = next((i for i, (s, _) in enumerate(sentences) if s >= start), len(sentences))
            last = next((i for i, (_, e) in enumerate(sentences) if e > end), len(sentences))
            for s, e, i in answering.sentence_windows(article.text, sentences, first, last):
                if (rowid, s) in seen:
                    continue
                seen.add((rowid, s))
                # The stored claim covering the quote names its speaker; else the sentence's attribution.
                speaker = speaker_at(stored_claims.get(rowid, ()), s, e) or (
                    speakers[i] or (speakers[i + 1] if e > sentences[i][1] else None)
                )
                candidates.append(
                    Candidate(article=article, start=s, end=e, speaker=speaker, chunk_rank=rank)
                )
        if not candidates:
            return []
        candidates = shortlist(candidates, plan)  # embedding every sentence was most of an answer's time

        keys = [(c.article.scope + "\0" + c.article.id, c.start, c.end) for c in candidates]
        rowid_of = {(a.scope, a.id): rowid for rowid, a in articles.items()}
        # The sentences not cached in this process, keyed as the store keeps them.
        uncached = {
            key: (rowid_of[(c.article.scope, c.article.id)], c.start, c.end)
            for c, key in zip(candidates, keys, strict=True)
            if key not in self._sentence_vectors
        }
        if uncached:
            stored = await self.store.sentence_vectors(
                self.embedder.name, {r for r, _, _ in uncached.values()}
            )
            self._sentence_vectors.update(
                (key, stored[where]) for key, where in uncached.items() if where in stored
            )
        todo = [i for i, key in enumerate(keys) if key not in self._sentence_vectors]
        if todo:
            vecs = await self._on(self._model, self.embedder.embed, [candidates[i].text for i in todo])
            if len(self._sentence_vectors) > 50_000:
                self._sentence_vectors.clear()
            for i, v in zip(todo, vecs, strict=True):
                self._sentence_vectors[keys[i]] = v
        sims = np.vstack([self._sentence_vectors[key] for key in keys]) @ qvec
        scored = [
            Candidate(c.article, c.start, c.end, c.speaker, float(sim), c.chunk_rank)
            for c, sim in zip(candidates, sims, strict=True)
        ]
        return answering.select_quotes(scored, plan, k, groups=groups)


async def _given(day: date) -> date:
    """``day``, as the awaitable ``plan_query`` asks for."""
    return day
