"""Stopping a long-running process (the bot, a worker) on SIGINT or SIGTERM: cleanly, then at once."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def stop_on_signals(on_first: Callable[[], object], log: logging.Logger, what: str) -> None:
    """Call ``on_first`` on the first SIGINT or SIGTERM; a second one ends the process at once.

    Set on the running loop rather than left to ``asyncio.run``, which handles SIGINT only where the
    process did not inherit it ignored: a process started in the background by a non-interactive
    shell (``cmd &``, nohup, some service managers) ignored Ctrl-C, and SIGTERM ended it without
    closing anything.

    Args:
        on_first: starts the clean stop (cancel the main task, let the current job finish).
        log: where "SIGTERM: <what>" is said.
        what: what the first signal does, in words.
    """
    loop = asyncio.get_running_loop()

    def on_signal(sig: signal.Signals) -> None:
        log.info("%s: %s", sig.name, what)
        for s in STOP_SIGNALS:  # a second signal, either one: the default, at once
            loop.remove_signal_handler(s)
            signal.signal(s, signal.SIG_DFL)
        on_first()

    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, on_signal, sig)


def forget_stop_signals() -> None:
    """Remove the handlers ``stop_on_signals`` set (those not already replaced by the default)."""
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.remove_signal_handler(sig)
