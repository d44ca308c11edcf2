"""Library settings from SITREP_* variables (and .env): defaults, parsing, and where jobs are queued."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from index.config import IndexSettings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SITREP_* variables and no .env: each test sets what it reads."""
    import os

    for name in list(os.environ):
        if name.startswith("SITREP_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_defaults() -> None:
    s = IndexSettings()
    assert (s.data_dir, s.model, s.encoder_backend, s.database_url, s.queue_url) == (
        Path("data"), "all-MiniLM-L6-v2", "torch", None, None
    )  # fmt: skip
    assert s.sentence_vectors and not s.allow_private_urls
    assert (s.fetch_timeout, s.fetch_max_bytes, s.job_max_attempts, s.feed_poll_minutes) == (
        20.0,
        5 << 20,
        3,
        30.0,
    )


def test_variables_are_read_and_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_DATA_DIR", "/srv/sitrep")
    monkeypatch.setenv("SITREP_ENCODER_BACKEND", "onnx-int8")
    monkeypatch.setenv("SITREP_SENTENCE_VECTORS", "false")
    monkeypatch.setenv("SITREP_FETCH_TIMEOUT", "7.5")
    monkeypatch.setenv("SITREP_ALLOW_PRIVATE_URLS", "1")
    s = IndexSettings()
    assert (s.data_dir, s.encoder_backend, s.sentence_vectors, s.fetch_timeout, s.allow_private_urls) == (
        Path("/srv/sitrep"), "onnx-int8", False, 7.5, True
    )  # fmt: skip


def test_a_dotenv_file_is_read_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text(
        "SITREP_MODEL=from-dotenv\nSITREP_DATA_DIR=/from/dotenv\nDISCORD_TOKEN=x\n"
    )
    monkeypatch.setenv("SITREP_DATA_DIR", "/from/env")
    s = IndexSettings()
    assert (s.model, s.data_dir) == ("from-dotenv", Path("/from/env"))  # other apps' variables ignored


def test_an_unknown_backend_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_ENCODER_BACKEND", "tensorrt")
    with pytest.raises(ValidationError, match="encoder_backend"):
        IndexSettings()


@pytest.mark.parametrize(
    ("queue_url", "database_url", "jobs_url"),
    [
        (None, None, None),
        (None, "sqlite:///data", None),  # the embedded store queues nothing
        (None, "postgresql://db/sitrep", "postgresql://db/sitrep"),  # the store's database
        ("postgresql://q/jobs", "postgresql://db/sitrep", "postgresql://q/jobs"),  # a queue of its own
        ("postgresql://q/jobs", None, "postgresql://q/jobs"),
    ],
)
def test_where_jobs_are_queued(queue_url: str | None, database_url: str | None, jobs_url: str | None) -> None:
    assert IndexSettings(queue_url=queue_url, database_url=database_url).jobs_url == jobs_url
