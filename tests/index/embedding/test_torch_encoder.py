"""The default encoder: the packaged all-MiniLM-L6-v2 on torch, normalised float32 vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.errors import ModelLoadError

pytestmark = pytest.mark.model


def test_vectors_are_normalised_float32_of_the_models_dimension(
    embedder: SentenceTransformerEmbedder,
) -> None:
    assert (embedder.name, embedder.dim) == ("all-MiniLM-L6-v2", 384)
    vecs = embedder.embed(["Shelling hit the port overnight.", "Talks resumed in Lisenne.", "x"])
    assert vecs.shape == (3, 384) and vecs.dtype == np.float32 and vecs.flags.c_contiguous
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_empty_input_is_an_empty_matrix(embedder: SentenceTransformerEmbedder) -> None:
    empty = embedder.embed([])
    assert empty.shape == (0, 384) and empty.dtype == np.float32


def test_meaning_is_closer_than_other_topics(embedder: SentenceTransformerEmbedder) -> None:
    shelled, bombarded, harvest = embedder.embed(
        [
            "Artillery shelled the port city overnight, officials said.",
            "The harbour town was bombarded by heavy guns during the night.",
            "Farmers expect a record wheat harvest after the spring rains.",
        ]
    )
    assert float(shelled @ bombarded) > float(shelled @ harvest) + 0.2


def test_the_same_text_gives_the_same_vector_in_any_batch(embedder: SentenceTransformerEmbedder) -> None:
    alone = embedder.embed(["The ministry denied the strike."])[0]
    batched = embedder.embed(["Something else entirely.", "The ministry denied the strike."])[1]
    np.testing.assert_allclose(alone, batched, atol=1e-5)


def test_a_model_that_cannot_be_loaded_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="could not load embedding model") as caught:
        SentenceTransformerEmbedder(str(tmp_path / "missing"))
    assert "missing" in str(caught.value)
