"""The Ingestor on an embedded store with the fake embedder: one transaction per group of articles,
duplicates and id clashes counted, oversized articles refused, progress reported as groups commit."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.ingest import pipeline
from index.ingest.fetching import Fetcher
from index.ingest.pipeline import Ingestor, embed_missing_chunks
from index.ingest.readers import TextMeta
from index.models import GLOBAL_SCOPE, IngestReport, Progress
from index.storage.factory import open_storage, open_vector_search
from index.storage.protocols import Storage, VectorSearch
from index.threads import EngineThreads
from tests.conftest import CountingEmbedder


def report(n: int, *, prefix: str = "r", place: str = "Pellin") -> dict[str, Any]:
    return {
        "id": f"{prefix}-{n}",
        "outlet": "Pellin Post",
        "published": f"2025-03-{n + 1:02d}",
        "text": f"Shelling hit {place} district {n} overnight, the mayor Dana Kell said on Tuesday. "
        f"Crews counted {n + 3} craters near the rail depot.",
    }


def jsonl(path: Path, records: list[dict[str, Any]]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


@dataclass
class Setup:
    """An Ingestor wired as the engine wires it, with what it was given recorded."""

    store: Storage
    vectors: VectorSearch
    embedder: CountingEmbedder
    ingestor: Ingestor
    after: list[IngestReport] = field(default_factory=list)
    writes: int = 0  # times the write lock was taken

    async def ingest(
        self, *locations: str, progress: Callable[[Progress], None] | None = None
    ) -> IngestReport:
        return await self.ingestor.locations(
            list(locations), scope=GLOBAL_SCOPE, added_by="tester", meta=TextMeta(), progress=progress
        )


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    store = await open_storage(tmp_path / "data", None)
    threads = EngineThreads()
    embedder = CountingEmbedder()
    vectors = open_vector_search(
        store,
        dim=embedder.dim,
        model=embedder.name,
        on_index=threads.on_index,
        on_build=threads.on_build,
        fill_missing=partial(embed_missing_chunks, store, embedder, threads),
        when_idle=threads.when_idle,
    )
    await vectors.load()
    holder: list[Setup] = []

    @asynccontextmanager
    async def writing() -> AsyncIterator[None]:
        holder[0].writes += 1
        async with vectors.writing():
            yield

    fetcher = Fetcher()
    ingestor = Ingestor(
        store, vectors, embedder, threads, fetcher, writing=writing, after=lambda r: holder[0].after.append(r)
    )
    holder.append(Setup(store, vectors, embedder, ingestor))
    yield holder[0]
    await fetcher.close()
    await store.close()
    threads.shutdown()


def count_adds(monkeypatch: pytest.MonkeyPatch, store: Storage, fail_on: int | None = None) -> list[int]:
    """Record the number of articles in each ``articles.add`` (one transaction each); raise on call ``fail_on``."""
    sizes: list[int] = []
    add = store.articles.add

    async def counted(**kwargs: Any) -> Any:
        sizes.append(len(kwargs["articles"]))
        if len(sizes) == fail_on:
            raise RuntimeError("disk full")
        return await add(**kwargs)

    monkeypatch.setattr(store.articles, "add", counted)
    return sizes


async def test_one_transaction_per_group_and_progress_as_each_commits(
    setup: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "STORE_BATCH", 2)
    sizes = count_adds(monkeypatch, setup.store)
    seen: list[Progress] = []
    result = await setup.ingest(
        jsonl(tmp_path / "a.jsonl", [report(n) for n in range(5)]), progress=seen.append
    )
    assert (result.added, result.duplicates, result.failed) == (5, 0, [])
    assert sizes == [2, 2, 1]
    committed = [p for p in seen if p.added_ids]
    assert [(p.done, p.total, p.stage, p.added_ids) for p in committed] == [
        (2, 5, "embedding", ("r-0", "r-1")),
        (4, 5, "embedding", ("r-2", "r-3")),
        (5, 5, "storing", ("r-4",)),
    ]
    # Between commits, a report after each model call: passages embedded so far, never going back.
    passages = [p.chunks for p in seen]
    assert passages == sorted(passages) and passages[-1] == seen[-1].chunks_total == result.chunks
    assert len(seen) >= len(committed) + 3 and all(p.stage == "embedding" for p in seen if not p.added_ids)
    sources, articles, chunks = await setup.store.counts()
    assert (sources, articles) == (1, 5) and chunks == result.chunks == setup.embedder.embedded
    assert setup.vectors.size == chunks  # type: ignore[attr-defined]
    # The whole ingest ran under the write lock once, and the engine heard of it once, after.
    assert setup.writes == 1 and setup.after == [result] and result.seconds > 0


async def test_a_failing_group_keeps_the_groups_committed_before_it(
    setup: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "STORE_BATCH", 2)
    source = jsonl(tmp_path / "a.jsonl", [report(n) for n in range(5)])
    count_adds(monkeypatch, setup.store, fail_on=2)
    with pytest.raises(RuntimeError, match="disk full"):
        await setup.ingest(source)
    assert (await setup.store.counts())[1] == 2  # the first group only
    monkeypatch.undo()
    monkeypatch.setattr(pipeline, "STORE_BATCH", 2)
    again = await setup.ingest(source)  # exactly the rest
    assert (again.added, again.duplicates) == (3, 2)
    assert (await setup.store.counts())[1] == 5


async def test_duplicates_and_taken_ids_are_counted_not_stored(setup: Setup, tmp_path: Path) -> None:
    same_words_new_id = report(0) | {"id": "r-0-again"}
    clash = report(1) | {"id": "r-0", "text": "A different story about the Venmark quarry, officials said."}
    first = await setup.ingest(jsonl(tmp_path / "a.jsonl", [report(0), same_words_new_id, report(1)]))
    assert (first.added, first.duplicates, first.failed) == (2, 1, [])
    second = await setup.ingest(jsonl(tmp_path / "b.jsonl", [report(1), clash]))
    assert (second.added, second.duplicates) == (0, 1)
    (failure,) = second.failed
    assert failure.reason == "article id 'r-0' is already used by another article"
    # A source whose articles were all known still gets its row: it shows in the source list.
    assert [(s.location.endswith(n), s.articles) for s, n in zip(
        sorted(await setup.store.sources.find(), key=lambda s: s.id), ["a.jsonl", "b.jsonl"], strict=True
    )] == [(True, 2), (True, 0)]  # fmt: skip


async def test_an_oversized_article_is_refused_and_the_rest_of_its_source_stored(
    setup: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "MAX_ARTICLE_CHARS", 500)
    huge = report(9) | {"id": "huge", "title": "The long one", "text": "Shelling went on. " * 40}
    result = await setup.ingest(jsonl(tmp_path / "a.jsonl", [report(0), huge]))
    assert result.added == 1
    (failure,) = result.failed
    assert failure.location == "The long one"  # named by its title (it has no URL)
    assert failure.reason == (
        "too long for one article (720 characters; the limit is 500): split it into articles"
    )
    assert await setup.store.articles.get(GLOBAL_SCOPE, "huge") is None


async def test_missing_and_unsupported_sources_fail_alone(setup: Setup, tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.7")
    good = jsonl(tmp_path / "a.jsonl", [report(0)])
    result = await setup.ingest(str(tmp_path / "x.pdf"), str(tmp_path / "nope.txt"), good)
    assert result.added == 1
    assert [f.location for f in result.failed] == [str(tmp_path / "x.pdf"), str(tmp_path / "nope.txt")]
    assert "unsupported file type .pdf" in result.failed[0].reason
    assert "no such file" in result.failed[1].reason
    assert setup.writes == 1  # one ingest, one hold of the write lock, for every location


async def test_an_upload_is_one_source_named_after_the_file(setup: Setup) -> None:
    data = b"Ferry attack near Sollen\n\nTwo ferries were hit near Sollen, the harbour master said.\n"
    result = await setup.ingestor.upload("dispatch.txt", data, scope="4242", added_by="u1", progress=None)
    assert (result.added, result.failed) == (1, [])
    (source,) = await setup.store.sources.find("4242")
    assert (source.location, source.kind, source.added_by, source.articles) == (
        "upload:dispatch.txt",
        "file",
        "u1",
        1,
    )
    refused = await setup.ingestor.upload("empty.txt", b"", scope="4242", added_by="u1", progress=None)
    assert refused.added == 0 and refused.failed[0].location == "empty.txt"
    assert len(setup.after) == 2  # every ingest is reported to the engine, refused or not


async def test_embed_missing_chunks_embeds_only_what_lacks_a_vector(setup: Setup, tmp_path: Path) -> None:
    await setup.ingest(jsonl(tmp_path / "a.jsonl", [report(n) for n in range(3)]))
    assert await setup.store.embeddings.missing_chunk_vectors(setup.embedder.name) == []
    # Another model's vectors are missing for every chunk: each is embedded once, in model batches.
    other = CountingEmbedder()
    other.name = "other-model"
    missing = await setup.store.embeddings.missing_chunk_vectors(other.name)
    assert len(missing) == (await setup.store.counts())[2] > 0
    again = CountingEmbedder()
    again.name = "other-model"
    threads = EngineThreads()
    try:
        await embed_missing_chunks(setup.store, other, threads)
        assert other.embedded == len(missing)
        assert await setup.store.embeddings.missing_chunk_vectors(other.name) == []
        await embed_missing_chunks(setup.store, again, threads)
        assert again.embedded == 0  # nothing left to do
    finally:
        threads.shutdown()
    stored = await setup.store.embeddings.vector_chunk_ids(other.name)  # type: ignore[attr-defined]
    assert np.array_equal(np.sort(stored), np.array(sorted(cid for cid, _ in missing)))
