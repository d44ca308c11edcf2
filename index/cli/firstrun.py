"""First-run set-up for ``make run``: ingest the bundled sample corpus into an empty store
(the data dir's, or the database SITREP_DATABASE_URL names)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from index.config import IndexSettings
from index.dates.parsing import parse_date_value
from index.engine import Engine
from index.ingest.readers import TextMeta

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "corpus"


async def ingest_samples(engine: Engine, corpus: Path = SAMPLES) -> int:
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
        report = await engine.ingest([str(corpus / entry["path"])], meta=meta)
        for failure in report.failed:
            print(f"failed: {failure.location}: {failure.reason}", file=sys.stderr)
        added += report.added
    return added


async def _main(
    data_dir: Path,
    model: str,
    encoder_backend: str,
    database_url: str | None = None,
    sentence_vectors: bool = False,
) -> None:
    engine = await Engine.open(
        data_dir, model=model, encoder_backend=encoder_backend, database_url=database_url
    )
    try:
        stats = await engine.stats()
        if stats.articles:
            print(f"{data_dir}: {stats.articles:,} articles already ingested.")
            return
        print(f"{data_dir} is empty: ingesting the sample corpus from {SAMPLES} ...")
        added = await ingest_samples(engine)
        print(f"ingested {added:,} sample articles.")
        if sentence_vectors:  # as `sitrep ingest` does: the first questions need not embed sentences
            print(f"embedded {await engine.fill_sentence_vectors():,} sentences for quoting.")
    finally:
        await engine.close()


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
