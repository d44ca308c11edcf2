"""``sitrep backup`` / ``sitrep restore``: a consistent copy of a data dir, taken while the bot runs.

The snapshot is taken under the data dir's write lock, so no ingest, removal or rebuild is halfway
through: SQLite's online backup API copies the database (feedback votes, which don't take the lock,
are still copied consistently by SQLite itself) and the FAISS file is copied next to it. A restore
checks the copy, refuses a data dir that any process has open, and never leaves a half-copied file:
each file is written beside its target and renamed over it. A FAISS file that does not match the
restored database is rebuilt from the stored vectors when the engine opens it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from index.errors import SitrepError
from index.storage.sqlite.locking import OpenLock, write_locked

DB_NAME = "sitrep.db"
INDEX_NAME = "vectors.faiss"


class BackupError(SitrepError):
    """A backup or restore was refused or failed; nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    """What a backup or restore copied."""

    path: Path
    articles: int
    db_bytes: int
    index_bytes: int


def _copy_db(source: Path, target: Path) -> int:
    """SQLite online backup of ``source`` into a fresh ``target``; returns the article count."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=60)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        return int(dst.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    finally:
        dst.close()
        src.close()


def _check_db(path: Path) -> int:
    """PRAGMA integrity_check on a backup; returns its article count."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()[0]
            articles = int(con.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{path} is not a sitrep database ({e})") from e
    if result != "ok":
        raise BackupError(f"{path} fails SQLite's integrity check: {result}")
    return articles


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


async def backup(data_dir: Path, target: Path) -> BackupInfo:
    """Copy ``data_dir``'s database and index into the new or empty folder ``target``."""
    if not (data_dir / DB_NAME).exists():
        raise BackupError(f"{data_dir} holds no sitrep database to back up")
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; back up into a new folder")
    target.mkdir(parents=True, exist_ok=True)
    loop = asyncio.get_running_loop()
    async with write_locked(data_dir):
        articles = await loop.run_in_executor(None, _copy_db, data_dir / DB_NAME, target / DB_NAME)
        if (data_dir / INDEX_NAME).exists():
            await loop.run_in_executor(None, shutil.copyfile, data_dir / INDEX_NAME, target / INDEX_NAME)
    return BackupInfo(target, articles, _size(target / DB_NAME), _size(target / INDEX_NAME))


def _replace(source: Path, target: Path) -> None:
    tmp = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)


def restore(source: Path, data_dir: Path, *, force: bool = False) -> BackupInfo:
    """Replace ``data_dir``'s database and index with the backup in ``source``.

    Raises:
        BackupError: the backup is missing or damaged, or the data dir holds an archive and
            ``force`` is False.
        StoreInUseError: a bot or CLI has the data dir open.
    """
    articles = _check_db(source / DB_NAME) if (source / DB_NAME).exists() else None
    if articles is None:
        raise BackupError(f"{source} holds no {DB_NAME}: not a sitrep backup")
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = OpenLock(data_dir)
    lock.acquire(exclusive=True)
    try:
        if (data_dir / DB_NAME).exists() and not force:
            raise BackupError(f"{data_dir} already holds an archive; add --force to replace it")
        if (data_dir / DB_NAME).exists():
            # Fold the old database's WAL into it (nothing is lost if we stop here), then remove
            # the WAL: left beside the restored file it would be replayed into it.
            con = sqlite3.connect(data_dir / DB_NAME)
            try:
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                con.close()
        for suffix in ("-wal", "-shm"):
            (data_dir / (DB_NAME + suffix)).unlink(missing_ok=True)
        _replace(source / DB_NAME, data_dir / DB_NAME)
        if (source / INDEX_NAME).exists():
            _replace(source / INDEX_NAME, data_dir / INDEX_NAME)
        else:
            (data_dir / INDEX_NAME).unlink(missing_ok=True)  # rebuilt from stored vectors on open
    finally:
        lock.release()
    return BackupInfo(data_dir, articles, _size(data_dir / DB_NAME), _size(data_dir / INDEX_NAME))
