"""Parsers from bytes to ``RawArticle``: JSONL, plain text / Markdown, HTML pages and RSS/Atom feeds."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date
from time import struct_time
from typing import Any

from index.errors import SourceError
from index.models import RawArticle

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
FILE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES


@dataclass(frozen=True)
class TextMeta:
    """What the user says about a .txt/.md file (the file itself carries no metadata)."""

    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    title: str | None = None


@dataclass(frozen=True)
class FeedEntry:
    """One entry of an RSS/Atom feed."""

    link: str | None
    title: str | None
    published: date | None
    summary: str | None


def decode(data: bytes) -> str:
    """Bytes to text: a BOM's encoding, else UTF-8, else cp1252 so nothing is lost silently; no NULs."""
    from index.ingest.sniffing import decode_text

    return decode_text(data)


def _parse_published(value: Any, where: str) -> date | None:
    from index.dates.parsing import parse_date_value

    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise SourceError(f"{where}: 'published' must be a string like 2020-07-12, got {value!r}")
    try:
        return parse_date_value(value)
    except ValueError as e:
        raise SourceError(f"{where}: {e}") from e


def _optional_str(record: dict[str, Any], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise SourceError(f"{where}: {key!r} must be a string or null, got {type(value).__name__}")
    return value.strip() or None


def _json_line(line: str, where: str) -> Any:
    """One JSONL line's value; SourceError (naming the line) for anything ``json`` refuses."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as e:
        raise SourceError(f"{where}: not valid JSON ({e.msg})") from None
    except ValueError:  # int() refuses numbers over 4,300 digits (the conversion is quadratic)
        raise SourceError(f"{where}: a number in it is too long (over 4,300 digits)") from None
    except RecursionError:
        raise SourceError(f"{where}: nested too deeply (arrays or objects inside each other)") from None


def read_jsonl(data: bytes, name: str) -> list[RawArticle]:
    """Parse a JSONL file of articles. Every line is checked first; one bad line rejects the file.

    Args:
        data: the file's bytes.
        name: the file name, for error messages.

    Returns:
        The articles, in file order.

    Raises:
        SourceError: naming every bad line (up to ten) and what is wrong with it.
    """
    articles: list[RawArticle] = []
    errors: list[str] = []
    for lineno, line in enumerate(decode(data).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name} line {lineno}"
        try:
            record = _json_line(line, where)
            if not isinstance(record, dict):
                raise SourceError(f"{where}: expected a JSON object, got {type(record).__name__}")
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                raise SourceError(f"{where}: 'text' is missing or empty")
            raw_id = record.get("id")
            if raw_id is not None and (not isinstance(raw_id, str | int) or isinstance(raw_id, bool)):
                raise SourceError(f"{where}: 'id' must be a string")
            articles.append(
                RawArticle(
                    text=text,
                    title=_optional_str(record, "title", where),
                    outlet=_optional_str(record, "outlet", where),
                    url=_optional_str(record, "url", where),
                    published=_parse_published(record.get("published"), where),
                    id=str(raw_id).strip() if raw_id is not None and str(raw_id).strip() else None,
                    language=_optional_str(record, "language", where),
                )
            )
        except SourceError as e:
            errors.append(str(e))
    if errors:
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise SourceError("; ".join(errors[:10]) + more + " — nothing from this file was ingested")
    if not articles:
        raise SourceError(f"{name}: no articles in the file")
    return articles


def read_text(data: bytes, name: str, meta: TextMeta) -> RawArticle:
    """A .txt/.md article; the title defaults to its first heading line."""
    from index.text.cleaning import title_from_text

    text = decode(data)
    if not any(ch.isalnum() for ch in text):  # whitespace, zero-width and format characters only
        raise SourceError(f"{name}: the file is empty (no letters or digits)")
    title, body = title_from_text(text)
    return RawArticle(
        text=body,
        title=meta.title or title,
        outlet=meta.outlet,
        url=meta.url,
        published=meta.published,
    )


_TITLE_SUFFIX = re.compile(r"\s*[|\-–—]\s*[^|\-–—]{1,60}$")


def read_html(data: bytes, url: str | None, name: str) -> RawArticle:
    """Main text, title, date and site name of an article page, extracted with trafilatura."""
    import trafilatura

    html = decode(data)
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if doc is None:
        raise SourceError(f"{name}: no article text could be extracted from the page")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text: str = meta.get("text") or ""
    if len(text.strip()) < 40:
        raise SourceError(f"{name}: the page has no article text (is it an index page or behind a login?)")
    title: str | None = meta.get("title") or None
    lines = text.split("\n")
    # trafilatura often repeats the <h1> as the first line of the text; the title is kept apart.
    if title and lines and lines[0].strip() == title.strip():
        text = "\n".join(lines[1:])
    published = None
    if meta.get("date"):
        try:
            published = date.fromisoformat(str(meta["date"])[:10])
        except ValueError:
            published = None
    return RawArticle(
        text=text,
        title=title,
        outlet=meta.get("sitename") or meta.get("hostname") or None,
        url=url or meta.get("url") or None,
        published=published,
        language=meta.get("language") or None,
    )


def looks_like_feed(data: bytes, content_type: str | None = None) -> bool:
    """Whether the bytes are an RSS/Atom feed (by content type, else by sniffing the first tags)."""
    ctype = (content_type or "").lower()
    if any(t in ctype for t in ("rss", "atom")):
        return True
    head = data[:2048].lstrip().lower()
    return b"<rss" in head or (b"<feed" in head and b"atom" in head) or b"<rdf:rdf" in head


def _struct_date(value: struct_time | None) -> date | None:
    if not value:
        return None
    try:
        return date(value.tm_year, value.tm_mon, value.tm_mday)
    except ValueError:
        return None


def read_feed(data: bytes, name: str) -> tuple[str | None, list[FeedEntry]]:
    """Parse an RSS/Atom feed; returns its title and entries (with their dates kept)."""
    import feedparser

    try:
        parsed = feedparser.parse(data)
    except Exception as err:  # a hostile document can break the parser itself (&#xD800; in a title)
        raise SourceError(f"{name}: not a readable RSS/Atom feed ({type(err).__name__}: {err})") from err
    if parsed.bozo and not parsed.entries:
        raise SourceError(f"{name}: not a readable RSS/Atom feed ({parsed.get('bozo_exception')})")
    entries = []
    for e in parsed.entries:
        summary = None
        if e.get("content"):
            summary = e["content"][0].get("value")
        summary = summary or e.get("summary")
        entries.append(
            FeedEntry(
                link=e.get("link"),
                title=e.get("title"),
                published=_struct_date(e.get("published_parsed") or e.get("updated_parsed")),
                summary=summary,
            )
        )
    return parsed.feed.get("title"), entries


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's summary), paragraphs on their own lines."""
    import html as html_lib

    text = re.sub(r"(?i)<\s*(br|/p|/div|/li|/h\d)\s*/?>", "\n", fragment)
    text = re.sub(r"<[^>]+>", "", text)
    return html_lib.unescape(text)
