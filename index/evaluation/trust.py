"""The ``trust`` section: is the frame around each quote right, and does sitrep refuse what it can't answer?

The real engine answers the dev set (``trust_questions.jsonl``) over the 305-article archive
(``trust_data.select_archive``). Each answer is judged against the gold passages (by overlap in the
raw article), the gold speakers (key words), the junk detectors, and, for toll and "each claim"
questions, the passages known to be about the question's event.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.engine import Engine
from index.evaluation.baseline import NaiveBaseline
from index.evaluation.context import DEFAULT_K, EvalContext, Metric, SectionResult, ingest_records
from index.evaluation.data import spread
from index.evaluation.trust_data import (
    ANSWERABLE_KINDS,
    UNANSWERABLE_KINDS,
    GoldSpan,
    Locator,
    TrustQuestion,
    archive_rows,
    drifted_spans,
    first_per_kind,
    junk_reason,
    load_archive,
    load_questions,
    speaker_right,
)
from index.models import GLOBAL_SCOPE, Answer, Quote

log = logging.getLogger(__name__)

TOP = 3  # "in the top three": what a reader sees without scrolling
DISTRACTORS_PER_LIMIT = 10  # a --limit N slice ingests the gold articles plus 10*N others


@dataclass
class Judged:
    """One system's answer to one question, judged; no article text is kept."""

    quotes: int = 0
    found: bool = False
    error: str | None = None
    gold_rank: int | None = None  # 1-based rank of the first quote on a gold passage
    speaker: str | None = None  # the speaker sitrep gave that quote
    speaker_ok: bool | None = None
    sides_in_top: bool | None = None  # each_claim: both sides within the top three
    junk: list[str] = field(default_factory=list)  # "reason@article:start"
    top: list[str] = field(default_factory=list)  # the first quotes as "article:start speaker"
    panels: int = 0
    panels_off_event: int = 0
    pair_found: bool | None = None

    def row(self) -> dict[str, Any]:
        """The JSON the report keeps per question (empty fields left out)."""
        return {k: v for k, v in self.__dict__.items() if v is not None and v != []}


def _archive_slice(
    archive: list[dict[str, Any]], questions: list[TrustQuestion], n: int
) -> list[dict[str, Any]]:
    """The gold articles of a --limit slice's questions plus 10*n others spread over the year."""
    needed = {
        g.article for q in questions for g in (*q.on_event(), *(s for side in q.sides for s in side.gold))
    } | {a for q in questions for a in q.event_articles}
    others = spread([d for d in archive if d["id"] not in needed], DISTRACTORS_PER_LIMIT * n)
    keep = needed | {d["id"] for d in others}
    return [d for d in archive if d["id"] in keep]


def _articles(quote: Quote) -> list[str]:
    return [quote.document.id, *(d.id for d in quote.also_in)]


def _on(locator: Locator, articles: list[str], text: str, spans: tuple[GoldSpan, ...]) -> list[GoldSpan]:
    return locator.matches(articles, text, spans) if spans else []


def judge_sitrep(q: TrustQuestion, answer: Answer, locator: Locator) -> Judged:
    """Rank of the gold quote, its speaker, junk, "each claim" sides and disagreement panels."""
    j = Judged(quotes=len(answer.quotes), found=answer.found)
    j.top = [f"{x.document.id}:{x.start} ({x.speaker or '-'})" for x in answer.quotes[:TOP]]
    for rank, quote in enumerate(answer.quotes, 1):
        reason = junk_reason(quote.text, quote.document.title, locator.tail(quote.document.id, quote.text))
        if reason:
            j.junk.append(f"{reason}@{quote.document.id}:{quote.start}")
        hit = _on(locator, _articles(quote), quote.text, q.gold)
        if hit and j.gold_rank is None:
            j.gold_rank, j.speaker = rank, quote.speaker
            j.speaker_ok = any(speaker_right(quote.speaker, g.speakers) for g in hit)
    if q.kind == "each_claim":
        top = answer.quotes[:TOP]
        j.sides_in_top = all(
            any(_on(locator, _articles(x), x.text, side.gold) for x in top) for side in q.sides
        )
    _judge_panels(q, answer, locator, j)
    return j


def _judge_panels(q: TrustQuestion, answer: Answer, locator: Locator, j: Judged) -> None:
    """Count disagreement panels, those that pair quotes off the question's event, and the gold pair."""
    judged = q.kind in ("toll", "each_claim")
    if q.disagreement == "pair":
        j.pair_found = False
    for panel in answer.disagreements:
        j.panels += 1
        quotes = [answer.quotes[c.quote] for c in panel.claims if 0 <= c.quote < len(answer.quotes)]
        if judged and any(
            not _on(locator, _articles(x), x.text, q.on_event())
            and not set(_articles(x)) & set(q.event_articles)
            for x in quotes
        ):
            j.panels_off_event += 1
        if q.disagreement == "pair" and len(q.sides) == 2:
            a, b = (
                {i for i, x in enumerate(quotes) if _on(locator, _articles(x), x.text, side.gold)}
                for side in q.sides
            )
            if a and b and (len(a | b) > 1):
                j.pair_found = True


def judge_baseline(
    q: TrustQuestion, quotes: list[tuple[str, str]], locator: Locator, titles: dict[str, str | None]
) -> Judged:
    """The naive baseline's sentences judged the same way (it has no speakers and never refuses)."""
    j = Judged(quotes=len(quotes), found=bool(quotes))
    for rank, (doc, text) in enumerate(quotes, 1):
        reason = junk_reason(text, titles.get(doc), locator.tail(doc, text))
        if reason:
            j.junk.append(f"{reason}@{doc}")
        if j.gold_rank is None and _on(locator, [doc], text, q.gold):
            j.gold_rank = rank
    if q.kind == "each_claim":
        top = quotes[:TOP]
        j.sides_in_top = all(any(_on(locator, [d], t, side.gold) for d, t in top) for side in q.sides)
    return j


def _share(values: list[bool]) -> float:
    return sum(values) / len(values) if values else 0.0


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else 0.0


def _metrics(
    questions: list[TrustQuestion], sitrep: dict[str, Judged], base: dict[str, Judged]
) -> list[Metric]:
    ans = [q for q in questions if q.kind in ANSWERABLE_KINDS]
    una = [q for q in questions if q.kind in UNANSWERABLE_KINDS]
    each = [q for q in questions if q.kind == "each_claim"]
    pairs = [q for q in questions if q.disagreement == "pair"]
    bad = [q for q in questions if q.kind == "bad_input"]
    s, b = sitrep, base

    def rank_within(judged: dict[str, Judged], n: int) -> float:
        return _share([(judged[q.id].gold_rank or n + 1) <= n for q in ans])

    with_gold = [s[q.id] for q in ans if s[q.id].gold_rank is not None]
    all_quotes = sum(x.quotes for x in s.values())
    base_quotes = sum(x.quotes for x in b.values())
    return [
        Metric("gold quote at rank 1", rank_within(s, 1), rank_within(b, 1)),
        Metric(f"gold quote in top {TOP}", rank_within(s, TOP), rank_within(b, TOP)),
        Metric("speaker of the gold quote right", _share([bool(x.speaker_ok) for x in with_gold]), None),
        Metric(
            "refusal on unanswerable",
            _share([not s[q.id].found and s[q.id].error is None for q in una]),
            _share([not b[q.id].found for q in una]),
        ),
        Metric("false refusals (answerable, found=false)", _share([not s[q.id].found for q in ans]), 0.0),
        Metric(
            "junk quotes (share of all quotes)",
            sum(len(x.junk) for x in s.values()) / max(all_quotes, 1),
            sum(len(x.junk) for x in b.values()) / max(base_quotes, 1),
        ),
        Metric(
            "quotes per answer, answerable",
            _mean([s[q.id].quotes for q in ans]),
            _mean([b[q.id].quotes for q in ans]),
            "count",
        ),
        Metric(
            "quotes per answer, unanswerable",
            _mean([s[q.id].quotes for q in una]),
            _mean([b[q.id].quotes for q in una]),
            "count",
        ),
        Metric(
            f"each claim: both sides in top {TOP}",
            _share([bool(s[q.id].sides_in_top) for q in each]),
            _share([bool(b[q.id].sides_in_top) for q in each]),
        ),
        Metric(
            "disagreement panels pairing different events",
            float(sum(s[q.id].panels_off_event for q in questions)),
            None,
            "count",
        ),
        Metric("gold disagreement pairs missed", _share([not s[q.id].pair_found for q in pairs]), None),
        Metric(
            "bad input answered without an exception",
            float(all(s[q.id].error is None for q in bad)),
            None,
            "pass",
        ),
    ]


def _info(
    questions: list[TrustQuestion], sitrep: dict[str, Judged], base: dict[str, Judged]
) -> dict[str, Any]:
    """Counts per kind and per failure, for whoever fixes them (article ids and offsets, no text)."""
    by_kind = Counter(q.kind for q in questions)
    refused = Counter(q.kind for q in questions if not sitrep[q.id].found)
    junk = Counter(r.split("@")[0] for x in sitrep.values() for r in x.junk)
    wrong = Counter(
        (x.speaker or "(none)") for x in sitrep.values() if x.gold_rank is not None and not x.speaker_ok
    )
    return {
        "questions_asked": len(questions),
        "junk_quotes": sum(junk.values()),
        "disagreement_panels": sum(x.panels for x in sitrep.values()),
        "panels_on_unanswerable": sum(sitrep[q.id].panels for q in questions if not q.answerable),
        "exceptions": sum(x.error is not None for x in sitrep.values()),
        "per_kind": {k: {"asked": n, "found_false": refused[k]} for k, n in by_kind.items()},
        "junk_by_reason": dict(junk.most_common()),
        "wrong_gold_speakers": dict(wrong.most_common()),
        "answers": {q.id: sitrep[q.id].row() for q in questions},
        "baseline_answers": {q.id: {"gold_rank": base[q.id].gold_rank} for q in questions},
    }


async def trust(ctx: EvalContext) -> SectionResult:
    """Gold rank, speakers, refusals, junk, "each claim" sides and disagreement pairing on the dev set."""
    result = SectionResult("trust")
    source = ctx.data_dir / "realtimeqa" / "docs_conflict_subset.jsonl"
    if not source.exists():
        result.skipped = f"{source} not found"
        return result
    archive = load_archive(ctx.data_dir)
    texts = {d["id"]: d["text"] for d in archive}
    questions = first_per_kind(load_questions(), ctx.limit)
    drift = drifted_spans(questions, texts)
    if drift:
        result.skipped = f"the dev set no longer matches the data: {drift[0]} (+{len(drift) - 1} more)"
        return result
    chosen = archive if ctx.limit is None else _archive_slice(archive, questions, ctx.limit)
    locator = Locator(texts)
    sitrep: dict[str, Judged] = {}
    base: dict[str, Judged] = {}
    baseline = NaiveBaseline(ctx.embedder)
    with tempfile.TemporaryDirectory(prefix="sitrep-eval-trust-") as tmp:
        engine = await ctx.open_engine(Path(tmp) / "data")
        try:
            added, seconds = await ingest_records(engine, archive_rows(chosen), Path(tmp))
            stored = [await engine.store.articles.get(GLOBAL_SCOPE, d["id"]) for d in chosen]
            baseline.add([(a.id, a.text) for a in stored if a is not None])
            titles = {a.id: a.title for a in stored if a is not None}
            result.info.update(articles=added, ingest_s=round(seconds, 1))
            started = time.perf_counter()
            for q in questions:
                sitrep[q.id] = await _ask(engine, q, locator)
                base[q.id] = judge_baseline(q, baseline.quotes(q.question), locator, titles)
            result.info["ask_s"] = round(time.perf_counter() - started, 1)
        finally:
            await engine.close()
    result.metrics = _metrics(questions, sitrep, base)
    result.info.update(_info(questions, sitrep, base))
    return result


async def _ask(engine: Engine, q: TrustQuestion, locator: Locator) -> Judged:
    """sitrep's answer, judged; an exception is recorded (bad input must never raise)."""
    try:
        answer = await engine.ask(q.question, k=DEFAULT_K, as_of=q.as_of)
    except Exception as e:  # the point of the bad-input questions: record, don't stop the run
        log.exception("trust: %s raised", q.id)
        return Judged(error=f"{type(e).__name__}: {e}"[:200])
    return judge_sitrep(q, answer, locator)
