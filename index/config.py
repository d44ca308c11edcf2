"""Library settings (pydantic-settings), read from ``SITREP_*`` environment variables and ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from index.embedding import DEFAULT_BACKEND, DEFAULT_MODEL


class IndexSettings(BaseSettings):
    """Where data lives and which model embeds it. Read only by the entry points (CLI, bot)."""

    model_config = SettingsConfigDict(env_prefix="SITREP_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    model: str = DEFAULT_MODEL  # any sentence-transformers name or path
    encoder_backend: Literal["torch", "onnx-int8"] = (
        DEFAULT_BACKEND  # "torch" (fp32) or "onnx-int8" (see index/onnx_encoder.py)
    )
    fetch_timeout: float = 20.0  # seconds per HTTP request
    fetch_max_bytes: int = 5 * 1024 * 1024  # larger pages are refused
    # Fetch from loopback/LAN addresses too: only for people who run their own local sources.
    allow_private_urls: bool = False
    # Unset or sqlite:///DIR: the embedded store (SQLite + FAISS in the data dir, or in DIR);
    # postgresql://...: a shared PostgreSQL with pgvector (see index/storage.py).
    database_url: str | None = None
