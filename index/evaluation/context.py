"""What every ``sitrep eval`` section shares: its input (``EvalContext``) and its output rows."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.embedding.base import Embedder
from index.engine import Engine
from index.evaluation.data import DEFAULT_SEED, write_articles

DEFAULT_K = 10  # sitrep's default number of quotes (``sitrep ask -k``)


@dataclass(frozen=True)
class EvalContext:
    """What every section gets: where the data is, how much of it, and the model."""

    data_dir: Path
    embedder: Embedder
    limit: int | None = None  # a small slice for CI; None: the full run
    rtqa_distractors: int = 2  # non-answer articles ingested per realtimeqa question (-1: all)
    seed: Path = DEFAULT_SEED
    chunk_vectors: str | None = None  # SITREP_CHUNK_VECTORS (None: the encoder's choice)

    async def open_engine(self, data_dir: Path, embedder: Embedder | None = None) -> Engine:
        """An engine on a fresh store in ``data_dir``, ingesting as the run is configured."""
        return await Engine.open(
            data_dir, embedder=embedder or self.embedder, chunk_vectors=self.chunk_vectors
        )


@dataclass(frozen=True)
class Metric:
    """One row of the table; ``baseline`` is None where the baseline cannot do the task at all."""

    name: str
    sitrep: float
    baseline: float | None
    kind: str = "share"  # "share" prints as a percentage, "pass" as pass/fail, "count" as a number


@dataclass
class SectionResult:
    """A section's metrics plus facts about the run (counts, seconds)."""

    name: str
    metrics: list[Metric] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None  # why the section did not run (data absent)


Section = Callable[[EvalContext], Awaitable[SectionResult]]


async def ingest_records(engine: Engine, records: list[dict[str, Any]], tmp: Path) -> tuple[int, float]:
    """Ingest records through the real JSONL path; returns (articles added, seconds)."""
    corpus = tmp / "corpus.jsonl"
    write_articles(records, corpus)
    started = time.perf_counter()
    report = await engine.ingest([str(corpus)])
    return report.added, time.perf_counter() - started
