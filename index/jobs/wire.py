"""Jobs as JSON: an uploader's notes on a file, progress reports and ingest results, both ways.

The PostgreSQL job queue stores them in rows; the bot's ingest process (``index.jobs.child``) sends
them through a pipe. One spelling for both, so a result reads the same wherever the job ran.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any, Literal

from index.ingest.readers import TextMeta
from index.models import Failure, IngestReport, Progress

JobKind = Literal["ingest", "ingest_bytes", "rebuild", "refresh_feeds", "remove_source"]
KINDS: tuple[JobKind, ...] = ("ingest", "ingest_bytes", "rebuild", "refresh_feeds", "remove_source")


def meta_payload(meta: TextMeta | None) -> dict[str, str | None]:
    """What an uploader said about a file (outlet, link, date, title), as JSON."""
    m = meta or TextMeta()
    return {
        "outlet": m.outlet,
        "url": m.url,
        "published": m.published.isoformat() if m.published else None,
        "title": m.title,
    }


def text_meta(payload: dict[str, Any]) -> TextMeta:
    """The ``TextMeta`` a job's payload carries (``meta_payload``'s inverse); empty when it has none."""
    meta = payload.get("meta") or {}
    published = meta.get("published")
    return TextMeta(
        outlet=meta.get("outlet"),
        url=meta.get("url"),
        published=date.fromisoformat(published) if published else None,
        title=meta.get("title"),
    )


def report_dict(report: IngestReport, added_ids: list[str]) -> dict[str, Any]:
    """An ingest report as a job's result (``added_ids``: the articles committed, in order)."""
    return {
        "added": report.added,
        "duplicates": report.duplicates,
        "failed": [{"location": f.location, "reason": f.reason} for f in report.failed],
        "chunks": report.chunks,
        "seconds": report.seconds,
        "source_ids": report.source_ids,
        "added_ids": added_ids,
        "edited": report.edited,
    }


def report_of(result: dict[str, Any]) -> IngestReport:
    """The ingest report a job's result holds (``report_dict``'s inverse)."""
    return IngestReport(
        added=result["added"],
        duplicates=result["duplicates"],
        failed=[Failure(f["location"], f["reason"]) for f in result["failed"]],
        chunks=result["chunks"],
        seconds=result["seconds"],
        source_ids=list(result["source_ids"]),
        edited=result.get("edited", 0),  # results written before it was kept have none
    )


def progress_dict(p: Progress) -> dict[str, Any]:
    """A progress report as JSON."""
    return {**asdict(p), "added_ids": list(p.added_ids)}


def progress_of(d: dict[str, Any]) -> Progress:
    """The progress report ``progress_dict`` wrote."""
    return Progress(
        d["done"],
        d["total"],
        d["stage"],
        added_ids=tuple(d.get("added_ids") or ()),
        chunks=d.get("chunks") or 0,
        chunks_total=d.get("chunks_total"),
    )
