"""Running one piece of store-changing work on an engine, described as data (kind, payload, bytes).

The same description reaches a ``sitrep worker`` through the PostgreSQL job queue and the bot's
ingest process through a pipe (``index.jobs.child``); both run it here, so a job does the same
thing wherever it runs.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from index.engine import Engine
from index.errors import SitrepError
from index.ingest.pipeline import ProgressCallback
from index.jobs.wire import report_dict, text_meta
from index.models import Progress


async def execute(
    engine: Engine,
    kind: str,
    *,
    scope: str,
    added_by: str | None,
    payload: dict[str, Any],
    data: bytes | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Run one job on ``engine``; its result as JSON (``report_dict`` for ingests and feed refreshes).

    Raises:
        SitrepError: the work failed in a way the user can act on (the message says how), or the
            job itself is malformed (an unknown kind, an upload without its bytes).
    """
    added_ids: list[str] = []

    def on_progress(p: Progress) -> None:
        added_ids.extend(p.added_ids)
        if progress is not None:
            progress(p)

    if kind == "ingest":
        report = await engine.ingest(
            payload["locations"],
            scope=scope,
            added_by=added_by,
            meta=text_meta(payload),
            progress=on_progress,
        )
        return report_dict(report, added_ids)
    if kind == "ingest_bytes":
        if data is None:
            raise SitrepError("the upload job came without the uploaded file")
        report = await engine.ingest_bytes(
            payload["filename"],
            data,
            scope=scope,
            added_by=added_by,
            progress=on_progress,
            meta=text_meta(payload),
        )
        return report_dict(report, added_ids)
    if kind == "refresh_feeds":
        report = await engine.refresh_feeds(None if payload.get("all_scopes") else scope)
        return report_dict(report, added_ids)
    if kind == "rebuild":
        return asdict(await engine.rebuild())
    if kind == "remove_source":
        within = None if payload.get("any_scope") else scope
        return {"removed": await engine.remove_source(int(payload["source_id"]), scope=within)}
    raise SitrepError(f"unknown job kind {kind!r}")
