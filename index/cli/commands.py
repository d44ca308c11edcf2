"""The ``sitrep`` command: ingest, ask, sources, archive, stats, rebuild, reclean, chat, claims, migrate."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from index.attribution.claims import extract_claims
from index.cli.parser import build_parser
from index.cli.progress import ProgressBar
from index.cli.render import format_answer, format_labels, format_sources, format_stats
from index.cli.running import guarded, open_engine, settings_of, start_logging
from index.config import IndexSettings
from index.engine import Engine
from index.errors import SitrepError
from index.ingest.prepare import clean_article, content_hash
from index.ingest.readers import TextMeta, read_jsonl
from index.models import IngestReport, Progress
from index.storage.factory import embedded_dir, is_postgres
from index.storage.postgres.migration import TableCount, migrate
from index.storage.sqlite.backup import backup, restore
from index.wording import counted

log = logging.getLogger("sitrep")


async def _eval(args: argparse.Namespace, settings: IndexSettings) -> int:
    from index.embedding.factory import LazyEmbedder
    from index.evaluation.data import DEFAULT_DATA
    from index.evaluation.harness import (
        RESULTS_DIR,
        find_reference,
        format_report,
        load_reference,
        run_eval,
        save_report,
    )
    from index.evaluation.sections import EvalContext

    # As the CLI and the bot embed: passages by the model, questions without it where numpy_bert can.
    embedder = LazyEmbedder(args.model or settings.model)
    ctx = EvalContext(
        data_dir=args.data or DEFAULT_DATA,
        embedder=embedder,
        limit=args.limit,
        rtqa_distractors=args.distractors,
        chunk_vectors=settings.chunk_vectors,
    )
    try:
        # The "before" column: an earlier run of the same slice (or the one named with --compare).
        before = args.compare or find_reference(args.out or RESULTS_DIR, args.limit)
        reference = load_reference(before) if before else None
        report = await run_eval(ctx, args.sections)
    except ValueError as e:
        print(f"sitrep eval: {e}", file=sys.stderr)
        return 2
    if reference:
        report["compared_with"] = Path(reference["path"]).name
    print(format_report(report, reference))
    print(f"saved {save_report(report, args.out or RESULTS_DIR)}")
    return 0


async def _ingest(engine: Engine, args: argparse.Namespace) -> int:
    meta = TextMeta(outlet=args.outlet, url=args.url, published=args.published, title=args.title)
    bar = ProgressBar(enabled=not args.no_progress and sys.stderr.isatty())

    def on_progress(p: Progress) -> None:
        bar(p)
        if args.list_added:
            for article_id in p.added_ids:  # committed: they survive even if the process dies now
                print(f"added {article_id}", flush=True)

    try:
        report: IngestReport = await engine.ingest(args.sources, meta=meta, progress=on_progress)
    finally:
        bar.close()
    for failure in report.failed:
        print(failure.line(), file=sys.stderr)
    print(report.summary())
    return 1 if report.failed and not report.added and not report.duplicates else 0


async def _ask(engine: Engine, args: argparse.Namespace) -> int:
    options: dict[str, Any] = {
        "k": args.k,
        "outlet": args.outlet,
        "since": args.since,
        "until": args.until,
        "exclude_labels": args.exclude_label,
    }
    questions: Sequence[str]
    if args.question == ["-"]:
        questions = (line.strip() for line in sys.stdin)  # type: ignore[assignment]
        for question in questions:
            if not question:
                continue
            answer = await engine.ask(question, **options)
            print(
                json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else format_answer(answer),
                flush=True,
            )
        return 0
    answer = await engine.ask(" ".join(args.question), **options)
    print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2) if args.json else format_answer(answer))
    return 0 if answer.found else 2


async def _outlets(engine: Engine, args: argparse.Namespace) -> int:
    if args.action == "list":
        print(format_labels(await engine.outlet_labels()))
        return 0
    if args.name is None or (args.action == "label" and args.label is None):
        print(
            f"usage: sitrep outlets {args.action} NAME" + (" LABEL" if args.action == "label" else ""),
            file=sys.stderr,
        )
        return 2
    if args.action == "unlabel":
        await engine.unlabel_outlet(args.name)
        print(f"removed the label of {args.name}")
        return 0
    known = await engine.label_outlet(args.name, args.label)
    print(f"{args.name}: {' '.join(args.label.split())}")
    if not known:
        print(
            f"note: no article from {args.name!r} yet; labels match outlet names exactly (any case)",
            file=sys.stderr,
        )
    return 0


async def _chat(engine: Engine, args: argparse.Namespace) -> int:
    stats = await engine.stats()
    print(
        f"sitrep chat — {counted(stats.articles, 'article')} from {counted(stats.sources, 'source')}."
        " Ask a question; Ctrl-D or 'quit' ends."
    )
    loop = asyncio.get_running_loop()
    while True:
        try:
            question = await loop.run_in_executor(None, input, "\nsitrep> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        question = question.strip()
        if question.lower() in {"quit", "exit", ":q"}:
            return 0
        if question:
            print(format_answer(await engine.ask(question, k=args.k)))


async def _reclean(engine: Engine, args: argparse.Namespace, settings: IndexSettings) -> int:
    bar = ProgressBar(enabled=not args.no_progress and sys.stderr.isatty())
    try:
        report = await engine.reclean(
            lambda done, total: bar(Progress(done=done, total=total, stage="cleaning"))
        )
    finally:
        bar.close()
    print(report.summary())
    await _fill_sentences(engine, settings)
    return 0


def _claims(location: str) -> int:
    """``sitrep claims FILE|-``: one ``{"id", "claims"}`` line per article, offsets into its text as given."""
    try:
        data = sys.stdin.buffer.read() if location == "-" else Path(location).read_bytes()
    except OSError as e:
        print(f"sitrep: cannot read {location}: {e.strerror or e}", file=sys.stderr)
        return 1
    try:
        # Every line is checked before anything is printed, as ingest does: a bad line names itself.
        articles = read_jsonl(data, "stdin" if location == "-" else location)
    except SitrepError as e:
        reason = str(e).removesuffix(" — nothing from this file was ingested")
        print(f"sitrep: {reason} — no claims were printed", file=sys.stderr)
        return 1
    try:
        for raw in articles:
            # Without an id, the one ingest would give the article, so the two outputs join.
            article_id = (
                raw.id or f"a-{content_hash(clean_article(raw.text, raw.title).text, raw.outlet)[:12]}"
            )
            claims = [c.to_dict() for c in extract_claims(raw.text)]
            print(json.dumps({"id": article_id, "claims": claims}, ensure_ascii=False), flush=True)
    except BrokenPipeError:  # `sitrep claims - | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


async def _backup_or_restore(args: argparse.Namespace, settings: IndexSettings) -> int:
    """Without opening the engine: a restore must find the data dir closed, a backup needs no model."""
    if is_postgres(settings.database_url):
        print(
            f"sitrep: {args.command} copies the embedded store; for PostgreSQL use pg_dump / pg_restore"
            ' (pg_dump -Fc "$SITREP_DATABASE_URL" > sitrep.dump)',
            file=sys.stderr,
        )
        return 2
    folder = embedded_dir(settings.database_url, settings.data_dir)
    if args.command == "backup":
        info = await backup(folder, args.path)
        print(
            f"backed up {info.articles:,} articles to {info.path} ({info.db_bytes + info.index_bytes:,} bytes)"
        )
    else:
        info = restore(args.path, folder, force=args.force)
        print(f"restored {info.articles:,} articles into {info.path}")
    return 0


async def _migrate(args: argparse.Namespace, settings: IndexSettings) -> int:
    """Copy the embedded store into PostgreSQL; non-zero when a table's counts differ."""
    if not is_postgres(args.to):
        print("sitrep: migrate --to needs a postgresql:// URL", file=sys.stderr)
        return 2
    source = settings.database_url if not is_postgres(settings.database_url) else None
    counts = await migrate(embedded_dir(source, settings.data_dir) / "sitrep.db", args.to, force=args.force)
    print(_format_counts(counts))
    differ = [c.table for c in counts if c.source != c.target]
    if differ:
        print(f"sitrep: counts differ for {', '.join(differ)}", file=sys.stderr)
        return 1
    return 0


def _format_counts(counts: Sequence[TableCount]) -> str:
    width = max(len(c.table) for c in counts)
    lines = [f"{'table':<{width}}  {'sqlite':>9}  {'postgres':>9}"]
    lines += [f"{c.table:<{width}}  {c.source:>9,}  {c.target:>9,}" for c in counts]
    return "\n".join(lines)


async def _fill_sentences(engine: Engine, settings: IndexSettings) -> None:
    """Embed the sentences of articles that have none stored (what makes questions fast)."""
    if settings.sentence_vectors:
        stored = await engine.fill_sentence_vectors()
        if stored:
            print(f"embedded {stored:,} sentences for quoting")


async def _worker(args: argparse.Namespace, settings: IndexSettings) -> int:
    from index.jobs.worker import serve

    if not settings.jobs_url:
        print(
            "sitrep worker: set SITREP_DATABASE_URL or SITREP_QUEUE_URL (postgresql://…) for the job queue",
            file=sys.stderr,
        )
        return 2
    minutes = settings.feed_poll_minutes if args.feed_poll_minutes is None else args.feed_poll_minutes
    engine = await open_engine(args, settings)
    try:
        ran = await serve(
            engine,
            settings.jobs_url,
            once=args.once,
            worker_id=args.id,
            lease=args.lease_seconds or settings.job_lease_seconds,
            max_attempts=settings.job_max_attempts,
            feed_poll_minutes=minutes,
        )
    finally:
        await engine.close()
    print(f"worker stopped after {ran:,} jobs")
    return 0


async def _archive(engine: Engine, args: argparse.Namespace) -> int:
    page = await engine.archived(args.article, scope=args.scope)
    if page is None:
        article = await engine.store.articles.get(args.scope, args.article)
        why = "it was read from a file or an upload, not fetched" if article else "no such article"
        print(
            f"sitrep: {args.article}: no archived copy ({why}; see `sitrep ask --json` for ids)",
            file=sys.stderr,
        )
        return 1
    if hashlib.sha256(page.data).hexdigest() != page.sha256:
        print(
            f"sitrep: {args.article}: the archived copy is damaged (its SHA-256 no longer matches)",
            file=sys.stderr,
        )
        return 1
    if args.out is not None:
        args.out.write_bytes(page.data)
    else:
        sys.stdout.buffer.write(page.data)
        sys.stdout.flush()
    print(
        f"{page.sha256}  {len(page.data):,} bytes  {page.url}  HTTP {page.status}  {page.content_type or '-'}"
        f"  fetched {page.fetched_at}",
        file=sys.stderr,
    )
    return 0


async def _run(args: argparse.Namespace, settings: IndexSettings) -> int:
    if args.command in ("backup", "restore"):
        return await _backup_or_restore(args, settings)
    if args.command == "migrate":
        return await _migrate(args, settings)
    if args.command == "worker":
        return await _worker(args, settings)
    engine = await open_engine(args, settings)
    try:
        if args.command == "ingest":
            status = await _ingest(engine, args)
            await _fill_sentences(engine, settings)
            return status
        if args.command == "ask":
            return await _ask(engine, args)
        if args.command == "sources":
            if args.action == "remove":
                if args.id is None:
                    print("usage: sitrep sources remove ID", file=sys.stderr)
                    return 2
                removed = await engine.remove_source(args.id)
                print(f"removed source #{args.id} and its {counted(removed, 'article')}")
                return 0
            print(format_sources(await engine.sources()))
            return 0
        if args.command == "archive":
            return await _archive(engine, args)
        if args.command == "stats":
            print(format_stats(await engine.stats()))
            return 0
        if args.command == "rebuild":
            stats = await engine.rebuild()
            print(f"rebuilt the index: {stats.index_vectors:,} vectors from {stats.chunks:,} chunks")
            return 0
        if args.command == "reclean":
            return await _reclean(engine, args, settings)
        if args.command == "chat":
            return await _chat(engine, args)
        if args.command == "outlets":
            return await _outlets(engine, args)
        raise AssertionError(args.command)
    finally:
        await engine.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the commands of this module (``entry.main`` runs the others) from the command line."""
    return run_command(build_parser().parse_args(argv))


def run_command(args: argparse.Namespace) -> int:
    """Run one of this module's commands for parsed arguments; returns the exit status."""
    if args.command == "claims":
        start_logging(args)
        return _claims(args.file)  # needs no store and no model
    settings = settings_of(args)
    if args.command == "eval":  # builds its own temporary stores, not the one in --data-dir
        return guarded(args, _eval(args, settings))
    return guarded(args, _run(args, settings))


if __name__ == "__main__":
    sys.exit(main())
