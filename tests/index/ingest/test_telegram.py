"""Telegram channels: addresses, the preview's markup, and ingest and polling over real HTTP from a fake
t.me on loopback (``telegram_site``), into both stores."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from index.engine import Engine
from index.ingest import telegram
from index.ingest.telegram import Channel, channel_of, post_id
from index.ingest.telegram_pages import parse_page
from index.models import Article
from tests.conftest import FakeEmbedder
from tests.index.ingest.telegram_site import (
    FakePost,
    FakeTelegram,
    channel_page,
    contact_page,
    mod_channel,
)

TEXT_POSTS = [102, 103, 105, 106, 107, 108, 109, 110, 111]  # 101 is a service message, 104 a photo alone


@pytest.mark.parametrize(
    ("location", "channel"),
    [
        ("https://t.me/s/orvenia_mod", Channel("orvenia_mod")),
        ("t.me/s/Orvenia_MoD", Channel("orvenia_mod")),
        ("t.me/orvenia_mod", Channel("orvenia_mod")),
        ("http://telegram.me/orvenia_mod/", Channel("orvenia_mod")),
        ("https://www.t.me/s/orvenia_mod?before=50", Channel("orvenia_mod")),
        ("tg:orvenia_mod", Channel("orvenia_mod")),
        ("  https://t.me/orvenia_mod/105  ", Channel("orvenia_mod", 105)),
        ("https://t.me/s/orvenia_mod/105", Channel("orvenia_mod", 105)),
    ],
)
def test_channel_addresses_are_recognised(location: str, channel: Channel) -> None:
    assert channel_of(location) == channel


@pytest.mark.parametrize(
    "location",
    [
        "https://t.me/joinchat/AAAAAEk",  # an invite link: private
        "https://t.me/+AbCdEfGh",
        "https://t.me/abc",  # too short for a username
        "https://example.com/s/orvenia_mod",
        "https://t.me.example.com/s/orvenia_mod",
        "tg:1orvenia",  # usernames start with a letter
        "/tmp/t.me/orvenia_mod.txt",
        "reports.jsonl",
    ],
)
def test_other_locations_are_not_channels(location: str) -> None:
    assert channel_of(location) is None


def test_canonical_locations_and_post_ids() -> None:
    assert Channel("orvenia_mod").location == "https://t.me/s/orvenia_mod"
    assert Channel("orvenia_mod", 105).location == "https://t.me/orvenia_mod/105"
    assert post_id("Orvenia_MoD", 105) == "tg:orvenia_mod/105"


def test_a_page_is_read_as_its_posts_say() -> None:
    channel = mod_channel()
    page = parse_page(channel_page("orvenia_mod", channel, channel.posts[:8], 101).encode())
    assert page is not None
    assert page.title == "Ministry of Defence of Orvenia"
    assert page.before == 101
    posts = {p.id: p for p in page.posts}
    assert sorted(posts) == [102, 103, 104, 105, 106, 107, 108]  # 101 is a service message
    assert posts[104].text == ""  # a photo alone
    assert posts[105].forwarded_from == "Ozerin Regional Administration"
    assert posts[105].forwarded_link == "https://t.me/ozerin_admin/877"
    assert posts[105].posted == datetime(2025, 3, 20, 11, 12, tzinfo=UTC)
    assert posts[106].text.endswith('already on their way." \U0001f6e1')  # the emoji's character kept
    assert posts[107].text.startswith("Утром 21 марта противник обстрелял Озерин.")
    # A reply's excerpt of the post it answers is not the reply's own text.
    assert posts[108].text.startswith("The Zeltran claim that a munitions depot was hit")
    assert "shelled the centre" not in posts[108].text
    assert not any(p.edited for p in posts.values())
    assert posts[105].link == "https://t.me/orvenia_mod/105"


def test_line_breaks_and_edits_are_kept() -> None:
    channel = mod_channel()
    page = parse_page(
        channel_page("orvenia_mod", channel, [channel.posts[1], channel.posts[8]], None).encode()
    )
    assert page is not None and page.before is None
    first, edited = page.posts
    assert first.text.split("\n") == [
        "Overnight the enemy launched 14 drones at the Ossel valley. Air defence destroyed 11 of them.",
        "",
        "No casualties among civilians were reported, the Ministry's press service said.",
    ]
    assert edited.edited and not first.edited


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        contact_page("nobody_here").encode(),
        b"<html><body><p>Not Telegram</p></body></html>",
        b"\xff\xfe<",
    ],
)
def test_pages_that_are_no_channel_preview(data: bytes) -> None:
    assert parse_page(data) is None


async def _engine(tmp_path: Path, site: FakeTelegram, database_url: str | None = None) -> Engine:
    return await Engine.open(
        tmp_path / "data",
        embedder=FakeEmbedder(),
        public_urls_only=False,
        telegram_base_url=site.base,
        database_url=database_url,
    )


async def _articles(engine: Engine) -> dict[str, Article]:
    stats = await engine.stats()
    rows = await engine.store.articles.by_rowid(list(range(1, stats.articles + 10)))
    return {a.id: a for a in rows.values()}


async def test_a_channel_is_ingested_post_by_post(
    fake_telegram: FakeTelegram, tmp_path: Path, database_url: str | None
) -> None:
    engine = await _engine(tmp_path, fake_telegram, database_url)
    try:
        report = await engine.ingest(["https://t.me/s/orvenia_mod"])
        assert (report.added, report.failed) == (len(TEXT_POSTS), [])
        # Newest page first, then back through the "load more" cursor to the channel's first post.
        assert fake_telegram.hits == [
            "/s/orvenia_mod",
            "/s/orvenia_mod?before=108",
            "/s/orvenia_mod?before=104",
        ]
        (source,) = await engine.sources()
        assert (source.kind, source.location, source.articles) == (
            "telegram",
            "https://t.me/s/orvenia_mod",
            len(TEXT_POSTS),
        )
        articles = await _articles(engine)
        assert sorted(articles) == sorted(post_id("orvenia_mod", n) for n in TEXT_POSTS)
        forwarded = articles["tg:orvenia_mod/105"]
        assert forwarded.url == "https://t.me/orvenia_mod/105"  # canonical, not the loopback host
        assert forwarded.outlet == "Ministry of Defence of Orvenia"
        assert forwarded.published == date(2025, 3, 20)
        assert forwarded.published_from == "page"
        assert (
            forwarded.title == "Telegram post 105, 11:12 UTC, forwarded from Ozerin Regional Administration"
        )
        assert forwarded.text.startswith("Zeltran forces shelled the centre of Ozerin on Thursday morning.")
        assert articles["tg:orvenia_mod/109"].title == "Telegram post 109, 10:30 UTC, edited"
        assert articles["tg:orvenia_mod/107"].language == "ru"
        assert articles["tg:orvenia_mod/102"].language == "en"
        assert "\U0001f6e1" in articles["tg:orvenia_mod/106"].text
        assert (await engine.stats()).languages == (("en", 8), ("ru", 1))
    finally:
        await engine.close()


async def test_polling_reads_only_new_posts_and_keeps_edits_as_versions(
    fake_telegram: FakeTelegram, tmp_path: Path, database_url: str | None
) -> None:
    engine = await _engine(tmp_path, fake_telegram, database_url)
    try:
        await engine.ingest(["tg:orvenia_mod"])
        fake_telegram.hits.clear()

        quiet = await engine.refresh_feeds()
        assert (quiet.added, quiet.duplicates, quiet.failed) == (0, 4, [])
        assert fake_telegram.hits == ["/s/orvenia_mod"]  # the newest page holds known posts: stop there

        channel = fake_telegram.channels["orvenia_mod"]
        channel.posts.append(
            FakePost(
                112,
                "Two Zeltran drones struck a grain store near Tolvik on Monday night; nobody was hurt, "
                "the district administration said.",
                "2025-03-24T22:15:00+00:00",
            )
        )
        old = channel.posts[9]
        assert old.id == 110
        channel.posts[9] = FakePost(
            110,
            "Air defence units shot down two Zeltran reconnaissance drones over the Ossel valley on Saturday "
            "evening, the Ministry said. There was no damage on the ground.",
            old.posted,
            edited=True,
        )
        fake_telegram.hits.clear()
        report = await engine.refresh_feeds()
        assert (report.added, report.edited, report.failed) == (2, 1, [])
        assert fake_telegram.hits == ["/s/orvenia_mod"]
        assert "1 of them edited posts" in report.summary()

        articles = await _articles(engine)
        versions = sorted(a for a in articles if a.startswith("tg:orvenia_mod/110"))
        assert len(versions) == 2 and versions[0] == "tg:orvenia_mod/110"  # the first text stays
        edited = articles[versions[1]]
        assert "two Zeltran reconnaissance drones" in edited.text and edited.title.endswith("edited")
        assert edited.url == "https://t.me/orvenia_mod/110"
        assert "tg:orvenia_mod/112" in articles

        again = await engine.refresh_feeds()
        assert (again.added, again.edited) == (0, 0)  # the edit is stored once
    finally:
        await engine.close()


async def test_one_post_by_its_link(fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    engine = await _engine(tmp_path, fake_telegram)
    try:
        report = await engine.ingest(["https://t.me/orvenia_mod/105"])
        assert (report.added, report.failed) == (1, [])
        assert fake_telegram.hits == ["/s/orvenia_mod?before=106"]
        (source,) = await engine.sources()
        assert (source.kind, source.location) == ("url", "https://t.me/orvenia_mod/105")
        assert [s.kind for s in await engine.store.sources.feeds()] == []  # one post is not polled

        gone = await engine.ingest(["https://t.me/orvenia_mod/104"])  # a photo alone: nothing to quote
        assert (gone.added, gone.failed) == (0, [])
        missing = await engine.ingest(["https://t.me/orvenia_mod/999"])
        assert missing.added == 0
        (failure,) = missing.failed
        assert "no such post" in failure.reason
    finally:
        await engine.close()


async def test_a_name_with_no_public_channel_says_so_and_stores_nothing(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    engine = await _engine(tmp_path, fake_telegram)
    try:
        report = await engine.ingest(["t.me/s/nobody_here"])
        assert report.added == 0
        (failure,) = report.failed
        assert failure.location == "t.me/s/nobody_here"
        assert "no public posts" in failure.reason and "private" in failure.reason
        assert fake_telegram.hits == ["/s/nobody_here", "/nobody_here"]  # t.me's redirect was followed
        assert await engine.sources() == []
        assert (await engine.stats()).articles == 0
    finally:
        await engine.close()


async def test_a_first_read_is_bounded(
    fake_telegram: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(telegram, "MAX_POSTS", 5)
    engine = await _engine(tmp_path, fake_telegram)
    try:
        report = await engine.ingest(["tg:orvenia_mod"])
        assert len(fake_telegram.hits) == 2  # 8 posts read, then no further page
        (failure,) = report.failed
        assert "newest 5 posts" in failure.reason and "before #107" in failure.reason
        articles = await _articles(engine)
        assert sorted(articles) == [post_id("orvenia_mod", n) for n in (107, 108, 109, 110, 111)]
    finally:
        await engine.close()


async def test_the_address_rules_apply_to_the_preview_host(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    engine = await Engine.open(
        tmp_path / "data", embedder=FakeEmbedder(), telegram_base_url=fake_telegram.base
    )
    try:
        report = await engine.ingest(["tg:orvenia_mod"])
        assert report.added == 0 and fake_telegram.hits == []
        (failure,) = report.failed
        assert "not a public address" in failure.reason or "public" in failure.reason
    finally:
        await engine.close()
