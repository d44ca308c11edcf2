"""Backup while the store is in use, and restore into an empty or (forced) unused data dir."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from index.cli import commands as cli
from index.engine import Engine
from index.storage.sqlite.backup import BackupError, backup, restore
from index.storage.sqlite.locking import StoreInUseError
from tests.conftest import FakeEmbedder
from tests.index.stores import consistent, ingested, populate

QUESTION = "who reported casualties in Pellin on March 12?"


async def test_backup_while_ingesting_then_restore_answers_the_same(tmp_path: Path) -> None:
    data, snap, restored = tmp_path / "data", tmp_path / "snap", tmp_path / "restored"
    engine = await ingested(data)
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
    assert await consistent(data) == await consistent(restored)


def test_backup_and_restore_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, snap = tmp_path / "data", tmp_path / "snap"
    asyncio.run(populate(data))
    assert cli.main(["--data-dir", str(data), "backup", str(snap)]) == 0
    assert "backed up 53 articles" in capsys.readouterr().out
    assert cli.main(["--data-dir", str(data), "restore", str(snap)]) == 1
    assert "already holds an archive; add --force" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(data), "restore", str(tmp_path)]) == 1
    assert "not a sitrep backup" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(data), "restore", "--force", str(snap)]) == 0
    assert "restored 53 articles" in capsys.readouterr().out
