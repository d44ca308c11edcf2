"""``sitrep digest``: what the archive received in a window (``--since 24h``), by event, as text or JSON.

An empty window prints "Nothing new in the archive between … and …" and exits 0: no news is an
answer, not an error. A ``--since`` or ``--until`` that can't be read is one line on stderr and
exit 2, as the other commands' usage errors are, before any store is opened.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from index.digest import DEFAULT_LIMIT, build_digest, parse_window, render_digest
from index.engine import Engine
from index.models import GLOBAL_SCOPE


def window_problem(args: argparse.Namespace) -> str | None:
    """Why ``--since``/``--until``/``--limit`` can't be used (one line), or None: checked before any
    store is opened. The window read is kept on ``args.window``."""
    try:
        args.window = parse_window(args.since, args.until, datetime.now(UTC))
        if args.limit is not None and args.limit < 1:
            raise ValueError(f"--limit must be at least 1, not {args.limit}")
    except ValueError as e:
        return f"sitrep digest: {e}"
    return None


async def run_digest(engine: Engine, args: argparse.Namespace) -> int:
    """Print what the archive received in the window, by event (or its JSON)."""
    since, until = args.window
    digest = await build_digest(
        engine,
        scopes=args.scope or [GLOBAL_SCOPE],
        since=since,
        until=until,
        limit=args.limit or DEFAULT_LIMIT,
    )
    print(json.dumps(digest.to_dict(), ensure_ascii=False, indent=2) if args.json else render_digest(digest))
    return 0
