"""Questions embedded without torch: a BERT sentence model's forward pass in numpy, for a cold ``ask``.

Loading sentence-transformers imports torch and transformers, which takes seconds before a one-shot
``sitrep ask`` can embed its one question. This encoder reads the same local model (config.json,
model.safetensors, tokenizer.json) with ``safetensors`` and ``tokenizers`` only, and runs the same
computation in float32: token, position and type embeddings, the encoder layers (attention, exact GELU,
layer norms), mean pooling and L2 normalisation. Its vectors match sentence-transformers' to float32
rounding (cosine > 0.99999; tests/index/embedding/test_numpy_bert.py), so they are the torch
backend's vectors and are searched as such.

It only serves questions, one text at a time (no padding): ingest still loads the real model. The
weights are mapped from the file, not read (``_tensors``): the pages a question touches come from the
page cache and are shared with every other process reading the same model, so starting costs
milliseconds and keeping it beside the loaded model costs little memory. ``supports`` says which model
folders it reproduces; anything else uses sentence-transformers.
"""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path
from typing import Any

import numpy as np

# safetensors dtype names -> numpy (little-endian, as the format stores them).
_DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4"}

_MODEL_FILES = ("config.json", "model.safetensors", "tokenizer.json", "modules.json")


def supports(path: str) -> bool:
    """Whether the model folder at ``path`` is one this encoder reproduces exactly.

    That is a BERT encoder with absolute positions, GELU, mean pooling (no dense layer after it), in
    safetensors with a fast-tokenizer file.
    """
    folder = Path(path)
    if not all((folder / name).is_file() for name in _MODEL_FILES):
        return False
    try:
        config = json.loads((folder / "config.json").read_text())
        modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((folder / "modules.json").read_text())]
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
        st_config = folder / "sentence_bert_config.json"
        lowercases = st_config.is_file() and json.loads(st_config.read_text()).get("do_lower_case")
        header, _ = _header(folder / "model.safetensors")
        dtypes = {v["dtype"] for k, v in header.items() if k != "__metadata__"}
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return False
    if {d for d in dtypes if d.startswith(("F", "BF"))} != {"F32"} or lowercases:
        # Half-precision weights run in float32 in torch; a lower-casing step is sentence-transformers'
        # own: neither is reproduced here.
        return False
    return (
        config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and modules in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"])
        and bool(pooling.get("pooling_mode_mean_tokens"))
        and not any(
            pooling.get(k)
            for k in (
                "pooling_mode_cls_token",
                "pooling_mode_max_tokens",
                "pooling_mode_mean_sqrt_len_tokens",
            )
        )
    )


def _header(file: Path) -> tuple[dict[str, dict[str, Any]], int]:
    """A safetensors file's header (dtype, shape and byte offsets per tensor) and where its data
    starts: the file is an 8-byte header length, the JSON header, then the raw data."""
    with file.open("rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header: dict[str, dict[str, Any]] = json.loads(f.read(length))
    return header, 8 + length


def _tensors(file: Path) -> dict[str, np.ndarray]:
    """A safetensors file's tensors as read-only arrays mapped from it (no copy)."""
    header, start = _header(file)
    data = np.memmap(file, dtype=np.uint8, mode="r", offset=start)
    tensors: dict[str, np.ndarray] = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] not in _DTYPES:
            continue
        begin, end = info["data_offsets"]
        tensors[name] = data[begin:end].view(_DTYPES[info["dtype"]]).reshape(info["shape"])
    return tensors


def _erf(x: np.ndarray) -> np.ndarray:
    """The error function to ~1e-7 (Abramowitz & Stegun 7.1.26), in float64: numpy has none of its own."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    result: np.ndarray = sign * (1.0 - poly * np.exp(-a * a))
    return result


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU as transformers' "gelu" computes it (with erf, not the tanh approximation)."""
    wide = x.astype(np.float64)
    return (0.5 * wide * (1.0 + _erf(wide / math.sqrt(2.0)))).astype(np.float32)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    normed: np.ndarray = (x - mean) / np.sqrt(var + eps) * weight + bias
    return normed


class NumpyBertQueryEncoder:
    """Embeds questions with a local BERT sentence model in numpy (see the module docstring)."""

    def __init__(self, path: str, name: str) -> None:
        """Read the model at ``path`` (check ``supports(path)`` first); ``name`` is what vectors are stored under."""
        from tokenizers import Tokenizer

        folder = Path(path)
        config = json.loads((folder / "config.json").read_text())
        st_config = folder / "sentence_bert_config.json"
        max_len = json.loads(st_config.read_text()).get("max_seq_length") if st_config.is_file() else None
        self.name = name
        self._w = _tensors(folder / "model.safetensors")
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config.get("layer_norm_eps", 1e-12))
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # sentence-transformers truncates at the model's max_seq_length and pads to the longest text;
        # one text at a time needs no padding at all.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(int(max_len or config.get("max_position_embeddings", 512)))
        self.dim = int(config["hidden_size"])

    def _dense(self, x: np.ndarray, prefix: str) -> np.ndarray:
        out: np.ndarray = x @ self._w[f"{prefix}.weight"].T + self._w[f"{prefix}.bias"]
        return out

    def _norm(self, x: np.ndarray, prefix: str) -> np.ndarray:
        return _layer_norm(x, self._w[f"{prefix}.weight"], self._w[f"{prefix}.bias"], self._eps)

    def _attention(self, x: np.ndarray, prefix: str) -> np.ndarray:
        n, hidden = x.shape
        size = hidden // self._heads

        def heads(part: str) -> np.ndarray:
            return self._dense(x, f"{prefix}.self.{part}").reshape(n, self._heads, size).transpose(1, 0, 2)

        q, k, v = heads("query"), heads("key"), heads("value")
        scores = q @ k.transpose(0, 2, 1) / np.float32(math.sqrt(size))
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(1, 0, 2).reshape(n, hidden)
        return self._norm(x + self._dense(context, f"{prefix}.output.dense"), f"{prefix}.output.LayerNorm")

    def _one(self, text: str) -> np.ndarray:
        ids = np.asarray(self._tokenizer.encode(text).ids, dtype=np.int64)
        w = self._w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: len(ids)]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        for i in range(self._layers):
            layer = f"encoder.layer.{i}"
            x = self._attention(x, f"{layer}.attention")
            inner = _gelu(self._dense(x, f"{layer}.intermediate.dense"))
            x = self._norm(x + self._dense(inner, f"{layer}.output.dense"), f"{layer}.output.LayerNorm")
        # Normalised whether or not the model has a Normalize module: sitrep always asks for it.
        pooled: np.ndarray = x.mean(axis=0)
        unit: np.ndarray = (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)
        return unit

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` one by one; returns (len(texts), dim) float32."""
        if not texts:
            return np.zeros((0, self.dim), dtype="float32")
        return np.ascontiguousarray(np.vstack([self._one(t) for t in texts]), dtype="float32")
