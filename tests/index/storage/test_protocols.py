"""Both backends give every role every method the protocols name, with the same parameters."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from index.storage import notification_roles, posted_role, protocols
from index.storage.postgres.annotations import PgAnnotations
from index.storage.postgres.arrivals import PgArrivals
from index.storage.postgres.articles import PgArticles
from index.storage.postgres.embeddings import PgEmbeddings
from index.storage.postgres.posted import PgPosted
from index.storage.postgres.search import PgSearch
from index.storage.postgres.sources import PgSources
from index.storage.postgres.store import PgStore
from index.storage.postgres.vectors import PgVectors
from index.storage.postgres.watches import PgWatches
from index.storage.sqlite.annotations import SqliteAnnotations
from index.storage.sqlite.arrivals import SqliteArrivals
from index.storage.sqlite.articles import SqliteArticles
from index.storage.sqlite.embeddings import SqliteEmbeddings
from index.storage.sqlite.faiss_vectors import FaissVectors
from index.storage.sqlite.posted import SqlitePosted
from index.storage.sqlite.search import SqliteSearch
from index.storage.sqlite.sources import SqliteSources
from index.storage.sqlite.store import SqliteStore
from index.storage.sqlite.watches import SqliteWatches

ROLES = [
    (protocols.SourceStore, SqliteSources, PgSources),
    (protocols.ArticleStore, SqliteArticles, PgArticles),
    (protocols.SearchStore, SqliteSearch, PgSearch),
    (protocols.EmbeddingStore, SqliteEmbeddings, PgEmbeddings),
    (protocols.AnnotationStore, SqliteAnnotations, PgAnnotations),
    (notification_roles.WatchStore, SqliteWatches, PgWatches),
    (notification_roles.ArrivalStore, SqliteArrivals, PgArrivals),
    (posted_role.PostedAnswerStore, SqlitePosted, PgPosted),
    (protocols.VectorSearch, FaissVectors, PgVectors),
]


def methods(protocol: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(protocol).items()
        if not name.startswith("_") and callable(member)
    }


def parameters(sig: inspect.Signature) -> list[tuple[str, inspect._ParameterKind]]:
    return [(p.name, p.kind) for p in sig.parameters.values()]


@pytest.mark.parametrize(("protocol", "sqlite", "postgres"), ROLES, ids=lambda x: getattr(x, "__name__", ""))
def test_each_backend_implements_the_role(protocol: type, sqlite: type, postgres: type) -> None:
    wanted = methods(protocol)
    assert wanted, protocol
    for backend in (sqlite, postgres):
        for name, sig in wanted.items():
            impl = getattr(backend, name, None)
            assert impl is not None, f"{backend.__name__} has no {name}"
            assert parameters(inspect.signature(impl)) == parameters(sig), f"{backend.__name__}.{name}"
            assert inspect.iscoroutinefunction(impl) == inspect.iscoroutinefunction(
                getattr(protocol, name)
            ), name


@pytest.mark.parametrize("backend", [SqliteStore, PgStore])
def test_each_store_has_the_seven_roles_and_the_meta_calls(backend: type) -> None:
    for name in ("get_meta", "set_meta", "counts", "close"):
        assert inspect.iscoroutinefunction(getattr(backend, name)), name
    assert parameters(inspect.signature(backend.get_meta)) == parameters(
        inspect.signature(protocols.Storage.get_meta)
    )


async def test_an_embedded_store_has_its_roles(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "data")
    try:
        roles = (
            store.sources,
            store.articles,
            store.search,
            store.embeddings,
            store.annotations,
            store.watches,
            store.arrivals,
        )
        assert [type(r) for r in roles] == [
            SqliteSources,
            SqliteArticles,
            SqliteSearch,
            SqliteEmbeddings,
            SqliteAnnotations,
            SqliteWatches,
            SqliteArrivals,
        ]
        assert len({id(r.db) for r in roles}) == 1  # one database shared by the roles
    finally:
        await store.close()
