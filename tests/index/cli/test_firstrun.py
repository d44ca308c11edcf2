"""``make run``'s first-run step: the bundled sample corpus ingested into an empty store, once."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from index.cli import firstrun
from index.cli.firstrun import SAMPLES, ingest_samples
from index.embedding import factory, numpy_bert
from index.engine import Engine
from index.models import GLOBAL_SCOPE, Progress
from tests.conftest import FakeEmbedder


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Whatever model first-run asks for is the fake embedder (this is plumbing); records the names."""
    loaded: list[str] = []

    def load(model: str, backend: str, *, cache_dir: Path) -> FakeEmbedder:
        loaded.append(model)
        return FakeEmbedder()

    monkeypatch.setattr(factory, "load_embedder", load)
    # The real model's question encoder would give its 384 dimensions before the fake (of another size)
    # loads: this plumbing test has no question encoder.
    monkeypatch.setattr(numpy_bert, "supports", lambda path: False)
    return loaded


def sample_count() -> int:
    lines = (SAMPLES / "reports.jsonl").read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines if line.strip()) + 2  # the page and the field notes


async def test_every_manifest_source_is_ingested_with_its_metadata(tmp_path: Path) -> None:
    assert SAMPLES.is_dir() and (SAMPLES / "manifest.json").exists()  # found from the package
    async with await Engine.open(tmp_path / "data", embedder=FakeEmbedder()) as engine:
        assert await ingest_samples(engine) == sample_count()
        sources = {Path(s.location).name: s for s in await engine.sources()}
        assert set(sources) == {"reports.jsonl", "boilerplate-page.html", "field-notes.md"}
        notes = await engine.store.search.passages(
            await engine.store.sources.chunk_ids(sources["field-notes.md"].id)
        )
        (article,) = notes.articles.values()
        # What the file can't carry comes from the manifest.
        assert (article.outlet, str(article.published), article.url) == (
            "Civilian Harm Observatory",
            "2025-03-28",
            "https://cho-monitor.example/field-notes/marska-ossel-weir",
        )
        assert article.scope == GLOBAL_SCOPE
        assert await ingest_samples(engine) == 0  # all there already


async def test_a_failing_source_is_reported_and_the_rest_ingested(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLES / "field-notes.md", corpus)
    (corpus / "manifest.json").write_text(
        json.dumps({"sources": [{"path": "missing.jsonl"}, {"path": "field-notes.md", "outlet": "CHO"}]}),
        encoding="utf-8",
    )
    async with await Engine.open(tmp_path / "data", embedder=FakeEmbedder()) as engine:
        assert await ingest_samples(engine, corpus) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"failed: {corpus / 'missing.jsonl'}: ") and "no such file" in err


async def test_an_empty_store_is_filled_step_by_step_and_a_filled_one_left_alone(
    tmp_path: Path, fake_model: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    await firstrun._main(data, "all-MiniLM-L6-v2", "torch")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{data} is empty: ingesting the sample corpus from {SAMPLES} ..."
    assert lines[1:3] == ["loading the embedding model (all-MiniLM-L6-v2) ...", lines[2]]
    assert lines[2].startswith("  loaded (") and lines[2].endswith(" s)")
    assert lines[3] == "reading, cleaning and embedding the sample articles ..."
    assert lines[4].startswith(f"  ingested {sample_count():,} sample articles. (")
    # Where the time went, step by step (no sentence step: not asked for).
    assert lines[5].startswith("first run done in ") and ": model " in lines[5] and ", ingest " in lines[5]
    assert len(lines) == 6 and fake_model == ["all-MiniLM-L6-v2"]

    await firstrun._main(data, "all-MiniLM-L6-v2", "torch", sentence_vectors=True)
    assert capsys.readouterr().out == f"{data}: {sample_count():,} articles already ingested.\n"
    assert fake_model == ["all-MiniLM-L6-v2"]  # a re-run loads no model


async def test_sentence_vectors_are_embedded_when_set(
    tmp_path: Path, fake_model: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    await firstrun._main(tmp_path / "data", "all-MiniLM-L6-v2", "torch", sentence_vectors=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[-3] == "embedding each quotable sentence, so questions need not ..."
    assert lines[-2].startswith("  embedded ") and " sentences for quoting. (" in lines[-2]
    assert int(lines[-2].split()[1].replace(",", "")) > 0
    assert ", sentences " in lines[-1]


def test_a_terminal_sees_each_step_move(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    counter = firstrun._Counter("articles stored")
    counter.articles(Progress(done=3, total=10, stage="embedding", chunks=8, chunks_total=40))
    counter.articles(Progress(done=3, total=10, stage="embedding", chunks=8, chunks_total=40))  # unchanged
    counter.count(5)
    counter.close()
    out = capsys.readouterr().out
    assert out == (
        "\r\033[K  3 articles stored, 8 of 40 passages embedded\r\033[K  5 articles stored\r\033[K"
    )


def test_main_reads_the_data_dir_from_the_settings_or_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, ...]] = []

    async def record(*args: Any) -> None:
        calls.append(args)

    monkeypatch.setattr(firstrun, "_main", record)
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("SITREP_DATA_DIR", str(tmp_path / "from-env"))
    monkeypatch.setenv("SITREP_SENTENCE_VECTORS", "false")
    for name in ("SITREP_DATABASE_URL", "SITREP_MODEL", "SITREP_ENCODER_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "argv", ["firstrun"])
    firstrun.main()
    monkeypatch.setattr(sys, "argv", ["firstrun", "--data-dir", str(tmp_path / "given")])
    firstrun.main()
    assert calls == [
        (tmp_path / "from-env", "all-MiniLM-L6-v2", "torch", None, False),
        (tmp_path / "given", "all-MiniLM-L6-v2", "torch", None, False),
    ]
