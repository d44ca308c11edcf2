"""The ``sitrep`` entry point: commands with a module of their own run here, the others in ``commands``.

A command with a module of its own is an ``async (engine, args) -> int`` listed in ``ENGINE_COMMANDS``
(and what it checks before a store is opened in ``CHECKS``); it gets the settings, the logging, the
engine and the error handling every command gets (``running``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable, Sequence

from index.cli.commands import run_command
from index.cli.digest import run_digest, window_problem
from index.cli.parser import build_parser
from index.cli.running import guarded, open_engine, settings_of
from index.cli.timeline import run_timeline
from index.config import IndexSettings
from index.engine import Engine

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
        return run_command(args)
    problem = CHECKS[args.command](args) if args.command in CHECKS else None
    if problem:
        print(problem, file=sys.stderr)
        return 2
    return guarded(args, _with_engine(run, args, settings_of(args)))
