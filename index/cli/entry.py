"""The ``sitrep`` entry point: ``digest`` runs here, every other command in ``commands.main``.

``commands.py`` is at the module size limit, so commands added since are dispatched from here, each
from a module of its own (``digest.py``), on the same parser.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.cli.commands import main as run_command
from index.cli.digest import main as run_digest
from index.cli.parser import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sitrep`` console script and of ``python -m index``."""
    args = build_parser().parse_args(argv)
    if args.command == "digest":
        return run_digest(args)
    return run_command(argv)
