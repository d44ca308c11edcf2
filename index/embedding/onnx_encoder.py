"""The ONNX Runtime int8 encoder: the same model, exported and quantized locally, about 2x faster on CPU.

The export runs once per model, from the local copy (no downloads): the transformer is traced with
``torch.onnx.export``, its MatMul weights quantized to int8 per channel with ONNX Runtime's dynamic
quantization, and the file cached under ``<data dir>/models``. Pooling (mean over tokens) and the
L2 normalisation stay in numpy, so the vectors mean the same as sentence-transformers' within the
quantization error (cosine ≈ 0.99 per sentence on news text; see benchmarks/perf.py).

Vectors from this backend are stored under their own model name (``embedder_name``), never mixed
with torch fp32 vectors: switching backend re-embeds the store once on the next start.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from index.embedding.base import DEFAULT_MODEL, embedder_name, resolve_model
from index.errors import ModelLoadError

log = logging.getLogger(__name__)

ONNX_INT8 = "onnx-int8"
EXPORT_VERSION = "1"  # bump when the export recipe changes, so old cached files are not reused
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def _cache_file(path: str, cache_dir: Path) -> Path:
    """Where the quantized export of the model at ``path`` is cached; the name changes with the weights."""
    h = hashlib.sha256(f"{EXPORT_VERSION}\0{Path(path).resolve()}".encode())
    for f in sorted(Path(path).glob("*.safetensors")) + sorted(Path(path).glob("*.bin")):
        h.update(f"{f.name}\0{f.stat().st_size}\0{f.stat().st_mtime_ns}".encode())
    return cache_dir / f"{Path(path).name}-{h.hexdigest()[:16]}-int8.onnx"


def _check_pooling(path: str) -> None:
    """Refuse models whose pooling this backend doesn't reproduce (it only does mean pooling)."""
    modules = json.loads((Path(path) / "modules.json").read_text())
    pooling = next((m for m in modules if m["type"].endswith("Pooling")), None)
    if pooling is None:
        raise ModelLoadError(f"{path}: no pooling module; the onnx-int8 backend needs mean pooling")
    config = json.loads((Path(path) / pooling["path"] / "config.json").read_text())
    if not config.get("pooling_mode_mean_tokens") or any(
        config.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens")
    ):
        raise ModelLoadError(f"{path}: the onnx-int8 backend only reproduces mean pooling")


def export_int8(path: str, target: Path) -> Path:
    """Export the transformer at ``path`` to ONNX and quantize it to int8, writing ``target`` atomically.

    Both steps write temp files in ``target``'s folder; the finished file is fsynced and renamed over
    ``target``, so a second process either finds no file or a whole one (two processes exporting at
    once each rename a complete file of the same content).
    """
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    target.parent.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(path).eval()
    tokenizer = AutoTokenizer.from_pretrained(path)

    class Hidden(torch.nn.Module):  # only the last hidden state: pooling is done in numpy
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    sample = tokenizer(["an example", "a second, longer example sentence"], padding=True, return_tensors="pt")
    if "token_type_ids" not in sample:
        sample["token_type_ids"] = torch.zeros_like(sample["input_ids"])
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".export-") as tmp:
        fp32 = Path(tmp) / "model.onnx"
        int8 = Path(tmp) / "model-int8.onnx"
        with torch.no_grad(), warnings.catch_warnings():
            # Tracer warnings about Python branches on shapes: the attention mask path they name is
            # the causal one, unused by an encoder; tests check vectors across batch shapes.
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Hidden(),
                tuple(sample[k] for k in _INPUTS),
                str(fp32),
                dynamo=False,  # the TorchScript exporter needs no onnxscript and handles BERT fine
                input_names=list(_INPUTS),
                output_names=["hidden"],
                dynamic_axes={k: {0: "batch", 1: "tokens"} for k in (*_INPUTS, "hidden")},
                opset_version=17,
            )
        # Per-channel weights keep cosine to fp32 ≈ 0.99; per-tensor int8 drops it to ≈ 0.95.
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
        with open(int8, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(int8, target)
    log.info("exported and quantized %s to %s", path, target)
    return target


class OnnxInt8Embedder:
    """A sentence-transformers model run by ONNX Runtime with int8 weights (same ``Embedder`` interface)."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        cache_dir: Path,
        batch_size: int = 64,
        threads: int | None = None,
    ) -> None:
        """Load the cached int8 export of ``model``, exporting it first if there is none.

        Args:
            model: a sentence-transformers name or local path (must be available offline).
            cache_dir: where exports are cached (the engine uses ``<data dir>/models``).
            batch_size: texts per ONNX Runtime call.
            threads: intra-op threads (default: ONNX Runtime's, one per core).

        Raises:
            ModelLoadError: the model isn't local, has an unsupported pooling, or fails to export.
        """
        path = resolve_model(model)
        if not Path(path).is_dir():
            raise ModelLoadError(f"the onnx-int8 backend needs a local model folder; {model!r} is not one")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        _check_pooling(path)
        import onnxruntime as ort
        from transformers import AutoTokenizer

        self.path = _cache_file(path, cache_dir)
        try:
            if not self.path.exists():
                export_int8(path, self.path)
            options = ort.SessionOptions()
            if threads:
                options.intra_op_num_threads = threads
            self._session = ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
            self._tokenizer = AutoTokenizer.from_pretrained(path)
        except ModelLoadError:
            raise
        except Exception as e:  # export, quantization or session errors all mean "can't load"
            raise ModelLoadError(f"could not load {model!r} with the onnx-int8 backend: {e}") from e
        config = json.loads((Path(path) / "sentence_bert_config.json").read_text())
        self.max_length = int(config.get("max_seq_length") or 256)
        self.name = embedder_name(model, ONNX_INT8)
        self.dim = int(self._session.get_outputs()[0].shape[-1])
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` as normalised float32 vectors, mean-pooled like sentence-transformers."""
        out = np.zeros((len(texts), self.dim), dtype="float32")
        # Longest first, like sentence-transformers: batches of similar length waste little padding.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for i in range(0, len(texts), self.batch_size):
            part = order[i : i + self.batch_size]
            enc = self._tokenizer(
                [texts[j] for j in part],
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_tensors="np",
            )
            feed = {k: np.asarray(enc[k], dtype="int64") for k in _INPUTS if k in enc}
            feed.setdefault("token_type_ids", np.zeros_like(feed["input_ids"]))
            hidden = self._session.run(None, feed)[0]
            mask = feed["attention_mask"][..., None].astype("float32")
            pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
            out[part] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out
