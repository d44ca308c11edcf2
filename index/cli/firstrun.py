"""First-run set-up for ``make run``: ingest the bundled sample corpus into an empty store
(the data dir's, or the database SITREP_DATABASE_URL names)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from index.config import IndexSettings
from index.dates.parsing import parse_date_value
from index.engine import Engine
from index.ingest.readers import TextMeta
from index.models import Progress
from index.wording import counted

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


async def ingest_samples(
    engine: Engine, corpus: Path = SAMPLES, progress: Callable[[Progress], None] | None = None
) -> int:
    """Ingest every source listed in the corpus's manifest.json; returns articles added."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    added = 0
    for entry in manifest["sources"]:
        meta = TextMeta(
            outlet=entry.get("outlet"),
            url=entry.get("url"),
            published=parse_date_value(entry["published"]) if entry.get("published") else None,
            title=entry.get("title"),
        )
        report = await engine.ingest(
            [str(corpus / entry["path"])], meta=meta, progress=_after(added, progress) if progress else None
        )
        for failure in report.failed:
            print(failure.line(), file=sys.stderr)
        added += report.added
    return added


def _after(base: int, progress: Callable[[Progress], None]) -> Callable[[Progress], None]:
    """``progress`` counting on from the ``base`` articles the manifest's earlier sources added."""
    return lambda p: progress(replace(p, done=base + p.done))


def _seconds(t: float) -> str:
    return f"{t:.1f} s" if t < 90 else f"{int(t // 60)} min {t % 60:.0f} s"


class _Steps:
    """Prints each first-run step as it starts and ends, and at the end where the time went."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.took: list[tuple[str, float]] = []

    def begin(self, what: str) -> float:
        print(f"{what} ...", flush=True)
        return time.perf_counter()

    def end(self, name: str, began: float, result: str) -> None:
        took = time.perf_counter() - began
        self.took.append((name, took))
        print(f"  {result} ({_seconds(took)})", flush=True)

    def summary(self) -> str:
        parts = ", ".join(f"{name} {_seconds(t)}" for name, t in self.took)
        return f"first run done in {_seconds(time.perf_counter() - self.start)}: {parts}."


async def _main(
    data_dir: Path,
    model: str,
    encoder_backend: str,
    database_url: str | None = None,
    sentence_vectors: bool = False,
) -> None:
    engine = await Engine.open(
        data_dir, model=model, encoder_backend=encoder_backend, database_url=database_url, load_model=False
    )
    try:
        stats = await engine.stats()
        if stats.articles:
            print(f"{data_dir}: {counted(stats.articles, 'article')} already ingested.")
            return
        steps = _Steps()
        print(f"{data_dir} is empty: ingesting the sample corpus from {SAMPLES} ...", flush=True)
        loading = getattr(engine.embedder, "load", None)
        if loading is not None:  # the first ingest would load it anyway, silently
            began = steps.begin(f"loading the embedding model ({engine.embedder.name})")
            await asyncio.get_running_loop().run_in_executor(None, loading)
            steps.end("model", began, "loaded")
        began = steps.begin("reading, cleaning and embedding the sample articles")
        counter = _Counter("articles stored")
        added = await ingest_samples(engine, progress=counter.articles)
        counter.close()
        steps.end("ingest", began, f"ingested {counted(added, 'sample article')}.")
        if sentence_vectors:  # as `sitrep ingest` does: the first questions need not embed sentences
            began = steps.begin("embedding each quotable sentence, so questions need not")
            counter = _Counter("sentences embedded")
            stored = await engine.fill_sentence_vectors(progress=counter.count)
            counter.close()
            steps.end("sentences", began, f"embedded {counted(stored, 'sentence')} for quoting.")
        print(steps.summary())
    finally:
        await engine.close()


class _Counter:
    """One line, rewritten in place on a terminal, with how far a step has got (nothing elsewhere)."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.live = sys.stdout.isatty()
        self.shown = ""

    def show(self, line: str) -> None:
        if self.live and line != self.shown:
            self.shown = line
            print(f"\r\033[K  {line}", end="", flush=True)

    def count(self, n: int) -> None:
        self.show(f"{n:,} {self.unit}")

    def articles(self, p: Progress) -> None:
        passages = f", {p.chunks:,} of {p.chunks_total:,} passages embedded" if p.chunks_total else ""
        self.show(f"{p.done:,} {self.unit}{passages}")

    def close(self) -> None:
        if self.live and self.shown:
            print("\r\033[K", end="", flush=True)


def main() -> None:
    """``python -m index.cli.firstrun [--data-dir DIR]``."""
    settings = IndexSettings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=settings.data_dir)
    args = parser.parse_args()
    asyncio.run(
        _main(
            args.data_dir,
            settings.model,
            settings.encoder_backend,
            settings.database_url,
            settings.sentence_vectors,
        )
    )


if __name__ == "__main__":
    main()
