"""The ``sitrep`` command line: commands, terminal rendering, and the first run."""

from index.cli.entry import main

__all__ = ["main"]
