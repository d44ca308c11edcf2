"""stop_on_signals: the first SIGINT/SIGTERM starts a clean stop, and leaves the default for a second."""

from __future__ import annotations

import asyncio
import logging
import os
import signal

import pytest

from index.signals import STOP_SIGNALS, forget_stop_signals, stop_on_signals


@pytest.mark.parametrize("sig", STOP_SIGNALS)
async def test_the_first_signal_starts_the_stop_and_a_second_would_end_at_once(
    sig: signal.Signals, caplog: pytest.LogCaptureFixture
) -> None:
    stopping = asyncio.Event()
    before = {s: signal.getsignal(s) for s in STOP_SIGNALS}
    try:
        with caplog.at_level(logging.INFO, logger="test-signals"):
            stop_on_signals(stopping.set, logging.getLogger("test-signals"), "stopping")
            os.kill(os.getpid(), sig)
            await asyncio.wait_for(stopping.wait(), 60)  # a hang guard
        assert f"{sig.name}: stopping" in caplog.text
        # Either signal now does what it does by default: the process ends at once.
        assert all(signal.getsignal(s) is signal.SIG_DFL for s in STOP_SIGNALS)
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


async def test_handlers_can_be_forgotten() -> None:
    before = {s: signal.getsignal(s) for s in STOP_SIGNALS}
    try:
        stop_on_signals(lambda: None, logging.getLogger("test-signals"), "stopping")
        forget_stop_signals()
        assert not asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)  # none left
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
