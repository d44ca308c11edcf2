"""Library settings (pydantic-settings), read from ``SITREP_*`` environment variables and ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from index.embedding.base import DEFAULT_BACKEND, DEFAULT_MODEL, Backend
from index.storage.factory import is_postgres


class IndexSettings(BaseSettings):
    """Where data lives and which model embeds it. Read only by the entry points (CLI, bot)."""

    model_config = SettingsConfigDict(env_prefix="SITREP_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    model: str = DEFAULT_MODEL  # any sentence-transformers name or path
    # "torch" (fp32), "onnx-int8" (index/embedding/onnx_encoder.py), or "multilingual": multilingual-e5-small
    # whatever `model` says, so English questions find reporting in other languages (e5_encoder.py).
    encoder_backend: Backend = DEFAULT_BACKEND
    # Embed stored articles' sentences once (in the background, ~2 KB a chunk on disk) so a question
    # looks up its ~30 candidates instead of embedding them: most of an answer's time otherwise.
    sentence_vectors: bool = True
    # "sentences": an ingest embeds each article's sentences once and makes its chunks' vectors from
    # them (index/ingest/chunk_vectors.py), ~2x faster than "model": chunks embedded by their own
    # text, then (sentence_vectors) their sentences again. Unset: "sentences", except for the
    # multilingual backend ("model": its cross-language ranking is better so). Stores keep what
    # earlier ingests made.
    chunk_vectors: Literal["sentences", "model"] | None = None
    fetch_timeout: float = 20.0  # seconds per HTTP request
    fetch_max_bytes: int = 5 * 1024 * 1024  # larger pages are refused
    # Fetch from loopback/LAN addresses too: only for people who run their own local sources.
    allow_private_urls: bool = False
    # Where Telegram channels' public web previews are read (t.me/s/NAME); post links stay https://t.me/...
    telegram_base_url: str = "https://t.me"
    # Unset or sqlite:///DIR: the embedded store (SQLite + FAISS in the data dir, or in DIR);
    # postgresql://...: a shared PostgreSQL with pgvector (see index/storage/protocols.py).
    database_url: str | None = None
    # The job queue of `sitrep worker` (postgresql://…); set, the bot hands ingests, removals and
    # rebuilds to workers instead of running them itself.
    queue_url: str | None = None
    job_lease_seconds: float = 60.0  # a worker that stops renewing its job for this long loses it
    job_max_attempts: int = 3  # claims of one job before it fails for good
    job_wait_seconds: float = 3600.0  # how long the bot waits for a queued job's result
    feed_poll_minutes: float = 30.0  # workers: how often the poller enqueues a refresh (0 = never)

    @property
    def jobs_url(self) -> str | None:
        """Where the job queue lives, if anywhere: ``queue_url``, else a Postgres ``database_url``."""
        return self.queue_url or (self.database_url if is_postgres(self.database_url) else None)
