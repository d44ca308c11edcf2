"""From a raw article to what is stored: ``prepare`` (clean, date, chunk; then duplicates are
recognised by content hash) and ``enrich`` (claims, the days each chunk speaks of, the near-copy
sketch and the name spellings). Both are pure, CPU-bound and run on the engine's build thread."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from index.attribution.claims import extract_claims
from index.dates.event_dates import chunk_days
from index.dates.parsing import DateMention, find_dates, infer_dateline
from index.errors import SourceError
from index.models import Chunk, Claim, RawArticle
from index.storage.records import Archive, NewArticle
from index.text.chunking import chunk_article
from index.text.cleaning import clean_text, guess_language
from index.text.furniture import Stripped, strip_furniture
from index.text.near_duplicates import sketch
from index.text.place_names import name_spellings
from index.text.sentences import split_sentences

CLEANING_ROUNDS = 4  # clean_text and strip_furniture reach their fixed point in two rounds in practice
FRAGMENT_WORDS = 3  # a "sentence" of fewer words is a fragment ("w1.", "Photo: AP")
FRAGMENTED_FROM = 1_000  # sentences; a shorter text is cheap whatever it holds
FRAGMENTED_SHARE = 0.8  # of its sentences fragments: refused


@dataclass(frozen=True)
class Prepared:
    """A cleaned, chunked article (vectors still to compute)."""

    raw: RawArticle
    id: str
    text: str
    published_from: str | None
    language: str
    content_hash: str
    mentioned_dates: tuple[tuple[int | None, int, int | None], ...]
    chunks: tuple[Chunk, ...]


def refuse_fragments(text: str, sentences: Sequence[tuple[int, int]]) -> None:
    """Refuse a text that is mostly one- and two-word fragments: a list, a table, a generated page.

    Every sentence is a quote candidate embedded once after ingest, so such a page (100,000
    ``<p>w1.</p>`` paragraphs in 1.4 MB) cost minutes and gigabytes for nothing anyone would quote.
    Reporting stays far below the bar: across 2,000 realtimeqa articles at most 64% of sentences
    (photo galleries) and at the 99th percentile 29% are fragments.
    """
    if len(sentences) < FRAGMENTED_FROM:
        return
    fragments = sum(1 for start, end in sentences if len(text[start:end].split()) < FRAGMENT_WORDS)
    if fragments >= FRAGMENTED_SHARE * len(sentences):
        raise SourceError(
            f"{fragments:,} of its {len(sentences):,} sentences are fragments of one or two words"
            " (a list, a table or a generated page), not reporting to quote: refused"
        )


def content_hash(text: str, outlet: str | None) -> str:
    """Identity of an article for de-duplication: the same words from the same outlet.

    The outlet is part of it so that a wire story republished by a second outlet is kept: users want
    to see who carried a claim. Answers then merge identical quotes (``Quote.also_in``).
    """
    return hashlib.sha256(((outlet or "").strip().lower() + "\0" + text).encode()).hexdigest()


def _usual_year(mentions: list[DateMention]) -> int | None:
    """The year an article's own full dates mostly name."""
    years = Counter(m.year for m in mentions if m.year)
    return years.most_common(1)[0][0] if years else None


def _mentioned_dates(
    mentions: list[DateMention], published_year: int | None
) -> tuple[tuple[int | None, int, int | None], ...]:
    # A year-less "July 12" belongs to the article's year: its publication year, else the year its
    # own full dates mostly name.
    year = published_year or _usual_year(mentions)
    return tuple(sorted({(m.year or year, m.month, m.day) for m in mentions}, key=str))


def clean_article(text: str, title: str | None) -> Stripped:
    """The text ``prepare`` stores: boilerplate (``clean_text``) and page furniture
    (``strip_furniture``) removed, repeated until nothing changes.

    One round can expose more: a "Photos from the scene:" lead-in is kept while the gallery after it
    is there, and dropped by ``clean_text`` once the gallery is gone. Cleaning a stored text again
    (``sitrep reclean``) must change nothing, so the result is a fixed point of both.

    Returns:
        The cleaned text, the first dateline cut from it, and what was removed by kind.
    """
    current = clean_text(text)
    dateline: str | None = None
    removed: Counter[str] = Counter()
    for _ in range(CLEANING_ROUNDS):
        stripped = strip_furniture(current, title)
        dateline = dateline or stripped.dateline
        removed += stripped.removed
        if stripped.text == current:
            break  # clean_text's output is its own fixed point
        again = clean_text(stripped.text)
        if again == current:
            break
        current = again
    return Stripped(current, dateline, removed)


def prepare(raw: RawArticle, published_from: str | None) -> Prepared | None:
    """Clean, date and chunk one article; None when nothing of it is left after cleaning.

    A cut dateline ("KYIV, March 3 (Reuters) -") dates an article that came without a date, before
    a dateline or byline found at the top of the cleaned text.

    Raises:
        SourceError: the text is thousands of fragments, not reporting (see ``refuse_fragments``).
    """
    cleaned = clean_article(raw.text, raw.title)
    text = cleaned.text
    if not text.strip():
        return None
    sentences = split_sentences(text)
    refuse_fragments(text, sentences)
    published = raw.published
    mentions = find_dates(text)
    if published is None:
        year = _usual_year(mentions)
        published = (infer_dateline(cleaned.dateline, year_hint=year) if cleaned.dateline else None) or (
            infer_dateline(text, year_hint=year)
        )
        published_from = "dateline" if published else None
    raw = replace(raw, published=published)
    digest = content_hash(text, raw.outlet)
    article_id = raw.id or f"a-{digest[:12]}"
    chunks = chunk_article(article_id, text, sentences)
    return Prepared(
        raw=raw,
        id=article_id,
        text=text,
        published_from=published_from,
        language=raw.language or guess_language(text),
        content_hash=digest,
        mentioned_dates=_mentioned_dates(mentions, published.year if published else None),
        chunks=tuple(chunks),
    )


@dataclass(frozen=True)
class Enriched:
    """What is derived from a prepared article's text before it is stored."""

    prepared: Prepared
    claims: tuple[Claim, ...]
    chunk_days: tuple[tuple[date, ...], ...]  # per chunk, the days it speaks of
    sketch: tuple[int, ...]  # bottom-k MinHash sketch (text/near_duplicates.py)
    names: tuple[tuple[str, str], ...]  # (spelling key, spelling) of its capitalised names
    archive: Archive | None = None  # the page it was read from, compressed


def enrich(p: Prepared) -> Enriched:
    """Claims, chunk days, near-copy sketch and name spellings of a prepared article."""
    return Enriched(
        prepared=p,
        claims=tuple(extract_claims(p.text)),
        chunk_days=chunk_days(p.text, p.raw.published, p.chunks),
        sketch=sketch(p.text),
        names=tuple(name_spellings(p.text)),
        archive=Archive.of(p.raw.fetched) if p.raw.fetched is not None else None,
    )


def to_new_article(e: Enriched, vectors: np.ndarray) -> NewArticle:
    """What the store writes for an enriched article and its chunks' vectors (one row each)."""
    p = e.prepared
    return NewArticle(
        id=p.id,
        title=p.raw.title,
        outlet=p.raw.outlet,
        url=p.raw.url,
        published=p.raw.published,
        published_from=p.published_from,
        language=p.language,
        text=p.text,
        content_hash=p.content_hash,
        mentioned_dates=p.mentioned_dates,
        chunks=p.chunks,
        vectors=vectors,
        claims=e.claims,
        chunk_days=e.chunk_days,
        sketch=e.sketch,
        names=e.names,
        archive=e.archive,
    )
