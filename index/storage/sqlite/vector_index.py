"""The FAISS index on disk, keyed by chunk id; its type is chosen by corpus size.

* Up to ``FLAT_MAX`` vectors: exact inner-product search (``IndexFlatIP`` behind ``IndexIDMap2``).
  Vectors are normalised, so the score is cosine similarity. No training, exact, 1.5 KB per vector
  at MiniLM's 384 dimensions; a query scans 20k vectors in about 3 ms on two cores.
* Above it: ``IndexIVFScalarQuantizer`` (IVF lists, 8-bit scalar quantization, ids kept by the IVF
  lists themselves). 384 bytes + an 8-byte id per vector, so 1M chunks fit in about 400 MB instead of
  1.5 GB, and a query scans ``probes_for(nlist)`` of the ``nlist`` lists instead of everything. Its
  scores are approximate: the embedded store scores its hits again with the stored float32 vectors
  (``FaissVectors.search``). Recall@10 against flat is measured in benchmarks/perf.py.

Adding vectors never retrains: IVF adds assign new vectors to the trained lists. When the corpus has
grown past what the current structure suits (``needs_rebuild``: flat grown past ``FLAT_MAX``, or
``nlist`` at least ``RETRAIN_FACTOR`` times too small), the engine rebuilds in the background from
the stored vectors and swaps the new index in.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import faiss
import numpy as np

log = logging.getLogger(__name__)

# Exact search up to here. Past it IVF is faster (100k replicated chunks: 12.9 ms a flat search, 1.2 ms
# an IVF one probing 1/8 of 512 lists) and, its hits scored again exactly (``FaissVectors.search``),
# finds the same top 10 (1.000 on 55 questions at 100k and at 1M; benchmarks/perf.py measures it).
FLAT_MAX = 20_000
PROBED_SHARE = 8  # a query scans 1/8 of the lists: 256 of 2048 at 1M (~5 ms), 64 of 512 at 100k
NPROBE_MIN = 16
RETRAIN_FACTOR = 4  # retrain once the ideal nlist is this many times the trained one (16x the vectors)
TRAIN_PER_LIST = 48  # k-means training points per list (FAISS warns below 39)
TRAIN_ITERATIONS = 10  # k-means rounds; 25 (FAISS's default) triples the build time for no recall gain


def nlist_for(n: int) -> int:
    """IVF lists for ``n`` vectors: about 2·√n, a power of two (2048 at 1M)."""
    return 1 << max(4, round(math.log2(2 * math.sqrt(max(n, 1)))))


def probes_for(nlist: int) -> int:
    """Lists a query scans: ``1/PROBED_SHARE`` of them, at least ``NPROBE_MIN`` (all, if fewer)."""
    return min(nlist, max(NPROBE_MIN, nlist // PROBED_SHARE))


class VectorIndex:
    """A FAISS index (flat or IVF-SQ8) keyed by chunk id, with atomic save/load."""

    def __init__(self, dim: int, index: faiss.Index | None = None) -> None:
        """Create an empty flat index of dimension ``dim`` (or wrap a loaded one)."""
        self.dim = dim
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    @property
    def size(self) -> int:
        """Number of vectors."""
        return int(self.index.ntotal)

    @property
    def nlist(self) -> int:
        """IVF lists (0 for a flat index)."""
        ivf = faiss.try_extract_index_ivf(self.index)
        return int(ivf.nlist) if ivf is not None else 0

    @property
    def kind(self) -> str:
        """A human-readable index type."""
        if self.nlist:
            return f"IndexIVFScalarQuantizer(nlist={self.nlist}, SQ8, nprobe={probes_for(self.nlist)}, dim={self.dim})"
        return f"IndexIDMap2(IndexFlatIP, dim={self.dim})"

    @property
    def needs_rebuild(self) -> bool:
        """Whether the corpus has outgrown this index's structure (a rebuild picks a fitting one)."""
        if not self.nlist:
            return self.size > FLAT_MAX
        return nlist_for(self.size) >= RETRAIN_FACTOR * self.nlist

    @classmethod
    def build(cls, dim: int, batches: Iterable[tuple[np.ndarray, np.ndarray]]) -> VectorIndex:
        """Build the index that suits the number of vectors in the (ids, vectors) batches."""
        parts = list(batches)
        vi = cls.empty_for(dim, parts)
        for ids, vecs in parts:
            vi.add(ids, vecs)
        return vi

    @classmethod
    def empty_for(cls, dim: int, parts: list[tuple[np.ndarray, np.ndarray]]) -> VectorIndex:
        """An empty index of the type that suits these (ids, vectors) batches (IVF: trained on them)."""
        n = sum(len(ids) for ids, _ in parts)
        return cls(dim) if n <= FLAT_MAX else cls(dim, _trained_ivf(dim, parts, n))

    def add(self, ids: np.ndarray, vecs: np.ndarray) -> None:
        """Add vectors under the given chunk ids (IVF: into the trained lists, no retraining)."""
        if len(ids):
            self.index.add_with_ids(
                np.ascontiguousarray(vecs, dtype="float32"), np.asarray(ids, dtype="int64")
            )

    def ids(self) -> np.ndarray:
        """The chunk ids held, sorted."""
        ivf = faiss.try_extract_index_ivf(self.index)
        if ivf is None:
            id_map = self.index.id_map  # type: ignore[attr-defined]  # flat: an IndexIDMap2
            return np.sort(faiss.vector_to_array(id_map).astype("int64"))
        # IVF keeps the ids in its inverted lists.
        lists: Any = ivf.invlists  # the stubs miss release_ids
        parts = [np.zeros(0, dtype="int64")]
        for no in range(ivf.nlist):
            n = lists.list_size(no)
            if n:
                ptr = lists.get_ids(no)
                parts.append(faiss.rev_swig_ptr(ptr, n).astype("int64"))  # astype copies
                lists.release_ids(no, ptr)
        return np.sort(np.concatenate(parts))

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
        nlist = self.nlist
        params: faiss.SearchParameters | None = None
        if nlist:
            nprobe = probes_for(nlist)
            if allowed is not None:
                # A filter keeping a fraction f of the vectors leaves ~f of each list: probe 1/f times
                # more lists so a narrow date filter still finds k hits.
                nprobe = math.ceil(nprobe * self.size / max(len(allowed), 1))
            params = faiss.SearchParametersIVF()
            params.nprobe = min(nlist, nprobe)
        elif allowed is not None:
            params = faiss.SearchParameters()
        if allowed is not None and params is not None:
            # IDSelectorBatch filters inside the scan, so a narrow date filter still gets k hits.
            params.sel = faiss.IDSelectorBatch(np.asarray(allowed, dtype="int64"))
        scores, ids = self.index.search(q, k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def save(self, path: Path) -> None:
        """Write atomically: a temp file in the same folder, fsync, then rename over ``path``."""
        tmp = path.with_name(path.name + ".tmp")
        try:
            faiss.write_index(self.index, str(tmp))
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)  # a full disk must not also keep half a copy of the index
            raise

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        """Read an index written by ``save``."""
        index = faiss.read_index(str(path))
        return cls(index.d, index)


def _trained_ivf(dim: int, parts: list[tuple[np.ndarray, np.ndarray]], n: int) -> faiss.Index:
    """An empty IVF-SQ8 index trained on an even sample of the vectors in ``parts``."""
    nlist = nlist_for(n)
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    index.cp.niter = TRAIN_ITERATIONS
    want = min(n, nlist * TRAIN_PER_LIST)
    step = max(1, n // want)
    # Every step-th vector across the batches: spread over the whole corpus, not its first articles.
    sample = np.vstack([vecs[(-offset) % step :: step] for offset, (_, vecs) in _offsets(parts)])
    index.train(np.ascontiguousarray(sample, dtype="float32"))
    log.info("trained IVF-SQ8 (nlist %d) on %d of %d vectors", nlist, len(sample), n)
    return index


def _offsets(parts: list[tuple[np.ndarray, np.ndarray]]) -> list[tuple[int, tuple[np.ndarray, np.ndarray]]]:
    out, offset = [], 0
    for part in parts:
        out.append((offset, part))
        offset += len(part[0])
    return out
