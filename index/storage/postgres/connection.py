"""One PostgreSQL connection that is replaced when the server drops it (restart, failover, idle kill).

A managed Postgres restarts and fails over while a bot runs for weeks; psycopg then marks the
connection broken and every later query would fail until the process restarts. ``PgConnection``
opens a new one when it finds its connection broken:

- a read that fails because the connection broke is retried once on a fresh connection;
- a write transaction whose BEGIN fails that way is begun again (nothing was sent yet); one that
  breaks after BEGIN is not retried (the caller's batch may not be safe to repeat): it raises
  ``DatabaseConnectionError``, the server rolled it back, and the next write gets a new connection;
- connecting is tried ``CONNECT_ATTEMPTS`` times with a short backoff and a per-try timeout, so a
  database that is down gives a clear error within seconds instead of hanging.

A pool (psycopg_pool) would add a dependency and a health check per checkout yet still leave the
retry to us; one connection per role is all the store and the queue need.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any, TypeVar

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row

from index.errors import DatabaseConnectionError

Row = dict[str, Any]
Conn = psycopg.AsyncConnection[Row]
T = TypeVar("T")
log = logging.getLogger(__name__)

CONNECT_ATTEMPTS = 3
CONNECT_TIMEOUT_S = 3  # per try, unless the URL sets connect_timeout
BACKOFF_S = 0.25  # doubled after each failed try


def describe(url: str) -> str:
    """Where ``url`` points, without its password (for the log)."""
    params = conninfo_to_dict(url)
    host = params.get("host") or "localhost"
    return f"{params.get('dbname') or '?'} on {host}:{params.get('port') or 5432}"


async def connect(url: str) -> Conn:
    """An autocommit connection returning dict rows, tried a few times before giving up.

    Raises:
        DatabaseConnectionError: every try failed.
    """
    conninfo = url
    if "connect_timeout" not in conninfo_to_dict(url):
        conninfo = make_conninfo(url, connect_timeout=CONNECT_TIMEOUT_S)
    delay = BACKOFF_S
    for attempt in range(1, CONNECT_ATTEMPTS + 1):
        try:
            return await psycopg.AsyncConnection.connect(conninfo, autocommit=True, row_factory=dict_row)
        except psycopg.OperationalError as exc:
            # Where and why go to the log: the message is shown to Discord users as is.
            log.warning("connecting to %s (try %d of %d): %s", describe(url), attempt, CONNECT_ATTEMPTS, exc)
            if attempt == CONNECT_ATTEMPTS:
                raise DatabaseConnectionError(
                    f"Cannot reach the database after {attempt} tries; try again in a minute."
                ) from exc
        await asyncio.sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")


class PgConnection:
    """A connection that reconnects when found broken; see the module docstring for what is retried."""

    def __init__(self, url: str, conn: Conn) -> None:
        """Use ``PgConnection.open``."""
        self.url = url
        self._conn = conn
        # Coroutines sharing the connection must not each open a replacement.
        self._reconnecting = asyncio.Lock()

    @classmethod
    async def open(cls, url: str) -> PgConnection:
        """Connect to ``url``."""
        return cls(url, await connect(url))

    async def close(self) -> None:
        """Close the connection (a closed ``PgConnection`` does not reconnect)."""
        await self._conn.close()

    async def get(self) -> Conn:
        """The connection, replaced first if the server dropped it."""
        if self._conn.broken:
            async with self._reconnecting:
                if self._conn.broken:
                    await self._conn.close()
                    self._conn = await connect(self.url)
        return self._conn

    async def read(self, query: Callable[[Conn], Awaitable[T]]) -> T:
        """Run a read-only ``query`` on the connection, once more on a new one if the old one broke."""
        conn = await self.get()
        try:
            return await query(conn)
        except psycopg.OperationalError:
            if not conn.broken:
                raise  # a cancelled or timed-out query: the connection is fine, the query is not
        return await query(await self.get())

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Conn]:
        """One transaction; raises ``DatabaseConnectionError`` if the connection breaks inside it."""
        conn: Conn | None = None
        try:
            async with AsyncExitStack() as stack:
                conn = await self._begin(stack)
                yield conn
        except psycopg.OperationalError as exc:
            # The connection this transaction ran on (a concurrent read may have replaced _conn since).
            if not (conn or self._conn).broken:
                raise
            # The server rolls back what a dropped session had not committed. (A break during COMMIT
            # itself leaves it unknown, as with any database; the store's writes are all retry-safe
            # by content hash, so trying again is still right.)
            log.warning("lost the connection to %s during a write: %s", describe(self.url), exc)
            raise DatabaseConnectionError(
                "Lost the connection to the database during a write; nothing of it was saved. Try again."
            ) from exc

    async def _begin(self, stack: AsyncExitStack) -> Conn:
        """Enter a transaction, on a new connection if BEGIN finds the old one dropped."""
        conn = await self.get()
        try:
            await stack.enter_async_context(conn.transaction())
        except psycopg.OperationalError:
            if not conn.broken:
                raise
            conn = await self.get()
            await stack.enter_async_context(conn.transaction())
        return conn
