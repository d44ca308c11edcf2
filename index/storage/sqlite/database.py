"""The embedded store's two SQLite connections, its write transactions and its meta table.

One writer, one reader (aiosqlite, WAL). Queries read committed data only: a question asked during an
ingest never sees half of it, and a feedback vote can't commit someone else's half-written source.
Every write is one transaction under ``transaction()``. The store's roles (``sources.py``,
``articles.py``, ``search.py``, ``embeddings.py``, ``annotations.py``) share one ``Database``.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import aiosqlite
import numpy as np

from index.errors import StoreDamagedError, StoreReadOnlyError, StoreWriteError
from index.storage.sqlite.read_cache import ReadCache
from index.storage.sqlite.schema import SCHEMA

BUSY_TIMEOUT = 60.0  # seconds a connection waits for another process's write lock
READ_ONLY = "the store is read-only (its data dir can't be written): questions work, changes don't"
WHAT_TO_DO = "restore a backup with `sitrep restore FILE`, or move the file aside to start a new archive"


class Database:
    """The writer and the reader connection of one ``sitrep.db``."""

    def __init__(
        self, writer: aiosqlite.Connection, reader: aiosqlite.Connection, *, read_only: bool, target: str
    ) -> None:
        """Use ``Database.open``."""
        self.read_only = read_only
        self.writer = writer
        self.reader = reader
        self._target = target  # what the connections were opened on (a path, or a read-only URI)
        self._write = asyncio.Lock()
        # Per-question lookups (outlets, counts…) kept until the next commit by any connection.
        self.cache = ReadCache(reader)

    @classmethod
    async def open(cls, path: Path, *, read_only: bool = False) -> Database:
        """Open the database at ``path``, creating it (and new tables) unless ``read_only``.

        Raises:
            StoreDamagedError: the file is corrupt, truncated, empty or another program's database.
            StoreReadOnlyError: ``read_only`` and there is no database at ``path`` to read.
        """
        refuse_unusable(path, read_only=read_only)
        # The CLI and the bot may share the file: wait for the other's short write transactions.
        # Read-only: the files can't change under it (a snapshot, a backup), so SQLite needs no -shm.
        # A -wal file left by a process that was writing holds committed data: read it (SQLite then
        # keeps the -shm in memory); with none, nothing can change the file under us.
        wal = path.with_name(path.name + "-wal")
        target = f"file:{path}?mode=ro" + ("" if wal.exists() else "&immutable=1") if read_only else str(path)
        writer = await aiosqlite.connect(target, timeout=BUSY_TIMEOUT, uri=read_only)
        reader: aiosqlite.Connection | None = None
        try:
            writer.row_factory = sqlite3.Row
            await _check_ours(writer, path)
            if not read_only:
                await writer.execute("PRAGMA journal_mode=WAL")
                await writer.execute("PRAGMA foreign_keys=ON")
                await writer.execute(
                    "PRAGMA synchronous=NORMAL"
                )  # WAL + NORMAL is durable across app crashes
                await writer.executescript(SCHEMA)
                await writer.commit()
            reader = await aiosqlite.connect(target, timeout=BUSY_TIMEOUT, uri=read_only)
            reader.row_factory = sqlite3.Row
            await reader.execute("PRAGMA query_only=ON")
        except BaseException as e:
            # An open connection's thread keeps the interpreter alive: close both before raising.
            for conn in (reader, writer):
                if conn is not None:
                    await conn.close()
            if isinstance(e, sqlite3.DatabaseError):
                raise damaged(path, e) from e
            raise
        return cls(writer, reader, read_only=read_only, target=target)

    async def close(self) -> None:
        """Close both connections."""
        await self.reader.close()
        await self.writer.close()

    @asynccontextmanager
    async def bulk_reader(self) -> AsyncIterator[aiosqlite.Connection]:
        """A read-only connection of its own, for one long read (every stored vector, for a rebuild).

        On the shared reader, such a read queued every question's lookups behind each of its batches:
        during rebuilds of a 100k-chunk index, ask p95 went from 112 to 566 ms (benchmarks/perf.py's
        load section).
        """
        conn = await aiosqlite.connect(self._target, timeout=BUSY_TIMEOUT, uri=self.read_only)
        try:
            await conn.execute("PRAGMA query_only=ON")
            yield conn
        finally:
            await conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction on the writer: committed at the end, rolled back on any error.

        Raises:
            StoreReadOnlyError: the store was opened read-only, or its files can't be written.
            StoreWriteError: the disk is full, or another I/O error; nothing of the write was kept.
        """
        if self.read_only:
            raise StoreReadOnlyError(READ_ONLY)
        async with self._write:
            try:
                yield self.writer
                await self.writer.commit()
            except BaseException as e:
                await self.writer.rollback()
                if isinstance(e, sqlite3.DatabaseError) and (failure := write_failure(e)) is not None:
                    raise failure from e
                raise

    async def rows(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Every row of a query on the reader.

        Raises:
            StoreDamagedError: SQLite found a damaged page on the way.
        """
        with reading_damage():
            async with self.reader.execute(sql, args) as cur:
                return list(await cur.fetchall())

    async def row(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Row | None:
        """The first row of a query on the reader, or None."""
        rows = await self.rows(sql, args)
        return rows[0] if rows else None

    async def integers(self, sql: str, args: Sequence[Any] = ()) -> np.ndarray:
        """The integers in the one text ``sql`` selects, a ``group_concat`` of them, as an array:
        a million ids parse in C instead of passing through a million Python rows (3x faster)."""
        row = await self.row(sql, args)
        text = row[0] if row else None
        return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, dtype=np.int64)

    async def number(self, sql: str, args: Sequence[Any] = ()) -> int:
        """The one integer ``sql`` selects (0 for NULL or no row)."""
        row = await self.row(sql, args)
        return int(row[0] or 0) if row else 0

    # -- meta ---------------------------------------------------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        """A value from the meta table, or None."""
        row = await self.row("SELECT value FROM meta WHERE key = ?", (key,))
        return str(row["value"]) if row else None

    async def set_meta(self, **values: str) -> None:
        """Set meta values, all in one transaction."""
        async with self.transaction() as db:
            await put_meta(db, values)


async def put_meta(db: aiosqlite.Connection, values: dict[str, str]) -> None:
    """Set meta values inside the current write transaction."""
    await db.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        list(values.items()),
    )


async def bump_version(db: aiosqlite.Connection) -> None:
    """Increment the data version inside the current write transaction (FAISS follows it)."""
    async with db.execute("SELECT value FROM meta WHERE key = 'version'") as cur:
        row = await cur.fetchone()
    await put_meta(db, {"version": str(int(row[0] if row else 0) + 1)})


def marks(values: Sequence[Any]) -> str:
    """``?,?,…`` for an ``IN`` list of ``values``."""
    return ",".join("?" * len(values))


def refuse_unusable(path: Path, *, read_only: bool) -> None:
    """Refuse, before SQLite touches it, a file that is no store: empty, or not SQLite at all."""
    if not path.exists():
        if read_only:
            raise StoreReadOnlyError(
                f"there is no store in {path.parent}, and it can't be created there (read-only)"
            )
        return
    with path.open("rb") as fh:
        header = fh.read(16)
    if not header:
        # A new store is created by SQLite, never as an empty file: this one lost its contents.
        raise StoreDamagedError(f"{path} is empty (0 bytes), not a sitrep store: {WHAT_TO_DO}")
    if header != b"SQLite format 3\x00":
        raise StoreDamagedError(f"{path} is not an SQLite database: {WHAT_TO_DO}")


async def _check_ours(db: aiosqlite.Connection, path: Path) -> None:
    """Refuse another program's SQLite database rather than add sitrep's tables to it."""
    async with db.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cur:
        tables = {r[0] for r in await cur.fetchall()}
    if tables and not {"meta", "articles"} <= tables:
        shown = ", ".join(sorted(tables)[:5])
        raise StoreDamagedError(
            f"{path} is another program's database (tables: {shown}): use another data dir"
        )


@contextmanager
def reading_damage() -> Iterator[None]:
    """Turn SQLite's "malformed"/"not a database" on a read into the store's one-line error."""
    try:
        yield
    except sqlite3.DatabaseError as e:
        # Pages SQLite finds malformed, or text bytes that are no longer UTF-8 (Python's check).
        if getattr(e, "sqlite_errorname", "") in (
            "SQLITE_CORRUPT",
            "SQLITE_NOTADB",
        ) or "decode to UTF-8" in str(e):
            reason = "stored text is no longer valid UTF-8" if "decode" in str(e) else str(e)
            raise StoreDamagedError(f"the store is damaged ({reason}): {WHAT_TO_DO}") from e
        raise


def damaged(path: Path, e: sqlite3.DatabaseError) -> StoreDamagedError:
    """The one-line error for a database SQLite can't read."""
    return StoreDamagedError(f"{path} is damaged ({e}): {WHAT_TO_DO}")


def write_failure(
    e: sqlite3.DatabaseError,
) -> StoreWriteError | StoreReadOnlyError | StoreDamagedError | None:
    """What a failed write means to a user, for the failures that aren't bugs; None for the rest."""
    name = getattr(e, "sqlite_errorname", "")
    if name == "SQLITE_FULL":
        return StoreWriteError(
            "the disk is full: the write was rolled back, nothing half-written; free space and run it again"
        )
    if name in ("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN") or name.startswith("SQLITE_READONLY"):
        return StoreReadOnlyError(
            f"the store can't be written ({e}): check the data dir's permissions; nothing was changed"
        )
    if name.startswith("SQLITE_IOERR"):
        return StoreWriteError(
            f"the disk failed during a write ({e}): it was rolled back; check the disk and run it again"
        )
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return StoreDamagedError(f"the store is damaged ({e}): {WHAT_TO_DO}")
    return None
