"""Two writer processes and a reader on one data dir: each article once, the index always the store's,
and the reader follows the writers without reopening."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.index.stores import consistent, populate


async def test_two_writer_processes_and_a_reader_share_one_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    await populate(data)
    base_articles, base_vectors = await consistent(data)
    count = 20

    async def spawn(*argv: str) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.index.writer_process",
            *argv,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )

    stop = tmp_path / "writers-done"
    reader = await spawn("read", str(data), str(stop))
    writers = [await spawn("write", str(data), name, str(count)) for name in ("left", "right")]
    # Hang guards: 40 ingests in two processes, under whatever else the machine is running.
    written = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in writers)), 600)
    stop.touch()
    results = [*written, await asyncio.wait_for(reader.communicate(), 300)]
    for proc, (_, err) in zip([*writers, reader], results, strict=True):
        assert proc.returncode == 0, err.decode()[-2000:]
    for name, (out, _) in zip(("left", "right"), results[:2], strict=True):
        assert out.decode().split() == [w for n in range(count) for w in ("added", f"{name}-{n}")]

    articles, vectors = await consistent(data)
    assert articles == base_articles + 2 * count
    con = sqlite3.connect(data / "sitrep.db")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    # The reader never saw a shrinking or foreign index, and followed both writers without reopening.
    reader_lines = results[2][0].decode().splitlines()
    seen = [int(line.split()[1]) for line in reader_lines if line.startswith("seen ")]
    assert seen == sorted(seen) and base_vectors <= seen[0] and seen[-1] <= vectors
    assert reader_lines[-1] == f"final {vectors}"
