"""End to end: ``/watch`` and ``/digest`` with the real discord.py against the fake Discord, and the
poller posting what new articles answer (in-process; tests/bot/test_e2e_watch_shards.py runs processes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.client import SitrepBot
from index.engine import Engine
from index.models import DigestSchedule
from tests.bot.fakediscord import FakeDiscord, Interaction, channel_resolved, opt, sub, wait_until
from tests.bot.helpers import CHANNEL_A, GUILD_A, MANAGE_MESSAGES, done, is_ephemeral, reply_of, text_of
from tests.index.watching.articles import HARBOUR, SCHOOL, SCHOOL_COPY, arrive

pytestmark = [pytest.mark.e2e, pytest.mark.model]

POLL = 0.2
WATCHING = pytest.mark.bot_settings(watch_poll_seconds=POLL)


async def command(
    fake: FakeDiscord,
    name: str,
    action: str,
    *options: dict[str, Any],
    permissions: str = MANAGE_MESSAGES,
    resolved: dict[str, Any] | None = None,
) -> Interaction:
    it = await fake.slash(name, [sub(action, *options)], member_permissions=permissions, resolved=resolved)
    return await done(fake, it, 90)


def posts_in(fake: FakeDiscord, channel: str, text: str = "") -> list[str]:
    return [text_of(m) for m in fake.channel_messages if m["channel_id"] == channel and text in text_of(m)]


async def polls(bot: SitrepBot, n: int = 2) -> None:
    """Wait until the poller has run ``n`` more times."""
    cog = bot.get_cog("Watches")
    assert type(cog).__name__ == "Watches"  # the extension's own module object: not isinstance
    start = cog.polls
    await wait_until(lambda: cog.polls >= start + n, 60, f"{n} watch polls")


@WATCHING
async def test_a_watch_posts_new_reporting_that_answers_it_once(
    fake_discord: FakeDiscord, sitrep: SitrepBot, sample_engine: Engine, tmp_path: Path
) -> None:
    added = await command(fake_discord, "watch", "add", opt("query", "civilians killed in Pellin"))
    assert is_ephemeral(fake_discord, added) and "Watch #1 added" in text_of(reply_of(fake_discord, added))
    assert posts_in(fake_discord, CHANNEL_A, "will be posted in this channel")  # the check that it may post
    await polls(sitrep)
    assert posts_in(fake_discord, CHANNEL_A, "🔔 **Watch") == []  # the archive as it was never alerts

    await arrive(sample_engine, tmp_path, "school", SCHOOL, "Ossel Courier", "2025-03-20")
    await wait_until(lambda: posts_in(fake_discord, CHANNEL_A, "Watch #1"), 60, "the alert")
    (alert,) = posts_in(fake_discord, CHANNEL_A, "🔔 **Watch #1**")
    assert "“civilians killed in Pellin”: 1 new article." in alert
    assert "Two civilians were killed in Pellin" in alert and "Ossel Courier" in alert
    assert "https://news.example/school" in alert

    # Unrelated reporting and a republished copy: nothing more.
    await arrive(sample_engine, tmp_path, "harbour", HARBOUR, "Vestby Tidende", "2025-03-20")
    await arrive(sample_engine, tmp_path, "copy", SCHOOL_COPY, "Brenmoor Gazette", "2025-03-21")
    await polls(sitrep, 3)
    assert len(posts_in(fake_discord, CHANNEL_A, "🔔 **Watch")) == 1

    listed = text_of(reply_of(fake_discord, await command(fake_discord, "watch", "list")))
    assert "#1" in listed and "civilians killed in Pellin" in listed and "1 alert" in listed
    removed = await command(fake_discord, "watch", "remove", opt("watch", 1, 4))
    assert "Watch #1 removed" in text_of(reply_of(fake_discord, removed))
    gone = await command(fake_discord, "watch", "remove", opt("watch", 1, 4))
    assert "no watch #1" in text_of(reply_of(fake_discord, gone)) and is_ephemeral(fake_discord, gone)


@WATCHING
async def test_a_watch_whose_channel_is_deleted_stops_and_its_author_is_told(
    fake_discord: FakeDiscord, sitrep: SitrepBot, sample_engine: Engine, tmp_path: Path
) -> None:
    alerts = fake_discord.add_channel(GUILD_A)
    await command(
        fake_discord,
        "watch",
        "add",
        opt("query", "civilians killed in Pellin"),
        opt("channel", alerts, 7),
        resolved=channel_resolved(alerts, GUILD_A),
    )
    assert posts_in(fake_discord, alerts, "will be posted in this channel")
    await fake_discord.delete_channel(alerts)
    await arrive(sample_engine, tmp_path, "school", SCHOOL, "Ossel Courier", "2025-03-20")
    # The DM channel is opened first, then written to: wait for the message itself.
    await wait_until(
        lambda: any(posts_in(fake_discord, c) for c in fake_discord.dm_channels),
        60,
        "a DM to the watch's author",
    )
    (dm,) = fake_discord.dm_channels
    assert fake_discord.dm_channels[dm] == "9001"
    (told,) = posts_in(fake_discord, dm)
    assert "watch #1" in told and "was deleted" in told
    listed = text_of(reply_of(fake_discord, await command(fake_discord, "watch", "list")))
    assert "stopped" in listed and "was deleted" in listed
    await polls(sitrep)
    assert fake_discord.refused_posts == [(alerts, 404)]  # a stopped watch posts no more


@WATCHING
async def test_bad_watches_are_refused_in_one_ephemeral_line(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    closed = fake_discord.add_channel(GUILD_A)
    fake_discord.forbidden_channels.add(closed)
    cases = [
        ([opt("query", "   ")], None, "Give the watch a question"),
        ([opt("query", "x" * 1000)], None, "at most 300 characters; this one has 1,000"),
        (
            [opt("query", "Wagner"), opt("channel", closed, 7)],
            channel_resolved(closed, GUILD_A),
            "I can't post in",
        ),
    ]
    for options, resolved, expected in cases:
        it = await command(fake_discord, "watch", "add", *options, resolved=resolved)
        assert is_ephemeral(fake_discord, it) and expected in text_of(reply_of(fake_discord, it)), expected
    refused = await command(fake_discord, "watch", "add", opt("query", "Wagner"), permissions="0")
    assert "Only members with Manage Messages" in text_of(reply_of(fake_discord, refused))
    assert await sitrep.engine.store.watches.watches() == []


@WATCHING
async def test_a_daily_sitrep_is_set_checked_and_turned_off(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    target = channel_resolved(CHANNEL_A, GUILD_A)
    bad = [
        ([opt("channel", CHANNEL_A, 7), opt("time", "25:00")], "24-hour HH:MM"),
        (
            [opt("channel", CHANNEL_A, 7), opt("time", "07:30"), opt("timezone", "Mars/Olympus")],
            "not a time zone",
        ),
    ]
    for options, expected in bad:
        it = await command(fake_discord, "digest", "set", *options, resolved=target)
        assert is_ephemeral(fake_discord, it) and expected in text_of(reply_of(fake_discord, it))
    it = await command(
        fake_discord,
        "digest",
        "set",
        opt("channel", CHANNEL_A, 7),
        opt("time", "7:30"),
        opt("timezone", "Europe/Kyiv"),
        resolved=target,
    )
    assert "at 07:30 (Europe/Kyiv), from tomorrow" in text_of(reply_of(fake_discord, it))
    (schedule,) = await sitrep.engine.store.watches.digests()
    assert (schedule.scope, schedule.channel, schedule.at, schedule.timezone) == (
        GUILD_A,
        CHANNEL_A,
        "07:30",
        "Europe/Kyiv",
    )
    off = await command(fake_discord, "digest", "off")
    assert "off" in text_of(reply_of(fake_discord, off))
    assert await sitrep.engine.store.watches.digests() == []


@WATCHING
async def test_a_due_daily_sitrep_is_posted_once_in_pages(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    store = sitrep.engine.store.watches
    today = datetime.now(UTC).date()
    # Due since midnight UTC, last sent yesterday: the next poll posts today's.
    await store.set_digest(
        DigestSchedule(GUILD_A, CHANNEL_A, "00:00", "UTC", "9001", (today - timedelta(days=1)).isoformat())
    )
    await wait_until(lambda: posts_in(fake_discord, CHANNEL_A, "# Sitrep digest"), 60, "the daily sitrep")
    await polls(sitrep, 3)
    pages = [m for m in fake_discord.channel_messages if m["channel_id"] == CHANNEL_A]
    assert len([p for p in pages if p["content"].startswith("# Sitrep digest")]) == 1  # once a day
    assert len(pages) > 1 and all(len(p["content"]) <= 2000 for p in pages)  # the sample corpus, paged
    text = "\n".join(p["content"] for p in pages)
    stored = (await sitrep.engine.stats()).articles  # the sample corpus, stored within the last 24 hours
    assert f"{stored} articles received" in text and "## 12 March 2025 · Pellin" in text
    assert (await store.digests())[0].last_sent == today.isoformat()


@pytest.mark.bot_settings(watch_poll_seconds=POLL, watch_channel_rate="1/3600")
async def test_a_channel_gets_no_more_alerts_than_its_rate_and_the_rest_wait(
    fake_discord: FakeDiscord, sitrep: SitrepBot, sample_engine: Engine, tmp_path: Path
) -> None:
    for query in ("civilians killed in Pellin", "shelling of the Pellin school"):
        await command(fake_discord, "watch", "add", opt("query", query))
    await arrive(sample_engine, tmp_path, "school", SCHOOL, "Ossel Courier", "2025-03-20")
    await wait_until(lambda: posts_in(fake_discord, CHANNEL_A, "🔔 **Watch"), 60, "the first alert")
    await polls(sitrep, 3)
    assert len(posts_in(fake_discord, CHANNEL_A, "🔔 **Watch")) == 1  # one an hour in this channel
    newest = await sample_engine.store.search.newest_rowid()
    marks = sorted(w.after_rowid for w in await sample_engine.store.watches.watches(GUILD_A))
    assert marks[0] < newest == marks[1]  # the second watch's articles wait for the next allowed post
