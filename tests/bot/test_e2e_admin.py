"""End to end: ``/admin`` (Manage Server only), background rebuilds, status and feed refresh."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest

from bot.client import SitrepBot
from tests.bot.conftest import NewsSite, article_html
from tests.bot.fakediscord import FakeDiscord, opt, wait_until
from tests.bot.helpers import (
    CHANNEL_A,
    GUILD_A,
    GUILD_B,
    MANAGE_GUILD,
    SYNCED_COMMANDS,
    add_file,
    add_url,
    admin,
    ask,
    reply_of,
    says_added,
    text_of,
)

pytestmark = [pytest.mark.e2e, pytest.mark.model]


def rebuilt_messages(fake: FakeDiscord) -> list[dict[str, Any]]:
    return [m for m in fake.channel_messages if m["content"].startswith("Index rebuilt")]


async def test_commands_are_synced_with_admin_limited_to_manage_server(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    synced = fake_discord.synced
    assert set(synced) == SYNCED_COMMANDS
    assert synced["Check this claim"]["type"] == 3  # a message command
    assert (
        int(synced["admin"]["default_member_permissions"])
        == discord.Permissions(manage_guild=True).value
        == 32
    )
    assert synced["admin"]["dm_permission"] is False and synced["source"]["dm_permission"] is False
    subcommands = {o["name"]: o for o in synced["admin"]["options"]}
    assert set(subcommands) == {"rebuild", "status", "feeds", "threads", "label", "unlabel", "labels"}
    assert [o["name"] for o in subcommands["feeds"]["options"]] == ["refresh"]
    assert [o["name"] for o in synced["ask"]["options"]] == [
        "question",
        "outlet",
        "since",
        "until",
        "exclude_label",
        "private",
    ]
    assert [o["name"] for o in synced["timeline"]["options"]] == ["query", "since", "until"]
    assert [o["name"] for o in synced["source"]["options"]] == ["add", "list", "remove"]
    assert [o["name"] for o in synced["watch"]["options"]] == ["add", "list", "remove"]
    assert [o["name"] for o in synced["digest"]["options"]] == ["set", "off"]
    assert synced["watch"]["dm_permission"] is False and synced["digest"]["dm_permission"] is False
    add = next(o for o in synced["watch"]["options"] if o["name"] == "add")
    assert [(o["name"], o["type"]) for o in add["options"]] == [
        ("query", 3),
        ("channel", 7),
        ("outlet", 3),
        ("exclude_label", 3),
    ]
    remove = next(o for o in synced["source"]["options"] if o["name"] == "remove")
    assert remove["options"][0]["autocomplete"] is True


async def test_rebuild_is_allowed_for_manage_server_and_reported_in_the_channel(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    it = await admin(fake_discord, "rebuild", permissions=MANAGE_GUILD)
    assert it.ack_type == 5 and not it.errors  # deferred in time (the fake refuses a late one)
    assert "Rebuilding the index in the background" in text_of(reply_of(fake_discord, it))
    [done] = await wait_until(lambda: rebuilt_messages(fake_discord), 90, "the completion message")
    assert done["channel_id"] == CHANNEL_A
    assert "(asked by <@9001>): 134 vectors over 55 articles" in done["content"]
    assert (await sitrep.engine.stats()).last_rebuild is not None


async def test_rebuild_is_refused_ephemerally_without_manage_server(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    before = (await sitrep.engine.stats()).last_rebuild
    for command in (("rebuild",), ("status",), ("feeds", "refresh"), ("labels",)):
        it = await admin(fake_discord, *command, permissions="0")
        assert it.ack_type == 4 and it.ephemeral, command
        assert text_of(reply_of(fake_discord, it)) == "You need the Manage Server permission for that."
    admin_cog = sitrep.get_cog("Admin")
    assert admin_cog is not None and getattr(admin_cog, "_rebuild", "missing") is None  # never started
    assert fake_discord.channel_messages == []
    assert (await sitrep.engine.stats()).last_rebuild == before


async def test_questions_and_an_ingest_during_a_rebuild_all_complete(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    """Rebuild, ingest a big upload (embedding on the worker thread) and ask, all at once: each is
    acknowledged in time and completes. (How long the event loop stalls meanwhile is measured by
    ``benchmarks/event_loop_stalls.py``, not asserted here: timing depends on the machine.)"""
    paragraphs = [
        f"Inspector Hana Lusk said the culvert number {i} on the Brennet canal was cracked and needed repair "
        f"within {i % 9 + 2} weeks, according to the waterways board report published on Friday."
        for i in range(60)
    ]
    big = ("Brennet canal inspection\n\n" + "\n\n".join(paragraphs)).encode()
    rebuild = await fake_discord.slash(
        "admin", [{"name": "rebuild", "type": 1, "options": []}], member_permissions=MANAGE_GUILD
    )
    results = await asyncio.gather(
        add_file(fake_discord, "canal.txt", big),
        ask(fake_discord, "Who denied attacking Tolvik Regional Hospital?", guild_id=GUILD_A),
        ask(fake_discord, "Who reported casualties in Pellin on March 12?", guild_id=GUILD_B),
    )
    await wait_until(lambda: rebuilt_messages(fake_discord), 90, "the rebuild")
    assert rebuild.ack_type == 5 and not rebuild.errors
    assert "1 article added" in text_of(reply_of(fake_discord, results[0]))
    for it in results[1:]:
        assert it.ack_type == 5 and not it.errors
        assert reply_of(fake_discord, it)["embeds"][0]["title"] != "Nothing found"


async def test_a_rebuild_that_outlives_the_interaction_token_still_reports(
    fake_discord: FakeDiscord, sitrep: SitrepBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_rebuild = sitrep.engine.rebuild
    release = asyncio.Event()

    async def long_rebuild() -> Any:
        await release.wait()
        return await real_rebuild()

    monkeypatch.setattr(sitrep.engine, "rebuild", long_rebuild)
    it = await admin(fake_discord, "rebuild")
    assert "Rebuilding the index in the background" in text_of(reply_of(fake_discord, it))
    sent_with_the_token = len(fake_discord.requests_to("POST", rf"/webhooks/2000/{it.token}"))
    fake_discord.token_ttl = -1.0  # the 15 minutes are over: the fake now refuses this token
    release.set()
    [done] = await wait_until(lambda: rebuilt_messages(fake_discord), 90, "the completion message")
    assert done["channel_id"] == CHANNEL_A
    assert done["content"].startswith("Index rebuilt (asked by <@9001>)")
    # Nothing more was sent with the expired token (the fixture also asserts no request was refused).
    assert len(fake_discord.requests_to("POST", rf"/webhooks/2000/{it.token}")) == sent_with_the_token


async def test_a_second_rebuild_while_one_runs_is_not_started(
    fake_discord: FakeDiscord, sitrep: SitrepBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0
    real_rebuild = sitrep.engine.rebuild
    release = asyncio.Event()

    async def counted() -> Any:
        nonlocal calls
        calls += 1
        await release.wait()  # still running when the second command comes
        return await real_rebuild()

    monkeypatch.setattr(sitrep.engine, "rebuild", counted)
    await admin(fake_discord, "rebuild")
    second = await admin(fake_discord, "rebuild")
    assert "already running" in text_of(reply_of(fake_discord, second))
    release.set()
    await wait_until(lambda: rebuilt_messages(fake_discord), 90, "the completion message")
    assert calls == 1


async def test_status(fake_discord: FakeDiscord, sitrep: SitrepBot) -> None:
    await add_file(fake_discord, "notes.txt", b"Harbour notes\n\nThe pier at Varn reopened on Monday.\n")
    it = await admin(fake_discord, "status")
    message = reply_of(fake_discord, it)
    assert it.ack_type == 5 and it.ephemeral
    [server] = message["embeds"]  # a server admin who is not the bot's owner: this server only
    assert server["description"].startswith("Sources added here: 1 source (1 uploaded file), 1 article.")
    assert "shared archive every server answers from: 55 articles from 3 sources." in server["description"]
    fields = {f["name"]: f["value"] for f in server["fields"]}
    assert fields["Index rebuild"] == "not running" and fields[
        "New posts from feeds and channels"
    ].startswith("checked off")
    owner = reply_of(fake_discord, await admin(fake_discord, "status", user_id=fake_discord.owner["id"]))
    whole = owner["embeds"][1]
    assert whole["title"] == "The whole bot (owner only)" and whole["description"].startswith(
        "4 sources, 56 articles"
    )
    assert {f["name"]: f["value"] for f in whole["fields"]}["Model"] == "all-MiniLM-L6-v2"


async def test_feeds_refresh_adds_new_entries_of_this_server_only(
    fake_discord: FakeDiscord, sitrep: SitrepBot, news_site: NewsSite
) -> None:
    news_site.pages["a.html"] = article_html(
        "Varn council approves new breakwater",
        [
            "VARN — The town council voted on Wednesday to build a new breakwater at the harbour mouth, "
            "at a cost of 12 million crowns spread over five years.",
            'Mayor Oskar Thelen said: "The storms of last winter showed that the old wall cannot protect the '
            'fishing fleet any longer."',
            "Construction is expected to begin next spring once the environmental review is complete.",
        ],
    )
    news_site.feed_items = ["a.html"]
    await add_url(fake_discord, news_site.url("feed.xml"), guild_id=GUILD_A)
    news_site.pages["b.html"] = article_html(
        "Skellholm school reopens after storm repairs",
        [
            "SKELLHOLM — The island school reopened on Monday after three months of repairs to its storm-damaged "
            "roof, the island council said.",
            'Head teacher Runa Halvik said: "The children have been patient, and now they have the best roof '
            'on the island."',
            "Pupils had been taught in the community hall since the January storm tore off part of the roof.",
        ],
    )
    news_site.feed_items.append("b.html")

    elsewhere = await admin(fake_discord, "feeds", "refresh", guild_id=GUILD_B)
    await wait_until(lambda: says_added(text_of(reply_of(fake_discord, elsewhere))), 90)
    assert "0 articles added" in text_of(reply_of(fake_discord, elsewhere))
    assert "/b.html" not in news_site.hits

    it = await admin(fake_discord, "feeds", "refresh", guild_id=GUILD_A)
    await wait_until(lambda: says_added(text_of(reply_of(fake_discord, it))), 90)
    assert "**this server's feeds**: 1 article added, 1 skipped as duplicate" in text_of(
        reply_of(fake_discord, it)
    )
    answer = await ask(
        fake_discord, "What did head teacher Runa Halvik say about the roof?", guild_id=GUILD_A
    )
    assert "the best roof" in text_of(reply_of(fake_discord, answer))


async def test_source_add_summary_after_the_token_expired_goes_to_the_channel(
    fake_discord: FakeDiscord, sitrep: SitrepBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A huge ingest can take longer than the 15-minute token: the summary then comes through the channel."""
    from datetime import timedelta

    import bot.progress

    real = sitrep.engine.ingest_bytes
    ingesting, release = asyncio.Event(), asyncio.Event()

    async def slow(*args: Any, **kwargs: Any) -> Any:
        ingesting.set()
        await release.wait()
        return await real(*args, **kwargs)

    monkeypatch.setattr(sitrep.engine, "ingest_bytes", slow)
    att = fake_discord.add_attachment(
        "late.txt", b"Late notes\n\nThe quay was reopened on Friday, officials said.\n"
    )
    it = await fake_discord.slash(
        "source",
        [{"name": "add", "type": 1, "options": [opt("file", att["id"], 11), opt("outlet", "Quay notes")]}],
        member_permissions="8192",
        resolved={"attachments": {att["id"]: att}},
    )
    await asyncio.wait_for(ingesting.wait(), 60)
    assert it.ack_type == 5
    # The 15 minutes pass during the ingest: for the bot's own reckoning and for the fake's.
    monkeypatch.setattr(bot.progress, "TOKEN_LIFETIME", timedelta(0))
    fake_discord.token_ttl = -1.0
    release.set()
    [summary] = await wait_until(lambda: fake_discord.channel_messages, 90, "the summary in the channel")
    assert summary["content"].startswith("<@9001> **late.txt**: 1 article added")
    assert it.original_edits == []  # nothing went through the expired token


OZERIN = "who reported casualties in Ozerin on March 20?"


async def test_outlet_labels_are_per_server_shown_in_answers_and_can_be_left_out(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    label = {"outlet": "OVMM Daily Bulletin", "label": "independent monitor"}
    refused = await admin(fake_discord, "label", permissions="0", options=label)
    assert text_of(reply_of(fake_discord, refused)) == "You need the Manage Server permission for that."
    it = await admin(fake_discord, "label", options=label)
    assert (
        it.ephemeral
        and text_of(reply_of(fake_discord, it))
        == "OVMM Daily Bulletin is now labelled “independent monitor”."
    )
    listed = await admin(fake_discord, "labels")
    assert "OVMM Daily Bulletin — independent monitor" in text_of(reply_of(fake_discord, listed))

    here = text_of(reply_of(fake_discord, await ask(fake_discord, OZERIN)))
    assert "OVMM Daily Bulletin (independent monitor) · 2025-03-21" in here
    elsewhere = text_of(reply_of(fake_discord, await ask(fake_discord, OZERIN, guild_id=GUILD_B)))
    assert "OVMM Daily Bulletin · 2025-03-21" in elsewhere and "independent monitor" not in elsewhere

    without = reply_of(fake_discord, await ask(fake_discord, OZERIN, exclude_label="Independent Monitor"))
    assert "OVMM Daily Bulletin" not in text_of(without)
    assert "without Independent Monitor" in without["embeds"][-1]["footer"]["text"]

    await admin(fake_discord, "unlabel", options={"outlet": "ovmm daily bulletin"})
    assert "independent monitor" not in text_of(reply_of(fake_discord, await ask(fake_discord, OZERIN)))
    missing = await admin(fake_discord, "unlabel", options={"outlet": "ovmm daily bulletin"})
    assert text_of(reply_of(fake_discord, missing)) == "'ovmm daily bulletin' has no label here."
