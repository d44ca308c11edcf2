"""Cleaning a store again: every stored article through today's ``prepare``, replaced where it changes.

A store written before a cleaning rule existed (page furniture, say) holds texts that rule would
have cut. ``reclean`` reads every article back, cleans its stored text as ingest now would
(``prepare.clean_article``: cleaning is a fixed point, so an article ingested under the current rules
never changes), and for each one that changes rebuilds all that derives from the text: chunks and
their vectors and days, claims, mentioned dates, the near-copy sketch, the date when it came from a
dateline. Each group of ``STORE_BATCH`` changed articles is replaced in one transaction, so a kill
leaves committed groups and the rest as they were; running it again finishes the job. The vector
search follows through its ``removed``/``added`` calls and is committed once at the end (a kill
before that leaves the embedded store's FAISS file behind the store, which the next open sees and
rebuilds from the stored vectors).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from index.errors import SourceError
from index.ingest.pipeline import Ingestor
from index.ingest.prepare import Prepared, clean_article, enrich, prepare, to_new_article
from index.models import Article, RawArticle
from index.storage.protocols import Storage, VectorSearch
from index.storage.records import NewArticle

log = logging.getLogger(__name__)

READ_BATCH = 256  # articles read back per query
STORE_BATCH = 32  # changed articles per write transaction (as ingest's)


@dataclass
class RecleanReport:
    """What a reclean did; ``summary()`` is the line ``sitrep reclean`` prints."""

    articles: int = 0  # read back
    changed: int = 0  # replaced with their cleaner text
    removed: int = 0  # deleted: nothing left but furniture, or now the same words as another article
    kept: int = 0  # changed, but today's ingest would refuse them (a list of fragments): left as they were
    chunks: int = 0  # chunks written for the changed articles
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: articles read, changed, removed; chunks; seconds."""
        kept = f", {self.kept:,} left as they were (refused by today's ingest)" if self.kept else ""
        return (
            f"{self.articles:,} articles cleaned again: {self.changed:,} changed, {self.removed:,} removed"
            f" (nothing left, or now a copy of another){kept}; {self.chunks:,} chunks in {self.seconds:.1f} s"
        )


# (row id, the new article or None to delete it), or a refusal to count.
_Redone = tuple[int, Prepared | None] | SourceError


async def reclean(
    store: Storage,
    vectors: VectorSearch,
    ingestor: Ingestor,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> RecleanReport:
    """Clean every stored article again; replace those whose text changes (see the module docstring).

    The caller holds the write locks (``Engine.reclean``).

    Args:
        ingestor: makes the changed articles' chunk vectors as an ingest does (``Ingestor.vectors_of``).
        progress: called with (articles read, articles stored) after each batch read.
    """
    report = RecleanReport()
    started = time.perf_counter()
    _, total, _ = await store.counts()
    after = 0
    while rows := await store.articles.texts(after, READ_BATCH):
        after = rows[-1][0]
        articles = await store.articles.by_rowid([rowid for rowid, _ in rows])
        redone = await ingestor.threads.on_build(_redo_all, sorted(articles.items()))
        report.articles += len(articles)
        report.kept += sum(isinstance(r, SourceError) for r in redone)
        todo = [r for r in redone if not isinstance(r, SourceError)]
        for first in range(0, len(todo), STORE_BATCH):
            group = todo[first : first + STORE_BATCH]
            await _replace_group(store, vectors, ingestor, group, report)
        if progress:
            progress(report.articles, total)
    if report.changed or report.removed:
        await vectors.commit()
    report.seconds = time.perf_counter() - started
    log.info("reclean: %s", report.summary())
    return report


def _redo_all(articles: list[tuple[int, Article]]) -> list[_Redone]:
    """The articles whose text cleaning changes, prepared again (or the refusal of one)."""
    return [r for rowid, article in articles if (r := _redo(rowid, article)) is not None]


def _redo(rowid: int, article: Article) -> _Redone | None:
    """The article prepared again from its stored text; None when cleaning leaves it as it is."""
    if clean_article(article.text, article.title).text == article.text:
        return None
    # A date read from the old text's dateline is read again (the dateline may now be cut from it).
    dated = article.published_from != "dateline"
    raw = RawArticle(
        text=article.text,
        title=article.title,
        outlet=article.outlet,
        url=article.url,
        published=article.published if dated else None,
        id=article.id,
        language=article.language,
    )
    try:
        return rowid, prepare(raw, article.published_from if dated else None)
    except SourceError as e:
        return e


async def _replace_group(
    store: Storage,
    vectors: VectorSearch,
    ingestor: Ingestor,
    group: list[tuple[int, Prepared | None]],
    report: RecleanReport,
) -> None:
    """Replace some articles in one transaction and bring the vector search along."""
    enriched = await ingestor.threads.on_build(
        lambda: [(rowid, enrich(p) if p else None) for rowid, p in group]
    )
    vecs = await ingestor.vectors_of([e.prepared for _, e in enriched if e is not None])
    items: list[tuple[int, NewArticle | None]] = []
    offset = 0
    for rowid, e in enriched:
        if e is None:
            items.append((rowid, None))
            continue
        n = len(e.prepared.chunks)
        items.append((rowid, to_new_article(e, vecs[offset : offset + n])))
        offset += n
    removed, added, deleted = await store.articles.replace(items, model=ingestor.embedder.name)
    report.removed += len(deleted)
    report.changed += sum(1 for rowid, art in items if art is not None and rowid not in deleted)
    report.chunks += len(added)
    if removed:
        await vectors.removed(removed)
    if added:
        await vectors.added(
            np.array([cid for cid, _ in added], dtype="int64"), np.vstack([v for _, v in added])
        )
