"""Short texts packed side by side into full-length rows, each still embedded on its own.

sentence-transformers runs one row per text, padded to the batch's longest. Quotable sentences are
short (~30 tokens), and short rows cost the model more per token than full ones: on 2 idle cores the
quote windows of 40 articles ran at 3,384 tokens/s a row each, against 4,046 for the same articles
in 200-word windows (benchmarks/packing.py). Here several texts share a row: each keeps its own
positions (counted from 0) and attends only to its own tokens (a block-diagonal mask), so its vector
is the one it gets alone, to float rounding (cosine 1.000000), at 4,709 tokens/s (1.39x).

Only for the models whose pipeline this reproduces exactly: a BERT encoder, mean pooling over all
tokens, then (optionally) normalisation, which is all-MiniLM-L6-v2 and its kind. Any other model is
encoded by sentence-transformers as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

# Tokens a packed row holds. Every token of a row is scored against all of the row's (the mask hides
# the other texts only after), so shorter rows waste less: 128 ran the quote windows of 12 articles
# 9% faster than full 256-token rows (best of 6 runs, 2 cores; 64: the same as 128). A longer text
# gets a row of its own, up to the model's ``max_seq_length``.
ROW_TOKENS = 128
CALL_TOKENS = 4_096  # tokens per forward pass (32 rows): 8,192 ran 12% slower than 4,096


def packable(model: Any) -> bool:
    """Whether ``model`` (a SentenceTransformer) is a BERT encoder with mean pooling on SDPA
    attention (which takes the boolean mask as it is), and packed vectors equal its own on a check."""
    modules = [type(m).__name__ for m in model]
    if modules not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return False
    config = getattr(model[0].auto_model, "config", None)
    if getattr(model[1], "pooling_mode", None) != "mean":  # older sentence-transformers: not checked
        return False
    if getattr(config, "model_type", None) != "bert" or getattr(config, "_attn_implementation", "") != "sdpa":
        return False
    # Another transformers may read the mask otherwise (add it, or refuse a 4D one): compare first.
    try:
        packed = encode_packed(model, _CHECK)
    except Exception:  # a mask it refuses: encode as before
        return False
    alone = model.encode(list(_CHECK), normalize_embeddings=True, convert_to_numpy=True)
    return bool(np.min(np.sum(packed * alone, axis=1)) > 0.9999)


# Three texts of different lengths in one row: a mask that lets them see each other changes them all.
_CHECK = ("Three civilians were killed.", "No.", "The ministry said the convoy reached the city at dawn.")


def rows_of(lengths: Sequence[int], row: int) -> list[list[int]]:
    """Indexes of texts per row, longest first, each into the first row with room for it (at most
    ``row`` tokens a row, or a longer text's own; first-fit decreasing)."""
    rows: list[list[int]] = []
    room: list[int] = []
    for i in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        n = lengths[i]
        at = next((r for r, left in enumerate(room) if left >= n), None)
        if at is None:
            rows.append([])
            room.append(max(row, n))
            at = len(rows) - 1
        rows[at].append(i)
        room[at] -= n
    return rows


def encode_packed(model: Any, texts: Sequence[str]) -> np.ndarray:
    """``texts`` embedded by a ``packable`` SentenceTransformer, several to a row: float32, each row
    the text's mean-pooled, L2-normalised vector."""
    import torch

    transformer = model[0]
    ids: list[list[int]] = model.tokenizer(
        list(texts), truncation=True, max_length=int(transformer.max_seq_length), add_special_tokens=True
    )["input_ids"]
    rows = rows_of([len(x) for x in ids], ROW_TOKENS)
    per_call = CALL_TOKENS // ROW_TOKENS
    out = np.zeros((len(texts), transformer.auto_model.config.hidden_size), dtype="float32")
    with torch.inference_mode():
        for first in range(0, len(rows), per_call):
            group = rows[first : first + per_call]
            width = max(sum(len(ids[i]) for i in r) for r in group)
            tokens = torch.zeros((len(group), width), dtype=torch.long)
            positions = torch.zeros((len(group), width), dtype=torch.long)
            # Which text each token belongs to; padding tokens each alone, so no row of the mask is
            # empty (an empty row is NaN in softmax) and no text sees them.
            owner = torch.arange(width).repeat(len(group), 1) + len(texts)
            spans = []
            for r, members in enumerate(group):
                at = 0
                for i in members:
                    n = len(ids[i])
                    tokens[r, at : at + n] = torch.tensor(ids[i])
                    positions[r, at : at + n] = torch.arange(n)
                    owner[r, at : at + n] = i
                    spans.append((i, r, at, at + n))
                    at += n
            mask = (owner[:, :, None] == owner[:, None, :])[:, None]
            hidden = transformer.auto_model(
                input_ids=tokens,
                attention_mask=mask,
                position_ids=positions,
                token_type_ids=torch.zeros_like(tokens),
            ).last_hidden_state
            for i, r, start, end in spans:
                out[i] = hidden[r, start:end].mean(0).numpy()
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    normalised: np.ndarray = (out / np.maximum(norms, 1e-12)).astype("float32")
    return normalised
