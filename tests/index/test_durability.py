"""The index always matches the store: repair on open, two processes on one data dir, backup/restore."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pytest

from index.cli import commands as cli
from index.engine import Engine
from index.storage.sqlite.backup import BackupError, backup, restore
from index.storage.sqlite.locking import StoreInUseError
from tests.conftest import ROOT, SAMPLES, FakeEmbedder

QUESTION = "who reported casualties in Pellin on March 12?"


async def _ingested(data: Path) -> Engine:
    engine = await Engine.open(data, embedder=FakeEmbedder())
    report = await engine.ingest([str(SAMPLES / "reports.jsonl")])
    assert report.added > 0
    return engine


async def _populate(data: Path) -> None:
    await (await _ingested(data)).close()


async def _consistent(data: Path) -> tuple[int, int]:
    """Open, and check the FAISS ids equal the store's chunk ids; returns (articles, vectors)."""
    async with await Engine.open(data, embedder=FakeEmbedder()) as engine:
        stored = await engine.store.embeddings.vector_chunk_ids(engine.embedder.name)
        assert len(stored) and np.array_equal(engine.vectors.index.ids(), stored)
        return (await engine.stats()).articles, engine.vectors.size


@pytest.mark.parametrize("damage", ["missing", "truncated", "garbage", "other ids"])
async def test_a_damaged_index_file_is_repaired_on_open(tmp_path: Path, damage: str) -> None:
    data = tmp_path / "data"
    engine = await _ingested(data)
    expected = (await engine.stats()).articles, engine.vectors.size
    if damage == "other ids":
        # The right version and model in the metadata, but not the stored chunks: only the id check sees it.
        engine.vectors.index.remove([int(i) for i in engine.vectors.index.ids()[:3]])
        engine.vectors.index.save(engine.index_path)
    await engine.close()
    path = data / "vectors.faiss"
    if damage == "missing":
        path.unlink()
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x00" * 4096)
    assert await _consistent(data) == expected


async def test_two_writer_processes_and_a_reader_share_one_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    await _populate(data)
    base_articles, base_vectors = await _consistent(data)
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
    written = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in writers)), 120)
    stop.touch()
    results = [*written, await asyncio.wait_for(reader.communicate(), 60)]
    for proc, (_, err) in zip([*writers, reader], results, strict=True):
        assert proc.returncode == 0, err.decode()[-2000:]
    for name, (out, _) in zip(("left", "right"), results[:2], strict=True):
        assert out.decode().split() == [w for n in range(count) for w in ("added", f"{name}-{n}")]

    articles, vectors = await _consistent(data)
    assert articles == base_articles + 2 * count
    con = sqlite3.connect(data / "sitrep.db")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    # The reader never saw a shrinking or foreign index, and followed both writers without reopening.
    reader_lines = results[2][0].decode().splitlines()
    seen = [int(line.split()[1]) for line in reader_lines if line.startswith("seen ")]
    assert seen == sorted(seen) and base_vectors <= seen[0] and seen[-1] <= vectors
    assert reader_lines[-1] == f"final {vectors}"


async def test_backup_while_ingesting_then_restore_answers_the_same(tmp_path: Path) -> None:
    data, snap, restored = tmp_path / "data", tmp_path / "snap", tmp_path / "restored"
    engine = await _ingested(data)
    before = (await engine.ask(QUESTION)).to_dict()
    extra = tmp_path / "extra.jsonl"
    extra.write_text(
        "".join(
            json.dumps(
                {"id": f"x{n}", "text": f"Shelling hit Pellin district {n} times, the mayor Oren Lask said."}
            )
            + "\n"
            for n in range(150)
        )
    )
    ingesting = asyncio.create_task(engine.ingest([str(extra)]))
    await asyncio.sleep(0)  # the ingest holds the write lock: the snapshot waits for a consistent state
    info = await backup(data, snap)
    await ingesting
    after = (await engine.ask(QUESTION)).to_dict()
    live_articles = (await engine.stats()).articles

    with pytest.raises(BackupError, match="not empty"):
        await backup(data, snap)
    restore(snap, restored)
    assert info.articles in (live_articles - 150, live_articles)
    async with await Engine.open(restored, embedder=FakeEmbedder()) as copy:
        assert (await copy.stats()).articles == info.articles
        assert (await copy.ask(QUESTION)).to_dict() == (after if info.articles == live_articles else before)
        with pytest.raises(StoreInUseError, match="is open in another process"):
            restore(snap, restored, force=True)
    with pytest.raises(BackupError, match="add --force"):
        restore(snap, restored)
    await engine.close()
    restore(snap, data, force=True)
    assert await _consistent(data) == await _consistent(restored)


def test_backup_and_restore_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, snap = tmp_path / "data", tmp_path / "snap"
    asyncio.run(_populate(data))
    assert cli.main(["--data-dir", str(data), "backup", str(snap)]) == 0
    assert "backed up 53 articles" in capsys.readouterr().out
    assert cli.main(["--data-dir", str(data), "restore", str(snap)]) == 1
    assert "already holds an archive; add --force" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(data), "restore", str(tmp_path)]) == 1
    assert "not a sitrep backup" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(data), "restore", "--force", str(snap)]) == 0
    assert "restored 53 articles" in capsys.readouterr().out
