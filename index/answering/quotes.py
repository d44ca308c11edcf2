"""From candidate sentences to an extractive answer: scoring, diversity, verification."""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from index.answering.answer_shapes import CLAIMANTS_QUESTION
from index.answering.asked import (
    matched_content,
    stemmed_share,
    topic_words,
    words_of,
)
from index.answering.parties import names_party
from index.answering.planning import QueryPlan
from index.answering.scoring import score
from index.answering.sides import speaks_only_for
from index.dates.event_dates import EventMention, days_in, event_mentions
from index.models import Article, DocumentRef, Quote
from index.text.cleaning import passage_language
from index.text.near_duplicates import same_words

log = logging.getLogger(__name__)

SHORT_SENTENCE = 60  # a sentence this short rarely stands alone; quote it with the next one
# MiniLM cosine below which a sentence is off topic. Checked on real reporting by
# benchmarks/relevance_floor.py: on the trust dev set's fit half every floor from 0.30 to 0.44 scores
# alike (top 3, rank 1, refusal, no false refusal), and 0.32 lies on that plateau, so it stays ...
MIN_SIMILARITY = 0.32
MIN_SIMILARITY_WITH_KEYWORDS = 0.22  # ...unless the sentence also shares most of the question's words
RELATIVE_CUTOFF = 0.4  # drop quotes this far below the best one: filler, not answers...
GOOD_ENOUGH = 0.5  # ...unless they score this well anyway (a restatement of the question can score 0.9)
MAX_PER_ARTICLE = 2
MAX_PER_SPEAKER = 3
PER_PARTY = 2  # "what did A and B each claim": each party's best quotes taken whatever outranks them
PARTY_TOPIC = 0.3  # weight of the question's other words in choosing a party's quote


@dataclass(frozen=True)
class Candidate:
    """A sentence (or two adjacent ones) that might answer the question."""

    article: Article
    start: int
    end: int
    speaker: str | None
    similarity: float = 0.0  # cosine between the question and this text
    chunk_rank: int = 0  # rank of its chunk in the fused retrieval list
    in_period: bool = False  # its chunk speaks of a day the question asks about

    @property
    def text(self) -> str:
        """The verbatim text."""
        return self.article.text[self.start : self.end]

    @property
    def language(self) -> str:
        """The language of its words (ISO 639-1, "und" when unsure)."""
        return passage_language(self.text, self.article.language)


def sentence_windows(
    text: str, sentences: Sequence[tuple[int, int]], first: int, last: int
) -> list[tuple[int, int, int]]:
    """Quote spans for sentences ``first..last-1``: (start, end, index of the first sentence).

    A sentence that introduces what follows (ends with ":") or is very short is joined with the next
    sentence of the same paragraph, so a quote makes sense on its own. Never more than two sentences.
    """
    out = []
    for i in range(first, min(last, len(sentences))):
        start, end = sentences[i]
        sentence = text[start:end]
        if i + 1 < len(sentences) and (sentence.endswith(":") or len(sentence) < SHORT_SENTENCE):
            nxt_start, nxt_end = sentences[i + 1]
            if "\n" not in text[end:nxt_start] or sentence.endswith(":"):
                end = nxt_end
        out.append((start, end, i))
    return out


def relevant(c: Candidate, plan: QueryPlan) -> bool:
    """Whether a candidate is on topic at all (so unrelated questions get ``found: false``), and,
    for a dated question, about its days."""
    # A heading is nobody's words; a question ("Is Biden playing into Putin's game?", an interviewer's)
    # asserts nothing.
    if is_heading(c.article.text, c.start, c.end) or _QUESTION_END.search(c.text):
        return False
    if plan.intervals and not about_the_days(c, plan.intervals):
        return False
    if c.similarity >= MIN_SIMILARITY:
        return True
    overlap = matched_content(words_of(c.text), plan) / max(1, len(plan.content_words))
    return c.similarity >= MIN_SIMILARITY_WITH_KEYWORDS and overlap >= 0.5


_QUESTION_END = re.compile(r"\?[\"'”’)\]]*\s*$")
_TRAILING_TAG = re.compile(r"\s*[(\[][^()\[\]]{1,20}[)\]]\s*$")
HEADING_WORDS = 15  # a line this short without closing punctuation is a heading, not a sentence
# Someone's words, only missing the full stop. Not "says": "Mall attack may have been an accident, UK
# says" is a live blog's headline, written in the present tense.
_REPORTS = re.compile(r"[“”\"]|\b(?:said|told|according)\b")


def is_heading(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a line of its own that reads as a heading or a story link
    ("Referendums announced", "Russia's losses mount"): short, and not closed like a sentence.
    Such a line is the page's structure, nobody's words: it is never quoted."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return False  # part of a paragraph
    line = text[start:end]
    if _REPORTS.search(line):
        return False  # someone's words, only missing the full stop
    # Closed like a sentence: by any punctuation, in any script ("։", "。", "؟"), not only "." or "!";
    # a page's tag after a headline ("... With Armenian Forces (Video)") closes nothing.
    bare = _TRAILING_TAG.sub("", line)
    return len(line.split()) <= HEADING_WORDS and bare.rstrip()[-1:].isalnum()


def about_the_days(c: Candidate, intervals: Sequence[tuple[date, date]]) -> bool:
    """Whether a sentence speaks of a day in the intervals.

    An article is admitted by a date it mentions anywhere; its sentences are not. A sentence that
    names days (``event_dates``: "on Sunday", "July 12") must name one of them; one that names none
    speaks of what its article's publication day or its chunk's dates say (``in_period``). An
    undated article's undated sentences can't be told apart: they stay.
    """
    published = c.article.published
    days = days_in(_mentions(c.article.text, published), c.start, c.end)
    if days:
        return any(lo <= d <= hi for d in days for lo, hi in intervals)
    if published is None or c.in_period:
        return True
    return any(lo <= published <= hi for lo, hi in intervals)


@lru_cache(maxsize=512)
def _mentions(text: str, published: date | None) -> tuple[EventMention, ...]:
    return tuple(event_mentions(text, published))


def _ref(a: Article) -> DocumentRef:
    return DocumentRef.of(a)


def claimant(c: Candidate) -> str:
    """Who a candidate's claim is counted to: its speaker, else the article's own reporting.

    Per article, not per outlet: an outlet's unattributed sentences in two articles are two reports,
    and one of them (a question restated in a lede) must not take the other's place.
    """
    return (
        c.speaker.lower()
        if c.speaker
        else f"{(c.article.outlet or '').lower()}\0{c.article.scope}/{c.article.id}"
    )


def _is_copy(c: Candidate, other: Candidate, groups: Mapping[tuple[str, str], int]) -> bool:
    """Whether ``c`` repeats ``other`` from another article: the same words (wire copy), or nearly the
    same words in a near-duplicate of its article (a lightly edited republication)."""
    if (c.article.scope, c.article.id) == (other.article.scope, other.article.id):
        return False
    if _plain(c.text) == _plain(other.text):  # the same words, quotation marks set otherwise
        return True
    group = groups.get((c.article.scope, c.article.id))
    return (
        group is not None
        and group == groups.get((other.article.scope, other.article.id))
        and same_words(c.text, other.text)
    )


_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\u00a0": " "})


def _plain(text: str) -> str:
    """Text with typographic quotation marks and spaces made plain, for comparing copies."""
    return " ".join(text.translate(_MARKS).split())


def _earliest(group: Sequence[Candidate]) -> Candidate:
    """The copy to cite: the earliest published (the first in the list when dates tie or are missing)."""
    return min(enumerate(group), key=lambda x: (x[1].article.published or date.max, x[0]))[1]


def select_quotes(
    candidates: Sequence[Candidate],
    plan: QueryPlan,
    k: int,
    groups: Mapping[tuple[str, str], int] | None = None,
    parties: Sequence[str] = (),
) -> list[tuple[Quote, Article]]:
    """Pick up to ``k`` quotes: best first, varied across claimants and articles, copies merged.

    For "what did A and B each claim" questions (``parties``), each party's best ``PER_PARTY``
    quotes are taken first: the other side's answer is what the question asks for, even when one
    side's quotes all score higher.

    For "who ..." questions the best quote of each distinct claimant comes first, so opposing
    claims stand side by side instead of one side filling the list. A quote republished elsewhere
    (the same words, or nearly the same in a near-duplicate article: ``groups`` maps (scope, id)
    to a near-duplicate group) is quoted once, from the earliest copy, with the rest in ``also_in``.
    """
    groups = groups or {}
    scored = sorted(((score(c, plan), c) for c in candidates if relevant(c, plan)), key=lambda x: -x[0])
    if not scored:
        return []
    best = scored[0][0]

    chosen: list[tuple[float, Candidate]] = []
    copies: dict[int, list[Candidate]] = defaultdict(list)  # id(chosen candidate) -> its copies
    per_article: Counter[int] = Counter()
    per_speaker: Counter[str] = Counter()
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    limits = {"article": MAX_PER_ARTICLE, "speaker": MAX_PER_SPEAKER}

    def note_copy(c: Candidate) -> bool:
        """Record ``c`` as a copy of a chosen quote; whether it is one."""
        original = next((o for _, o in chosen if _is_copy(c, o, groups)), None)
        if original is None:
            return False
        if all(x.article.id != c.article.id for x in copies[id(original)]):
            copies[id(original)].append(c)
        return True

    def take(s: float, c: Candidate) -> bool:
        key = (c.article.scope, c.article.id)
        if any(c.start < e and st < c.end for st, e in spans[key]):
            return False
        if note_copy(c):  # republished by another outlet: name it, don't repeat it
            return False
        if per_article[id(c.article)] >= limits["article"] or per_speaker[claimant(c)] >= limits["speaker"]:
            return False
        chosen.append((s, c))
        spans[key].append((c.start, c.end))
        per_article[id(c.article)] += 1
        per_speaker[claimant(c)] += 1
        return True

    # One article often holds both sides ("Ukraine denied any involvement" under Russia's accusation):
    # the article cap must not keep the second side out.
    limits["article"] = MAX_PER_ARTICLE * len(parties) or MAX_PER_ARTICLE
    lead: list[Candidate] = []  # each party's first pick, shown first
    topic = topic_words(plan, parties)
    for party in parties:
        # The party's quote about what was asked (the question's words other than the parties'),
        # and for "China's embassy" its spokesperson before "China".
        qualified = len(party.split()) > 1
        own = sorted(
            (
                (s + PARTY_TOPIC * stemmed_share(c.text, topic), s, c)
                for s, c in scored
                if speaks_only_for(c.speaker, party, parties)
            ),
            key=lambda x: (qualified and not names_party(x[2].speaker or "", party), -x[0]),
        )
        taken = 0
        for _, s, c in own:
            if taken < min(PER_PARTY, max(1, k // len(parties))) and len(chosen) < k and take(s, c):
                lead += [c] if taken == 0 else []
                taken += 1
    limits["article"] = MAX_PER_ARTICLE
    if plan.who:
        # "Who reported …": named claimants first; unattributed sentences may fill what is left below.
        named_only = bool(CLAIMANTS_QUESTION.search(plan.question))
        seen: set[str] = set()
        for s, c in scored:
            if len(chosen) >= k:
                break
            if (c.speaker or not named_only) and claimant(c) not in seen and take(s, c):
                seen.add(claimant(c))
    # Past the claimants, only quotes close to the best one: the rest is filler, not answers.
    floor = min(best - RELATIVE_CUTOFF, GOOD_ENOUGH)
    scored = [(s, c) for s, c in scored if s >= floor]
    for s, c in scored:
        if len(chosen) >= k:
            break
        take(s, c)
    if len(chosen) < k:
        # Few articles said anything relevant: let the ones that did speak at more length.
        caps = (MAX_PER_ARTICLE, MAX_PER_SPEAKER)
        limits["article"], limits["speaker"] = caps[0] * 3, caps[1] * 3
        for s, c in scored:
            if len(chosen) >= k:
                break
            take(s, c)
    # Republished copies of a chosen quote further down the list are still worth naming.
    for _, c in scored:
        note_copy(c)

    if plan.who:
        # Group by claimant, claimants in order of their best quote.
        order: dict[str, int] = {}
        for _, c in chosen:
            order.setdefault(claimant(c), len(order))
        chosen.sort(key=lambda sc: (order[claimant(sc[1])], -sc[0]))
    else:
        # The caps chose which quotes; the reader sees them best first (a third quote of the one
        # article that answers, admitted when the caps were lifted, ranked below a stray one), and
        # each party's pick before them, so that the sides shown are these.
        firsts = {id(c): n for n, c in enumerate(lead)}
        chosen.sort(key=lambda sc: (firsts.get(id(sc[1]), len(firsts)), -sc[0]))
    out = []
    for s, c in chosen:
        cited = _earliest([c, *copies[id(c)]])
        others = [x for x in (c, *copies[id(c)]) if x is not cited]
        also_in = tuple(dict.fromkeys(_ref(x.article) for x in others if x.article.id != cited.article.id))
        quote = Quote(
            text=cited.text,
            speaker=cited.speaker or c.speaker,
            start=cited.start,
            end=cited.end,
            score=s,
            document=_ref(cited.article),
            also_in=also_in,
            language=cited.language,
        )
        out.append((quote, cited.article))
    return out


def verify(pairs: Sequence[tuple[Quote, Article]]) -> list[Quote]:
    """Keep only quotes whose text stands verbatim at their offsets in the stored article."""
    kept = []
    for quote, article in pairs:
        if quote.text.strip() and article.text[quote.start : quote.end] == quote.text:
            kept.append(quote)
        else:
            log.warning("dropped a quote that is not verbatim in article %s", article.id)
    return kept
