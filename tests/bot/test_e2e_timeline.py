"""End to end: ``/timeline`` through the production bot, the real engine and discord.py, against the fake
Discord: a covered query gets its chart as an uploaded PNG, an uncovered one a note and no file."""

from __future__ import annotations

import io

import pytest
from matplotlib.image import imread

from bot.client import SitrepBot
from index.charts.timeline_png import HEIGHT_PX, WIDTH_PX
from tests.bot.fakediscord import FakeDiscord, opt
from tests.bot.helpers import done, reply_of, text_of

pytestmark = [pytest.mark.e2e, pytest.mark.model]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def timeline(fake: FakeDiscord, query: str) -> dict[str, object]:
    it = await done(fake, await fake.slash("timeline", [opt("query", query)]), 90)
    assert it.ack_type == 5 and not it.ephemeral and not it.errors  # deferred in time, then answered
    return reply_of(fake, it)


async def test_a_covered_query_gets_its_chart_and_its_dated_claims(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    message = await timeline(fake_discord, "casualties in Pellin on March 12")
    [chart] = message["attachments"]  # type: ignore[misc]
    assert (chart["filename"], chart["content_type"]) == ("timeline.png", "image/png")
    png = fake_discord.attachment_data(chart)
    assert png.startswith(PNG_SIGNATURE)
    assert imread(io.BytesIO(png), format="png").shape[:2] == (HEIGHT_PX, WIDTH_PX)
    [embed] = message["embeds"]  # type: ignore[misc]
    assert embed["image"]["url"] == "attachment://timeline.png"  # the chart shows inside the embed
    text = text_of(message)  # type: ignore[arg-type]
    assert message["content"].startswith("**Timeline:** casualties in Pellin on March 12")  # type: ignore[index]
    assert "12 March 2025 · " in text and "killed" in text
    [upload] = fake_discord.requests_to("POST", r"/webhooks/2000/")
    assert upload.body["allowed_mentions"] == {"parse": []} and upload.body["_files"] == ["files[0]"]


async def test_an_uncovered_query_says_so_and_sends_no_file(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    message = await timeline(fake_discord, "What is the best recipe for sourdough bread?")
    assert message["attachments"] == []
    assert "Nothing to chart" in text_of(message)  # type: ignore[arg-type]
    [reply] = fake_discord.requests_to("POST", r"/webhooks/2000/")
    assert "_files" not in reply.body  # a plain JSON message: nothing was uploaded
