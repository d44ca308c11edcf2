"""How long the bot's event loop stalls while a rebuild, a big upload and questions run at once.

The production bot (``create_bot`` over a real engine on the bundled sample corpus) connects to the
tests' fake Discord on 127.0.0.1 with a 100 ms gateway heartbeat. discord.py sends each heartbeat from
the event loop, so the gaps between the beats the fake receives show how long the loop was blocked.
It prints the gaps (p50, p95, max) during the work and the work's duration; nothing is asserted (this
was a timed assertion in ``tests/bot/test_e2e_admin.py``; timing depends on the machine).

    .venv/bin/python benchmarks/event_loop_stalls.py
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import discord  # noqa: E402  (after the path fix)
import yarl  # noqa: E402

from bot.client import create_bot  # noqa: E402
from bot.runner import LocalRunner  # noqa: E402
from index.cli.firstrun import ingest_samples  # noqa: E402
from index.engine import Engine  # noqa: E402
from tests.bot.conftest import settings_for  # noqa: E402
from tests.bot.fakediscord import FakeDiscord, connected, opt, sub, wait_until  # noqa: E402

MANAGE = str((1 << 5) | (1 << 13))  # Manage Server and Manage Messages
QUESTIONS = [
    "Who denied attacking Tolvik Regional Hospital?",
    "Who reported casualties in Pellin on March 12?",
]


def _upload() -> bytes:
    paragraphs = [
        f"Inspector Hana Lusk said the culvert number {i} on the Brennet canal was cracked and needed repair "
        f"within {i % 9 + 2} weeks, according to the waterways board report published on Friday."
        for i in range(60)
    ]
    return ("Brennet canal inspection\n\n" + "\n\n".join(paragraphs)).encode()


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = await Engine.open(Path(tmp) / "data", public_urls_only=False)
        await ingest_samples(engine)
        fake = FakeDiscord(heartbeat_interval_ms=100)
        await fake.start()
        discord.http.Route.BASE = fake.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.ws_url)
        bot = create_bot(engine, LocalRunner(engine), settings_for(fake), guild_ready_timeout=0.05)
        try:
            async with connected(bot, fake):
                await asyncio.sleep(1.0)  # a few idle beats before the work
                start, started = len(fake.heartbeats), time.monotonic()
                att = fake.add_attachment("canal.txt", _upload())
                work = [
                    await fake.slash("admin", [sub("rebuild")], member_permissions=MANAGE),
                    await fake.slash(
                        "source",
                        [sub("add", opt("file", att["id"], 11))],
                        member_permissions=MANAGE,
                        resolved={"attachments": {att["id"]: att}},
                    ),
                    *[await fake.slash("ask", [opt("question", q)]) for q in QUESTIONS],
                ]
                await wait_until(
                    lambda: (
                        all(it.answered for it in work)
                        and "articles added" in (fake.last_message(work[1])["content"] or "")
                        and any(m["content"].startswith("Index rebuilt") for m in fake.channel_messages)
                    ),
                    600,
                    "the work",
                )
                seconds = time.monotonic() - started
                await asyncio.sleep(0.3)  # a beat or two after the work
            gaps = [b - a for a, b in itertools.pairwise(fake.heartbeats[start:])]
            qs = statistics.quantiles(gaps, n=100, method="inclusive")
            print(
                f"rebuild + {len(_upload()) // 1024} KB upload + {len(QUESTIONS)} questions: {seconds:.1f} s; "
                f"heartbeat gaps (100 ms interval) over {len(gaps)} beats: p50 {qs[49] * 1000:.0f} ms, "
                f"p95 {qs[94] * 1000:.0f} ms, max {max(gaps) * 1000:.0f} ms"
            )
            fake.assert_clean()
        finally:
            await fake.close()
            await engine.close()


if __name__ == "__main__":
    asyncio.run(main())
