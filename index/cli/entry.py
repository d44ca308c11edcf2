"""The ``sitrep`` entry point: commands with a module of their own run here, the others in ``commands``.

``commands.py`` is at the module size limit, so a command added since lives in its own module as an
``async (engine, args) -> int`` listed in ``ENGINE_COMMANDS`` (and what it checks first in ``CHECKS``); it gets the engine, the settings, the
logging and the error handling the others get from ``commands.main``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence

from index.cli.commands import main as main_of_other_commands
from index.cli.commands import open_engine
from index.cli.digest import run_digest, window_problem
from index.cli.parser import build_parser
from index.cli.timeline import run_timeline
from index.config import IndexSettings
from index.engine import Engine
from index.errors import SitrepError

EngineCommand = Callable[[Engine, argparse.Namespace], Awaitable[int]]
ENGINE_COMMANDS: dict[str, EngineCommand] = {"timeline": run_timeline, "digest": run_digest}
# What is checked before a store is opened: a bad option costs the user no start-up.
CHECKS: dict[str, Callable[[argparse.Namespace], str | None]] = {"digest": window_problem}


async def _with_engine(run: EngineCommand, args: argparse.Namespace, settings: IndexSettings) -> int:
    engine = await open_engine(args, settings)
    try:
        return await run(engine, args)
    finally:
        await engine.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sitrep`` console script and ``python -m index``."""
    args = build_parser().parse_args(argv)
    run = ENGINE_COMMANDS.get(args.command)
    if run is None:
        return main_of_other_commands(argv)
    problem = CHECKS[args.command](args) if args.command in CHECKS else None
    if problem:
        print(problem, file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    overrides = {"data_dir": args.data_dir, "database_url": args.database_url}
    settings = IndexSettings().model_copy(update={k: v for k, v in overrides.items() if v is not None})
    try:
        return asyncio.run(_with_engine(run, args, settings))
    except SitrepError as e:
        print(f"sitrep: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `sitrep timeline ... | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
