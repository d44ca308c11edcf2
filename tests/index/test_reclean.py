"""``Engine.reclean`` / ``sitrep reclean``: a store ingested before the furniture rules is cleaned in place.

"Before" is simulated by ingesting with ``strip_furniture`` switched off, then switching it back on.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from index.answering.sentence_vectors import quote_windows
from index.cli import commands as cli
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.ingest import prepare as prepare_module
from index.ingest import reclean as reclean_module
from index.models import GLOBAL_SCOPE
from index.storage.records import ArticleFilter
from index.text.furniture import Stripped
from tests.conftest import ROOT, CountingEmbedder, FakeEmbedder

GALLERY = (
    "(CNN) Ukraine's grain exports rose for a third month, the agriculture ministry said on Thursday, March 3.\n\n"
    "Photos: Russia invades Ukraine Firefighters work at a burning depot in Kharkiv on October 10. Hide Caption 1 of 3\n\n"
    'Photos: Russia invades Ukraine Volunteers load flour in Lviv on October 8. "We do not stop," one said. Hide Caption 2 of 3\n\n'
    "The ministry said ships left Odesa with 1.2 million tonnes in February, officials added."
)
DATELINED = (
    "KYIV, March 3 (Reuters) - Russian forces shelled Kharkiv overnight, the governor said on Telegram.\n\n"
    "Video Ad Feedback Governor: 'We will rebuild' 02:31 - Source: CNN\n\n"
    "Officials counted 14 damaged buildings by March 2, 2022, the governor added."
)
CLEAN = "Talks resumed in Istanbul on Tuesday, the foreign ministry said.\n\nNo agreement was reached."
ONLY_FURNITURE = "Photos: Russia invades Ukraine\n\nHide Caption\n\n1 of 3\n\nVideo Ad Feedback"
# The same words as CLEAN once its dateline is cut: a duplicate after the reclean.
COPY_OF_CLEAN = "ISTANBUL (AP) — " + CLEAN

ARTICLES = [
    {
        "id": "gallery",
        "title": "Grain exports rise",
        "text": GALLERY,
        "outlet": "CNN",
        "published": "2022-03-03",
    },
    {"id": "datelined", "title": "Kharkiv shelled", "text": DATELINED, "outlet": "Reuters"},
    {"id": "clean", "title": "Talks resume", "text": CLEAN, "outlet": "AP", "published": "2022-03-08"},
    {
        "id": "furniture",
        "title": "Photos",
        "text": ONLY_FURNITURE,
        "outlet": "CNN",
        "published": "2022-03-03",
    },
    {"id": "copy", "title": "Talks resume", "text": COPY_OF_CLEAN, "outlet": "AP", "published": "2022-03-08"},
]


@contextmanager
def furniture_rules_off(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Ingest as sitrep did before page furniture was removed."""
    with monkeypatch.context() as m:
        m.setattr(prepare_module, "strip_furniture", lambda text, title=None: Stripped(text))
        yield


def write_corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    return path


async def chunks_consistent(engine: Engine) -> list[tuple[int, str]]:
    """Every chunk's text is its article's text[start:end]; returns (row id, chunk text) pairs."""
    f = ArticleFilter(scopes=(GLOBAL_SCOPE,))
    ids = await engine.store.search.allowed_chunk_ids(f)
    passages = await engine.store.search.passages(ids)
    # Chunks lacking a vector of another model: every chunk, with its stored text.
    texts = dict(await engine.store.embeddings.missing_chunk_vectors("no-such-model"))
    assert set(texts) == set(ids) == set(passages.located)
    out = []
    for cid, (rowid, start, end) in passages.located.items():
        assert texts[cid] == passages.articles[rowid].text[start:end]
        out.append((rowid, texts[cid]))
    claims = await engine.store.articles.claims(passages.articles)
    for rowid, found in claims.items():
        for c in found:
            assert c.text == passages.articles[rowid].text[c.start : c.end]
    stats = await engine.stats()
    assert stats.index_vectors == stats.chunks == len(ids)
    return out


async def test_reclean_replaces_changed_articles_and_is_idempotent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str | None
) -> None:
    corpus = write_corpus(tmp_path)
    engine = await Engine.open(tmp_path / "data", embedder=FakeEmbedder(), database_url=database_url)
    try:
        with furniture_rules_off(monkeypatch):
            report = await engine.ingest([str(corpus)])
        assert report.added == 5
        before = await engine.store.articles.get(GLOBAL_SCOPE, "gallery")
        assert before is not None and "Hide Caption" in before.text
        dated = await engine.store.articles.get(GLOBAL_SCOPE, "datelined")
        assert (
            dated is not None and dated.published == date(2022, 3, 3) and dated.published_from == "dateline"
        )
        # A caption's "October 10" under a page of March 3, 2022 reads as October 10, 2021.
        assert 2021 in await engine.store.search.years_for(10, 10, (GLOBAL_SCOPE,))
        await chunks_consistent(engine)

        report = await engine.reclean()
        assert (report.articles, report.changed, report.removed) == (5, 2, 2)

        gallery = await engine.store.articles.get(GLOBAL_SCOPE, "gallery")
        assert gallery is not None
        assert gallery.text == (
            "Ukraine's grain exports rose for a third month, the agriculture ministry said on Thursday, March 3.\n\n"
            "The ministry said ships left Odesa with 1.2 million tonnes in February, officials added."
        )
        assert (gallery.published, gallery.source_id, gallery.ingested_at) == (
            before.published,
            before.source_id,
            before.ingested_at,
        )
        assert (
            await engine.store.search.years_for(10, 10, (GLOBAL_SCOPE,)) == []
        )  # the captions' dates went too
        dated = await engine.store.articles.get(GLOBAL_SCOPE, "datelined")
        assert dated is not None and dated.text.startswith("Russian forces shelled Kharkiv")
        assert "Video Ad Feedback" not in dated.text
        assert (
            dated.published == date(2022, 3, 3) and dated.published_from == "dateline"
        )  # from the cut dateline
        assert await engine.store.articles.get(GLOBAL_SCOPE, "furniture") is None  # nothing left of it
        assert await engine.store.articles.get(GLOBAL_SCOPE, "copy") is None  # now the same words as "clean"
        assert await engine.store.articles.get(GLOBAL_SCOPE, "clean") is not None
        chunks = await chunks_consistent(engine)
        assert not any("Hide Caption" in t or t.startswith(("(CNN)", "KYIV")) for _, t in chunks)
        answer = await engine.ask("What did the governor say about Kharkiv?", k=5)
        assert answer.found and not any(q.text.startswith("KYIV") for q in answer.quotes)

        again = await engine.reclean()
        assert (again.articles, again.changed, again.removed, again.chunks) == (3, 0, 0, 0)
    finally:
        await engine.close()

    # The vector index on disk follows the store: reopened, it loads as it was saved.
    engine = await Engine.open(tmp_path / "data", embedder=FakeEmbedder(), database_url=database_url)
    try:
        await chunks_consistent(engine)
    finally:
        await engine.close()


async def test_with_sentence_chunk_vectors_reclean_embeds_each_changed_sentence_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = CountingEmbedder()
    engine = await Engine.open(tmp_path / "data", embedder=counting, chunk_vectors="sentences")
    try:
        with furniture_rules_off(monkeypatch):
            await engine.ingest([str(write_corpus(tmp_path))])
        before = counting.embedded
        report = await engine.reclean()
        assert report.changed == 2
        changed = [await engine.store.articles.get(GLOBAL_SCOPE, i) for i in ("gallery", "datelined")]
        # ... and "copy", whose cleaned text was embedded before the store found it the same as "clean".
        windows = sum(len(quote_windows(a.text)) for a in changed if a is not None) + len(
            quote_windows(CLEAN)
        )
        assert counting.embedded - before == windows  # no chunk embedded by its own text
        assert await engine.fill_sentence_vectors() > 0 and counting.embedded - before == windows  # reused
        await chunks_consistent(engine)
    finally:
        await engine.close()


async def test_a_failure_midway_keeps_committed_groups_and_a_rerun_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str | None
) -> None:
    corpus = write_corpus(tmp_path)
    engine = await Engine.open(tmp_path / "data", embedder=FakeEmbedder(), database_url=database_url)
    try:
        with furniture_rules_off(monkeypatch):
            await engine.ingest([str(corpus)])
        monkeypatch.setattr(reclean_module, "STORE_BATCH", 1)
        replace = engine.store.articles.replace
        calls = 0

        async def dies_on_the_second_group(*args, **kwargs):  # type: ignore[no-untyped-def]
            nonlocal calls
            calls += 1
            if calls == 2:
                raise RuntimeError("killed")
            return await replace(*args, **kwargs)

        monkeypatch.setattr(engine.store.articles, "replace", dies_on_the_second_group)
        with pytest.raises(RuntimeError, match="killed"):
            await engine.reclean()
        monkeypatch.setattr(engine.store.articles, "replace", replace)
    finally:
        await engine.close()

    engine = await Engine.open(tmp_path / "data", embedder=FakeEmbedder(), database_url=database_url)
    try:
        await chunks_consistent(engine)  # the first group's article replaced, the others as they were
        texts = {a["id"]: await engine.store.articles.get(GLOBAL_SCOPE, a["id"]) for a in ARTICLES}
        assert "Hide Caption" not in texts["gallery"].text  # type: ignore[union-attr]
        assert "Video Ad Feedback" in texts["datelined"].text  # type: ignore[union-attr]
        report = await engine.reclean()
        assert (report.changed, report.removed) == (1, 2)
        await chunks_consistent(engine)
    finally:
        await engine.close()


@pytest.mark.model
def test_sitrep_reclean_prints_what_changed(
    sample_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    embedder: SentenceTransformerEmbedder,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    shutil.copytree(sample_template, data)
    monkeypatch.setattr("index.embedding.torch_encoder.SentenceTransformerEmbedder", lambda name: embedder)
    corpus = write_corpus(tmp_path)
    with furniture_rules_off(monkeypatch):
        assert cli.main(["--data-dir", str(data), "ingest", "--no-progress", str(corpus)]) == 0
    capsys.readouterr()
    assert cli.main(["--data-dir", str(data), "reclean", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "2 changed, 2 removed" in out
    assert cli.main(["--data-dir", str(data), "reclean", "--no-progress"]) == 0
    assert "0 changed, 0 removed" in capsys.readouterr().out


CHILD = """
import asyncio, sys, time
from pathlib import Path
from index.engine import Engine
from index.ingest import reclean
from index.storage.sqlite import articles
from tests.conftest import ROOT, CountingEmbedder, FakeEmbedder

reclean.STORE_BATCH = 1
insert_chunks = articles.SqliteArticles._insert_chunks
groups = 0

async def slow_insert_chunks(self, db, rowid, art, model):
    global groups
    groups += 1
    if groups == 2:  # inside the second group's write transaction
        print("inside", flush=True)
        time.sleep(60)
    return await insert_chunks(self, db, rowid, art, model)

articles.SqliteArticles._insert_chunks = slow_insert_chunks

async def main():
    async with await Engine.open(Path(sys.argv[1]), embedder=FakeEmbedder()) as engine:
        await engine.reclean()

asyncio.run(main())
"""


def test_a_kill_inside_a_write_leaves_the_committed_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGKILL while the second group is being written: the first is committed, the second not at all."""
    corpus = write_corpus(tmp_path)
    data = tmp_path / "data"

    async def ingest() -> None:
        async with await Engine.open(data, embedder=FakeEmbedder()) as engine:
            with furniture_rules_off(monkeypatch):
                await engine.ingest([str(corpus)])

    asyncio.run(ingest())
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "inside"
    finally:
        child.kill()
        child.wait()

    async def check() -> None:
        async with await Engine.open(data, embedder=FakeEmbedder()) as engine:
            await chunks_consistent(engine)
            gallery = await engine.store.articles.get(GLOBAL_SCOPE, "gallery")
            datelined = await engine.store.articles.get(GLOBAL_SCOPE, "datelined")
            assert gallery is not None and "Hide Caption" not in gallery.text  # committed
            assert datelined is not None and "Video Ad Feedback" in datelined.text  # rolled back whole
            report = await engine.reclean()
            assert (report.changed, report.removed) == (1, 2)
            await chunks_consistent(engine)

    asyncio.run(check())
