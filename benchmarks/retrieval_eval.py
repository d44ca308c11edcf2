"""Answer quality side by side for hybrid, vector-only and keyword-only retrieval.

Run: ``.venv/bin/python benchmarks/retrieval_eval.py [--questions N | --full] [--distractors N]
[--ipe-limit N | --ipe-full] [--skip-realtimeqa] [--skip-ipe]``

Two corpora from ``../shared/data``, converted at run time into temp JSONL files and ingested with the
real all-MiniLM-L6-v2 into temp data dirs; every question is asked once per retrieval mode on the
same index, so the modes are compared on identical data in one run.

realtimeqa (news-quiz questions, CNN / USA Today / The Week articles): the conflict-matched
questions whose answer string appears (case-insensitive, on word boundaries) in one of their
retrieved articles. ``--questions N`` of them (default 20, spread evenly over 2022–2026; ``--full``:
all) are asked by their question text, with no date given. The corpus is those questions' articles:
every retrieved article that contains the answer, plus up to ``--distractors`` (default 2) of the
others retrieved for the same question (``--distractors -1``: all of them), all questions' articles
in one index. Scored per mode at k=5 and k=10 (each asked separately):

* quote hit: the answer string is in the text of a returned quote;
* article hit: a returned quote comes from an article whose stored text contains the answer;
* MRR@10 of the first quote holding the answer, and the share of questions answered at all (found).

The engine reads capitalised words of a question as place names (required: only articles that
mention them are searched) or other names (ranked up). A fourth run asks hybrid with the question
lower-cased (the model is uncased and keyword search ignores case, so this only switches that off),
and the script counts the questions whose place filter excluded every article holding the answer.

IndiaPoliceEvents (Times of India, March 2002, gold labels per document and per sentence): the first
``--ipe-limit`` articles by date (default 400; ``--ipe-full``: all 1,257) and the 5 event questions
("Did police kill someone?" ...), asked as written, k=10. Scored per mode:

* document precision: share of quotes from documents labelled positive for the question;
* sentence precision: share of quotes that overlap a sentence labelled positive (located by
  matching letters and digits only, so the gold file's mojibake doesn't matter);
* base rate: the share of ingested documents that are positive (what random articles would score).

Ratios hybrid/vector and hybrid/keyword are printed next to each metric. The default run takes
2–3 minutes on 2 CPU cores; ``--full --distractors -1`` ingests ~2,000 long articles (~20 M
characters) and takes roughly half an hour there.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from _common import (
    MODES,
    TimedEmbedder,
    data_or_skip,
    header,
    load_embedder,
    peak_rss_mib,
    ratio,
    read_jsonl,
    table,
    write_articles,
)

from index.evaluation.data import GoldDoc, answer_pattern, gold_docs, spread

if TYPE_CHECKING:
    from index.engine import Retrieval

# -- shared ---------------------------------------------------------------------------------------


def pct(x: float) -> str:
    """A share as a percentage."""
    return f"{x:.1%}"


def metric_table(title: str, metrics: dict[str, dict[str, float]], names: Sequence[str]) -> None:
    """Print one row per metric: the three modes side by side, then hybrid/vector and hybrid/keyword."""
    print(title)
    rows = [["metric", *MODES, "hybrid/vector", "hybrid/keyword"]]
    for name in names:
        values = [metrics[m][name] for m in MODES]
        rows.append(
            [
                name,
                *(pct(v) if name != "MRR@10" else f"{v:.3f}" for v in values),
                ratio(values[0], values[1]),
                ratio(values[0], values[2]),
            ]
        )
    table(rows)


# -- realtimeqa -----------------------------------------------------------------------------------

RTQA_METRICS = ["quote hit@5", "quote hit@10", "article hit@5", "article hit@10", "MRR@10", "found"]
LOWER = "hybrid, lower-cased"


@dataclass
class RtqaQuestion:
    """A realtimeqa question with its answer and the articles retrieved for it."""

    qid: str
    date: str
    text: str
    answer: str
    answer_docs: list[str]  # urls of retrieved articles containing the answer
    other_docs: list[str]  # the rest of its retrieved articles
    pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        """Compile the answer pattern once."""
        self.pattern = answer_pattern(self.answer)


def rtqa_questions(base: Path, docs: dict[str, dict[str, Any]]) -> list[RtqaQuestion]:
    """Conflict-matched questions whose answer appears in one of their retrieved articles, by date."""
    out = []
    for q in read_jsonl(base / "questions.jsonl"):
        if not q.get("conflict_keyword_match"):
            continue
        answers = q.get("answer_text") or []
        answer = (answers[0] if isinstance(answers, list) and answers else str(answers)).strip()
        urls = [u for u in q.get("retrieved_doc_urls") or [] if u in docs]
        if not answer or not urls:
            continue
        pattern = answer_pattern(answer)
        hits = [u for u in urls if pattern.search(docs[u]["text"] or "")]
        if hits:
            rest = [u for u in urls if u not in hits]
            out.append(RtqaQuestion(q["question_id"], q["question_date"], q["question"], answer, hits, rest))
    out.sort(key=lambda q: (q.date, q.qid))
    return out


async def eval_realtimeqa(embedder: TimedEmbedder, n_questions: int | None, distractors: int) -> bool:
    """Ingest the chosen questions' articles, ask each question per mode, print the scores."""
    from index.engine import Engine
    from index.models import GLOBAL_SCOPE

    base = data_or_skip("realtimeqa")
    if base is None:
        return True
    docs = {d["url"]: d for d in read_jsonl(base / "docs_conflict_subset.jsonl")}
    qualifying = rtqa_questions(base, docs)
    chosen = spread(qualifying, n_questions)
    urls: dict[str, None] = {}
    for q in chosen:
        extra = q.other_docs if distractors < 0 else q.other_docs[:distractors]
        urls.update(dict.fromkeys([*q.answer_docs, *extra]))
    records = [
        {
            "id": docs[u]["id"],
            "title": docs[u].get("title"),
            "text": docs[u]["text"],
            "outlet": docs[u].get("outlet_domain"),
            "url": u,
            "published": docs[u].get("date"),
        }
        for u in urls
    ]
    print(
        f"\n== realtimeqa: {len(chosen)} of {len(qualifying)} qualifying questions "
        f"({chosen[0].date} … {chosen[-1].date}) =="
    )

    with tempfile.TemporaryDirectory(prefix="sitrep-bench-rtqa-") as tmp:
        corpus = Path(tmp) / "rtqa.jsonl"
        n_docs = write_articles(records, corpus)
        chars = sum(len(r["text"] or "") for r in records)
        engine = await Engine.open(Path(tmp) / "data", embedder=embedder)
        try:
            started = time.perf_counter()
            report = await engine.ingest([str(corpus)])
            print(
                f"corpus: {n_docs} articles, {chars / 1e6:.1f} M characters "
                f"(answer-bearing + up to {distractors if distractors >= 0 else 'all'} others per question)"
            )
            print(f"ingest: {report.summary()} (wall {time.perf_counter() - started:.0f} s)")
            if report.failed:
                print(f"  first failures: {report.failed[:3]}")

            stored: dict[str, str] = {}

            async def stored_text(doc_id: str) -> str:
                """An ingested article's stored (cleaned) text, or "" if it wasn't stored."""
                if doc_id not in stored:
                    article = await engine.store.articles.get(GLOBAL_SCOPE, doc_id)
                    stored[doc_id] = article.text if article else ""
                return stored[doc_id]

            all_ids = [r["id"] for r in records]
            texts = [await stored_text(i) for i in all_ids]
            answerable = sum(1 for q in chosen if any(q.pattern.search(t) for t in texts))

            started = time.perf_counter()
            runs: list[tuple[str, Retrieval]] = [*((m, m) for m in MODES), (LOWER, "hybrid")]
            sums = {label: dict.fromkeys(RTQA_METRICS, 0.0) for label, _ in runs}
            filtered = dict.fromkeys(["dates", "outlets", "places", "places excluding the answer"], 0)
            misses_all: list[tuple[RtqaQuestion, tuple[str, ...]]] = []
            for q in chosen:
                answer_texts = [t.lower() for t in texts if q.pattern.search(t)]
                hit_any = False
                places: tuple[str, ...] = ()
                for label, mode in runs:
                    question = q.text.lower() if label == LOWER else q.text
                    for k in (10, 5):  # k=5 second: it reuses the sentence vectors k=10 cached
                        answer = await engine.ask(question, k=k, retrieval=mode)
                        quote_hits = [bool(q.pattern.search(x.text)) for x in answer.quotes]
                        art_hits = [
                            bool(q.pattern.search(await stored_text(x.document.id))) for x in answer.quotes
                        ]
                        s = sums[label]
                        s[f"quote hit@{k}"] += any(quote_hits)
                        s[f"article hit@{k}"] += any(art_hits)
                        if label != LOWER:
                            hit_any |= any(quote_hits)
                        if k == 10:
                            s["found"] += answer.found
                            first = next((i for i, h in enumerate(quote_hits) if h), None)
                            s["MRR@10"] += 0.0 if first is None else 1.0 / (first + 1)
                        if k == 10 and label == "hybrid":
                            f = answer.filters
                            places = f.places
                            filtered["dates"] += bool(f.since or f.until)
                            filtered["outlets"] += bool(f.outlets)
                            filtered["places"] += bool(f.places)
                            filtered["places excluding the answer"] += bool(f.places) and not any(
                                all(p.lower() in t for p in f.places) for t in answer_texts
                            )
                if not hit_any:
                    misses_all.append((q, places))
        finally:
            await engine.close()

    n = len(chosen)
    metrics = {label: {name: v / n for name, v in sums[label].items()} for label in sums}
    print(f"asking: {n} questions x 4 variants x k=10,5 in {time.perf_counter() - started:.0f} s")
    print(f"answer present in the stored text of an ingested article: {answerable}/{n} (the ceiling)")
    metric_table(f"\n-- realtimeqa, {n} questions --", metrics, RTQA_METRICS)
    print(
        f"  hybrid asks the engine filtered: by date {filtered['dates']}, by outlet {filtered['outlets']}, "
        f"by place {filtered['places']} (of {n}); the place filter excluded every article "
        f"holding the answer for {filtered['places excluding the answer']}"
    )
    print("\n-- capitalised words (place filters, names): hybrid, question as asked vs lower-cased --")
    rows = [["metric", "as asked", "lower-cased", "as asked / lower-cased"]]
    for name in RTQA_METRICS:
        a, b = metrics["hybrid"][name], metrics[LOWER][name]
        fmt = (lambda v: f"{v:.3f}") if name == "MRR@10" else pct
        rows.append([name, fmt(a), fmt(b), ratio(a, b)])
    table(rows)
    print(f"\n  no mode quoted the answer (question as asked) for {len(misses_all)} questions, e.g.:")
    for q, places in misses_all[:4]:
        print(f"    {q.date} {q.text[:90]!r} -> {q.answer!r}; place filter {list(places)}")
    return True


# -- IndiaPoliceEvents ----------------------------------------------------------------------------


def quote_sentence_label(quote: str, doc: GoldDoc | None, positive: set[int]) -> bool | None:
    """Whether a quote overlaps a positive gold sentence; None when it can't be located in the gold text."""
    found = doc.overlapping(quote) if doc is not None else None
    return None if found is None else bool(found & positive)


async def eval_ipe(embedder: TimedEmbedder, limit: int | None) -> bool:
    """Ingest IndiaPoliceEvents articles, ask the 5 event questions per mode, print precision."""
    from index.engine import Engine

    base = data_or_skip("india_police_events")
    if base is None:
        return True
    articles = sorted(read_jsonl(base / "articles.jsonl"), key=lambda a: (a["date"], a["doc_id"]))
    if limit is not None:
        articles = articles[:limit]
    by_id = {a["id"]: a["doc_id"] for a in articles}
    ingested = set(by_id.values())
    questions = read_jsonl(base / "questions.jsonl")
    gold = gold_docs(read_jsonl(base / "sentences.jsonl"), ingested)
    records = [
        {
            "id": a["id"],
            "title": a.get("title"),
            "text": a["text"],
            "outlet": a.get("outlet"),
            "url": a.get("url"),
            "published": a.get("date"),
        }
        for a in articles
    ]
    print(
        f"\n== IndiaPoliceEvents: {len(articles)} articles "
        f"({articles[0]['date']} … {articles[-1]['date']}), {len(questions)} questions, k=10 =="
    )

    per_question: list[list[str]] = [["question", "base rate", *(f"{m} doc/sent" for m in MODES)]]
    sums = {m: {"doc precision": 0.0, "sentence precision": 0.0, "found": 0.0} for m in MODES}
    unlocated = 0
    total_quotes = 0
    base_rates: list[float] = []
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-ipe-") as tmp:
        corpus = Path(tmp) / "ipe.jsonl"
        write_articles(records, corpus)
        engine = await Engine.open(Path(tmp) / "data", embedder=embedder)
        try:
            started = time.perf_counter()
            report = await engine.ingest([str(corpus)])
            print(f"ingest: {report.summary()} (wall {time.perf_counter() - started:.0f} s)")
            for q in questions:
                pos_docs = set(q["positive_doc_ids"]) & ingested
                pos_sents: dict[int, set[int]] = {}
                for doc_id, sent_id in q["positive_sentences"]:
                    pos_sents.setdefault(doc_id, set()).add(sent_id)
                base_rate = len(pos_docs) / len(ingested)
                base_rates.append(base_rate)
                row = [f"{q['label']}: {q['question']}", f"{base_rate:.0%} ({len(pos_docs)})"]
                for mode in MODES:
                    answer = await engine.ask(q["question"], k=10, retrieval=mode)
                    quotes = list(answer.quotes)
                    docs = [by_id.get(x.document.id) for x in quotes]
                    doc_p = sum(d in pos_docs for d in docs) / len(quotes) if quotes else 0.0
                    labels = [
                        quote_sentence_label(
                            x.text, gold.get(d) if d is not None else None, pos_sents.get(d, set())
                        )
                        if d is not None
                        else None
                        for x, d in zip(quotes, docs, strict=True)
                    ]
                    unlocated += sum(label is None for label in labels)
                    total_quotes += len(labels)
                    sent_p = sum(bool(label) for label in labels) / len(quotes) if quotes else 0.0
                    sums[mode]["doc precision"] += doc_p
                    sums[mode]["sentence precision"] += sent_p
                    sums[mode]["found"] += answer.found
                    row.append(f"{doc_p:.0%}/{sent_p:.0%} ({len(quotes)})")
                per_question.append(row)
        finally:
            await engine.close()

    table(per_question)
    print("  (doc/sent: document and sentence precision of the returned quotes; (n): quotes returned)")
    n = len(questions)
    metrics: dict[str, dict[str, float]] = {m: {k: v / n for k, v in sums[m].items()} for m in MODES}
    metric_table(
        f"\n-- IndiaPoliceEvents, macro average over {n} questions (a question with no quotes scores 0) --",
        metrics,
        ["doc precision", "sentence precision", "found"],
    )
    print(f"  mean base rate (share of ingested documents positive): {sum(base_rates) / n:.1%}")
    print(f"  quotes that could not be located in the gold sentences: {unlocated}/{total_quotes}")
    return True


async def run(args: argparse.Namespace) -> int:
    """Both evaluations with one loaded model."""
    if data_or_skip() is None:
        return 0
    header("retrieval quality: hybrid vs vector-only vs keyword-only")
    embedder, load_s = load_embedder()
    print(f"model load + warm-up: {load_s:.1f} s")
    started = time.perf_counter()
    if not args.skip_realtimeqa:
        await eval_realtimeqa(embedder, None if args.full else args.questions, args.distractors)
    if not args.skip_ipe:
        await eval_ipe(embedder, None if args.ipe_full else args.ipe_limit)
    print(
        f"\ntotal {time.perf_counter() - started:.0f} s after model load; peak RSS {peak_rss_mib():.0f} MiB"
    )
    return 0


def main() -> int:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    rq = parser.add_mutually_exclusive_group()
    rq.add_argument("--questions", type=int, default=20, help="realtimeqa questions (20)")
    rq.add_argument("--full", action="store_true", help="all qualifying realtimeqa questions")
    parser.add_argument(
        "--distractors",
        type=int,
        default=2,
        help="non-answer articles ingested per realtimeqa question (2; -1: all retrieved)",
    )
    ipe = parser.add_mutually_exclusive_group()
    ipe.add_argument("--ipe-limit", type=int, default=400, help="IndiaPoliceEvents articles (400)")
    ipe.add_argument("--ipe-full", action="store_true", help="all 1,257 IndiaPoliceEvents articles")
    parser.add_argument("--skip-realtimeqa", action="store_true")
    parser.add_argument("--skip-ipe", action="store_true")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
