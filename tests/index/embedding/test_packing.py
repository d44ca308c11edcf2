"""Texts packed several to a row get the vectors they get alone."""

from __future__ import annotations

import numpy as np
import pytest

from index.embedding import packing
from index.embedding.packing import encode_packed, packable, rows_of
from index.embedding.torch_encoder import SentenceTransformerEmbedder


def test_rows_hold_at_most_their_tokens_longest_first() -> None:
    rows = rows_of([200, 30, 60, 250, 30, 300], row=256)
    assert sorted(i for r in rows for i in r) == list(range(6))
    assert rows[0] == [5] and rows[1] == [3]  # longer than a row, or nearly: alone
    lengths = [200, 30, 60, 250, 30, 300]
    assert all(sum(lengths[i] for i in r) <= 256 for r in rows if len(r) > 1)
    assert rows[2:] == [[0, 1], [2, 4]]  # 200 + 30 share one; the next 30 has no room there, so 60 + 30
    assert rows_of([], row=256) == []


def test_a_text_longer_than_a_row_gets_a_row_of_its_own() -> None:
    # Rows of 128 tokens (ROW_TOKENS); a 200-token text is not cut there but sits alone.
    assert rows_of([200, 30, 60, 100, 30], row=128) == [[0], [3], [2, 1, 4]]


@pytest.mark.model
def test_packed_vectors_are_the_models_own(embedder: SentenceTransformerEmbedder) -> None:
    texts = [
        "Three civilians were killed in the shelling of Pellin, the regional governor said.",
        "No.",
        "",
        "“We held the line,” the ministry said. " * 40,  # longer than the model's 256: cut as it cuts
        "The convoy reached the bridge at dawn and turned back. " * 12,  # longer than a packed row
        "Обстрел Коврина: погибли три человека.",
        *(f"Drone number {n} was shot down over the valley overnight." for n in range(30)),
    ]
    assert packable(embedder._model) and embedder.packed
    alone = embedder._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    packed = encode_packed(embedder._model, texts)
    assert packed.dtype == np.float32 and packed.shape == alone.shape
    assert float(np.min(np.sum(alone * packed, axis=1))) > 0.99999
    assert np.allclose(np.linalg.norm(packed, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(embedder.embed(texts), packed)  # what the embedder does


@pytest.mark.model
def test_only_a_model_whose_mask_reads_as_packing_needs_is_packed(
    embedder: SentenceTransformerEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = embedder._model[0].auto_model.config
    monkeypatch.setattr(config, "_attn_implementation", "eager")  # adds the mask: a bool one is no mask
    assert not packable(embedder._model)
    monkeypatch.undo()
    assert packable(embedder._model)

    def refused(*_: object) -> np.ndarray:
        raise ValueError("4D masks are not supported")  # what an older transformers says

    monkeypatch.setattr(packing, "encode_packed", refused)
    assert not packable(embedder._model)  # then encoded one row per text, as before
