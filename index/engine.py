"""The one async façade the CLI, the bot and workers use: ingest, ask, sources, labels, stats, rebuild.

It opens and wires the parts and holds the write lock; the work is theirs:
* ``storage``: a ``Storage`` (embedded SQLite, or PostgreSQL) and its ``VectorSearch``;
* ``ingest.pipeline.Ingestor``: a source's way into the archive (collect → prepare → enrich → store);
* ``answering.retrieval.Retriever``: a question's way to an answer (plan → retrieve → compose);
* ``answering.sentence_vectors.SentenceVectors``: the quotable sentences' vectors, filled after ingest;
* ``threads.EngineThreads``: the model and build threads, and questions first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import date
from functools import partial
from pathlib import Path

from index.answering.outlet_labels import clean_label
from index.answering.retrieval import Retrieval, Retriever
from index.answering.sentence_vectors import SentenceVectors
from index.embedding.base import DEFAULT_BACKEND, DEFAULT_MODEL, Embedder, embedder_name
from index.embedding.factory import LazyEmbedder
from index.errors import LabelError, SourceNotFoundError
from index.ingest.backfill import backfill
from index.ingest.fetching import Fetcher
from index.ingest.pipeline import Ingestor, ProgressCallback, embed_missing_chunks
from index.ingest.readers import TextMeta
from index.ingest.reclean import RecleanReport, reclean
from index.ingest.telegram import DEFAULT_BASE_URL as TELEGRAM_BASE_URL
from index.models import GLOBAL_SCOPE, Answer, IngestReport, OutletLabel, SourceInfo, Stats
from index.storage.factory import open_storage, open_vector_search
from index.storage.protocols import Storage, VectorSearch
from index.storage.records import ArchivedPage
from index.threads import EngineThreads

log = logging.getLogger(__name__)

__all__ = ["Engine", "ProgressCallback", "Retrieval"]


class Engine:
    """Ingest reporting, index it, and answer questions with verbatim, attributed quotes."""

    def __init__(
        self,
        data_dir: Path,
        store: Storage,
        embedder: Embedder,
        vectors: VectorSearch,
        threads: EngineThreads,
        fetcher: Fetcher,
        *,
        sentence_vectors: bool = False,
    ) -> None:
        """Use ``Engine.open``."""
        self.data_dir = data_dir
        self.store = store
        self.embedder = embedder
        self.vectors = vectors
        self.threads = threads
        self._write_lock = asyncio.Lock()  # one ingest / removal / rebuild at a time in this process
        self.sentences = SentenceVectors(store.embeddings, embedder, threads, keep=sentence_vectors)
        self.ingestor = Ingestor(
            store, vectors, embedder, threads, fetcher, writing=self._writing, after=self._after_ingest
        )
        self.retriever = Retriever(
            store.search, store.annotations, vectors, embedder, threads, self.sentences
        )
        self.rebuilding: asyncio.Task[Stats] | None = None  # a retrain for a grown corpus

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
        telegram_base_url: str = TELEGRAM_BASE_URL,
        chunk_vectors: str | None = None,
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
            database_url: None or ``sqlite:///DIR`` (embedded) or ``postgresql://…`` (storage/factory.py).
            sentence_vectors: embed the sentences of stored articles in the background (after
                opening, after each ingest), so questions need not (``fill_sentence_vectors``).
            telegram_base_url: where Telegram channels' public previews are read (``https://t.me``);
                the address rules of ``public_urls_only`` apply to it like to any URL.
            chunk_vectors: "sentences", "model" or None: the encoder's choice (see config.py).
        """
        data_dir.mkdir(parents=True, exist_ok=True)
        store = await open_storage(data_dir, database_url)
        threads = EngineThreads()
        loop = asyncio.get_running_loop()
        try:
            chosen = (
                embedder
                if embedder is not None
                else await _lazy_embedder(store, model or DEFAULT_MODEL, encoder_backend, data_dir / "models")
            )
            if load_model and isinstance(chosen, LazyEmbedder):
                await loop.run_in_executor(None, chosen.load)
            # Off the loop: deciding how questions are embedded reads files; reading .dim may load the model.
            await loop.run_in_executor(None, lambda: getattr(chosen, "questions_apart", False))
            dim = await loop.run_in_executor(None, lambda: chosen.dim)
            vectors = open_vector_search(
                store,
                dim=dim,
                model=chosen.name,
                on_index=threads.on_index,
                on_build=threads.on_build,
                fill_missing=partial(embed_missing_chunks, store, chosen, threads),
                when_idle=threads.when_idle,
            )
            fetcher = Fetcher(timeout=fetch_timeout, max_bytes=fetch_max_bytes, public_only=public_urls_only)
            engine = cls(
                data_dir, store, chosen, vectors, threads, fetcher, sentence_vectors=sentence_vectors
            )
            engine.ingestor.telegram_base_url = telegram_base_url
            own = getattr(chosen, "chunks_from_sentences", True)  # None: the encoder's (e5's: "model")
            if chunk_vectors == "sentences" or (chunk_vectors is None and own):
                engine.ingestor.remember = engine.sentences.remember
            async with engine._write_lock:
                await vectors.load()
            if not store.read_only:
                await backfill(store, threads)  # what stores written by an older sitrep lack
                engine.sentences.fill_in_background()  # articles stored before, or by another process
        except BaseException:
            await store.close()
            threads.shutdown()
            raise
        return engine

    async def close(self) -> None:
        """Stop background work; close the store, the HTTP session and the worker threads."""
        if self.rebuilding is not None and not self.rebuilding.done():
            # The old index on disk stays valid.
            self.rebuilding.cancel()
            await asyncio.gather(self.rebuilding, return_exceptions=True)
        await self.sentences.stop()
        await self.fetcher.close()
        await self.store.close()
        self.threads.shutdown()

    async def __aenter__(self) -> Engine:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def fetcher(self) -> Fetcher:
        """How URLs are fetched (its settings decide which addresses may be reached)."""
        return self.ingestor.fetcher

    @fetcher.setter
    def fetcher(self, fetcher: Fetcher) -> None:
        self.ingestor.fetcher = fetcher

    @property
    def index_path(self) -> Path:
        """The FAISS file (embedded store only)."""
        return Path(getattr(self.vectors, "path", self.data_dir / "vectors.faiss"))

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[None]:
        """Hold this process's write lock and the vector search's (the data dir's file lock, for FAISS)."""
        async with self._write_lock, self.vectors.writing():
            yield

    def _after_ingest(self, report: IngestReport) -> None:
        """Retrain an index the corpus outgrew, and embed the new articles' sentences, in the background."""
        if self.vectors.needs_rebuild and (self.rebuilding is None or self.rebuilding.done()):
            # Waits for the write lock; questions are answered from the current index meanwhile.
            self.rebuilding = asyncio.create_task(self.rebuild())
        if report.added:
            self.sentences.fill_in_background()

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
        """Ingest files, directories, article URLs, feed URLs and Telegram channels.

        Each file, page or feed is one source, stored in one transaction: a source that fails leaves
        the store as it was, and the others still land. Re-ingesting a source adds nothing.

        Args:
            locations: paths, http(s) URLs, or Telegram channels (``t.me/s/NAME``, ``tg:NAME``) or posts.
            scope: GLOBAL_SCOPE, or a Discord guild id for a server's own sources.
            added_by: who added them (shown in source listings).
            meta: outlet/url/published/title for .txt/.md/.html files.
            progress: called on the event loop after each batch.
        """
        return await self.ingestor.locations(
            locations, scope=scope, added_by=added_by, meta=meta or TextMeta(), progress=progress
        )

    async def ingest_bytes(
        self,
        filename: str,
        data: bytes,
        *,
        scope: str,
        added_by: str | None = None,
        progress: ProgressCallback | None = None,
        meta: TextMeta | None = None,
    ) -> IngestReport:
        """Ingest an uploaded file (a Discord attachment) by its extension; ``meta``: the uploader's outlet,
        date and link for it (for a JSONL file, for the records that lack them)."""
        upload = self.ingestor.upload
        return await upload(
            filename, data, scope=scope, added_by=added_by, progress=progress, meta=meta or TextMeta()
        )

    async def refresh_feeds(self, scope: str | None = None) -> IngestReport:
        """Poll every feed and Telegram channel (of one scope, or all) and ingest new entries."""
        return await self.ingestor.feeds(scope)

    async def fill_sentence_vectors(self, progress: Callable[[int], None] | None = None) -> int:
        """Embed and store the quotable sentences of articles that have none yet; returns how many.

        Runs in the background after each ingest; the CLI calls it before exiting. ``progress`` gets the
        count stored so far after each group of articles.
        """
        return await self.sentences.fill(progress)

    async def reclean(self, progress: Callable[[int, int], None] | None = None) -> RecleanReport:
        """Clean every stored article again as ingest now would; replace those that change.

        Holds the sentence-fill lock too, so no process stores sentence vectors for a text being
        replaced; the vectors of changed articles are filled again afterwards.
        """
        await self.sentences.stop()
        async with self.store.embeddings.fill_lock(), self._writing():
            report = await reclean(self.store, self.vectors, self.ingestor, progress=progress)
        if report.changed or report.removed:
            self.sentences.forget()  # offsets of the changed articles' sentences moved
            self.sentences.fill_in_background()
        return report

    # -- sources, feedback, labels ------------------------------------------------------------------

    async def sources(self, scope: str | None = None) -> list[SourceInfo]:
        """Sources with article counts and versions (one scope, or all when None)."""
        return await self.store.sources.find(scope, versions=True)

    async def archived(self, article_id: str, *, scope: str = GLOBAL_SCOPE) -> ArchivedPage | None:
        """The page an article was read from, exactly as fetched (None for files and uploads)."""
        return await self.store.articles.archived(scope, article_id)

    async def remove_source(self, source_id: int, *, scope: str | None = None) -> int:
        """Remove a source and its articles from the store and the index; returns articles removed.

        Raises:
            SourceNotFoundError: no such source in ``scope`` (a server can't remove another's).
        """
        async with self._writing():
            source = await self.store.sources.get(source_id)
            if source is None or (scope is not None and source.scope != scope):
                raise SourceNotFoundError(f"no source #{source_id}" + (" in this server" if scope else ""))
            chunk_ids = await self.store.sources.chunk_ids(source_id)
            removed = await self.store.sources.delete(source_id)
            await self.vectors.removed(chunk_ids)
            self.sentences.forget()
            await self.vectors.commit()
        return removed

    async def label_outlet(
        self, outlet: str, label: str, *, scope: str = GLOBAL_SCOPE, by: str | None = None
    ) -> bool:
        """Label an outlet in a scope; returns whether its answers (the scope's and the global
        articles) have any article from it yet.

        Raises:
            LabelError: an empty or overlong outlet or label.
        """
        outlet, label = clean_label(outlet, label)
        await self.store.annotations.set_label(scope, outlet, label, by)
        searched = tuple(dict.fromkeys((GLOBAL_SCOPE, scope)))
        return outlet.casefold() in {o.casefold() for o in await self.store.search.outlets(searched)}

    async def unlabel_outlet(self, outlet: str, *, scope: str = GLOBAL_SCOPE) -> None:
        """Remove an outlet's label in a scope.

        Raises:
            LabelError: the outlet has no label there.
        """
        if not await self.store.annotations.remove_label(scope, " ".join(outlet.split())):
            raise LabelError(f"{outlet!r} has no label here.")

    async def outlet_labels(self, scope: str = GLOBAL_SCOPE) -> list[OutletLabel]:
        """A scope's outlet labels, by outlet name."""
        return [OutletLabel(o, label) for o, label in (await self.store.annotations.labels(scope)).values()]

    # -- index --------------------------------------------------------------------------------------

    async def rebuild(self) -> Stats:
        """Rebuild the vector index from the stored vectors (embedding only chunks that lack one).

        Questions keep being answered from the old index until the new one is swapped in.
        """
        async with self._writing():
            await self.vectors.rebuild()
        return await self.stats()

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
            languages=tuple(await self.store.languages()),
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
        await self.vectors.follow()  # what other processes committed since
        plan = await self.retriever.plan(
            question.strip(),
            scopes=tuple(dict.fromkeys(scopes)),
            outlet=outlet,
            since=since,
            until=until,
            exclude_labels=exclude_labels,
            as_of=as_of,
        )
        found = await self.retriever.retrieve(plan, k=k, retrieval=retrieval)
        return self.retriever.compose(plan, found)


async def _lazy_embedder(store: Storage, name: str, backend: str, cache_dir: Path) -> LazyEmbedder:
    """The named model, loaded on first use; its dimension comes from the stored index when it has one."""
    dim = await store.get_meta("index_dim")
    same_model = await store.get_meta("index_model") == embedder_name(name, backend)
    return LazyEmbedder(name, int(dim) if dim and same_model else None, backend=backend, cache_dir=cache_dir)
