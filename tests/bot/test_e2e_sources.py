"""End to end: ``/source add|list|remove``, per-server isolation and feed polling."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.client import SitrepBot
from tests.bot.conftest import NewsSite, article_html
from tests.bot.fakediscord import FakeDiscord, opt, wait_until
from tests.bot.helpers import (
    GUILD_A,
    GUILD_B,
    HARBOUR_JSONL,
    add_file,
    add_url,
    ask,
    confirm_removal,
    reply_of,
    source,
    text_of,
)
from tests.index.ingest.telegram_site import FakeTelegram

pytestmark = [pytest.mark.e2e, pytest.mark.model]

FERRY = article_html(
    "Varn ferry service suspended after pier collapse",
    [
        "VARN — Ferry crossings between Varn and the island of Skellholm were suspended on Monday after a section "
        "of the old north pier collapsed into the harbour during the night, the port authority said.",
        'Harbour master Elsa Quorn said: "No vessel will dock at the north pier until divers have inspected every '
        'pile. Passengers should expect at least three weeks of disruption."',
        "Nobody was hurt in the collapse, which happened shortly after 2 a.m. when the pier was closed to the "
        "public. Fishing boats moored nearby were moved to the southern basin as a precaution.",
        "The island council said it would charter two smaller boats to carry medicine and post to Skellholm "
        "until the ferry can sail again, and asked residents to postpone trips to the mainland.",
    ],
)
LIGHTHOUSE = article_html(
    "Skellholm lighthouse keeper retires after forty years",
    [
        "SKELLHOLM — The keeper of the Skellholm lighthouse, Anders Morlan, retired on Tuesday after forty years, "
        "and the light will from now on be run remotely from Varn, the maritime agency said.",
        'Morlan said: "I have watched every storm of the last four decades from that lamp room, and I will miss '
        'the gulls more than the stairs."',
        "The agency said the automated light would be inspected twice a year and that the keeper's cottage "
        "would be offered to the island council as housing for visiting nurses.",
    ],
)
FERRY_QUESTION = "What did harbour master Elsa Quorn say about the north pier?"


def quotes_from(message: dict[str, object], url: str) -> bool:
    return f"({url})" in text_of(message)  # type: ignore[arg-type]


async def test_source_add_url_answers_in_that_server_only(
    fake_discord: FakeDiscord, sitrep: SitrepBot, news_site: NewsSite
) -> None:
    news_site.pages["ferry.html"] = FERRY
    url = news_site.url("ferry.html")
    added = await add_url(fake_discord, url)
    assert added.ack_type == 5 and not added.ephemeral
    summary = text_of(reply_of(fake_discord, added))
    assert summary.startswith(f"**{url}**: 1 article added, 0 skipped as duplicate, 0 failed")
    assert news_site.hits == ["/ferry.html"]
    edits = [e["content"] for e in added.original_edits]
    assert edits[0].startswith(f"Adding {url}: ") and edits[-1] == summary  # progress, then the summary

    in_a = await ask(fake_discord, FERRY_QUESTION, guild_id=GUILD_A)
    assert quotes_from(reply_of(fake_discord, in_a), url)
    assert "No vessel will dock at the north pier" in text_of(reply_of(fake_discord, in_a))

    in_b = await ask(fake_discord, FERRY_QUESTION, guild_id=GUILD_B)
    assert not quotes_from(reply_of(fake_discord, in_b), url)
    # Server B's archive never mentions her: it says so, and none of server A's article shows.
    in_b_text = text_of({**reply_of(fake_discord, in_b), "content": ""})
    assert "Nothing in the archive mentions Elsa Quorn." in in_b_text
    assert "No vessel will dock" not in in_b_text and "Harbour master" not in in_b_text

    listed_a = await source(fake_discord, "list", guild_id=GUILD_A)
    listed_b = await source(fake_discord, "list", guild_id=GUILD_B)
    assert listed_a.ephemeral and url in text_of(reply_of(fake_discord, listed_a))
    assert "added by <@9001>" in text_of(reply_of(fake_discord, listed_a))
    assert "No sources yet" in text_of(reply_of(fake_discord, listed_b))


@pytest.mark.bot_settings(feed_poll_minutes=0.005)  # every 0.3 s
async def test_source_add_feed_and_polling_picks_up_new_entries(
    fake_discord: FakeDiscord, sitrep: SitrepBot, news_site: NewsSite
) -> None:
    news_site.pages["ferry.html"] = FERRY
    news_site.feed_items = ["ferry.html"]
    feed = news_site.url("feed.xml")
    added = await add_url(fake_discord, feed)
    assert "1 article added" in text_of(reply_of(fake_discord, added))
    [info] = await sitrep.engine.sources(GUILD_A)
    assert (info.kind, info.location, info.articles) == ("feed", feed, 1)

    news_site.pages["lighthouse.html"] = LIGHTHOUSE
    news_site.feed_items.append("lighthouse.html")

    async def articles() -> int:
        return sum(s.articles for s in await sitrep.engine.sources(GUILD_A))

    # The poller runs every 0.3 s; how many polls that takes depends on the machine, so wait for the
    # effect (generously) rather than for a number of polls.
    async with asyncio.timeout(120):
        while await articles() < 2:
            await asyncio.sleep(0.05)
    assert await articles() == 2
    assert "/lighthouse.html" in news_site.hits
    in_a = await ask(fake_discord, "What did the lighthouse keeper Anders Morlan say he would miss?")
    assert "miss the gulls more than the stairs" in text_of(reply_of(fake_discord, in_a))


async def test_source_add_an_attachment(fake_discord: FakeDiscord, sitrep: SitrepBot) -> None:
    added = await add_file(fake_discord, "harbour.jsonl", HARBOUR_JSONL)
    assert added.ack_type == 5
    assert "**harbour.jsonl**: 1 article added" in text_of(reply_of(fake_discord, added))
    assert fake_discord.requests_to("GET", r"^/attachments/.+/harbour\.jsonl$")  # fetched from the URL given
    [info] = await sitrep.engine.sources(GUILD_A)
    assert (info.kind, info.added_by) == ("file", "9001")
    answer = await ask(fake_discord, "What did port director Ivo Brask say about the quay?")
    assert "rebuild the quay in stone" in text_of(reply_of(fake_discord, answer))

    unsupported = await add_file(fake_discord, "photo.png", b"\x89PNG....")
    assert "1 failed" in text_of(reply_of(fake_discord, unsupported))
    assert "unsupported file type .png" in text_of(reply_of(fake_discord, unsupported))


async def test_a_text_files_outlet_date_and_link_are_given_with_it_and_cited(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    notes = (
        b"Varn quay notes\n\nHarbour master Eda Lund said the north quay would reopen to ferries on Friday.\n"
    )
    bare = await add_file(fake_discord, "quay.txt", notes, outlet=None)
    assert bare.ack_type == 4 and bare.ephemeral  # refused before anything was fetched or shown
    assert "quay.txt says nothing about where it was published: give `outlet:`" in text_of(
        reply_of(fake_discord, bare)
    )
    assert await sitrep.engine.sources(GUILD_A) == [] and not fake_discord.requests_to(
        "GET", r"^/attachments/"
    )

    added = await add_file(
        fake_discord, "quay.txt", notes, outlet="Varn Harbour Gazette", published="2025-09-05",
        link="https://varn-gazette.example/quay",
    )  # fmt: skip
    assert "1 article added" in text_of(reply_of(fake_discord, added))
    answer = text_of(
        reply_of(
            fake_discord,
            await ask(fake_discord, "What did harbour master Eda Lund say about the north quay?"),
        )
    )
    assert "Varn Harbour Gazette" in answer and "2025-09-05" in answer
    assert "(https://varn-gazette.example/quay)" in answer and "unknown outlet" not in answer


async def test_only_members_with_manage_messages_may_add(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    refused = await add_file(fake_discord, "notes.txt", b"Some text.", permissions="0")
    assert refused.ack_type == 4 and refused.ephemeral
    assert "Only members with Manage Messages can add" in text_of(reply_of(fake_discord, refused))
    assert fake_discord.requests_to("GET", r"^/attachments/") == []
    admin = await add_file(
        fake_discord, "notes.txt", b"Admins may always add sources.\n", permissions=str(1 << 3)
    )
    assert admin.ack_type == 5
    assert await sitrep.engine.sources(GUILD_A) != []


@pytest.mark.bot_settings(allow_private_urls=False)
async def test_local_paths_and_private_addresses_are_refused(
    fake_discord: FakeDiscord, sitrep: SitrepBot, news_site: NewsSite
) -> None:
    for location in ("/etc/passwd", "file:///etc/passwd", "samples/corpus"):
        it = await source(fake_discord, "add", opt("url", location))
        assert it.ack_type == 4 and it.ephemeral
        assert "Give a full http:// or https:// link" in text_of(reply_of(fake_discord, it))
    news_site.pages["ferry.html"] = FERRY
    private = await source(fake_discord, "add", opt("url", news_site.url("ferry.html")))
    # Refused privately as the first response: no public "thinking…" was shown for a bad address.
    assert private.ack_type == 4 and private.ephemeral and not private.followups
    assert "not a public address" in text_of(reply_of(fake_discord, private))
    assert news_site.hits == [] and await sitrep.engine.sources(GUILD_A) == []


async def test_usage_errors_are_explained(fake_discord: FakeDiscord, sitrep: SitrepBot) -> None:
    neither = await source(fake_discord, "add")
    assert neither.ephemeral and "either a `url` or a `file`" in text_of(reply_of(fake_discord, neither))
    bad_id = await source(fake_discord, "remove", opt("source", "reuters"))
    assert bad_id.ephemeral and "Pick a source from the list" in text_of(reply_of(fake_discord, bad_id))


async def test_remove_with_autocomplete_is_per_server(fake_discord: FakeDiscord, sitrep: SitrepBot) -> None:
    await add_file(fake_discord, "a.txt", b"Guild A's own notes about the harbour.\n", guild_id=GUILD_A)
    await add_file(fake_discord, "b.txt", b"Guild B's own notes about the lighthouse.\n", guild_id=GUILD_B)
    [mine] = await sitrep.engine.sources(GUILD_A)

    typed = [{"name": "remove", "type": 1, "options": [opt("source", "", focused=True)]}]
    in_a = await fake_discord.autocomplete("source", typed, guild_id=GUILD_A, member_permissions="8192")
    in_b = await fake_discord.autocomplete("source", typed, guild_id=GUILD_B, member_permissions="8192")
    await wait_until(lambda: in_a.choices is not None and in_b.choices is not None, 60, "autocomplete")
    assert in_a.ack_type == 8 and in_a.choices == [
        {"name": f"#{mine.id} file: upload:a.txt (1 article)", "value": str(mine.id)}
    ]
    assert in_b.choices is not None and all("a.txt" not in c["name"] for c in in_b.choices)

    elsewhere = await source(fake_discord, "remove", opt("source", str(mine.id)), guild_id=GUILD_B)
    await wait_until(lambda: elsewhere.followups, 60)
    assert elsewhere.followups[0]["flags"] & 64
    assert f"no source #{mine.id} in this server" in elsewhere.followups[0]["content"]
    assert [s.id for s in await sitrep.engine.sources(GUILD_A)] == [mine.id]

    asked = await source(fake_discord, "remove", opt("source", str(mine.id)), guild_id=GUILD_A)
    question = text_of(reply_of(fake_discord, asked))
    assert f"Remove source #{mine.id} (file: upload:a.txt) and its 1 article from this server" in question
    kept = await confirm_removal(fake_discord, asked, label="Cancel")
    assert kept.ack_type == 7 and fake_discord.current(reply_of(fake_discord, asked))["content"] == (
        f"Kept source #{mine.id}."
    )
    assert [s.id for s in await sitrep.engine.sources(GUILD_A)] == [mine.id]  # nothing removed yet

    asked = await source(fake_discord, "remove", opt("source", str(mine.id)), guild_id=GUILD_A)
    removed = await confirm_removal(fake_discord, asked)
    notice = removed.followups[0]
    assert notice["content"] == f"Removed source #{mine.id} and its 1 article." and not notice["flags"] & 64
    assert await sitrep.engine.sources(GUILD_A) == []


@pytest.mark.bot_settings(source_add_rate="1/300")
async def test_adding_too_often_is_refused_with_the_wait(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    first = await add_file(fake_discord, "one.txt", b"First notes.\n\nThe quay reopened on Friday.\n")
    assert first.ack_type == 5
    second = await add_file(fake_discord, "two.txt", b"Second notes.\n")
    assert second.ack_type == 4 and second.ephemeral
    assert re.search(r"try again in \d+ s\.$", text_of(reply_of(fake_discord, second)))
    assert len(await sitrep.engine.sources(GUILD_A)) == 1


async def test_source_add_a_telegram_channel(
    fake_discord: FakeDiscord, sitrep: SitrepBot, fake_telegram: FakeTelegram
) -> None:
    sitrep.engine.ingestor.telegram_base_url = fake_telegram.base
    added = await add_url(fake_discord, "t.me/Orvenia_MoD")
    summary = text_of(reply_of(fake_discord, added))
    assert summary.startswith(
        "**https://t.me/s/orvenia_mod**: 9 articles added, 0 skipped as duplicate, 0 failed"
    )
    [info] = await sitrep.engine.sources(GUILD_A)
    assert (info.kind, info.location, info.added_by) == ("telegram", "https://t.me/s/orvenia_mod", "9001")

    answer = text_of(
        reply_of(fake_discord, await ask(fake_discord, "How many unexploded shells did sappers clear?"))
    )
    assert "Sappers cleared 36 unexploded shells from the streets of Ozerin on Sunday" in answer
    assert "(https://t.me/orvenia_mod/111)" in answer  # the post's own link, not the host that served it
    assert "Ministry of Defence of Orvenia" in answer

    # Quoted as posted, in Russian, and said to be: never a translation presented as the words.
    russian = text_of(reply_of(fake_discord, await ask(fake_discord, "Кто обстрелял Озерин 21 марта?")))
    assert "Утром 21 марта противник обстрелял Озерин." in russian
    assert "(https://t.me/orvenia_mod/107)" in russian and "in Russian" in russian

    missing = await add_url(fake_discord, "tg:nobody_here")
    assert "no public posts" in text_of(reply_of(fake_discord, missing))
    assert len(await sitrep.engine.sources(GUILD_A)) == 1
