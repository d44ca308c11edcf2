"""The sections of ``sitrep eval``: one data set each, sitrep and the naive baseline side by side.

Adding a section is one entry in ``SECTIONS``: a name and an async function from an ``EvalContext``
to a ``SectionResult``.
"""

from __future__ import annotations

import importlib
import importlib.util
import tempfile
import time
from pathlib import Path

from index.dates.parsing import parse_date_value
from index.evaluation.baseline import NaiveBaseline
from index.evaluation.context import DEFAULT_K as DEFAULT_K
from index.evaluation.context import EvalContext as EvalContext
from index.evaluation.context import Metric as Metric
from index.evaluation.context import Section as Section
from index.evaluation.context import SectionResult as SectionResult
from index.evaluation.context import ingest_records as _ingest
from index.evaluation.crosslingual import crosslingual
from index.evaluation.data import (
    answer_pattern,
    gold_docs,
    read_jsonl,
    spread,
)
from index.evaluation.trust import trust
from index.models import GLOBAL_SCOPE

RECALL_K = 50


# -- india_police_events ------------------------------------------------------------------------

# The data set's yes/no questions, asked the way a user of the bot would.
IPE_QUESTIONS = {
    "KILL": "Where did police kill people?",
    "ARREST": "Who was arrested by the police?",
    "FAIL": "Where did the police fail to stop the violence?",
    "FORCE": "Where did police use force against crowds?",
    "ANY_ACTION": "What did the police do?",
}


async def india_police_events(ctx: EvalContext) -> SectionResult:
    """Sentence precision at the default k and recall at k=50 against the gold sentence labels."""
    result = SectionResult("india_police_events")
    base = ctx.data_dir / "india_police_events"
    if not base.exists():
        result.skipped = f"{base} not found"
        return result
    articles = sorted(read_jsonl(base / "articles.jsonl"), key=lambda a: (a["date"], a["doc_id"]))
    articles = articles[: ctx.limit * 20] if ctx.limit else articles  # ~20 articles per question slice
    doc_of = {a["id"]: a["doc_id"] for a in articles}
    gold = gold_docs(read_jsonl(base / "sentences.jsonl"), set(doc_of.values()))
    records = [
        {"id": a["id"], "title": a.get("title"), "text": a["text"], "outlet": a.get("outlet")}
        | {"url": a.get("url"), "published": a.get("date")}
        for a in articles
    ]
    baseline = NaiveBaseline(ctx.embedder)
    sums = {"sitrep": [0.0, 0.0], "baseline": [0.0, 0.0]}  # [precision, recall]
    per_question: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="sitrep-eval-ipe-") as tmp:
        engine = await ctx.open_engine(Path(tmp) / "data")
        try:
            added, seconds = await _ingest(engine, records, Path(tmp))
            started = time.perf_counter()
            baseline.add([(r["id"], r["text"]) for r in records if (r["text"] or "").strip()])
            result.info.update(
                articles=added,
                ingest_s=round(seconds, 1),
                baseline_index_s=round(time.perf_counter() - started, 1),
            )
            questions = read_jsonl(base / "questions.jsonl")
            for q in questions:
                positive: dict[int, set[int]] = {}
                for doc_id, sent_id in q["positive_sentences"]:
                    if doc_id in gold:
                        positive.setdefault(doc_id, set()).add(sent_id)
                total = sum(len(s) for s in positive.values())
                question = IPE_QUESTIONS.get(q["label"], q["question"])

                def score(
                    quotes: list[tuple[str, str]], positive: dict[int, set[int]] = positive
                ) -> tuple[float, int]:
                    """(share of quotes on a positive sentence, positive sentences covered)."""
                    hits, covered = 0, set()
                    for doc, text in quotes:
                        d = doc_of.get(doc)
                        found = gold[d].overlapping(text) if d in gold else None
                        on = (found or set()) & positive.get(d or -1, set())
                        hits += bool(on)
                        covered |= {(d, s) for s in on}
                    return (hits / len(quotes) if quotes else 0.0), len(covered)

                precise = await engine.ask(question, k=DEFAULT_K)
                broad = await engine.ask(question, k=RECALL_K)
                s_p, _ = score([(x.document.id, x.text) for x in precise.quotes])
                _, s_c = score([(x.document.id, x.text) for x in broad.quotes])
                b_p, _ = score(baseline.quotes(question))
                _, b_c = score(baseline.quotes(question, k=RECALL_K)[:RECALL_K])
                s_r, b_r = (s_c / total, b_c / total) if total else (0.0, 0.0)
                sums["sitrep"][0] += s_p
                sums["sitrep"][1] += s_r
                sums["baseline"][0] += b_p
                sums["baseline"][1] += b_r
                per_question[q["label"]] = {
                    "positive_sentences": total,
                    "sitrep_precision": round(s_p, 4),
                    "baseline_precision": round(b_p, 4),
                    "sitrep_recall@50": round(s_r, 4),
                    "baseline_recall@50": round(b_r, 4),
                }
        finally:
            await engine.close()
    n = len(per_question)
    result.metrics = [
        Metric(
            f"sentence precision (sitrep k={DEFAULT_K}, baseline top-5)",
            sums["sitrep"][0] / n,
            sums["baseline"][0] / n,
        ),
        Metric(f"sentence recall@{RECALL_K} quotes", sums["sitrep"][1] / n, sums["baseline"][1] / n),
    ]
    result.info["questions"] = per_question
    return result


# -- realtimeqa ---------------------------------------------------------------------------------


async def realtimeqa(ctx: EvalContext) -> SectionResult:
    """Share of answerable questions whose answer string is in the returned quotes."""
    result = SectionResult("realtimeqa")
    base = ctx.data_dir / "realtimeqa"
    if not base.exists():
        result.skipped = f"{base} not found"
        return result
    docs = {d["url"]: d for d in read_jsonl(base / "docs_conflict_subset.jsonl")}
    qualifying = []
    for q in read_jsonl(base / "questions.jsonl"):
        answers = q.get("answer_text") or []
        answer = (answers[0] if isinstance(answers, list) and answers else str(answers)).strip()
        urls = [u for u in q.get("retrieved_doc_urls") or [] if u in docs]
        if not (q.get("conflict_keyword_match") and answer and urls):
            continue
        pattern = answer_pattern(answer)
        hits = [u for u in urls if pattern.search(docs[u]["text"] or "")]
        if hits:
            others = [u for u in urls if u not in hits]
            extra = others if ctx.rtqa_distractors < 0 else others[: ctx.rtqa_distractors]
            qualifying.append((q["question_date"], q["question_id"], q["question"], pattern, hits + extra))
    qualifying.sort(key=lambda x: (x[0], x[1]))
    chosen = spread(qualifying, ctx.limit)
    urls = list(dict.fromkeys(u for *_, us in chosen for u in us))
    records = [
        {"id": docs[u]["id"], "title": docs[u].get("title"), "text": docs[u]["text"]}
        | {"outlet": docs[u].get("outlet_domain"), "url": u, "published": docs[u].get("date")}
        for u in urls
    ]
    baseline = NaiveBaseline(ctx.embedder)
    answered = {"sitrep": 0, "baseline": 0}
    ceiling = 0
    with tempfile.TemporaryDirectory(prefix="sitrep-eval-rtqa-") as tmp:
        engine = await ctx.open_engine(Path(tmp) / "data")
        try:
            added, seconds = await _ingest(engine, records, Path(tmp))
            started = time.perf_counter()
            stored = []
            for r in records:
                article = await engine.store.articles.get(GLOBAL_SCOPE, r["id"])
                if article is not None:
                    stored.append((article.id, article.text))
            # The baseline indexes the same cleaned text sitrep stored, so both see identical words.
            baseline.add(stored)
            result.info.update(
                articles=added,
                ingest_s=round(seconds, 1),
                baseline_index_s=round(time.perf_counter() - started, 1),
            )
            for asked_on, _, question, pattern, _ in chosen:
                if not any(pattern.search(text) for _, text in stored):
                    continue  # the answer did not survive cleaning: no system could quote it
                ceiling += 1
                # A quiz question's "this week" is the week it was asked in, not the corpus's newest.
                answer = await engine.ask(question, k=DEFAULT_K, as_of=parse_date_value(asked_on))
                answered["sitrep"] += any(pattern.search(x.text) for x in answer.quotes)
                answered["baseline"] += any(pattern.search(text) for _, text in baseline.quotes(question))
        finally:
            await engine.close()
    result.info.update(qualifying=len(qualifying), asked=len(chosen), answerable=ceiling)
    n = max(ceiling, 1)
    result.metrics = [
        Metric(
            f"answer in quotes (sitrep k={DEFAULT_K}, baseline top-5)",
            answered["sitrep"] / n,
            answered["baseline"] / n,
        )
    ]
    return result


# -- the seed article ---------------------------------------------------------------------------

SEED_QUESTION = "Who reported casualties on July 12?"
SEED_EXPECTED = (
    ("3 soldiers were killed and 5 others were injured", "Defense Ministry"),
    ("no Armenian was killed", "Stepanyan"),
)


async def seed(ctx: EvalContext) -> SectionResult:
    """The project's first question: both sides' casualty claims, each with its claimant."""
    result = SectionResult("seed")
    if not ctx.seed.exists():
        result.skipped = f"{ctx.seed} not found"
        return result
    with tempfile.TemporaryDirectory(prefix="sitrep-eval-seed-") as tmp:
        engine = await ctx.open_engine(Path(tmp))
        try:
            await engine.ingest([str(ctx.seed)])
            (article,) = (await engine.store.articles.by_rowid([1])).values()
            answer = await engine.ask(SEED_QUESTION)
        finally:
            await engine.close()
    baseline = NaiveBaseline(ctx.embedder)
    baseline.add([(article.id, article.text)])
    base_texts = [t for _, t in baseline.quotes(SEED_QUESTION)]
    quoted = all(any(text in q.text for q in answer.quotes) for text, _ in SEED_EXPECTED)
    attributed = all(
        any(text in q.text and who in (q.speaker or "") for q in answer.quotes) for text, who in SEED_EXPECTED
    )
    result.metrics = [
        Metric(
            "both claims quoted",
            float(quoted),
            float(all(any(t in b for b in base_texts) for t, _ in SEED_EXPECTED)),
            "pass",
        ),
        Metric("each claim with its claimant", float(attributed), None, "pass"),
    ]
    result.info.update(
        question=SEED_QUESTION,
        expected=[f"“…{text}…” by {who}" for text, who in SEED_EXPECTED],
        speakers=[q.speaker or "(unattributed)" for q in answer.quotes],  # not the text: it is the seed's
    )
    return result


# -- polnear (claims; the module comes with the claims extractor) -------------------------------


async def polnear(ctx: EvalContext) -> SectionResult:
    """Claims content-span F1 and speaker accuracy on the polnear dev split.

    The baseline column here is the claims module's own naive baseline (a quotation-mark splitter),
    not the retrieval baseline: the 150-word chunks have no claims to score.
    """
    base = ctx.data_dir / "polnear"
    if not base.exists():
        return SectionResult("polnear", skipped=f"{base} not found")
    # Imported by name: the module comes with the claims extractor.
    module = importlib.import_module("index.evaluation.polnear")
    scores = module.evaluate_polnear(base, split="dev", limit=ctx.limit)
    return SectionResult(
        "polnear",
        metrics=[
            Metric(
                "claims content F1 (dev; baseline: naive claims)",
                float(scores["f1"]),
                float(scores["baseline_f1"]),
            ),
            Metric(
                "speaker accuracy on matched claims, agent sources (dev)",
                float(scores["speaker_accuracy"]),
                float(scores["baseline_speaker_accuracy"]),
            ),
        ],
        info={k: v for k, v in scores.items() if isinstance(v, int | float | str)},
    )


def _polnear_available() -> bool:
    return importlib.util.find_spec("index.evaluation.polnear") is not None


SECTIONS: dict[str, Section] = {
    "india_police_events": india_police_events,
    "realtimeqa": realtimeqa,
    "seed": seed,
    "trust": trust,
    "crosslingual": crosslingual,
}
if _polnear_available():
    SECTIONS["polnear"] = polnear
