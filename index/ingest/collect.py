"""From a SOURCE (file, directory, article URL, feed URL) to articles ready to store."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.errors import FetchError, SourceError
from index.ingest.feed_cap import cap_feed
from index.ingest.fetching import Fetcher
from index.ingest.readers import (
    FILE_SUFFIXES,
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    TextMeta,
    html_to_text,
    looks_like_feed,
    read_feed,
    read_html,
    read_jsonl,
    read_text,
)
from index.ingest.sniffing import refuse_binary
from index.models import Failure, Fetched, RawArticle

log = logging.getLogger(__name__)

FEED_CONCURRENCY = 4  # polite to one host, and enough to hide latency
# Entries read per poll (feeds list newest first): a hostile or broken feed can't make one poll
# fetch thousands of pages; the rest are read on later polls as they move up.
MAX_FEED_ENTRIES = 500


@dataclass
class Collected:
    """One source's raw articles, as read; each Collected is stored in one transaction."""

    kind: str  # "file", "url" or "feed"
    location: str
    articles: list[tuple[RawArticle, str | None]] = field(default_factory=list)  # (article, published_from)
    failures: list[Failure] = field(default_factory=list)


def is_url(location: str) -> bool:
    """Whether a SOURCE is an http(s) URL."""
    return location.startswith(("http://", "https://"))


def read_file(path: Path, meta: TextMeta) -> Collected:
    """Read one supported file into a Collected; raises SourceError for anything else."""
    suffix = path.suffix.lower()
    location = str(path.resolve())
    if suffix not in FILE_SUFFIXES:
        raise SourceError(
            f"{path}: unsupported file type {suffix or '(none)'} (use .jsonl, .txt, .md or .html)"
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SourceError(f"{path}: cannot read ({e.strerror})") from e
    return read_bytes(path.name, data, meta, location=location)


def read_bytes(name: str, data: bytes, meta: TextMeta, *, location: str) -> Collected:
    """Read an uploaded or local file's bytes by its extension."""
    suffix = Path(name).suffix.lower()
    collected = Collected(kind="file", location=location)
    refuse_binary(data, name)  # by content: a renamed image or executable is not text
    if suffix in JSONL_SUFFIXES:
        # A record's own outlet and date stand; what the user said fills in those it lacks.
        records = [
            replace(a, outlet=a.outlet or meta.outlet, published=a.published or meta.published)
            for a in read_jsonl(data, name)
        ]
        collected.articles = [(a, "given" if a.published else None) for a in records]
    elif suffix in HTML_SUFFIXES:
        collected.articles = [_page_article(read_html(data, meta.url, name), meta)]
    elif suffix in FILE_SUFFIXES:
        raw = read_text(data, name, meta)
        collected.articles = [(raw, "given" if raw.published else None)]
    else:
        raise SourceError(
            f"{name}: unsupported file type {suffix or '(none)'} (use .jsonl, .txt, .md or .html)"
        )
    return collected


def expand_location(location: str) -> list[Path] | None:
    """Files a local SOURCE stands for (a directory's supported files, sorted); None for URLs."""
    if is_url(location):
        return None
    path = Path(location).expanduser()
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FILE_SUFFIXES)
        if not files:
            raise SourceError(f"{location}: no .jsonl, .txt, .md or .html files in this directory")
        return files
    if not path.exists():
        raise SourceError(f"{location}: no such file or directory")
    return [path]


async def collect_url(url: str, fetcher: Fetcher, meta: TextMeta) -> Collected:
    """Fetch an article page or a feed (detected) and read it."""
    fetched = await fetcher.fetch(url)
    refuse_binary(fetched.data, url)
    if looks_like_feed(fetched.data, fetched.content_type):
        return await _collect_feed(url, fetched, fetcher)
    collected = Collected(kind="url", location=url)
    if (fetched.content_type or "").lower().startswith("text/plain"):
        raw = read_text(fetched.data, url, meta)
        collected.articles = [_page_article(replace(raw, url=raw.url or fetched.url, fetched=fetched), meta)]
    else:
        raw = read_html(fetched.data, fetched.url, url)
        collected.articles = [_page_article(replace(raw, fetched=fetched), meta)]
    return collected


def _page_article(raw: RawArticle, meta: TextMeta) -> tuple[RawArticle, str | None]:
    """A page's article with what the user said about it taking precedence; and where its date came from."""
    merged = replace(
        raw,
        title=meta.title or raw.title,
        outlet=meta.outlet or raw.outlet,
        published=meta.published or raw.published,
    )
    return merged, "given" if meta.published else ("page" if raw.published else None)


async def _collect_feed(url: str, feed: Fetched, fetcher: Fetcher) -> Collected:
    data = feed.data
    # Cut before parsing: feedparser builds every entry it sees (benchmarks/feed_cap.py: 30x the time).
    capped = cap_feed(data, MAX_FEED_ENTRIES)
    feed_title, entries = read_feed(capped.data, url)
    collected = Collected(kind="feed", location=url)
    total = max(capped.total, len(entries))
    if total > MAX_FEED_ENTRIES:
        collected.failures.append(
            Failure(url, f"the feed has {total:,} entries; read the first {MAX_FEED_ENTRIES:,} this time")
        )
        entries = entries[:MAX_FEED_ENTRIES]  # entries the cut could not see (an undecodable document)
    gate = asyncio.Semaphore(FEED_CONCURRENCY)

    async def one(entry_link: str | None, entry_title: str | None, summary: str | None) -> RawArticle:
        if not entry_link:
            raise SourceError("feed entry has no link")
        async with gate:
            try:
                page = await fetcher.fetch(entry_link)
                return replace(read_html(page.data, page.url, entry_link), fetched=page)
            except SourceError:
                # The page is gone or unreadable; the feed's own full text is still the outlet's words.
                if summary and len(html_to_text(summary).strip()) >= 200:
                    # Its archived copy is the feed, where these words stand.
                    return RawArticle(
                        text=html_to_text(summary), title=entry_title, url=entry_link, fetched=feed
                    )
                raise

    results = await asyncio.gather(
        *(one(e.link, e.title, e.summary) for e in entries), return_exceptions=True
    )
    for entry, result in zip(entries, results, strict=True):
        if isinstance(result, SourceError | FetchError):
            collected.failures.append(Failure(entry.link or url, str(result)))
        elif isinstance(result, BaseException):
            raise result
        else:
            raw = RawArticle(
                text=result.text,
                title=result.title or entry.title,
                outlet=result.outlet or feed_title,
                url=result.url or entry.link,
                # The feed's entry date is the publisher's own statement of when it was published.
                published=entry.published or result.published,
                language=result.language,
                fetched=result.fetched,
            )
            collected.articles.append(
                (raw, "feed" if entry.published else ("page" if raw.published else None))
            )
    return collected
