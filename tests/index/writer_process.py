"""A second process on a data dir, for tests: ``python -m tests.index.writer_process MODE DATA ...``.

``write DATA NAME N``: N separate ingests of one generated article each (the fake embedder).
``read DATA STOPFILE``: ask questions in a loop until STOPFILE exists; print the index size seen
after each, then ``final`` with the size seen without reopening (it must follow the writers).
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from index.engine import Engine
from tests.conftest import FakeEmbedder


def article(name: str, n: int) -> str:
    """A generated report, distinct per writer and number."""
    return (
        f"Report {name}-{n} from Kessel district\n\n"
        f"Observers from team {name} counted {n} impacts near the Kessel rail depot overnight, "
        f'the monitor Tama Reyes said on Tuesday. "We logged every one of the {n} craters," '
        f"Reyes told reporters, adding that team {name} would return at dawn.\n"
    )


async def write(data: Path, name: str, count: int) -> None:
    folder = data.parent / f"inbox-{name}"
    folder.mkdir(exist_ok=True)
    async with await Engine.open(data, embedder=FakeEmbedder()) as engine:
        for n in range(count):
            path = folder / f"{name}-{n}.txt"
            path.write_text(article(name, n), encoding="utf-8")
            report = await engine.ingest([str(path)])
            assert report.added == 1, report.failed
            print(f"added {name}-{n}", flush=True)


async def read(data: Path, stop: Path) -> None:
    async with await Engine.open(data, embedder=FakeEmbedder()) as engine:
        deadline = time.monotonic() + 600  # a hang guard: the test touches STOPFILE when the writers are done
        while not stop.exists() and time.monotonic() < deadline:
            answer = await engine.ask("How many impacts did observers count near the Kessel rail depot?")
            print(f"seen {engine.vectors.size} {len(answer.quotes)}", flush=True)
            await asyncio.sleep(0.05)
        await engine.ask("impacts near the Kessel rail depot")
        print(f"final {engine.vectors.size}", flush=True)


if __name__ == "__main__":
    mode, data_dir, *rest = sys.argv[1:]
    if mode == "write":
        asyncio.run(write(Path(data_dir), rest[0], int(rest[1])))
    else:
        asyncio.run(read(Path(data_dir), Path(rest[0])))
