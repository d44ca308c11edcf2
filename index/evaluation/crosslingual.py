"""``sitrep eval --sections crosslingual``: English questions about reporting in other languages.

The dev set (``crosslingual_devset.jsonl``, written for sitrep: short reports in Russian, Ukrainian,
Arabic and Armenian about an invented war, each with an English question only it answers, and English
questions none of them answers, with no name in them to give that away) is ingested
with the seed article and its Armenian post where ../shared has it; then again with the sample corpus
beside it (55 English reports of another invented war, some on the same kinds of events: what an
English question could land on instead).
Each question is asked twice over, in one run: with the multilingual backend (multilingual-e5-small,
``SITREP_ENCODER_BACKEND=multilingual``) in the sitrep column, and with the default English model in
the baseline column. A question counts when its gold article's words are the first quote (rank 1) or
among the first three; an answer that refuses counts as a miss. An unanswerable question counts when
the answer refuses (``found: false``): quoting reports in another language about something else is
the dressed-up non-answer sitrep must not give.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from index.embedding.base import Embedder
from index.engine import Engine
from index.evaluation.context import EvalContext, Metric, SectionResult, ingest_records
from index.evaluation.data import read_jsonl, spread

DEVSET = Path(__file__).with_name("crosslingual_devset.jsonl")
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEED_GOLD = "seed"  # a question's gold article is the seed article (its id is known once ingested)


@dataclass(frozen=True)
class Asked:
    """One question's outcome with one backend."""

    question: str
    gold: str | None  # None: nothing in the archive answers it
    language: str
    ranks: tuple[int | None, ...]  # per answer, the first quote's rank from the gold article (None: none)
    refused: bool = False

    @property
    def rank(self) -> int | None:
        return self.ranks[0] if self.ranks else None


def load_devset(path: Path = DEVSET) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The dev set's articles and questions."""
    records = read_jsonl(path)
    return [r for r in records if r["kind"] == "article"], [r for r in records if r["kind"] == "question"]


async def ask_all(
    embedder: Embedder,
    articles: list[dict[str, Any]],
    questions: list[dict[str, Any]],
    seed: Path | None,
    *,
    english_beside: bool = False,
    chunk_vectors: str | None = None,
) -> list[Asked]:
    """Ingest the dev set and the seed (as article ``seed``), and the sample corpus with
    ``english_beside``, into a fresh store (``chunk_vectors`` as ``Engine.open`` takes it); ask every
    question (one about the seed is left out when ../shared has no seed)."""
    records = list(articles)
    if seed is not None:
        records.append({"id": SEED_GOLD, "text": seed.read_text(encoding="utf-8"), "title": "seed"})
    asked = []
    with tempfile.TemporaryDirectory(prefix="sitrep-eval-crosslingual-") as tmp:
        engine = await Engine.open(Path(tmp) / "data", embedder=embedder, chunk_vectors=chunk_vectors)
        try:
            await ingest_records(engine, records, Path(tmp))
            if english_beside:
                report = await engine.ingest([str(SAMPLES)])
                assert not report.failed, report.failed
            for q in questions:
                if q["gold"] == SEED_GOLD and seed is None:
                    continue
                answer = await engine.ask(q["question"], k=10)
                ranks = tuple(
                    n for n, quote in enumerate(answer.quotes, start=1) if quote.document.id == q["gold"]
                )
                asked.append(Asked(q["question"], q["gold"], q["language"], ranks, refused=not answer.found))
        finally:
            await engine.close()
    return asked


def _share(asked: list[Asked], within: int) -> float:
    answerable = [a for a in asked if a.gold is not None]
    hits = sum(a.rank is not None and a.rank <= within for a in answerable)
    return hits / len(answerable) if answerable else 0.0


def _refused(asked: list[Asked]) -> float:
    unanswerable = [a for a in asked if a.gold is None]
    return sum(a.refused for a in unanswerable) / len(unanswerable) if unanswerable else 0.0


async def crosslingual(ctx: EvalContext) -> SectionResult:
    """Right article at rank 1 / in the top 3: the multilingual backend beside the English model."""
    from index.embedding.e5_encoder import MultilingualE5Embedder

    result = SectionResult("crosslingual")
    articles, questions = load_devset()
    seed = ctx.seed if ctx.seed.exists() else None
    if ctx.limit:  # a slice across the languages, and one question nothing answers
        unanswerable = next(q for q in questions if not q["gold"])
        questions = [*spread([q for q in questions if q["gold"]], ctx.limit), unanswerable]
    e5 = MultilingualE5Embedder()
    ask = partial(ask_all, articles=articles, questions=questions, seed=seed, chunk_vectors=ctx.chunk_vectors)
    multilingual = await ask(e5)
    english = await ask(ctx.embedder)
    # Beside the English samples: the full run only (the multilingual encoder takes ~1.5 min on them).
    mixed = [] if ctx.limit else await ask(e5, english_beside=True)
    mixed_english = [] if ctx.limit else await ask(ctx.embedder, english_beside=True)
    result.metrics = [
        Metric(
            "right article at rank 1 (multilingual; baseline: English model)",
            _share(multilingual, 1),
            _share(english, 1),
        ),
        Metric(
            "right article in top 3 (multilingual; baseline: English model)",
            _share(multilingual, 3),
            _share(english, 3),
        ),
        Metric(
            "refused where nothing answers (multilingual; baseline: English model)",
            _refused(multilingual),
            _refused(english),
        ),
    ]
    if mixed:
        result.metrics.append(
            Metric(
                "rank 1, 55 English reports beside (multilingual; baseline: English model)",
                _share(mixed, 1),
                _share(mixed_english, 1),
            )
        )
    by_language: dict[str, list[int]] = {}
    for a in multilingual:
        if a.gold is None:
            continue
        by_language.setdefault(a.language, [0, 0])
        by_language[a.language][0] += a.rank == 1
        by_language[a.language][1] += 1
    result.info.update(
        questions=sum(a.gold is not None for a in multilingual),
        unanswerable=sum(a.gold is None for a in multilingual),
        articles=len(articles) + (seed is not None),
        rank1_by_language={lang: f"{hit}/{n}" for lang, (hit, n) in sorted(by_language.items())},
        missed=[a.question for a in multilingual if a.gold and a.rank != 1],
        answered_unanswerable=[a.question for a in multilingual if not a.gold and not a.refused],
        missed_beside_english=[a.question for a in mixed if a.gold and a.rank != 1]
        if mixed
        else "not run (a slice)",
        english_model=ctx.embedder.name,
    )
    return result
