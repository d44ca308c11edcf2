"""The torch-free question encoder gives sentence-transformers' vectors, and serves questions until
the model itself is loaded; a cold ``sitrep ask`` answers without importing torch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.embedding import numpy_bert
from index.embedding.base import DEFAULT_MODEL, resolve_model
from index.embedding.factory import LazyEmbedder
from index.embedding.numpy_bert import NumpyBertQueryEncoder, supports
from index.embedding.torch_encoder import SentenceTransformerEmbedder

QUESTIONS = [
    "who reported casualties in Pellin on March 12?",
    "What did the Armenian Ministry of Defense say about Tovuz?",
    "",  # only [CLS] [SEP]
    "Обстрел Коврина: сколько погибших? القصف على تل وردة Տավուշ 🚀 “quoted” — naïve",
    "shelling " * 400,  # past the model's 256 tokens: truncated as sentence-transformers does
]


@pytest.fixture(scope="module")
def encoder() -> NumpyBertQueryEncoder:
    return NumpyBertQueryEncoder(resolve_model(DEFAULT_MODEL), DEFAULT_MODEL)


def test_its_vectors_are_the_models_to_float32_rounding(
    encoder: NumpyBertQueryEncoder, embedder: SentenceTransformerEmbedder
) -> None:
    ours = encoder.embed(QUESTIONS)
    theirs = embedder.embed(QUESTIONS)
    assert ours.shape == theirs.shape == (len(QUESTIONS), 384) and ours.dtype == np.float32
    assert np.abs(ours - theirs).max() < 1e-5
    assert (ours * theirs).sum(axis=1).min() > 0.99999
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert encoder.embed([]).shape == (0, 384)


def test_the_error_function_is_within_a_millionth_of_maths(encoder: NumpyBertQueryEncoder) -> None:
    import math

    xs = np.linspace(-6, 6, 2001)
    exact = np.array([math.erf(x) for x in xs])
    assert np.abs(numpy_bert._erf(xs) - exact).max() < 1e-6


def _copy_model(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    shutil.copytree(resolve_model(DEFAULT_MODEL), folder)
    return folder


def _half_precision(file: Path) -> None:
    """Rewrite a safetensors file's tensors as F16 (as a half-precision export would be)."""
    from safetensors.numpy import load_file, save_file

    save_file(
        {k: v.astype(np.float16) if v.dtype == np.float32 else v for k, v in load_file(file).items()}, file
    )


def test_only_models_it_reproduces_are_supported(tmp_path: Path) -> None:
    assert supports(resolve_model(DEFAULT_MODEL))
    assert not supports(str(tmp_path / "no-such-model")) and not supports("sentence-transformers/some-hub-id")
    folder = _copy_model(tmp_path)
    pooling = folder / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    pooling.write_text(
        json.dumps(config | {"pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True})
    )
    assert not supports(str(folder))  # CLS pooling
    pooling.write_text(json.dumps(config))
    assert supports(str(folder))
    model = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps(model | {"model_type": "xlm-roberta"}))
    assert not supports(str(folder))
    (folder / "config.json").write_text(json.dumps(model))
    st_config = folder / "sentence_bert_config.json"
    st = json.loads(st_config.read_text())
    st_config.write_text(json.dumps(st | {"do_lower_case": True}))
    assert not supports(str(folder))  # sentence-transformers' own lower-casing: not reproduced
    st_config.write_text(json.dumps(st))
    assert supports(str(folder))
    _half_precision(folder / "model.safetensors")
    assert not supports(str(folder))  # F16 weights: torch computes them in float32
    (folder / "model.safetensors").unlink()  # weights only as pytorch_model.bin: not read without torch
    assert not supports(str(folder))
    (folder / "config.json").write_text("{not json")
    assert not supports(str(folder))


def test_questions_need_no_model_and_are_embedded_apart_from_it(
    embedder: SentenceTransformerEmbedder,
) -> None:
    lazy = LazyEmbedder(DEFAULT_MODEL, 384)
    before = lazy.embed_query(QUESTIONS[:2])
    assert not lazy.loaded and lazy.questions_apart  # the numpy encoder answered
    np.testing.assert_allclose(before, embedder.embed(QUESTIONS[:2]), atol=1e-5)
    lazy.embed(["an article's sentence"])  # an ingest loads the model ...
    assert lazy.loaded and lazy.questions_apart  # ... and questions still need not wait for it
    np.testing.assert_allclose(lazy.embed_query(QUESTIONS[:2]), before, atol=1e-5)


def test_the_weights_are_mapped_from_the_file_read_only(encoder: NumpyBertQueryEncoder) -> None:
    from safetensors.numpy import load_file

    mapped = numpy_bert._tensors(Path(resolve_model(DEFAULT_MODEL)) / "model.safetensors")
    read = load_file(str(Path(resolve_model(DEFAULT_MODEL)) / "model.safetensors"))
    assert set(mapped) == set(read)
    for name, array in read.items():
        assert mapped[name].dtype == array.dtype and np.array_equal(mapped[name], array), name
    assert not mapped["embeddings.word_embeddings.weight"].flags.writeable


def test_an_empty_store_learns_the_dimension_from_the_config_without_loading() -> None:
    lazy = LazyEmbedder(DEFAULT_MODEL)  # no stored index to say it
    assert lazy.dim == 384 and not lazy.loaded


def test_a_model_it_does_not_reproduce_is_loaded_for_questions(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    (folder / "tokenizer.json").unlink()  # sentence-transformers still loads it (from vocab.txt)
    lazy = LazyEmbedder(str(folder), 384)
    assert not lazy.questions_apart
    vecs = lazy.embed_query(["who shelled the port?"])
    assert lazy.loaded and vecs.shape == (1, 384)


def test_a_question_encoder_that_cannot_be_built_leaves_questions_to_the_model(
    monkeypatch: pytest.MonkeyPatch, embedder: SentenceTransformerEmbedder
) -> None:
    def unreadable(path: str, name: str) -> None:
        raise OSError(f"{path}/tokenizer.json: read error")

    monkeypatch.setattr(numpy_bert, "NumpyBertQueryEncoder", unreadable)
    monkeypatch.setattr("index.embedding.torch_encoder.SentenceTransformerEmbedder", lambda name: embedder)
    lazy = LazyEmbedder(DEFAULT_MODEL, 384)
    assert not lazy.questions_apart  # a warning, not an error: the store still opens
    vecs = lazy.embed_query(["who shelled the port?"])
    assert lazy.loaded and vecs.shape == (1, 384)
    assert not lazy.questions_apart  # decided once


def test_a_cold_cli_ask_answers_without_importing_torch(filled_sample_template: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(filled_sample_template, data)
    probe = (
        "import sys\n"
        "from index.cli.entry import main\n"
        "rc = main(['--data-dir', sys.argv[1], 'ask', 'who reported casualties in Pellin on March 12?'])\n"
        "print('RC', rc, 'TORCH', 'torch' in sys.modules, 'ST', 'sentence_transformers' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
    done = subprocess.run(
        [sys.executable, "-c", probe, str(data)], capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "Pellin" in done.stdout and "Zeltran Eastern Command" in done.stdout
    assert done.stdout.rstrip().splitlines()[-1] == "RC 0 TORCH False ST False"
