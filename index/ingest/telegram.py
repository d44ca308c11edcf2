"""Public Telegram channels as sources: their addresses, and their posts collected as articles.

``t.me/s/CHANNEL``, ``t.me/CHANNEL``, ``https://telegram.me/CHANNEL`` and ``tg:CHANNEL`` name a
channel; ``t.me/CHANNEL/ID`` one post of it. Posts are read from the channel's public web preview,
newest page first, paging back with ``?before=ID`` until a page holds a post the store already has
(a poll reads only what is new) or ``MAX_POSTS`` are read. Each post is one article: its own text,
the day it was posted, ``https://t.me/CHANNEL/ID`` as its link whatever host served the page (tests
serve the preview from loopback through ``SITREP_TELEGRAM_BASE_URL``), and the channel's title as
the outlet. Its title says the post's number and time, and "forwarded from …" or "edited" where the
preview says so: a forwarded post's words are the original channel's, not the forwarder's.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from index.errors import SourceError
from index.ingest.collect import Collected
from index.ingest.fetching import Fetcher
from index.ingest.sniffing import refuse_binary
from index.ingest.telegram_pages import ChannelPage, Post, parse_page
from index.models import Failure, Fetched, RawArticle

DEFAULT_BASE_URL = "https://t.me"
# Pages of about twenty posts: a first read of a busy channel stops at its newest 500 posts, like a
# feed's entries per poll, so one /source add can't fetch a channel's whole history.
MAX_POSTS = 500
MAX_PAGES = 40  # pages of deleted or media-only posts hold fewer; still bounded

# Telegram usernames: 5-32 letters, digits and underscores, starting with a letter. Four-letter
# names exist for a few old accounts, hence {3,31}.
_NAME = r"(?P<name>[A-Za-z][A-Za-z0-9_]{3,31})"
_ADDRESS = re.compile(
    rf"^(?:tg:|(?:https?://)?(?:www\.)?(?:t|telegram)\.me/(?:s/)?){_NAME}(?:/(?P<post>\d+))?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
# Paths of t.me that are not channels: joinchat/+invite links (private), stickers, proxies, bots' pages.
_NOT_CHANNELS = {
    "joinchat",
    "addstickers",
    "addemoji",
    "proxy",
    "socks",
    "share",
    "iv",
    "login",
    "setlanguage",
}

_POST_ID_PREFIX = "tg:"

Known = Callable[[list[str]], Awaitable[set[str]]]


@dataclass(frozen=True)
class Channel:
    """A channel, or one post of it, as a SOURCE names it."""

    name: str  # lower case: usernames are case-insensitive, and sources are unique by location
    post: int | None = None

    @property
    def location(self) -> str:
        """The source's canonical location: ``https://t.me/s/NAME`` (or ``https://t.me/NAME/ID``)."""
        return f"https://t.me/{self.name}/{self.post}" if self.post else f"https://t.me/s/{self.name}"


def channel_of(location: str) -> Channel | None:
    """The Telegram channel (or post) a SOURCE names; None if it names no channel."""
    found = _ADDRESS.match(location.strip())
    if found is None or found.group("name").lower() in _NOT_CHANNELS:
        return None
    post = found.group("post")
    return Channel(found.group("name").lower(), int(post) if post else None)


def post_id(channel: str, number: int) -> str:
    """The article id of a post: stable across polls, so a poll knows which posts it has."""
    return f"{_POST_ID_PREFIX}{channel.lower()}/{number}"


def is_post_id(article_id: str) -> bool:
    """Whether an article id is a Telegram post's first version (``post_id``)."""
    return article_id.startswith(_POST_ID_PREFIX) and "@" not in article_id


async def collect_channel(
    channel: Channel, fetcher: Fetcher, *, base_url: str = DEFAULT_BASE_URL, known: Known | None = None
) -> Collected:
    """Read a channel's posts, newest first, into articles (oldest first, as they were posted).

    Args:
        channel: what ``channel_of`` read from the SOURCE.
        fetcher: the HTTP fetcher (its address rules apply to ``base_url`` like to any URL).
        base_url: where the preview is served (``https://t.me``; loopback in tests).
        known: which of some article ids the store already holds; paging stops at the first page
            with one of them (a poll reads only new posts). None reads up to ``MAX_POSTS``.

    Raises:
        SourceError: the channel has no public preview (it doesn't exist, is private, or isn't a
            channel), or the post asked for isn't in it.
    """
    collected = Collected(kind="url" if channel.post else "telegram", location=channel.location)
    base = base_url.rstrip("/")
    before = channel.post + 1 if channel.post else None
    title: str | None = None
    posts: dict[int, Post] = {}
    pages: dict[int, Fetched] = {}  # each post's page, archived with it
    for _ in range(MAX_PAGES):
        page, fetched = await _page(channel, fetcher, base, before)
        title = title or page.title
        fresh = [p for p in page.posts if p.id not in posts]
        posts.update((p.id, p) for p in fresh)
        pages.update((p.id, fetched) for p in fresh)
        if channel.post is not None:
            break
        if known is not None and fresh and await known([post_id(p.channel, p.id) for p in fresh]):
            break  # this page reaches posts stored before: everything older was read then
        if page.before is None or not fresh or len(posts) >= MAX_POSTS:
            break
        before = page.before
    if channel.post is not None:
        if channel.post not in posts:
            raise SourceError(
                f"t.me/{channel.name}/{channel.post}: no such post in the channel's public preview "
                "(deleted, or the number is wrong)"
            )
        posts = {channel.post: posts[channel.post]}
    newest = sorted(posts.values(), key=lambda p: p.id, reverse=True)
    if len(newest) > MAX_POSTS:
        collected.failures.append(
            Failure(
                channel.location,
                f"read the newest {MAX_POSTS:,} posts; posts before #{newest[MAX_POSTS - 1].id} are not read",
            )
        )
        newest = newest[:MAX_POSTS]
    outlet = title or f"t.me/{channel.name}"
    for post in reversed(newest):
        if post.text:  # a photo or video alone has nothing to quote
            collected.articles.append(
                (_article(post, outlet, pages[post.id]), "page" if post.posted else None)
            )
    return collected


async def _page(
    channel: Channel, fetcher: Fetcher, base: str, before: int | None
) -> tuple[ChannelPage, Fetched]:
    url = f"{base}/s/{channel.name}" + (f"?before={before}" if before else "")
    fetched = await fetcher.fetch(url)
    refuse_binary(fetched.data, url)
    page = parse_page(fetched.data)
    if page is None:
        raise SourceError(
            f"t.me/{channel.name}: Telegram shows no public posts for this name: the channel doesn't "
            "exist, is private, or is a person or group, not a channel (check https://t.me/s/"
            f"{channel.name} in a browser)"
        )
    return page, fetched


def _article(post: Post, outlet: str, page: Fetched) -> RawArticle:
    """A post as an article, archived with the ``page`` it was read from; its title carries what the
    preview says about it besides its text."""
    parts = [f"Telegram post {post.id}"]
    if post.posted is not None:
        parts.append(post.posted.strftime("%H:%M UTC"))
    if post.forwarded_from:
        parts.append(f"forwarded from {post.forwarded_from}")
    if post.edited:
        parts.append("edited")
    return RawArticle(
        text=post.text,
        title=", ".join(parts),
        outlet=outlet,
        url=post.link,
        published=post.posted.date() if post.posted else None,
        id=post_id(post.channel, post.id),
        fetched=page,
    )
