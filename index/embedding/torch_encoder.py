"""The default encoder: a sentence-transformers model on torch, fp32, on the CPU."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import cast

import numpy as np

from index.embedding.base import DEFAULT_MODEL, resolve_model
from index.embedding.packing import encode_packed, packable
from index.errors import ModelLoadError

log = logging.getLogger(__name__)


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

        # "Loading weights" bars would clutter every CLI command (the function is untyped upstream).
        cast(Callable[[], None], hf_logging.disable_progress_bar)()

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
        self.packed = packable(self._model)  # short texts share rows (packing.py): same vectors, faster
        log.info("loaded embedding model %s (dim %d) from %s", model, self.dim, path)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` as normalised float32 vectors."""
        if not texts:
            return np.zeros((0, self.dim), dtype="float32")
        if self.packed:
            return encode_packed(self._model, texts)
        vecs = self._model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,  # shown whenever logging is at INFO: one bar per call, in every process
        )
        return np.ascontiguousarray(vecs, dtype="float32")
