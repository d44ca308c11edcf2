"""Plain-text rendering of answers, sources and stats for the terminal."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from index.answering.disagreement import describe
from index.dates.event_dates import describe_days
from index.embedding.base import cross_language_note
from index.models import Answer, DocumentRef, OutletLabel, SourceInfo, Stats
from index.text.cleaning import other_language
from index.wording import counted

WIDTH = 100


def _doc_line(doc: DocumentRef) -> str:
    outlet = (doc.outlet or "unknown outlet") + (f" [{doc.label}]" if doc.label else "")
    parts = [outlet, doc.published.isoformat() if doc.published else "undated"]
    if doc.title:
        parts.append(f"“{doc.title}”")
    return " · ".join(parts)


def _filters_line(answer: Answer) -> str | None:
    f = answer.filters
    parts = []
    if f.since or f.until:
        lo = f.since.isoformat() if f.since else "…"
        hi = f.until.isoformat() if f.until else "…"
        parts.append(f"dates {lo}" if lo == hi else f"dates {lo} to {hi}")
    if f.outlets:
        parts.append("outlet " + ", ".join(f.outlets))
    if f.places:
        parts.append("mentioning " + ", ".join(f.places))
    if f.excluded_labels:
        parts.append("leaving out outlets labelled " + ", ".join(f.excluded_labels))
    parts.extend(f.relative)
    return "filters: " + "; ".join(parts) if parts else None


def format_answer(answer: Answer) -> str:
    """An answer as it reads in a terminal: speaker, outlet, date, link, then the quote."""
    lines = [f"Q: {answer.question}"]
    filters = _filters_line(answer)
    if filters:
        lines.append(filters)
    if not answer.found:
        lines.append(f"Not found. {answer.note or ''}".rstrip())
        return "\n".join(lines)
    lines.append(
        f"{counted(len(answer.quotes), 'quote')} from {counted(answer.articles_searched, 'article')} searched"
    )
    for n, q in enumerate(answer.quotes, start=1):
        who = q.speaker or "(unattributed)"
        lines.append("")
        about = describe_days(q.other_event_dates())
        written_in = other_language(q.language)
        language = f" · in {written_in}" if written_in else ""
        lines.append(
            f"{n}. {who} — {_doc_line(q.document)}" + (f" · about {about}" if about else "") + language
        )
        # The reporter's sentence as it stands, not wrapped in quotation marks: the speaker's own words
        # are the ones quoted inside it ("…,” the ministry said.), and only those.
        wrapped = textwrap.wrap(q.text, width=WIDTH - 7) or [""]
        lines.extend("     │ " + w for w in wrapped)
        if q.document.url:
            lines.append(f"     {q.document.url}")
        for other in q.also_in:
            lines.append(f"     also carried by: {_doc_line(other)}" + (f" {other.url}" if other.url else ""))
    if answer.disagreements:
        lines.extend(_panel(answer))
    return "\n".join(lines)


def excerpt(text: str, near: str, width: int) -> str:
    """About ``width`` characters of a quote, from a little before the words ``near`` (a figure)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    found = re.search(rf"(?<!\w){re.escape(near)}(?!\w)", text, re.IGNORECASE) if near else None
    start = max(0, min((found.start() if found else 0) - width // 3, len(text) - width))
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + width)
    if end < len(text) and text.rfind(" ", start, end) > start:
        end = text.rfind(" ", start, end)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _panel(answer: Answer) -> list[str]:
    """The disagreements, each with the reported sentence of each side under it (as it stands, not in
    quotation marks: the speaker said only the words quoted inside it): "[4] Azerbaijani military │ …"."""
    lines: list[str] = []
    for heading, kinds in (("Each side:", ("sides",)), ("Sources disagree:", ("figures", "denial"))):
        shown = [d for d in answer.disagreements if d.kind in kinds]
        if not shown:
            continue
        lines += ["", heading]
        for d in shown:
            refs = ", ".join(f"[{c.quote + 1}]" for c in d.claims)
            lines += textwrap.wrap(
                f"{describe(d)} (quotes {refs})", width=WIDTH, initial_indent="  ⚖ ", subsequent_indent="    "
            )
            for c in d.claims:
                if not 0 <= c.quote < len(answer.quotes):
                    continue
                q = answer.quotes[c.quote]
                near = c.figure if c.figure not in ("denies", "asserts", "says") else ""
                lines += textwrap.wrap(
                    f"[{c.quote + 1}] {c.party or c.claimant} │ {excerpt(q.text, near, 200)}",
                    width=WIDTH,
                    initial_indent="      ",
                    subsequent_indent="          ",
                )
    return lines


def _versions(n: int) -> str:
    return f"{n:,} of them {'a later version' if n == 1 else 'later versions'} of a page stored before"


def format_sources(sources: Sequence[SourceInfo]) -> str:
    """A table of sources with article counts."""
    if not sources:
        return "No sources yet. Add some with: sitrep ingest SOURCE"
    rows = [f"{'ID':>5}  {'ARTICLES':>8}  {'KIND':<8}  {'SCOPE':<20}  LOCATION"]
    for s in sources:
        later = f"  ({_versions(s.versions)})" if s.versions else ""
        rows.append(f"{s.id:>5}  {s.articles:>8,}  {s.kind:<8}  {s.scope:<20}  {s.location}{later}")
    return "\n".join(rows)


def format_stats(stats: Stats) -> str:
    """Counts and index facts, one per line."""
    return "\n".join(
        [
            f"sources:  {stats.sources:,}",
            f"articles: {stats.articles:,}",
            f"chunks:   {stats.chunks:,}",
            f"index:    {stats.index_type}, {stats.index_vectors:,} vectors, {stats.index_bytes / 1e6:.1f} MB",
            f"model:    {stats.model}",
            f"last rebuild: {stats.last_rebuild or 'never'}",
            "languages: " + (", ".join(f"{lang} {n:,}" for lang, n in stats.languages) or "none yet"),
            *filter(None, [cross_language_note(stats.languages, stats.model)]),
        ]
    )


def format_labels(labels: Sequence[OutletLabel]) -> str:
    """Outlet labels, one per line."""
    if not labels:
        return 'No outlet labels. Set one with: sitrep outlets label "OUTLET" "LABEL"'
    width = max(len(x.outlet) for x in labels)
    return "\n".join(f"{x.outlet:<{width}}  {x.label}" for x in labels)
