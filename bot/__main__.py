"""``python -m bot``: settings -> Engine.open -> the runner -> the bot -> Discord. The composition root."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from typing import Any

import aiohttp
import discord
from pydantic import ValidationError

from bot.client import apply_endpoint_overrides, create_bot
from bot.config import BotSettings
from bot.runner import LocalRunner, ProcessRunner, QueuedRunner, Runner
from index.config import IndexSettings
from index.engine import Engine
from index.errors import SitrepError
from index.jobs.child import IngestProcess
from index.jobs.queue import JobQueue
from index.signals import stop_on_signals
from index.threads import one_blas_thread

log = logging.getLogger("bot")


async def run(settings: BotSettings, index_settings: IndexSettings) -> None:
    """Open the engine and the runner, then run the bot until it is stopped; close all three."""
    main = asyncio.current_task()
    assert main is not None
    stop_on_signals(main.cancel, log, "closing the bot, the runner and the engine")
    async with contextlib.AsyncExitStack() as stack:
        options: dict[str, Any] = {
            "model": index_settings.model,
            "encoder_backend": index_settings.encoder_backend,
            "fetch_timeout": index_settings.fetch_timeout,
            "fetch_max_bytes": index_settings.fetch_max_bytes,
            # Strangers paste these URLs: no requests into the bot's own network, redirects included.
            "public_urls_only": not settings.allow_private_urls,
            "database_url": index_settings.database_url,
            "sentence_vectors": index_settings.sentence_vectors,
            "telegram_base_url": index_settings.telegram_base_url,
            "chunk_vectors": index_settings.chunk_vectors,
        }
        engine = await Engine.open(index_settings.data_dir, **options)
        stack.push_async_callback(engine.close)
        one_blas_thread()  # answers beside an ingest don't wait for spinning BLAS threads
        runner: Runner = LocalRunner(engine)
        url = index_settings.jobs_url
        if not url and settings.ingest_process:
            process = IngestProcess(
                {**options, "data_dir": index_settings.data_dir}, nice=settings.ingest_nice
            )
            stack.push_async_callback(process.close)
            runner = ProcessRunner(engine, process)
        if url:
            queue = await JobQueue.open(url, max_attempts=index_settings.job_max_attempts)
            stack.push_async_callback(queue.close)
            runner = QueuedRunner(queue, wait_seconds=index_settings.job_wait_seconds)
            log.info("queue mode: ingests, removals, rebuilds and feed refreshes go to sitrep workers")
        bot = await stack.enter_async_context(create_bot(engine, runner, settings))
        try:
            await bot.start(settings.token.get_secret_value())
        except asyncio.CancelledError:  # Ctrl-C or SIGTERM: the bot, the runner and the engine close now
            asyncio.get_running_loop().call_later(SLOW_SHUTDOWN_SECONDS, _log_pending_tasks)
            raise


SLOW_SHUTDOWN_SECONDS = 20.0


def _log_pending_tasks() -> None:
    """Say what a shutdown still waits for, so a stop that hangs can be diagnosed from the log."""
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    lines = [f"still stopping after {SLOW_SHUTDOWN_SECONDS:g} s; waiting on {len(tasks)} tasks:"]
    for task in tasks:
        frames = task.get_stack(limit=8)
        where = " <- ".join(f"{f.f_code.co_name} ({f.f_code.co_filename}:{f.f_lineno})" for f in frames)
        lines.append(f"  {task.get_name()}: {where or 'not started'}")
    log.warning("\n".join(lines))


def main() -> None:
    """Read settings, point discord.py at overrides, run until Ctrl-C."""
    discord.utils.setup_logging(level=logging.INFO)
    try:
        settings = BotSettings()  # type: ignore[call-arg]  # the token comes from the environment
    except ValidationError as e:
        sys.exit(f"Bot settings are incomplete or invalid (see .env.example):\n{e}")
    apply_endpoint_overrides(settings)
    try:
        with contextlib.suppress(KeyboardInterrupt, asyncio.CancelledError):  # stopped by a signal
            asyncio.run(run(settings, IndexSettings()))
    except discord.LoginFailure:
        sys.exit("Discord rejected DISCORD_TOKEN: check it in the developer portal (Bot -> Reset Token).")
    except (aiohttp.ClientConnectionError, OSError) as e:
        sys.exit(f"Can't reach Discord ({e}). Check the network, or DISCORD_API_BASE / DISCORD_GATEWAY_URL.")
    except SitrepError as e:
        sys.exit(f"sitrep: {e}")


if __name__ == "__main__":
    main()
