"""The ``sitrep`` entry point: commands with a module of their own run here, the others in ``commands``.

``commands.py`` is at the module size limit, so a command added since lives in its own module as an
``async (engine, args) -> int`` listed in ``ENGINE_COMMANDS``; it gets the engine, the settings, the
logging and the error handling the others get from ``commands.main``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence

from index.cli.commands import _open_engine
from index.cli.commands import main as main_of_other_commands
from index.cli.parser import build_parser
from index.cli.timeline import run_timeline
from index.config import IndexSettings
from index.engine import Engine
from index.errors import SitrepError

EngineCommand = Callable[[Engine, argparse.Namespace], Awaitable[int]]
ENGINE_COMMANDS: dict[str, EngineCommand] = {"timeline": run_timeline}


async def _with_engine(run: EngineCommand, args: argparse.Namespace, settings: IndexSettings) -> int:
    engine = await _open_engine(args, settings)
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
