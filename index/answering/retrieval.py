"""From a question to an answer in three steps: ``plan`` → ``retrieve`` → ``compose``.

``plan`` reads the question (dates, outlets, places) against what the archive holds and turns it into
a filter, or a refusal that says why nothing can be searched. ``retrieve`` finds chunks two ways
(FAISS/pgvector nearest neighbours and BM25, fused), cuts their sentences into candidate quotes with
their speakers, ranks them by similarity to the question and keeps the best, diverse ones.
``compose`` verifies every quote against its article and frames the answer (dates the quotes speak
of, outlet labels, disagreements).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Literal

import numpy as np

from index.answering import quotes as answering
from index.answering.coverage import (
    in_other_language,
    language_hint,
    missing_note,
    no_match_note,
    question_language,
    question_problem,
)
from index.answering.disagreement import find_disagreements
from index.answering.framing import about_the_asked_people, at_the_asked_day, at_the_asked_places, sides_first
from index.answering.outlet_labels import label_quotes, outlets_with_labels
from index.answering.parties import belligerents, party_names
from index.answering.planning import QueryPlan, plan_query
from index.answering.quotes import Candidate
from index.answering.sentence_vectors import SentenceVectors
from index.answering.shortlist import shortlist
from index.answering.vocabulary import WORD
from index.attribution.claims import speaker_at
from index.attribution.passes import speakers_for
from index.dates.event_dates import with_event_dates
from index.embedding.base import CROSS_LANGUAGE_MAPS, Embedder, comparable, is_multilingual, query_vectors
from index.models import Answer, Article, QueryFilters, Quote
from index.storage.protocols import AnnotationStore, SearchStore, VectorSearch
from index.storage.records import ArticleFilter, Passages
from index.text.sentences import split_sentences
from index.threads import EngineThreads

Retrieval = Literal["hybrid", "vector", "keyword"]

VECTOR_CANDIDATES = 40
KEYWORD_CANDIDATES = 40
FUSED_CHUNKS = 14
LIST_HEAD = 3  # each ranking's top chunks kept whatever their fused rank
DATED_CHUNK_BOOST = 6  # ranks a chunk that speaks of the question's days moves up
RRF_K = 60  # the usual reciprocal-rank-fusion constant; damps the head of each list
PARTY_CHUNKS = 6  # chunks searched for a party of an "each claim" question that the others don't quote


@lru_cache(maxsize=2048)
def sentences_of(text: str) -> tuple[tuple[int, int], ...]:
    """An article's sentence spans (cached: the same articles answer many questions)."""
    return tuple(split_sentences(text))


@lru_cache(maxsize=2048)
def speakers_of(text: str) -> tuple[str | None, ...]:
    """Each sentence's attributed speaker (cached like ``sentences_of``)."""
    return tuple(speakers_for(text, list(sentences_of(text))))


def fuse(*rankings: Sequence[int]) -> list[int]:
    """Reciprocal rank fusion of several ranked id lists."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(scores, key=lambda i: -scores[i])


@dataclass(frozen=True)
class Plan:
    """A question ready to search: the parsed query, the filter it applies, and what the user is shown."""

    question: str
    query: QueryPlan | None = None
    filter: ArticleFilter | None = None
    filters: QueryFilters = field(default_factory=QueryFilters)  # what was applied, as shown to the user
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # the asking scope's outlet labels
    searched: int = 0  # articles the filter admits
    refusal: str | None = None  # why nothing is searched, in words a user understands


@dataclass(frozen=True)
class _Retrieved:
    """The candidate quotes of one question, and what ranking them needs."""

    candidates: list[Candidate]
    groups: dict[tuple[str, str], int]  # (scope, article id) -> its near-copy group
    rowids: dict[tuple[str, str], int]  # (scope, article id) -> its row id
    qvec: np.ndarray  # the question's vector
    parties: tuple[str, ...] = ()  # an "each claim" question's parties, named or read from the reporting


@dataclass(frozen=True)
class Found:
    """The quotes retrieved for a question, each with its article, and the parties they were picked
    for (what ``compose`` shows side by side)."""

    quotes: list[tuple[Quote, Article]] = field(default_factory=list)
    parties: tuple[str, ...] = ()


class Retriever:
    """Answers questions from one store's search role and its vector search."""

    def __init__(
        self,
        search: SearchStore,
        annotations: AnnotationStore,
        vectors: VectorSearch,
        embedder: Embedder,
        threads: EngineThreads,
        sentences: SentenceVectors,
    ) -> None:
        self.search = search
        self.annotations = annotations
        self.vectors = vectors
        self.embedder = embedder
        self.threads = threads
        self.sentences = sentences

    # -- plan ---------------------------------------------------------------------------------------

    async def plan(
        self,
        question: str,
        *,
        scopes: tuple[str, ...],
        outlet: str | None = None,
        since: date | None = None,
        until: date | None = None,
        exclude_labels: Sequence[str] = (),
        as_of: date | None = None,
    ) -> Plan:
        """Read the question against the archive (see ``Engine.ask`` for the arguments)."""
        problem = question_problem(question)
        if problem is not None:
            return Plan(question, refusal=problem)
        search = self.search
        known_outlets = await search.outlets(scopes)
        query = await plan_query(
            question,
            years_for=lambda m, d: search.years_for(m, d, scopes),
            known_outlets=known_outlets,
            is_mentioned=lambda term: search.mentioned(term, scopes),
            outlet=outlet,
            since=since,
            until=until,
            newest=(lambda: _given(as_of)) if as_of else (lambda: search.newest_published(scopes)),
            spellings_of=lambda key: search.spellings(key, scopes),
        )
        labels = await self.annotations.labels(scopes[-1])
        # Named people and bodies are required like places: both are phrases an article must hold.
        article_filter = ArticleFilter(
            scopes=scopes,
            intervals=query.intervals,
            outlets=query.outlets,
            places=query.places + query.actors,
            exclude_outlets=outlets_with_labels(labels, exclude_labels),
            place_spellings=query.place_spellings,
        )
        # What was applied, not what was parsed: the user sees the filters that shaped the answer.
        lo = min((a for a, _ in query.intervals), default=date.min)
        hi = max((b for _, b in query.intervals), default=date.max)
        filters = QueryFilters(
            since=None if lo == date.min else lo,  # open ends ("since March 3") stay open
            until=None if hi == date.max else hi,
            outlets=query.outlets,
            places=article_filter.places,
            excluded_labels=tuple(dict.fromkeys(x.strip() for x in exclude_labels if x.strip())),
            relative=query.periods_explained,
        )
        oldest, newest = await search.published_range(scopes)
        refusal = missing_note(
            query, known_outlets=known_outlets, outlet=outlet, oldest=oldest, newest=newest
        )
        searched = 0 if refusal else await search.count(article_filter)
        if refusal is None and searched == 0:
            refusal = no_match_note(query)
        return Plan(question, query, article_filter, filters, labels, searched, refusal)

    # -- retrieve -----------------------------------------------------------------------------------

    async def retrieve(self, plan: Plan, *, k: int, retrieval: Retrieval = "hybrid") -> Found:
        """The best ``k`` quotes at most, each with its article; nothing for a refused plan.

        Ingest and rebuild work waits while this runs (``EngineThreads.question``).
        """
        if plan.refusal is not None or plan.query is None or plan.filter is None:
            return Found()
        async with self.threads.question():
            retrieved = await self._candidates(plan.query, plan.filter, retrieval)
            if not retrieved.candidates:
                return Found()
            found = await self._select(plan.query, retrieved, k)
        if not is_multilingual(self.embedder.name) and question_language(plan.question):
            # An English-only model placed a Russian question next to unrelated English reporting:
            # in another language, a quote must share a word with the question (by its first five
            # letters, so "Степанакерта" finds "Степанакерте"); none, and the note says why.
            stems = _stems(plan.question)
            found = [(q, a) for q, a in found if stems & _stems(q.text)]
        return Found(found, retrieved.parties)

    async def _embed_question(self, question: str) -> np.ndarray:
        """A question's vector (one row), off the model's thread where the embedder allows."""
        run = (
            self.threads.on_question
            if getattr(self.embedder, "questions_apart", False)
            else self.threads.on_model
        )
        vecs: np.ndarray = await run(query_vectors, self.embedder, [question])
        return vecs

    async def _candidates(self, query: QueryPlan, f: ArticleFilter, retrieval: Retrieval) -> _Retrieved:
        """The candidate sentences of the chunks both searches found, with their near-copy groups."""
        restricted = f.restricts or set(f.scopes) != set(await self.search.scopes())
        # The keyword search (the store's thread) runs while the question is embedded (the model's).
        qvecs, keyword_hits = await asyncio.gather(
            self._embed_question(query.question),
            self.search.keyword(query.terms, f, KEYWORD_CANDIDATES),
        )
        qvec = qvecs[0]
        vector_hits = await self.vectors.search(qvec, VECTOR_CANDIDATES, f, restricted)
        rankings = {
            "hybrid": [[cid for cid, _ in vector_hits], keyword_hits],
            "vector": [[cid for cid, _ in vector_hits]],
            "keyword": [keyword_hits],
        }[retrieval]
        chunk_ids, dated = await self._prefer_dated(fuse(*rankings), query)
        # Fusion favours chunks both lists hold; one list's very best (BM25's exact phrase, missing
        # from the vector list) would fall past the cut, so each list's head is always kept.
        heads = [cid for ranking in rankings for cid in ranking[:LIST_HEAD]]
        chunk_ids += [cid for cid in dict.fromkeys(heads) if cid not in set(chunk_ids)]
        passages = await self.search.passages(chunk_ids)
        candidates = _sentences_of_chunks(chunk_ids, passages, dated)
        # Read once, from what the question found first: the sides it is answered and shown for.
        parties = _parties(query, (c.text for c in candidates))
        if parties:
            # "What did A and B each claim": B's own words may sit in chunks that rank on A's, or
            # B's only candidate may be about something else.
            extra = await self._party_chunks(query, f, restricted, parties, set(chunk_ids))
            more = await self.search.passages(extra)
            candidates += [
                replace(c, chunk_rank=c.chunk_rank + len(chunk_ids))
                for c in _sentences_of_chunks(extra, more, set())
            ]
            passages = Passages(
                located={**passages.located, **more.located},
                articles={**passages.articles, **more.articles},
                claims={**passages.claims, **more.claims},
                roots={**passages.roots, **more.roots},
            )
        # Near copies of one story share a group id (the rowid of the article they copy).
        articles = passages.articles.items()
        return _Retrieved(
            candidates=candidates,
            groups={(a.scope, a.id): passages.roots.get(rowid, rowid) for rowid, a in articles},
            rowids={(a.scope, a.id): rowid for rowid, a in articles},
            qvec=qvec,
            parties=parties,
        )

    async def _party_chunks(
        self, query: QueryPlan, f: ArticleFilter, restricted: bool, parties: Sequence[str], seen: set[int]
    ) -> list[int]:
        """Chunks about the question in which each party speaks: searched for with the party's
        names ("Russia": Kremlin, Moscow, Peskov …) beside the question's words."""
        found: list[int] = []
        for party in parties:
            names = party_names(party)
            vecs, keyword_hits = await asyncio.gather(
                self._embed_question(f"{party} said: {query.question}"),
                self.search.keyword((*query.terms, *names), f, KEYWORD_CANDIDATES),
            )
            vector_hits = await self.vectors.search(vecs[0], VECTOR_CANDIDATES, f, restricted)
            fused = fuse([cid for cid, _ in vector_hits], keyword_hits)
            found += [cid for cid in fused if cid not in seen and cid not in found][:PARTY_CHUNKS]
        return found

    async def _prefer_dated(self, fused: list[int], query: QueryPlan) -> tuple[list[int], set[int]]:
        """The chunks to quote from, and those that speak of the question's days, which move up.

        A report published the next day ("yesterday", "on Sunday") is dated after the question's
        day and ranks on words alone; its chunk that speaks of the day is the one to quote.
        """
        pool = fused[: FUSED_CHUNKS * 2]
        dated = await self.search.speaking_of(pool, query.intervals)
        if not dated:
            return fused[:FUSED_CHUNKS], dated
        order = {cid: rank - (DATED_CHUNK_BOOST if cid in dated else 0) for rank, cid in enumerate(pool)}
        return sorted(pool, key=lambda cid: order[cid])[:FUSED_CHUNKS], dated

    async def _select(self, query: QueryPlan, retrieved: _Retrieved, k: int) -> list[tuple[Quote, Article]]:
        """Rank the shortlisted candidates by similarity to the question and pick the quotes."""
        # Embedding every sentence was most of an answer's time: a shortlist is ranked.
        parties = retrieved.parties
        candidates = shortlist(retrieved.candidates, query, parties=parties)
        multilingual = self.embedder.name in CROSS_LANGUAGE_MAPS
        across = in_other_language(candidates, query.question) if multilingual else None
        sims = comparable(
            await self.sentences.of(candidates, retrieved.rowids) @ retrieved.qvec,
            self.embedder.name,
            across=across,
        )
        # To 4 places: a text's vector from another model call differs by ~1e-7, and that noise must
        # not decide between identical copies (a stored vector against one embedded now).
        scored = [
            replace(c, similarity=round(float(sim), 4)) for c, sim in zip(candidates, sims, strict=True)
        ]
        return answering.select_quotes(scored, query, k, groups=retrieved.groups, parties=parties)

    # -- compose ------------------------------------------------------------------------------------

    def compose(self, plan: Plan, retrieved: Found) -> Answer:
        """The answer: verified quotes with their days and labels, and where claimants disagree."""
        if plan.refusal is not None:
            return Answer(
                question=plan.question, found=False, quotes=(), filters=plan.filters, note=plan.refusal
            )
        found = retrieved.quotes
        quotes = label_quotes(answering.verify([(with_event_dates(q, a), a) for q, a in found]), plan.labels)
        parties = retrieved.parties
        found_disagreements = find_disagreements(
            quotes, plan.question, {a.id: a for _, a in found}, parties=parties
        )
        disagreements = about_the_asked_people(
            at_the_asked_day(
                at_the_asked_places(found_disagreements, quotes, plan.query), quotes, plan.query
            ),
            plan.question,
        )
        quotes, disagreements = sides_first(quotes, disagreements)
        return Answer(
            question=plan.question,
            found=bool(quotes),
            quotes=tuple(quotes),
            articles_searched=plan.searched,
            filters=plan.filters,
            note=None if quotes else "Nothing in the archive answers that." + language_hint(plan.question),
            disagreements=disagreements,
        )


def _parties(query: QueryPlan, texts: Iterable[str]) -> tuple[str, ...]:
    """The parties of a "what did A and B each claim" question; for "each side's claim", the two
    sides the passages name most (``belligerents``)."""
    return query.parties or (belligerents(texts) if query.each_side else ())


def _stems(text: str) -> set[str]:
    """The first five letters of each word of four letters or more, case-folded."""
    return {w[:5].casefold() for w in WORD.findall(text) if len(w) >= 4}


def _sentences_of_chunks(chunk_ids: Sequence[int], passages: Passages, dated: set[int]) -> list[Candidate]:
    """Every quotable span of the chunks, in chunk rank order, each once, with its speaker: the
    stored claim covering it names its speaker, else the sentence's attribution."""
    candidates: list[Candidate] = []
    seen: set[tuple[int, int]] = set()
    for rank, cid in enumerate(chunk_ids):
        if cid not in passages.located:
            continue
        rowid, start, end = passages.located[cid]
        article = passages.articles[rowid]
        sentences = sentences_of(article.text)
        speakers = speakers_of(article.text)
        first = next((i for i, (s, _) in enumerate(sentences) if s >= start), len(sentences))
        last = next((i for i, (_, e) in enumerate(sentences) if e > end), len(sentences))
        for s, e, i in answering.sentence_windows(article.text, sentences, first, last):
            if (rowid, s) in seen:
                continue
            seen.add((rowid, s))
            speaker = speaker_at(passages.claims.get(rowid, ()), s, e) or (
                speakers[i] or (speakers[i + 1] if e > sentences[i][1] else None)
            )
            candidates.append(
                Candidate(
                    article=article, start=s, end=e, speaker=speaker, chunk_rank=rank, in_period=cid in dated
                )
            )
    return candidates


async def _given(day: date) -> date:
    """``day``, as the awaitable ``plan_query`` asks for."""
    return day
