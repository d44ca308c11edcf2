"""How every ``sitrep`` command runs: its settings, its logging, the engine it opens, and the one line
a known error ends it with (``commands`` and ``entry`` dispatch through these)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Coroutine
from typing import Any

from index.config import IndexSettings
from index.engine import Engine
from index.errors import SitrepError


def start_logging(args: argparse.Namespace) -> None:
    """Log to stderr: INFO with ``-v``, else WARNING."""
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def settings_of(args: argparse.Namespace) -> IndexSettings:
    """The settings (environment, ``.env``) with the global options given on the command line."""
    given = {"data_dir": args.data_dir, "database_url": args.database_url}
    return IndexSettings().model_copy(update={k: v for k, v in given.items() if v is not None})


def guarded(args: argparse.Namespace, work: Coroutine[Any, Any, int]) -> int:
    """Run a command: its exit status, or one line on stderr for a SitrepError (exit 1)."""
    start_logging(args)
    try:
        return asyncio.run(work)
    except SitrepError as e:
        print(f"sitrep: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `sitrep ask ... | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


async def open_engine(args: argparse.Namespace, settings: IndexSettings) -> Engine:
    """The engine a command works on, opened as the global options and settings say."""
    # Long-running commands fill sentence vectors in the background, ingest before it exits (see
    # _run); the rest leave it to them (a rebuild from stored vectors needs no model).
    return await Engine.open(
        settings.data_dir,
        model=args.model or settings.model,
        encoder_backend=settings.encoder_backend,
        fetch_timeout=settings.fetch_timeout,
        fetch_max_bytes=settings.fetch_max_bytes,
        public_urls_only=not settings.allow_private_urls,
        # Loaded on first use: `sources`, `stats` and `rebuild` from stored vectors need no model.
        load_model=False,
        database_url=settings.database_url,
        sentence_vectors=settings.sentence_vectors and args.command in ("chat", "worker"),
        telegram_base_url=settings.telegram_base_url,
        chunk_vectors=settings.chunk_vectors,
    )
