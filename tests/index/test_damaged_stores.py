"""A damaged, foreign, read-only or full store: every command ends with one line, never a hang.

Each command runs as a real ``sitrep`` (or ``python -m bot``) process with a generous timeout that
only guards against a hang; what is checked is the exit status, the one line on stderr, and that the
store's files are as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT as REPO

HANG_GUARD = 600  # seconds: only a hung process takes this long (each takes seconds; minutes at load 10)
QUESTION = "Who reported casualties in Pellin on March 12?"


def sitrep(data: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``sitrep --data-dir DATA ARGS`` to completion."""
    return subprocess.run(
        [sys.executable, "-m", "index", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        cwd=REPO,
        env={**os.environ, **(env or {})},
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single ``sitrep: …`` line a failed command printed (asserting there is nothing else)."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("sitrep: "), result.stderr
    return lines[0]


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file's SHA-256, to show that a refused command changed nothing."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()
    }


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory, sample_template: Path) -> Path:
    """A closed store holding the sample corpus (no WAL left behind)."""
    data = tmp_path_factory.mktemp("stored") / "data"
    shutil.copytree(sample_template, data)
    return data


def _truncated(data: Path) -> None:
    db = data / "sitrep.db"
    os.truncate(db, db.stat().st_size // 2)


def _random_bytes(data: Path) -> None:
    (data / "sitrep.db").write_bytes(os.urandom(100_000))


def _empty(data: Path) -> None:
    (data / "sitrep.db").write_bytes(b"")


def _foreign(data: Path) -> None:
    (data / "sitrep.db").unlink()
    with sqlite3.connect(data / "sitrep.db") as db:
        db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")


def _damaged_pages(data: Path) -> None:
    """Garbage over a run of pages in the middle: the header is fine, reads of those pages fail."""
    db = data / "sitrep.db"
    raw = bytearray(db.read_bytes())
    for offset in range(len(raw) // 3, len(raw) // 3 + 200_000, 4096):
        raw[offset : offset + 512] = bytes((offset * 7 + i) % 251 for i in range(512))
    db.write_bytes(bytes(raw))


DAMAGE = {
    "truncated": (_truncated, "is damaged"),
    "random bytes": (_random_bytes, "not an SQLite database"),
    "empty file": (_empty, "is empty (0 bytes)"),
    "another program's database": (_foreign, "another program's database"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize(
    "command", [["stats"], ["ask", QUESTION], ["ingest", "index/samples/field-notes.md"]]
)
def test_a_damaged_store_ends_every_command_with_one_line(
    stored: Path, tmp_path: Path, damage: str, command: list[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(stored, data)
    spoil, says = DAMAGE[damage]
    spoil(data)
    before = fingerprint(data)
    line = one_line_error(sitrep(data, *command))
    assert says in line
    assert "sitrep restore" in line or "another data dir" in line  # what to do
    assert fingerprint(data) == before  # refused, not "repaired" into an empty store


def test_damaged_pages_found_while_answering_end_the_command_with_one_line(
    stored: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(stored, data)
    _damaged_pages(data)
    line = one_line_error(sitrep(data, "ask", QUESTION))
    assert "is damaged" in line and "sitrep restore" in line


def test_the_bot_exits_with_the_same_line_on_a_damaged_store(stored: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(stored, data)
    _truncated(data)
    env = {**os.environ, "DISCORD_TOKEN": "x" * 59, "SITREP_DATA_DIR": str(data)}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("sitrep: ") and "is damaged" in result.stderr


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def read_only_copy(stored: Path, tmp_path: Path) -> Iterator[Path]:
    """The stored corpus behind a read-only bind mount (a mounted snapshot, as a user would have it)."""
    source, view = tmp_path / "source", tmp_path / "view"
    shutil.copytree(stored, source)
    view.mkdir()
    if os.geteuid() != 0 or not _mount("--bind", str(source), str(view)):
        pytest.skip("needs root to bind-mount a read-only view (the CI and dev machines run as root)")
    try:
        assert _mount("-o", "remount,bind,ro", str(view))
        yield view
    finally:
        subprocess.run(["umount", str(view)], check=True)


def test_a_read_only_store_answers_and_refuses_writes_in_one_line(read_only_copy: Path) -> None:
    before = fingerprint(read_only_copy)
    asked = sitrep(read_only_copy, "ask", "--json", QUESTION)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["found"] and answer["quotes"]
    assert "articles: " in sitrep(read_only_copy, "stats").stdout
    assert "reports.jsonl" in sitrep(read_only_copy, "sources").stdout
    for write in (["ingest", "index/samples/field-notes.md"], ["rebuild"], ["sources", "remove", "1"]):
        assert "read-only" in one_line_error(sitrep(read_only_copy, *write))
    assert fingerprint(read_only_copy) == before


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB filesystem of its own (filled to the brim by the test)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)):
        pytest.skip("needs root to mount a small tmpfs (the CI and dev machines run as root)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_during_ingest_is_one_line_and_nothing_half_written(
    small_disk: Path, tmp_path: Path
) -> None:
    data = small_disk / "data"
    assert sitrep(data, "stats").returncode == 0  # the store exists, its tables made
    # Leave ~64 KB: less than the reports' text, chunks, index rows and vectors take.
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "filler").write_bytes(b"\0" * max(0, free - 64 * 1024))
    reports = tmp_path / "reports.jsonl"
    sentence = "Shelling hit district {i} on Monday, officials said, and {j} people were hurt in block {j}."
    reports.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"r{i}",
                    "outlet": "Test Wire",
                    "text": " ".join(sentence.format(i=i, j=j) for j in range(25)),
                }
            )
            for i in range(8)
        ),
        encoding="utf-8",
    )
    assert "disk is full" in one_line_error(sitrep(data, "ingest", str(reports)))
    (small_disk / "filler").unlink()
    stats = sitrep(data, "stats")
    assert stats.returncode == 0 and "articles: 0" in stats.stdout  # rolled back whole
