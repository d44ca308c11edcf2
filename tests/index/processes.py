"""``sitrep`` in a subprocess, a corpus to feed it and a check of the database it leaves (the crash
and worker tests share them)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

from tests.conftest import ROOT, SAMPLES, SHARED


def write_corpus(path: Path, articles: int = 72, text_chars: int | None = 1500) -> list[str]:
    """Article ids of a JSONL corpus written to ``path``: the first ``articles`` of the real reporting
    in ../shared, each cut to ``text_chars`` (None: whole); else the samples."""
    source = SHARED / "data" / "india_police_events" / "articles.jsonl"
    lines = source.read_text(encoding="utf-8").splitlines() if source.exists() else []
    records = []
    for line in lines[:articles]:
        r = json.loads(line)
        record = {k: r[k] for k in ("id", "title", "outlet", "url")} | {"published": r["date"]}
        records.append(record | {"text": r["text"][:text_chars]})
    if not records:
        records = [json.loads(line) for line in (SAMPLES / "reports.jsonl").read_text().splitlines() if line]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return [str(r["id"]) for r in records]


class Sitrep:
    """A ``sitrep`` subprocess whose output lines are collected as they come."""

    def __init__(self, data: Path, *argv: str) -> None:
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "index", "-v", "--data-dir", str(data), *argv],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "TOKENIZERS_PARALLELISM": "false", "OMP_NUM_THREADS": "2"},
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, predicate: object, timeout: float = 180) -> bool:
        """Wait until ``predicate(lines)`` holds (True) or the process ended (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.lines):  # type: ignore[operator]
                return True
            if self.proc.poll() is not None:
                return bool(predicate(self.output()))  # type: ignore[operator]
            time.sleep(0.01)
        raise AssertionError(f"timed out; output so far: {self.lines[-5:]}")

    def output(self, timeout: float = 600) -> list[str]:
        """Every line it printed: waits for it to end and for the reader to reach the end of its output."""
        self.proc.wait(timeout=timeout)
        self._reader.join(timeout=timeout)
        assert not self._reader.is_alive(), "its output never ended"
        return self.lines

    def kill(self) -> bool:
        """SIGKILL; returns whether it was still running."""
        alive = self.proc.poll() is None
        if alive:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=120)
        return alive

    def added(self) -> list[str]:
        """The articles it printed as added (once it has ended)."""
        return [line.split(" ", 1)[1] for line in self.output() if line.startswith("added ")]


def check_database(db: Path) -> None:
    """The database is intact: no article without chunks, no chunk without a vector, no copy, FTS whole."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = con.execute(
            "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.article_rowid = a.rowid)"
        ).fetchone()[0]
        no_vector = con.execute(
            "SELECT COUNT(*) FROM chunks c WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.chunk_id = c.id)"
        ).fetchone()[0]
        fts = con.execute("SELECT COUNT(*) FROM chunks_fts").fetchone()[0]
        chunks = con.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        dupes = con.execute("SELECT COUNT(*) - COUNT(DISTINCT content_hash) FROM articles").fetchone()[0]
        # Every article read from a fetched page has that page's bytes, and the bytes are what they hash to.
        no_copy = con.execute(
            "SELECT COUNT(*) FROM article_fetches f WHERE NOT EXISTS"
            " (SELECT 1 FROM archives r WHERE r.scope = f.scope AND r.sha256 = f.sha256)"
        ).fetchone()[0]
        bad_copies = [
            sha
            for sha, data in con.execute("SELECT sha256, data FROM archives")
            if hashlib.sha256(zlib.decompress(data)).hexdigest() != sha
        ]
    finally:
        con.close()
    assert (orphans, no_vector, dupes, no_copy, bad_copies) == (0, 0, 0, 0, [])
    assert fts == chunks
