"""What the engine, the CLI and the bot ask of storage, as the few roles their callers use.

A store is a ``Storage``: a handful of meta/lifecycle calls and seven small roles, each an object
with its own methods, so a caller depends on the role it uses and nothing else:

* ``sources``     sources and feeds (``/source list|remove``, feed polling);
* ``articles``    writing articles and what derives from them, and reading them back by id;
* ``search``      what a question reads: filters, keyword search, the passages it quotes from;
* ``embeddings``  stored chunk and sentence vectors (the vector index is built from them);
* ``annotations`` what people add: outlet labels and feedback;
* ``watches``     standing questions, daily digests, what was alerted, and the lease on running them;
* ``arrivals``    what the archive received in a window of ingest times (the digest).

Nearest-chunk search is a ``VectorSearch`` beside the store (a FAISS file, or pgvector).

Ids (source, article row, chunk) are unique across scopes in both backends, so callers look chunks
and articles up by id alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Any, Protocol

import numpy as np

from index.models import Article, Chunk, Claim, SourceInfo
from index.storage.notification_roles import ArrivalStore, WatchStore
from index.storage.posted_role import PostedAnswerStore
from index.storage.records import ArchivedPage, ArticleFilter, NewArticle, Passages

Runner = Callable[..., Awaitable[Any]]
"""Runs ``fn(*args)`` on one of the engine's worker threads and returns its result."""

ChunkDays = Callable[[str, date | None, Sequence[Chunk]], Sequence[Sequence[date]]]
"""``(text, published, chunks) -> days per chunk``: what ``backfill_chunk_dates`` fills in."""


class SourceStore(Protocol):
    """Sources and feeds. A backend subclasses it for ``get`` and ``feeds``, which derive from ``find``."""

    async def find(
        self, scope: str | None = None, *, source_id: int | None = None, versions: bool = False
    ) -> list[SourceInfo]:
        """Sources with their article counts (and, with ``versions``, how many are later versions of a
        page stored before), newest first; every scope when ``scope`` is None."""
        ...

    async def get(self, source_id: int) -> SourceInfo | None:
        """One source by id."""
        found = await self.find(source_id=source_id)
        return found[0] if found else None

    async def feeds(self, scope: str | None = None) -> list[SourceInfo]:
        """The sources polled for new entries: RSS/Atom feeds and Telegram channels."""
        return [s for s in await self.find(scope) if s.kind in ("feed", "telegram")]

    async def chunk_ids(self, source_id: int) -> list[int]:
        """Ids of every chunk of a source's articles."""
        ...

    async def delete(self, source_id: int) -> int:
        """Delete a source with its articles, chunks and vectors; returns the articles removed."""
        ...

    async def mark_polled(self, source_id: int) -> None:
        """Record that a feed was polled now."""
        ...


class ArticleStore(Protocol):
    """Writing articles (one source's new articles per transaction) and reading them back."""

    async def known_hashes(self, scope: str, hashes: Iterable[str]) -> set[str]:
        """Which content hashes are stored in ``scope`` already."""
        ...

    async def known_ids(self, scope: str, ids: Iterable[str]) -> set[str]:
        """Which article ids are taken in ``scope`` already."""
        ...

    async def add(
        self,
        *,
        scope: str,
        kind: str,
        location: str,
        added_by: str | None,
        articles: Sequence[NewArticle],
        model: str,
    ) -> tuple[int, list[tuple[int, np.ndarray]], int]:
        """Write a source and its new articles in one transaction: all of it lands or none does.

        Returns:
            The source id, the (chunk id, vector) pairs of the new chunks, and how many articles
            were skipped because another writer stored them since the caller looked.
        """
        ...

    async def replace(
        self, items: Sequence[tuple[int, NewArticle | None]], *, model: str
    ) -> tuple[list[int], list[tuple[int, np.ndarray]], list[int]]:
        """Give stored articles (by row id) a new text and what derives from it, in one transaction.

        An article keeps its row id, id, source and metadata; ``None``, or a text another article of
        its scope already has, deletes it. Articles deleted meanwhile are skipped.

        Returns:
            The removed chunk ids, the new chunks' (id, vector) pairs, and the row ids deleted.
        """
        ...

    async def get(self, scope: str, article_id: str) -> Article | None:
        """One article by its id within a scope."""
        ...

    async def archived(self, scope: str, article_id: str) -> ArchivedPage | None:
        """The page an article was read from, as fetched; None if it has none (a file, an upload)."""
        ...

    async def by_rowid(self, rowids: Iterable[int]) -> dict[int, Article]:
        """Stored articles keyed by their row id."""
        ...

    async def claims(self, rowids: Iterable[int]) -> dict[int, list[Claim]]:
        """Stored claims keyed by article row id, in text order (articles without any are absent)."""
        ...

    async def texts(self, after_rowid: int, limit: int) -> list[tuple[int, str]]:
        """(row id, text) of up to ``limit`` articles past ``after_rowid``, in row id order."""
        ...

    async def replace_claims(self, items: Sequence[tuple[int, Sequence[Claim]]]) -> None:
        """Replace some articles' claims in one transaction (articles deleted meanwhile are skipped)."""
        ...

    async def backfill_chunk_dates(self, resolve: ChunkDays) -> int:
        """Fill the days each chunk speaks of for a store written before they were kept (once)."""
        ...

    async def add_copies_and_names(
        self, items: Sequence[tuple[int, Sequence[int], Sequence[tuple[str, str]]]]
    ) -> None:
        """For articles stored before near-copy and spelling detection: (row id, sketch, names)."""
        ...

    async def add_names(self, items: Sequence[tuple[int, Sequence[tuple[str, str]]]]) -> None:
        """More name spellings of stored articles: (row id, names); one transaction."""
        ...


class SearchStore(Protocol):
    """What answering a question reads."""

    async def count(self, f: ArticleFilter) -> int:
        """How many articles the filter admits."""
        ...

    async def allowed_chunk_ids(self, f: ArticleFilter) -> list[int]:
        """Ids of the chunks of the articles the filter admits."""
        ...

    async def keyword(self, terms: Sequence[str], f: ArticleFilter, limit: int) -> list[int]:
        """BM25-ranked ids of chunks matching any of ``terms`` within the filter."""
        ...

    async def speaking_of(self, chunk_ids: Sequence[int], intervals: Sequence[tuple[date, date]]) -> set[int]:
        """Which of ``chunk_ids`` speak of a day in one of the intervals."""
        ...

    async def passages(self, chunk_ids: Sequence[int]) -> Passages:
        """The chunks' places in their articles, the articles, their claims and near-copy groups."""
        ...

    async def years_for(self, month: int, day: int | None, scopes: Sequence[str]) -> list[int]:
        """Years with reporting on ``month``/``day`` (published or stated), most recent first."""
        ...

    async def newest_published(self, scopes: Sequence[str]) -> date | None:
        """The newest publication date in the scopes."""
        ...

    async def published_range(self, scopes: Sequence[str]) -> tuple[date | None, date | None]:
        """The oldest and newest publication dates in the scopes (None, None when nothing is dated)."""
        ...

    async def scopes(self) -> list[str]:
        """The scopes that have articles."""
        ...

    async def outlets(self, scopes: Sequence[str]) -> list[str]:
        """Distinct outlet names in the scopes."""
        ...

    async def mentioned(self, term: str, scopes: Sequence[str]) -> bool:
        """Whether any article in the scopes contains ``term`` as a phrase."""
        ...

    async def newest_rowid(self) -> int:
        """The highest article row id stored (0 for none): where a watch looks from next."""
        ...

    async def originals(self, rowids: Sequence[int]) -> dict[int, int]:
        """Of these articles, the near copies (wire copy, a republished page) -> their original's row id."""
        ...

    async def spellings(self, key: str, scopes: Sequence[str]) -> list[str]:
        """The corpus's spellings of a name with this spelling key."""
        ...


class EmbeddingStore(Protocol):
    """Stored vectors: one per chunk (what the vector index is built from) and per quotable sentence."""

    async def missing_chunk_vectors(self, model: str) -> list[tuple[int, str]]:
        """(chunk id, text) of chunks with no vector for ``model``."""
        ...

    async def put_chunk_vectors(self, model: str, items: Sequence[tuple[int, np.ndarray]]) -> None:
        """Store vectors of existing chunks (one transaction)."""
        ...

    def fill_lock(self) -> AbstractAsyncContextManager[None]:
        """Held by the one process filling sentence vectors; others wait for it (cancellably)."""
        ...

    async def articles_lacking_sentence_vectors(
        self, model: str, after_rowid: int, limit: int
    ) -> list[tuple[int, str]]:
        """(row id, text) of up to ``limit`` articles past ``after_rowid`` with no sentence vectors."""
        ...

    async def last_article_rowid(self) -> int:
        """The highest article row id (0 for none): where a sentence fill may start next time."""
        ...

    async def put_sentence_vectors(
        self, model: str, items: Sequence[tuple[int, int, int, np.ndarray]]
    ) -> None:
        """Store (article row id, start, end, vector) rows in one transaction."""
        ...

    async def sentence_vectors(
        self, model: str, rowids: Iterable[int]
    ) -> dict[tuple[int, int, int], np.ndarray]:
        """The stored sentence vectors of these articles, by (row id, start, end)."""
        ...


class AnnotationStore(Protocol):
    """What people add to the archive: outlet labels per scope, and votes on answers."""

    async def set_label(self, scope: str, outlet: str, label: str, set_by: str | None) -> None:
        """Label an outlet in a scope (replacing its previous label there)."""
        ...

    async def remove_label(self, scope: str, outlet: str) -> bool:
        """Remove an outlet's label in a scope; False when it had none."""
        ...

    async def labels(self, scope: str) -> dict[str, tuple[str, str]]:
        """A scope's labels: casefolded outlet -> (outlet as written, label)."""
        ...

    async def add_feedback(
        self, *, scope: str, user_id: str, question: str, quotes: list[dict[str, Any]], vote: int
    ) -> None:
        """Store a vote on an answer, with the quotes it showed."""
        ...

    async def feedback(self) -> list[dict[str, Any]]:
        """All feedback rows, oldest first."""
        ...


class Storage(Protocol):
    """Everything persistent but the vector search, as its seven roles."""

    @property
    def sources(self) -> SourceStore:
        """Sources and feeds."""
        ...

    @property
    def articles(self) -> ArticleStore:
        """Writing articles, reading them back."""
        ...

    @property
    def search(self) -> SearchStore:
        """What questions read."""
        ...

    @property
    def embeddings(self) -> EmbeddingStore:
        """Stored chunk and sentence vectors."""
        ...

    @property
    def annotations(self) -> AnnotationStore:
        """Outlet labels and feedback."""
        ...

    @property
    def watches(self) -> WatchStore:
        """Watches, digests and leases."""
        ...

    @property
    def arrivals(self) -> ArrivalStore:
        """What arrived when."""
        ...

    @property
    def posted(self) -> PostedAnswerStore:
        """Posted answers and the votes on their quotes."""
        ...

    @property
    def read_only(self) -> bool:
        """Whether only reads are possible (a read-only data dir): writes raise StoreReadOnlyError."""
        ...

    async def get_meta(self, key: str) -> str | None:
        """A value from the meta table, or None."""
        ...

    async def set_meta(self, **values: str) -> None:
        """Set meta values, all in one transaction."""
        ...

    async def counts(self) -> tuple[int, int, int]:
        """(sources, articles, chunks)."""
        ...

    async def languages(self) -> list[tuple[str, int]]:
        """(language, articles) of the whole store, most articles first."""
        ...

    async def close(self) -> None:
        """Close the connections."""
        ...


class VectorSearch(Protocol):
    """Nearest-chunk search over the stored vectors, kept in step with the store.

    The engine calls ``writing()`` around every write, ``added``/``removed`` as chunks come and go,
    ``commit`` once a write is done, ``follow`` before answering, and ``rebuild`` on demand.
    """

    dim: int

    @property
    def needs_rebuild(self) -> bool:
        """Whether the corpus outgrew the index structure."""
        ...

    async def describe(self) -> tuple[str, int, int]:
        """(kind, vectors held, bytes) for stats."""
        ...

    async def load(self) -> None:
        """Make the index ready (load, or build from stored vectors)."""
        ...

    def writing(self) -> AbstractAsyncContextManager[None]:
        """Held around every write to the store."""
        ...

    async def follow(self) -> None:
        """Pick up what other processes committed."""
        ...

    async def added(self, ids: np.ndarray, vecs: np.ndarray) -> None:
        """Index the vectors of chunks just stored."""
        ...

    async def removed(self, ids: Sequence[int]) -> None:
        """Drop the vectors of chunks just deleted."""
        ...

    async def commit(self) -> None:
        """Make this write's changes durable."""
        ...

    async def search(
        self, qvec: np.ndarray, k: int, f: ArticleFilter, restricted: bool
    ) -> list[tuple[int, float]]:
        """The ``k`` nearest chunks within the filter, best first, with their similarity."""
        ...

    async def rebuild(self) -> None:
        """Build a fresh index from the stored vectors and swap it in."""
        ...
