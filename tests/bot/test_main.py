"""``python -m bot`` as a process: settings from the environment, the REST/gateway overrides, the real engine."""

from __future__ import annotations

import asyncio
import logging
import shutil
import signal
from pathlib import Path

import pytest

from bot.__main__ import _log_pending_tasks
from tests.bot.fakediscord import FakeDiscord, opt, wait_until
from tests.bot.helpers import HARBOUR_JSONL, SYNCED_COMMANDS, add_file, ask, done, reply_of, text_of
from tests.bot.processes import bot_env, running


def test_main_exits_with_a_message_without_a_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import bot.__main__ as main

    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    with pytest.raises(SystemExit) as exc:
        main.main()
    assert "Bot settings are incomplete" in str(exc.value.code)


@pytest.mark.e2e
@pytest.mark.model
async def test_python_m_bot_connects_through_the_overrides_and_answers(
    fake_discord: FakeDiscord, filled_sample_template: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(filled_sample_template, data)
    # SITREP_INGEST_NICE=1: the ingest process is lowered, yet gets its share on a busy test machine.
    env = bot_env(fake_discord, data, DISCORD_GUILD_ID="3000", SITREP_ASK_RATE="off", SITREP_INGEST_NICE="1")
    async with running("-m", "bot", env=env, cwd=tmp_path) as bot:
        await bot.printed("connected as sitrep", 180)  # a busy machine: see test_e2e_shards
        assert {c["name"] for c in fake_discord.synced_guild["3000"]} == SYNCED_COMMANDS
        assert fake_discord.synced_global == []  # DISCORD_GUILD_ID syncs to that server only
        it = await fake_discord.slash(
            "ask", [opt("question", "Who denied attacking Tolvik Regional Hospital?")]
        )
        await done(fake_discord, it, 30)
        assert it.ack_type == 5 and "Castavy" in text_of(reply_of(fake_discord, it))

        # An upload goes to the bot's ingest process (the default); the bot answers from it at once.
        added = await add_file(fake_discord, "harbour.jsonl", HARBOUR_JSONL)
        assert "**harbour.jsonl**: 1 article added" in text_of(reply_of(fake_discord, added))
        await bot.printed("ingest process", 30)  # its log lines reach the bot's log
        answer = await ask(fake_discord, "What did port director Ivo Brask say about the quay?")
        assert "rebuild the quay in stone" in text_of(reply_of(fake_discord, answer))
    output = bot.output
    assert bot.proc.returncode == 0, output
    assert "Traceback" not in output, output
    await wait_until(lambda: fake_discord._sockets == [], 5, "the gateway to close")
    fake_discord.assert_clean()


# A bot started by a non-interactive shell in the background (`cmd &`, nohup) inherits SIGINT ignored.
IGNORING_SIGINT = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN);"
    " os.execv(sys.executable, [sys.executable, '-m', 'bot'])"
)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
async def test_sigint_and_sigterm_close_the_bot_even_when_sigint_was_inherited_ignored(
    fake_discord: FakeDiscord, filled_sample_template: Path, tmp_path: Path, stop: signal.Signals
) -> None:
    data = tmp_path / "data"
    shutil.copytree(filled_sample_template, data)
    env = bot_env(fake_discord, data, DISCORD_GUILD_ID="3000")
    async with running("-c", IGNORING_SIGINT, env=env, cwd=tmp_path) as bot:
        await bot.printed("connected as sitrep", 180)  # a busy machine: see test_e2e_shards
        bot.proc.send_signal(stop)  # ignored before: the harness waited 90 s, then killed it
        await bot.printed(f"{stop.name}: closing the bot", 120)
        await asyncio.wait_for(bot.proc.wait(), 120)
    assert bot.proc.returncode == 0, bot.output
    assert "Traceback" not in bot.output, bot.output
    await wait_until(lambda: fake_discord._sockets == [], 5, "the gateway to close")


async def test_a_slow_shutdown_logs_what_it_waits_for(caplog: pytest.LogCaptureFixture) -> None:
    gate = asyncio.Event()

    async def closing_the_store() -> None:
        await gate.wait()

    task = asyncio.create_task(closing_the_store(), name="engine-close")
    await asyncio.sleep(0)
    with caplog.at_level(logging.WARNING, logger="bot"):
        _log_pending_tasks()
    gate.set()
    await task
    (record,) = [r for r in caplog.records if r.name == "bot"]
    assert "still stopping after" in record.getMessage()
    assert "engine-close: closing_the_store (" in record.getMessage()
