"""Choosing and loading an encoder by backend name; ``LazyEmbedder`` defers the load to first use."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np

from index.embedding.base import (
    BACKENDS,
    DEFAULT_BACKEND,
    DEFAULT_MODEL,
    Embedder,
    embedder_name,
    query_vectors,
    resolve_model,
)
from index.errors import ModelLoadError

log = logging.getLogger(__name__)


def load_embedder(model: str = DEFAULT_MODEL, backend: str = DEFAULT_BACKEND, *, cache_dir: Path) -> Embedder:
    """Load ``model`` with one of ``BACKENDS``; ``cache_dir`` holds exports (onnx-int8).

    Raises:
        ModelLoadError: unknown backend, or the model can't be loaded with it.
    """
    if backend == "torch":
        from index.embedding.torch_encoder import SentenceTransformerEmbedder  # torch loads only now

        return SentenceTransformerEmbedder(model)
    if backend == "onnx-int8":
        from index.embedding.onnx_encoder import OnnxInt8Embedder  # onnxruntime is only imported when chosen

        return OnnxInt8Embedder(model, cache_dir=cache_dir)
    if backend == "multilingual":
        from index.embedding.e5_encoder import MultilingualE5Embedder  # its C engine loads only now

        return MultilingualE5Embedder()
    raise ModelLoadError(f"unknown encoder backend {backend!r}; choose one of: {', '.join(BACKENDS)}")


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
        self._questions: Embedder | None = None
        self._quick = backend == "torch"  # until a model folder turns out not to be one numpy_bert reproduces
        self._lock = threading.Lock()

    def load(self) -> Embedder:
        """Load the model now (once); raises ModelLoadError."""
        with self._lock:
            if self._model is None:
                self._model = load_embedder(self.model, self.backend, cache_dir=self.cache_dir)
            return self._model

    @property
    def loaded(self) -> bool:
        """Whether the model itself is loaded (questions alone don't load it; see ``embed_query``)."""
        return self._model is not None

    @property
    def dim(self) -> int:
        """The vector dimension: the stored index's, the model config's, or (loading it) the model's."""
        if self._dim is None and self._model is None and (quick := self._question_encoder()) is not None:
            self._dim = quick.dim  # an empty store opens without torch
        return self._dim if self._dim is not None else self.load().dim

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``, loading the model first if needed."""
        return self.load().embed(texts)

    def embed_query(self, texts: list[str]) -> np.ndarray:
        """Embed questions (as queries, for models that tell them apart).

        Questions of a model the numpy encoder reproduces are embedded by it, with the same vectors:
        a one-shot ``sitrep ask`` needs no torch (seconds sooner), and a question asked during an
        ingest needs not wait for the model's batch in progress (``questions_apart``).
        """
        quick = self._question_encoder()
        return quick.embed(texts) if quick is not None else query_vectors(self.load(), texts)

    @property
    def chunks_from_sentences(self) -> bool:
        """Whether ingests make chunk vectors from sentences' by default (not the multilingual encoder's;
        see ``MultilingualE5Embedder``), known without loading the model."""
        return self.backend != "multilingual"

    @property
    def questions_apart(self) -> bool:
        """Whether questions are embedded without the model (so off the model's thread)."""
        return self._question_encoder() is not None

    def _question_encoder(self) -> Embedder | None:
        """The torch-free question encoder, where it reproduces the model."""
        if self._questions is not None or not self._quick:
            # Decided (Engine.open decides it off the event loop): no lock, which a model load holds.
            return self._questions
        with self._lock:
            if not self._quick:
                return None
            if self._questions is None:
                from index.embedding import numpy_bert  # no torch, no transformers

                path = resolve_model(self.model)
                self._quick = numpy_bert.supports(path)
                if not self._quick:
                    return None
                try:
                    self._questions = numpy_bert.NumpyBertQueryEncoder(path, self.name)
                except Exception as e:  # a file it can't read: the model itself still embeds questions
                    log.warning("questions of %s are embedded by the model (%s)", self.model, e)
                    self._quick = False
            return self._questions
