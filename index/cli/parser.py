"""The ``sitrep`` command line's arguments: one sub-parser per command, with its help text."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from index.dates.parsing import parse_date_value
from index.models import GLOBAL_SCOPE


def _date_arg(value: str) -> date:
    try:
        return parse_date_value(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from e


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (global options before the command)."""
    p = argparse.ArgumentParser(
        prog="sitrep",
        description="Answer questions about armed conflicts with verbatim, attributed quotes from ingested reporting.",
    )
    p.add_argument(
        "--data-dir", type=Path, help="where the store and index live (default: $SITREP_DATA_DIR or ./data)"
    )
    p.add_argument(
        "--model",
        help="sentence-transformers model name or path (default: $SITREP_MODEL or all-MiniLM-L6-v2)",
    )
    p.add_argument(
        "--database-url",
        help="sqlite:///DIR (embedded, the default) or postgresql://… (default: $SITREP_DATABASE_URL)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ing = sub.add_parser(
        "ingest",
        help="add articles: JSONL/.txt/.md/.html files, directories, article or feed URLs, Telegram"
        " channels (t.me/s/NAME, tg:NAME) or posts",
    )
    ing.add_argument("sources", nargs="+", metavar="SOURCE")
    ing.add_argument("--outlet", help="outlet of .txt/.md/.html files")
    ing.add_argument("--url", help="link of a .txt/.md/.html file")
    ing.add_argument(
        "--published", type=_date_arg, help="publication date of .txt/.md/.html files (YYYY-MM-DD)"
    )
    ing.add_argument("--title", help="title of a .txt/.md file (default: its first heading line)")
    ing.add_argument("--no-progress", action="store_true", help="no progress bar")
    ing.add_argument(
        "--list-added",
        action="store_true",
        help="print 'added ID' for each article as soon as it is committed (for scripts)",
    )

    ask = sub.add_parser("ask", help="ask a question ('-' reads one question per line from stdin)")
    ask.add_argument("question", nargs="+")
    ask.add_argument("-k", type=int, default=10, help="at most this many quotes (default 10)")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--outlet", help="only this outlet")
    ask.add_argument("--since", type=_date_arg, help="only reporting from this date (YYYY-MM-DD)")
    ask.add_argument("--until", type=_date_arg, help="only reporting up to this date (YYYY-MM-DD)")
    ask.add_argument(
        "--exclude-label",
        action="append",
        default=[],
        metavar="LABEL",
        help="leave out outlets with this label (see `sitrep outlets`); repeatable",
    )

    tl = sub.add_parser(
        "timeline",
        help="each claimant's figures and denials about an event or place, by day: a list, --json, a --png chart",
    )
    tl.add_argument("query", nargs="+", help='an event or place, e.g. "casualties in Tovuz"')
    tl.add_argument("--since", type=_date_arg, help="only reporting from this date (YYYY-MM-DD)")
    tl.add_argument("--until", type=_date_arg, help="only reporting up to this date (YYYY-MM-DD)")
    tl.add_argument("--png", type=Path, metavar="FILE", help="draw the chart into this PNG file")
    tl.add_argument("--json", action="store_true", help="print the timeline as JSON")

    src = sub.add_parser("sources", help="list sources with article counts; 'sources remove ID' removes one")
    src.add_argument("action", nargs="?", choices=["list", "remove"], default="list")
    src.add_argument("id", nargs="?", type=int)

    arc = sub.add_parser(
        "archive",
        help="write out the page an article was read from, byte for byte as fetched (SHA-256 checked)",
    )
    arc.add_argument("article", metavar="ARTICLE_ID", help="an article id (a quote's document.id in --json)")
    arc.add_argument("--out", type=Path, help="write the bytes to this file (default: standard output)")
    arc.add_argument(
        "--scope", default=GLOBAL_SCOPE, help="the article's scope (a server's id; default global)"
    )

    sub.add_parser("stats", help="counts of sources, articles and chunks; index and model")
    sub.add_parser("rebuild", help="rebuild the vector index from the store")
    rec = sub.add_parser(
        "reclean",
        help="clean every stored article again as ingest now does (captions, datelines, ...): changed ones"
        " are replaced, each group of them in one transaction; prints how many changed",
    )
    rec.add_argument("--no-progress", action="store_true", help="no progress bar")
    bak = sub.add_parser(
        "backup", help="copy the store and index into a new folder (safe while the bot runs)"
    )
    bak.add_argument("path", type=Path)
    res = sub.add_parser("restore", help="replace the store and index with a backup (bot and CLI stopped)")
    res.add_argument("path", type=Path)
    res.add_argument("--force", action="store_true", help="replace an existing archive")
    mig = sub.add_parser(
        "migrate", help="copy the embedded store (data dir) into PostgreSQL, vectors included; prints counts"
    )
    mig.add_argument("--to", required=True, metavar="URL", help="postgresql://… (the target database)")
    mig.add_argument("--force", action="store_true", help="empty a target that already holds articles")
    _add_eval_parser(sub)
    out = sub.add_parser(
        "outlets", help="outlet labels: 'outlets' lists, 'outlets label NAME LABEL', 'outlets unlabel NAME'"
    )
    out.add_argument("action", nargs="?", choices=["list", "label", "unlabel"], default="list")
    out.add_argument("name", nargs="?", help="the outlet, as articles name it")
    out.add_argument(
        "label", nargs="?", help='e.g. "state media", "party to the conflict", "independent monitor"'
    )
    chat = sub.add_parser("chat", help="an interactive session over the same engine")
    chat.add_argument("-k", type=int, default=6)
    _add_worker_parser(sub)
    claims = sub.add_parser(
        "claims",
        help="print who said what in ingest-schema JSONL articles ('-' reads stdin), one JSON line each",
    )
    claims.add_argument("file", metavar="FILE", help="a JSONL file of articles, or '-' for stdin")
    _add_digest_parser(sub)
    return p


def _add_digest_parser(sub: Any) -> None:
    # --since/--until are read by index.cli.digest, which says in one line what a bad value lacks.
    dg = sub.add_parser(
        "digest",
        help="what the archive received in a window (--since 24h), by event: each claimant's figures"
        " and denials, with where they disagree",
    )
    dg.add_argument(
        "--since",
        default="24h",
        help="the window's start: back from now (90m, 24h, 7d, 2w) or a date or time"
        " (2025-03-12, 2025-03-12T08:00; UTC unless an offset is given); default 24h",
    )
    dg.add_argument("--until", help="the window's end, in the same forms (default: now)")
    dg.add_argument("--json", action="store_true", help="print the digest as JSON")
    dg.add_argument(
        "--scope",
        action="append",
        metavar="SCOPE",
        help="a corpus to read (a server's id; default global); repeatable",
    )
    dg.add_argument("--limit", type=int, help="read at most this many articles, the last received (500)")


def _add_worker_parser(sub: Any) -> None:
    wk = sub.add_parser(
        "worker", help="run queued jobs (ingest, rebuild, feed refresh, removal) from $SITREP_QUEUE_URL"
    )
    wk.add_argument("--once", action="store_true", help="run every queued job, then exit")
    wk.add_argument(
        "--feed-poll-minutes",
        type=float,
        help="how often the polling worker refreshes feeds (default: $SITREP_FEED_POLL_MINUTES or 30; 0: never)",
    )
    wk.add_argument(
        "--lease-seconds", type=float, help="a job whose worker is silent this long is retried (default 60)"
    )
    wk.add_argument("--id", help="this worker's name on the jobs it takes (default: host:pid)")


def _add_eval_parser(sub: Any) -> None:
    ev = sub.add_parser("eval", help="answer quality on ../shared/data next to a naive baseline (one table)")
    ev.add_argument(
        "--limit",
        type=int,
        help="a small slice (CI): N realtimeqa questions, 20*N IndiaPoliceEvents articles; default: all",
    )
    ev.add_argument("--sections", nargs="+", metavar="SECTION", help="which sections (default: all)")
    ev.add_argument(
        "--data", type=Path, help="the evaluation data (default: ../shared/data next to the repo)"
    )
    ev.add_argument(
        "--distractors", type=int, default=2, help="non-answer realtimeqa articles per question (2; -1: all)"
    )
    ev.add_argument("--out", type=Path, help="where the dated JSON goes (default: benchmarks/results)")
    ev.add_argument(
        "--compare",
        type=Path,
        metavar="FILE",
        help="a saved report shown as the 'before' column (default: the newest eval-*.json with the same --limit)",
    )
