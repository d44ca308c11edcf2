"""Vectors of the sentences quotes are cut from: embedded once after ingest, looked up per question.

Ranking a question's ~30 candidate sentences by similarity needs their vectors; embedding them per
question was most of an answer's time. So after each ingest the quotable sentences of new articles
are embedded in the background (each model call waits while a question is answered) and stored
(``EmbeddingStore``); a question then embeds only itself, looks its candidates up (cached in this
process), and embeds only what is not stored yet. Both stores keep them (SQLite and PostgreSQL).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from index.answering.quotes import Candidate, sentence_windows
from index.embedding.base import Embedder
from index.embedding.batching import by_length
from index.storage.protocols import EmbeddingStore
from index.text.sentences import split_sentences
from index.threads import EngineThreads

log = logging.getLogger(__name__)

FILL_ARTICLES = 32  # articles per stored group when filling sentence vectors
# Sentences per model call then: up to ~1,000 characters (~250 tokens: a question waits at most
# ~40 ms), so a call holds ~8 sentences of reporting, and many more short ones, whose cost is the
# call, not their few tokens (20,000 tiny sentences took 2,500 calls at 8 a call).
FILL_CHARS = 1_000
FILL_MAX_SENTENCES = 64
# With no question asked in this process for QUIET_SECONDS (a `sitrep ingest`, the bot's ingest
# process, a quiet bot), calls are as large as an ingest's own: fewer, fuller calls (packed rows,
# embedding/packing.py) embed the same sentences in less time. A question then waits for one call.
QUIET_SECONDS = 30.0
QUIET_FILL_CHARS = 8_000
QUIET_FILL_MAX_SENTENCES = 256
CACHE_MAX = 50_000  # sentence vectors kept in this process; cleared wholesale past it
REMEMBER_MAX = 100_000  # sentences' vectors kept from ingests for the fill (~150 MB at 384 floats)

Key = tuple[str, int, int]  # (scope + NUL + article id, start, end)


def quote_windows(text: str) -> tuple[tuple[int, int], ...]:
    """Every span a quote of ``text`` can be (its sentences, short ones joined to the next)."""
    spans = split_sentences(text)
    return tuple((s, e) for s, e, _ in sentence_windows(text, spans, 0, len(spans)))


def key_of(c: Candidate) -> Key:
    """Where a candidate's vector is cached."""
    return (c.article.scope + "\0" + c.article.id, c.start, c.end)


class SentenceVectors:
    """The stored sentence vectors of one store, their fill after ingest, and this process's cache."""

    def __init__(
        self, store: EmbeddingStore, embedder: Embedder, threads: EngineThreads, *, keep: bool
    ) -> None:
        """``keep``: fill stored sentence vectors after each ingest (else questions embed candidates)."""
        self.store = store
        self.embedder = embedder
        self.threads = threads
        self.keep = keep
        self.filling: asyncio.Task[int] | None = None  # the background fill, while one runs
        self._cache: dict[Key, np.ndarray] = {}
        # Sentences' vectors the ingest of this process computed (by text), for the fill to store
        # without embedding them again (index.ingest.chunk_vectors).
        self._remembered: dict[str, np.ndarray] = {}
        # Articles up to this rowid all have sentence vectors: a fill after an ingest starts here
        # instead of re-reading the whole archive (which held up questions for ~70 ms at 100k chunks).
        self._done_upto = 0

    def fill_in_background(self) -> None:
        """Start ``fill`` unless it runs already or the engine keeps none."""
        if self.keep and (self.filling is None or self.filling.done()):
            self.filling = asyncio.create_task(self.fill())

    def remember(self, texts: list[str], vecs: np.ndarray) -> None:
        """Keep sentences' vectors an ingest computed, for the next fill (bounded like the cache)."""
        if len(self._remembered) + len(texts) > REMEMBER_MAX:
            self._remembered.clear()
        self._remembered.update(zip(texts, vecs, strict=True))

    async def fill(self, progress: Callable[[int], None] | None = None) -> int:
        """Embed and store the quotable sentences of every article that has none stored yet.

        Each model call waits while a question is answered; every group of articles is stored in one
        transaction, so a stop loses at most the group in progress. Returns the sentences stored;
        ``progress`` gets that count after each group.
        """
        async with self.store.fill_lock():  # one process at a time; the others then find little to do
            return await self._fill(progress)

    async def _fill(self, progress: Callable[[int], None] | None = None) -> int:
        stored, after = 0, self._done_upto
        top = await self.store.last_article_rowid()  # an article stored after this is not yet looked at
        model = self.embedder.name
        while rows := await self.store.articles_lacking_sentence_vectors(model, after, FILL_ARTICLES):
            after = rows[-1][0]
            texts = dict(rows)
            spans = [(rowid, s, e) for rowid, text in rows for s, e in quote_windows(text)]
            items = []
            known = [(r, s, e, self._remembered.get(texts[r][s:e])) for r, s, e in spans]
            items += [(r, s, e, v) for r, s, e, v in known if v is not None]
            pending = [(r, s, e) for r, s, e, v in known if v is None]
            while pending:
                await self.threads.when_idle()  # then the call's size: a question asked meanwhile counts
                part = _batches(pending, quiet=not self.threads.asked_within(QUIET_SECONDS))[0]
                pending = pending[len(part) :]
                vecs = await self.threads.on_model_when_idle(
                    self.embedder.embed, [texts[r][s:e] for r, s, e in part]
                )
                items += [(r, s, e, v) for (r, s, e), v in zip(part, vecs, strict=True)]
            await self.store.put_sentence_vectors(model, items)
            stored += len(items)
            if progress is not None:
                progress(stored)
        self._done_upto = max(self._done_upto, top)
        self._remembered.clear()  # stored now; an ingest still running remembers its own again
        if stored:
            log.info("stored vectors of %d sentences", stored)
        return stored

    def forget(self) -> None:
        """After a removal: row ids and offsets can be reused by a later ingest, even the highest."""
        self._cache.clear()
        self._done_upto = 0

    def clear_cache(self) -> None:
        """Drop this process's cached vectors (benchmarks measure a cold question this way)."""
        self._cache.clear()

    async def stop(self) -> None:
        """Cancel a fill in progress (what it stored so far is whole transactions)."""
        if self.filling is not None and not self.filling.done():
            self.filling.cancel()
            await asyncio.gather(self.filling, return_exceptions=True)

    async def of(
        self, candidates: Sequence[Candidate], rowid_of: Mapping[tuple[str, str], int]
    ) -> np.ndarray:
        """The candidates' vectors, one row each: cached, else stored, else embedded now.

        Args:
            candidates: sentences of stored articles.
            rowid_of: (scope, article id) -> the article's row id, for the stored ones.
        """
        keys = [key_of(c) for c in candidates]
        found = {key: self._cache[key] for key in keys if key in self._cache}
        # The sentences not cached in this process, keyed as the store keeps them.
        uncached = {
            key: (rowid_of[(c.article.scope, c.article.id)], c.start, c.end)
            for c, key in zip(candidates, keys, strict=True)
            if key not in found
        }
        if uncached:
            stored = await self.store.sentence_vectors(
                self.embedder.name, {r for r, _, _ in uncached.values()}
            )
            found.update((key, stored[where]) for key, where in uncached.items() if where in stored)
        todo = [i for i, key in enumerate(keys) if key not in found]
        if todo:
            vecs = await self.threads.on_model(self.embedder.embed, [candidates[i].text for i in todo])
            found.update((keys[i], v) for i, v in zip(todo, vecs, strict=True))
        if len(self._cache) + len(found) > CACHE_MAX:
            self._cache.clear()
        self._cache.update(found)
        return np.vstack([found[key] for key in keys])


def _batches(spans: list[tuple[int, int, int]], *, quiet: bool = False) -> list[list[tuple[int, int, int]]]:
    """(row id, start, end) spans in model calls of at most ``FILL_CHARS`` characters (one longer
    sentence goes alone) and ``FILL_MAX_SENTENCES`` sentences; ``quiet``: the QUIET_ sizes."""
    chars, most = (QUIET_FILL_CHARS, QUIET_FILL_MAX_SENTENCES) if quiet else (FILL_CHARS, FILL_MAX_SENTENCES)
    calls = by_length([e - s for _, s, e in spans], chars, most)
    return [[spans[i] for i in call] for call in calls]
