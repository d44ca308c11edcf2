"""``sitrep digest``: what the archive received in a window (``--since 24h``), by event, as text or JSON.

An empty window prints "Nothing new in the archive between … and …" and exits 0: no news is an
answer, not an error. A ``--since`` or ``--until`` that can't be read is one line on stderr and
exit 2, as the other commands' usage errors are, before any store is opened.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from datetime import UTC, datetime

from index.cli.commands import _open_engine  # the one way the CLI opens an engine (commands.py is full)
from index.config import IndexSettings
from index.digest import DEFAULT_LIMIT, build_digest, parse_window, render_digest
from index.errors import SitrepError
from index.models import GLOBAL_SCOPE


def main(args: argparse.Namespace) -> int:
    """Run ``sitrep digest`` for parsed arguments; returns the exit status."""
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        since, until = parse_window(args.since, args.until, datetime.now(UTC))
        if args.limit is not None and args.limit < 1:
            raise ValueError(f"--limit must be at least 1, not {args.limit}")
    except ValueError as e:
        print(f"sitrep digest: {e}", file=sys.stderr)
        return 2
    given = {"data_dir": args.data_dir, "database_url": args.database_url}  # the global options
    settings = IndexSettings().model_copy(update={k: v for k, v in given.items() if v is not None})
    try:
        return asyncio.run(_digest(args, settings, since, until))
    except SitrepError as e:
        print(f"sitrep: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `sitrep digest | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


async def _digest(args: argparse.Namespace, settings: IndexSettings, since: datetime, until: datetime) -> int:
    engine = await _open_engine(args, settings)
    try:
        digest = await build_digest(
            engine,
            scopes=args.scope or [GLOBAL_SCOPE],
            since=since,
            until=until,
            limit=args.limit or DEFAULT_LIMIT,
        )
    finally:
        await engine.close()
    print(json.dumps(digest.to_dict(), ensure_ascii=False, indent=2) if args.json else render_digest(digest))
    return 0
