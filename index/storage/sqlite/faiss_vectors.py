"""Vector search for the embedded store: a FAISS file in the data dir kept in step with SQLite.

The store's ``version`` is bumped in the same transaction as every data change and the index
records the version it was saved at (``index_version`` in meta), so a crash between the two, or a
write by another process, is seen and repaired: the index is loaded again or rebuilt from the
vectors stored in SQLite. Writes hold the data dir's file lock across the SQLite transaction and
the FAISS save, so two processes never interleave them.

Threads: the live index is touched only on the engine's model thread (searches and adds are
serialised with encodes); a fresh index for a rebuild is built on the build thread, so questions
are answered from the old one until the swap.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import StoreReadOnlyError, StoreWriteError
from index.storage.protocols import Runner
from index.storage.records import ArticleFilter, utc_now
from index.storage.sqlite.database import READ_ONLY
from index.storage.sqlite.locking import write_locked
from index.storage.sqlite.store import SqliteStore
from index.storage.sqlite.vector_index import VectorIndex

log = logging.getLogger(__name__)

INDEX_FILE = "vectors.faiss"
RESCORE_DEPTH = 40  # an IVF index is asked for at least this many hits, all scored again exactly


async def _now() -> None:
    """Nothing to wait for (no questions share this index)."""


class FaissVectors:
    """The live FAISS index of an embedded store, its file, and the locks that keep them in step."""

    def __init__(
        self,
        store: SqliteStore,
        *,
        dim: int,
        model: str,
        on_index: Runner,
        on_build: Runner,
        fill_missing: Callable[[], Awaitable[None]],
        when_idle: Callable[[], Awaitable[Any]] | None = None,
    ) -> None:
        """``on_index``/``on_build`` run work on the engine's threads; ``fill_missing`` embeds
        stored chunks that have no vector for ``model`` (before a rebuild); ``when_idle`` returns
        once no question is being answered."""
        self.folder = store.folder
        self.store = store
        self.dim = dim
        self.model = model
        self.index = VectorIndex(dim)
        self._on_index = on_index
        self._on_build = on_build
        self._fill_missing = fill_missing
        self._when_idle = when_idle or _now
        self._version = "0"  # the data version the live index reflects
        self._in_write = False

    @property
    def path(self) -> Path:
        """The FAISS file."""
        return self.folder / INDEX_FILE

    @property
    def kind(self) -> str:
        """The FAISS index type."""
        return self.index.kind

    @property
    def size(self) -> int:
        """Vectors in the live index."""
        return self.index.size

    @property
    def bytes(self) -> int:
        """Size of the saved file."""
        return self.path.stat().st_size if self.path.exists() else 0

    async def describe(self) -> tuple[str, int, int]:
        """(kind, vectors held, file bytes) for stats."""
        return self.kind, self.size, self.bytes

    @property
    def needs_rebuild(self) -> bool:
        """Whether the corpus outgrew the index structure."""
        return self.index.needs_rebuild

    async def load(self) -> None:
        """Load the saved index, or rebuild it under the write lock when it doesn't match the store.

        A read-only store's stale or missing index is built in memory from the stored vectors instead.
        """
        if self.store.read_only:
            if not await self._try_load():
                log.warning(
                    "the vector index is missing or stale and the store is read-only: building it in memory"
                )
                self.index = await self._build()
                self._version = await self.store.get_meta("version") or "0"
            return
        if not await self._try_load():
            # Repair under the lock: another process may be mid-write, or may just have saved.
            async with write_locked(self.folder):
                if not await self._try_load():
                    log.info("the vector index is missing or stale; rebuilding it from the store")
                    await self.rebuild()

    async def _try_load(self) -> bool:
        """Load the FAISS file if it matches the store: same data version and model, same chunk ids.

        The id comparison also catches a file that was swapped, truncated or written by something else.
        """
        version = await self.store.get_meta("version") or "0"
        if not (
            self.path.exists()
            and await self.store.get_meta("index_version") == version
            and await self.store.get_meta("index_model") == self.model
        ):
            _, _, chunks = await self.store.counts()
            if chunks == 0 and not self.path.exists():
                self._version = version  # nothing stored, nothing to index
                return True
            return False
        try:
            loaded = await self._on_build(VectorIndex.load, self.path)
        except RuntimeError as e:  # a truncated or foreign file: rebuild, don't fail
            log.warning("could not read %s (%s); rebuilding it", self.path, e)
            return False
        if loaded.dim != self.dim:
            return False
        stored = await self.store.embeddings.vector_chunk_ids(self.model)
        if not np.array_equal(await self._on_build(loaded.ids), stored):
            log.warning("the vector index does not hold the stored chunks; rebuilding it")
            return False
        self.index = loaded
        self._version = version
        return True

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        """Hold the data dir's write lock, with the live index up to date.

        Another process may have written since this one last looked: its changes are loaded (or,
        after a crash, rebuilt from stored vectors) before this write adds to the index and saves it.
        """
        if self.store.read_only:
            raise StoreReadOnlyError(READ_ONLY)
        async with write_locked(self.folder):
            self._in_write = True
            try:
                if (
                    self._version != (await self.store.get_meta("version") or "0")
                    and not await self._try_load()
                ):
                    log.info("the vector index is missing or stale; rebuilding it from the store")
                    await self.rebuild()
                yield
            finally:
                self._in_write = False

    async def follow(self) -> None:
        """Before answering: load the index another process saved, if the store moved on.

        Only a saved index is loaded (its recorded version equals the store's); while a write is in
        progress elsewhere the old index keeps answering, so readers see the old or the new one.
        """
        if self._in_write:
            return  # this process is writing; its live index is ahead of the file
        version = await self.store.get_meta("version") or "0"
        if version == self._version or await self.store.get_meta("index_version") != version:
            return
        try:
            loaded = await self._on_build(VectorIndex.load, self.path)
        except RuntimeError as e:
            log.warning("could not read %s (%s); keeping the current index", self.path, e)
            return
        if loaded.dim == self.dim and not self._in_write:
            self.index = loaded
            self._version = version

    async def added(self, ids: np.ndarray, vecs: np.ndarray) -> None:
        """Add the vectors of chunks just stored."""
        await self._on_index(self.index.add, ids, vecs)

    async def removed(self, ids: Sequence[int]) -> None:
        """Drop the vectors of chunks just deleted."""
        await self._on_index(self.index.remove, ids)

    async def commit(self) -> None:
        """Write the live index atomically and record which data version it holds.

        Raises:
            StoreWriteError: the file could not be written (disk full); the store itself is committed,
                and its newer version makes the next open rebuild the index from stored vectors.
        """
        version = await self.store.get_meta("version") or "0"
        try:
            await self._on_index(self.index.save, self.path)
        except (OSError, RuntimeError) as e:  # faiss reports a failed write as RuntimeError
            raise StoreWriteError(
                f"the articles were stored, but the vector index could not be saved ({e}); it is rebuilt"
                " from the stored vectors the next time sitrep opens the store"
            ) from e
        await self.store.set_meta(
            index_version=version, index_model=self.model, index_dim=str(self.index.dim)
        )
        self._version = version

    async def search(
        self, qvec: np.ndarray, k: int, f: ArticleFilter, restricted: bool
    ) -> list[tuple[int, float]]:
        """The ``k`` nearest chunks within the filter, scored exactly (``_rescored``).

        A filter most articles pass is applied to the nearest chunks overall (enough of them to
        leave ``k``); a narrower one is applied inside the FAISS scan by id, so it still finds ``k``.
        """
        if k <= 0:
            return []
        index = self.index  # one index throughout, though a rebuild may swap in another meanwhile
        wide = max(k, RESCORE_DEPTH) if index.nlist else k
        if restricted:

            async def nearest(n: int) -> list[tuple[int, float]]:
                found: list[tuple[int, float]] = await self._on_index(index.search, qvec, n, None)
                return found

            within = await self.store.search.within_filter(f, wide, nearest, lambda hit: hit[0])
            if within is not None:
                return await self._rescored(index, qvec, within, k)
        allowed = np.flatnonzero(await self.store.search.admitted_chunk_mask(f)) if restricted else None
        result: list[tuple[int, float]] = await self._on_index(index.search, qvec, wide, allowed)
        return await self._rescored(index, qvec, result, k)

    async def _rescored(
        self, index: VectorIndex, qvec: np.ndarray, hits: list[tuple[int, float]], k: int
    ) -> list[tuple[int, float]]:
        """The best ``k`` of an IVF index's hits, scored again with the stored float32 vectors.

        IVF-SQ8 compares 8-bit codes: on the 1M-chunk benchmark store its top 10 held 0.963 of the
        exact top 10, but its top 40 held all of them (55 questions). Scoring the 40 again exactly
        and keeping the best gives the exact top 10 for one indexed read of 40 vectors (~1 ms at
        1M). A flat index's scores are exact already.
        """
        if not index.nlist or not hits:
            return hits[:k]
        stored = await self.store.embeddings.chunk_vectors(self.model, [cid for cid, _ in hits])
        q = np.asarray(qvec, dtype="float32").reshape(-1)
        # A hit whose vector is gone was deleted since the index saw it: nothing of it can be quoted.
        scored = [(cid, float(stored[cid] @ q)) for cid, _ in hits if cid in stored]
        return sorted(scored, key=lambda hit: -hit[1])[:k]

    async def rebuild(self) -> None:
        """Build a fresh index from the stored vectors (embedding chunks that lack one) and swap it in."""
        await self._fill_missing()
        version = await self.store.get_meta("version") or "0"
        fresh = await self._build()
        try:
            await self._on_build(fresh.save, self.path)
        except (OSError, RuntimeError) as e:  # faiss reports a failed write as RuntimeError
            raise StoreWriteError(
                f"could not save the vector index ({e}); the stored articles are intact, and the index is"
                " rebuilt from them the next time sitrep opens the store"
            ) from e
        self.index = fresh  # the swap: one reference assignment on the loop thread
        self._version = version
        await self.store.set_meta(
            index_version=version, index_model=self.model, index_dim=str(fresh.dim), last_rebuild=utc_now()
        )
        log.info("rebuilt the vector index: %d vectors", fresh.size)

    async def _build(self) -> VectorIndex:
        """A fresh index of every stored vector; reads and adds wait while a question is answered."""
        batches = await self.store.embeddings.iter_vectors(self.model, between=self._when_idle)
        fresh: VectorIndex = await self._on_build(VectorIndex.empty_for, self.dim, batches)
        for ids, vecs in batches:
            await self._when_idle()
            await self._on_build(fresh.add, ids, vecs)
        return fresh
