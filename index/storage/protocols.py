"""The storage interface the engine, the CLI and the bot use, and the one place a backend is chosen.

Two backends implement it:

* embedded (the default): ``store.Store`` on SQLite + ``faiss_vectors.FaissVectors``, a FAISS file
  in the data dir kept in step with the database. One machine, nothing to run.
* ``pg_store.PgStore`` + ``pg_vectors.PgVectors``: PostgreSQL with pgvector, shared by any number of
  bot shards and workers; vectors are a column of the chunks table, so there is nothing to sync.

``SITREP_DATABASE_URL`` picks one: unset or ``sqlite:///DIR`` → embedded (``DIR`` is the folder that
holds ``sitrep.db`` and ``vectors.faiss``; the data dir when unset), ``postgresql://…`` → Postgres.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.attribution.claims import Claim
from index.models import Article, Chunk, SourceInfo
from index.storage.postgres.store import PgStore
from index.storage.postgres.vectors import PgVectors
from index.storage.sqlite.faiss_vectors import FaissVectors, Runner
from index.storage.sqlite.locking import OpenLock
from index.storage.sqlite.store import ArticleFilter, NewArticle, Store

SQLITE_PREFIX = "sqlite:///"
POSTGRES_PREFIXES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_postgres(url: str | None) -> bool:
    """Whether a database URL names PostgreSQL (else: the embedded SQLite + FAISS store)."""
    return bool(url) and str(url).startswith(POSTGRES_PREFIXES)


def embedded_dir(url: str | None, data_dir: Path) -> Path:
    """The folder of the embedded store: ``DIR`` of ``sqlite:///DIR``, else the data dir.

    ``sqlite:////abs/dir`` is absolute and ``sqlite:///rel/dir`` relative, as in SQLAlchemy URLs.
    """
    if not url:
        return data_dir
    if not url.startswith(SQLITE_PREFIX) or len(url) == len(SQLITE_PREFIX):
        raise ValueError(f"SITREP_DATABASE_URL must be sqlite:///DIR or postgresql://…, not {url!r}")
    return Path(url[len(SQLITE_PREFIX) :])


class Storage(Protocol):
    """Everything persistent but the vector search: sources, articles, chunks, claims, labels, feedback.

    Ids (source, article row, chunk) are unique across scopes in both backends, so the engine can
    look chunks and articles up by id alone.
    """

    async def close(self) -> None: ...
    async def get_meta(self, key: str) -> str | None: ...
    async def set_meta(self, **values: str) -> None: ...
    async def sources(
        self, scope: str | None = None, *, source_id: int | None = None
    ) -> list[SourceInfo]: ...
    async def feeds(self, scope: str | None = None) -> list[SourceInfo]: ...
    async def source_chunk_ids(self, source_id: int) -> list[int]: ...
    async def delete_source(self, source_id: int) -> int: ...
    async def get_source(self, source_id: int) -> SourceInfo | None: ...
    async def mark_polled(self, source_id: int) -> None: ...
    async def known_hashes(self, scope: str, hashes: Iterable[str]) -> set[str]: ...
    async def known_ids(self, scope: str, ids: Iterable[str]) -> set[str]: ...
    async def add_source_articles(
        self,
        *,
        scope: str,
        kind: str,
        location: str,
        added_by: str | None,
        articles: Sequence[NewArticle],
        model: str,
    ) -> tuple[int, list[tuple[int, np.ndarray]], int]: ...
    async def claims_for(self, rowids: Iterable[int]) -> dict[int, list[Claim]]: ...
    async def article_texts(self, after_rowid: int, limit: int) -> list[tuple[int, str]]: ...
    async def replace_claims(self, items: Sequence[tuple[int, Sequence[Claim]]]) -> None: ...
    async def articles_by_rowid(self, rowids: Iterable[int]) -> dict[int, Article]: ...
    async def article(self, scope: str, article_id: str) -> Article | None: ...
    async def chunk_articles(self, chunk_ids: Sequence[int]) -> dict[int, tuple[int, int, int]]: ...
    async def count_articles(self, f: ArticleFilter) -> int: ...
    async def allowed_chunk_ids(self, f: ArticleFilter) -> list[int]: ...
    async def keyword_search(self, terms: Sequence[str], f: ArticleFilter, limit: int) -> list[int]: ...
    async def years_for(self, month: int, day: int | None, scopes: Sequence[str]) -> list[int]: ...
    async def newest_published(self, scopes: Sequence[str]) -> date | None: ...
    async def scopes(self) -> list[str]: ...
    async def outlets(self, scopes: Sequence[str]) -> list[str]: ...
    async def mentioned(self, term: str, scopes: Sequence[str]) -> bool: ...
    async def chunks_speaking_of(
        self, chunk_ids: Sequence[int], intervals: Sequence[tuple[date, date]]
    ) -> set[int]: ...
    async def backfill_chunk_dates(
        self, resolve: Callable[[str, date | None, Sequence[Chunk]], Sequence[Sequence[date]]]
    ) -> int: ...
    async def add_copies_and_names(
        self, items: Sequence[tuple[int, Sequence[int], Sequence[tuple[str, str]]]]
    ) -> None: ...
    async def spellings(self, key: str, scopes: Sequence[str]) -> list[str]: ...
    async def duplicate_roots(self, rowids: Iterable[int]) -> dict[int, int]: ...
    async def set_outlet_label(self, scope: str, outlet: str, label: str, set_by: str | None) -> None: ...
    async def remove_outlet_label(self, scope: str, outlet: str) -> bool: ...
    async def outlet_labels(self, scope: str) -> dict[str, tuple[str, str]]: ...
    async def chunks_missing_vectors(self, model: str) -> list[tuple[int, str]]: ...
    async def put_vectors(self, model: str, items: Sequence[tuple[int, np.ndarray]]) -> None: ...
    async def articles_lacking_sentence_vectors(
        self, model: str, after_rowid: int, limit: int
    ) -> list[tuple[int, str]]: ...
    async def last_article_rowid(self) -> int: ...
    async def put_sentence_vectors(
        self, model: str, items: Sequence[tuple[int, int, int, np.ndarray]]
    ) -> None: ...
    async def sentence_vectors(
        self, model: str, rowids: Iterable[int]
    ) -> dict[tuple[int, int, int], np.ndarray]: ...
    async def counts(self) -> tuple[int, int, int]: ...
    async def add_feedback(
        self, *, scope: str, user_id: str, question: str, quotes: list[dict[str, Any]], vote: int
    ) -> None: ...
    async def feedback(self) -> list[dict[str, Any]]: ...


class VectorSearch(Protocol):
    """Nearest-chunk search over the stored vectors, kept in step with the store.

    The engine calls ``writing()`` around every write, ``added``/``removed`` as chunks come and go,
    ``commit`` once a write is done, ``follow`` before answering, and ``rebuild`` on demand.
    """

    dim: int

    @property
    def needs_rebuild(self) -> bool: ...
    async def describe(self) -> tuple[str, int, int]: ...
    async def load(self) -> None: ...
    def writing(self) -> AbstractAsyncContextManager[None]: ...
    async def follow(self) -> None: ...
    async def added(self, ids: np.ndarray, vecs: np.ndarray) -> None: ...
    async def removed(self, ids: Sequence[int]) -> None: ...
    async def commit(self) -> None: ...
    async def search(
        self, qvec: np.ndarray, k: int, f: ArticleFilter, restricted: bool
    ) -> list[tuple[int, float]]: ...
    async def rebuild(self) -> None: ...


async def open_storage(data_dir: Path, url: str | None) -> tuple[Storage, OpenLock | None]:
    """Open the store ``url`` names; for the embedded one also its "in use" lock (held until close)."""
    if is_postgres(url):
        assert url is not None
        return await PgStore.open(url), None
    folder = embedded_dir(url, data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    lock = OpenLock(folder)
    lock.acquire()  # refused while a restore replaces the files
    try:
        return await Store.open(folder / "sitrep.db"), lock
    except BaseException:
        lock.release()
        raise


def open_vector_search(
    store: Storage,
    data_dir: Path,
    url: str | None,
    *,
    dim: int,
    model: str,
    on_model: Runner,
    on_build: Runner,
    fill_missing: Callable[[], Awaitable[None]],
    when_idle: Callable[[], Awaitable[Any]] | None = None,
) -> VectorSearch:
    """The vector search that goes with ``store`` (call ``load()`` on it before use)."""
    if isinstance(store, PgStore):
        return PgVectors(store, dim=dim, model=model, fill_missing=fill_missing)
    assert isinstance(store, Store)
    return FaissVectors(
        embedded_dir(url, data_dir),
        store,
        dim=dim,
        model=model,
        on_model=on_model,
        on_build=on_build,
        fill_missing=fill_missing,
        when_idle=when_idle,
    )
