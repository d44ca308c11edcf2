"""Fixtures for the bot tests: the fake Discord on 127.0.0.1, with discord.py pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest
import yarl
from aiohttp import web

from bot.client import SitrepBot, create_bot
from bot.config import BotSettings
from bot.runner import LocalRunner
from index.engine import Engine
from tests.bot.fakediscord import FakeDiscord, connected
from tests.loopback import serve


@pytest.fixture
async def fake_discord(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> AsyncIterator[FakeDiscord]:
    """A fresh fake Discord; discord.py's REST base and gateway URL point at it for the test.

    ``@pytest.mark.fake_discord(**kwargs)`` passes options to ``FakeDiscord`` (e.g. a short heartbeat).
    """
    marker = request.node.get_closest_marker("fake_discord")
    fake = FakeDiscord(**(marker.kwargs if marker else {}))
    await fake.start()
    # Set the attributes, don't replace the classes: webhook/async_.py imported Route by name (doc §2.2).
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.ws_url))
    yield fake
    await fake.close()


# -- the production bot over the real engine, connected to the fake -----------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "bot_settings(**values): BotSettings overrides for the `sitrep` fixture"
    )
    config.addinivalue_line(
        "markers", "fake_discord(**options): FakeDiscord options for the `fake_discord` fixture"
    )


def settings_for(fake: FakeDiscord, **overrides: Any) -> BotSettings:
    """Test settings: no .env, no rate limits, loopback URLs allowed, no feed or watch polling (unless overridden)."""
    values: dict[str, Any] = {
        "token": fake.token,
        "guild_id": None,
        "sync_commands": True,
        "source_managers": "manage_messages",
        "ask_rate": "off",
        "source_add_rate": "off",
        "feed_poll_minutes": 0,
        "watch_poll_seconds": 0,
        "allow_private_urls": True,
        "max_upload_mb": 5,
    }
    values.update(overrides)
    return BotSettings(_env_file=None, **values)


@pytest.fixture
async def sitrep(
    fake_discord: FakeDiscord, sample_engine: Engine, request: pytest.FixtureRequest
) -> AsyncIterator[SitrepBot]:
    """The production bot (``create_bot``) over a real engine on a copy of the sample corpus, connected.

    Afterwards the fake must have seen no unknown route, no rejected request and no ping.
    """
    marker = request.node.get_closest_marker("bot_settings")
    settings = settings_for(fake_discord, **(marker.kwargs if marker else {}))
    bot = create_bot(sample_engine, LocalRunner(sample_engine), settings, guild_ready_timeout=0.05)
    async with connected(bot, fake_discord):
        yield bot
    fake_discord.assert_clean()


# -- stores for `python -m bot` processes --------------------------------------------------------------


# -- a news site on 127.0.0.1 for /source add url: ----------------------------------------------------


class NewsSite:
    """Article pages and an RSS feed; tests add entries to ``feed_items`` to model new stories."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.feed_items: list[str] = []  # page paths, newest last
        self.hits: list[str] = []
        self.base = ""
        self.app = web.Application()
        self.app.router.add_get("/feed.xml", self._feed)
        self.app.router.add_get("/{path:.+}", self._page)

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"

    async def _page(self, request: web.Request) -> web.Response:
        self.hits.append(request.path)
        html = self.pages.get(request.match_info["path"])
        if html is None:
            return web.Response(status=404, text="not found")
        return web.Response(text=html, content_type="text/html")

    async def _feed(self, request: web.Request) -> web.Response:
        self.hits.append(request.path)
        items = "".join(
            f"<item><title>{self.pages[p].split('<title>')[1].split('</title>')[0]}</title>"
            f"<link>{self.url(p)}</link><guid>{self.url(p)}</guid>"
            f"<pubDate>Mon, 0{n + 1} Sep 2025 10:00:00 GMT</pubDate></item>"
            for n, p in enumerate(self.feed_items)
        )
        rss = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Varn Harbour Gazette</title><link>{self.base}/</link>"
            f"<description>Local news</description>{items}</channel></rss>"
        )
        return web.Response(text=rss, content_type="application/rss+xml")


def article_html(title: str, paragraphs: list[str], published: str = "2025-09-01") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        f'<meta property="og:site_name" content="Varn Harbour Gazette">'
        f'<meta property="article:published_time" content="{published}T08:00:00Z"></head>'
        f"<body><nav>Home | World | Sport</nav><article><h1>{title}</h1>{body}</article>"
        f"<footer>© Varn Harbour Gazette</footer></body></html>"
    )


@pytest.fixture
async def news_site() -> AsyncIterator[NewsSite]:
    site = NewsSite()
    async with serve(site.app) as site.base:
        yield site
