"""``python -m bot`` as a process: settings from the environment, the REST/gateway overrides, the real engine."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest

from tests.bot.fakediscord import FakeDiscord, opt, wait_until
from tests.bot.helpers import done, reply_of, text_of

pytestmark = [pytest.mark.e2e, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[2]


async def test_python_m_bot_connects_through_the_overrides_and_answers(
    fake_discord: FakeDiscord, sample_template: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(sample_template, data)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SITREP_"))},
        "DISCORD_TOKEN": fake_discord.token,
        "DISCORD_API_BASE": fake_discord.api_base,
        "DISCORD_GATEWAY_URL": fake_discord.ws_url,
        "DISCORD_GUILD_ID": "3000",
        "SITREP_DATA_DIR": str(data),
        "SITREP_ASK_RATE": "off",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    lines: list[str] = []

    async def read() -> None:
        assert proc.stdout is not None
        async for line in proc.stdout:
            lines.append(line.decode(errors="replace"))

    reader = asyncio.create_task(read())
    try:
        await wait_until(lambda: any("connected as sitrep" in line for line in lines), 60, "on_ready")
        assert {c["name"] for c in fake_discord.synced_guild["3000"]} == {"ask", "source", "admin"}
        assert fake_discord.synced_global == []  # DISCORD_GUILD_ID syncs to that server only
        it = await fake_discord.slash(
            "ask", [opt("question", "Who denied attacking Tolvik Regional Hospital?")]
        )
        await done(fake_discord, it, 30)
        assert it.ack_type == 5 and "Castavy" in text_of(reply_of(fake_discord, it))
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)  # what Ctrl-C does: a clean shutdown
        await asyncio.wait_for(proc.wait(), 30)
        await asyncio.wait_for(reader, 5)
    output = "".join(lines)
    assert proc.returncode == 0, output
    assert "Traceback" not in output, output
    await wait_until(lambda: fake_discord._sockets == [], 5, "the gateway to close")
    fake_discord.assert_clean()
