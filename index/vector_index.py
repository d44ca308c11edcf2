"""The FAISS index on disk, keyed by chunk id.

Exact inner-product search (``IndexFlatIP`` behind an ``IndexIDMap2``): vectors are normalised, so the
score is cosine similarity. A flat index needs no training and stays exact; at MiniLM's 384 dimensions
it searches 100k chunks in a few milliseconds, well past the size of a community's archive.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np

log = logging.getLogger(__name__)


class VectorIndex:
    """A FAISS ID-mapped flat index with atomic save/load."""

    def __init__(self, dim: int, index: faiss.Index | None = None) -> None:
        """Create an empty index of dimension ``dim`` (or wrap a loaded one)."""
        self.dim = dim
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    @property
    def size(self) -> int:
        """Number of vectors."""
        return int(self.index.ntotal)

    @property
    def kind(self) -> str:
        """A human-readable index type."""
        return f"IndexIDMap2(IndexFlatIP, dim={self.dim})"

    @classmethod
    def build(cls, dim: int, batches: Iterable[tuple[np.ndarray, np.ndarray]]) -> VectorIndex:
        """Build an index from (ids, vectors) batches."""
        vi = cls(dim)
        for ids, vecs in batches:
            vi.add(ids, vecs)
        return vi

    def add(self, ids: np.ndarray, vecs: np.ndarray) -> None:
        """Add vectors under the given chunk ids."""
        if len(ids):
            self.index.add_with_ids(
                np.ascontiguousarray(vecs, dtype="float32"), np.asarray(ids, dtype="int64")
            )

    def ids(self) -> np.ndarray:
        """The chunk ids held, sorted."""
        id_map = self.index.id_map  # type: ignore[attr-defined]  # always an IndexIDMap2 here
        return np.sort(faiss.vector_to_array(id_map).astype("int64"))

    def remove(self, ids: Iterable[int]) -> int:
        """Remove chunk ids; returns how many were removed."""
        arr = np.fromiter(ids, dtype="int64")
        if not len(arr):
            return 0
        return int(self.index.remove_ids(faiss.IDSelectorBatch(arr)))

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The ``k`` nearest chunk ids to one query vector, best first.

        Args:
            query: a (dim,) or (1, dim) normalised vector.
            k: how many neighbours.
            allowed: if given, only these chunk ids are considered (date, scope, outlet filters).
        """
        if self.size == 0 or k <= 0 or (allowed is not None and len(allowed) == 0):
            return []
        q = np.ascontiguousarray(query.reshape(1, -1), dtype="float32")
        k = min(k, self.size)
        params = None
        if allowed is not None:
            # IDSelectorBatch filters inside the scan, so a narrow date filter still gets k hits.
            params = faiss.SearchParameters()
            params.sel = faiss.IDSelectorBatch(np.asarray(allowed, dtype="int64"))
        scores, ids = self.index.search(q, k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def save(self, path: Path) -> None:
        """Write atomically: a temp file in the same folder, fsync, then rename over ``path``."""
        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self.index, str(tmp))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        """Read an index written by ``save``."""
        index = faiss.read_index(str(path))
        return cls(index.d, index)
