"""Telegram's public channel preview (``t.me/s/CHANNEL``) read into posts: the markup, nothing else.

The page lists a channel's newest posts (about twenty), oldest first, each a
``div.tgme_widget_message`` whose ``data-post`` is ``CHANNEL/ID``; the "load more" link
(``a.tme_messages_more``, ``data-before``) pages backwards. A post's own words are the
``tgme_widget_message_text`` of its bubble: the same class inside a reply's excerpt or a link preview
is someone else's text and is left out. A channel that doesn't exist, is private, or isn't a channel
has no such page (Telegram redirects to ``t.me/CHANNEL``), which ``parse_page`` reports as ``None``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree
from lxml import html as lxml_html

from index.ingest.sniffing import decode_text


def _has_class(name: str) -> str:
    """An XPath test for one class among an element's classes (``contains(@class, …)`` would also
    match ``tgme_widget_message_wrap`` for ``tgme_widget_message``)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_MESSAGES = f"//div[{_has_class('tgme_widget_message')}][@data-post]"
# The post's own text: not a replied-to post's excerpt, not a link preview's description.
_OWN_TEXT = (
    f".//div[{_has_class('tgme_widget_message_text')}]"
    f"[not(ancestor::*[{_has_class('tgme_widget_message_reply')}])]"
    f"[not(ancestor::*[{_has_class('tgme_widget_message_link_preview')}])]"
)
_DATE = f".//a[{_has_class('tgme_widget_message_date')}]"
_META = f".//*[{_has_class('tgme_widget_message_meta')}]"
_FORWARDED = f".//*[{_has_class('tgme_widget_message_forwarded_from_name')}]"
_SERVICE = f".//*[{_has_class('service_message')}]"
_HISTORY = f"//*[{_has_class('tgme_channel_history')}]"
_TITLE = f"//*[{_has_class('tgme_channel_info_header_title')}]"
_MORE = f"//a[{_has_class('tme_messages_more')}][@data-before]/@data-before"
_PREV = "//link[@rel='prev']/@href"
_BEFORE = re.compile(r"[?&]before=(\d+)")


@dataclass(frozen=True)
class Post:
    """One channel post as the preview shows it."""

    channel: str  # as the channel spells itself in data-post
    id: int
    text: str  # "" for a post with only media
    posted: datetime | None  # UTC
    forwarded_from: str | None  # the original channel's or person's name
    forwarded_link: str | None  # the original post's link, where the preview gives one
    edited: bool

    @property
    def link(self) -> str:
        """The post's canonical address, ``https://t.me/CHANNEL/ID`` (whatever host served the page)."""
        return f"https://t.me/{self.channel}/{self.id}"


@dataclass(frozen=True)
class ChannelPage:
    """One page of a channel's preview."""

    title: str | None
    posts: list[Post]
    before: int | None  # the cursor of the next, older page; None at the channel's first post


def parse_page(data: bytes) -> ChannelPage | None:
    """Read a ``t.me/s/CHANNEL`` page; None if it is not a channel's public preview.

    Service messages ("channel photo updated", "pinned a message") are not posts anyone wrote and are
    skipped; posts with only media come back with empty text (the caller decides).
    """
    text = decode_text(data).strip()
    if not text:
        return None
    try:
        doc = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None
    if not doc.xpath(_HISTORY):
        return None
    posts = [post for node in doc.xpath(_MESSAGES) if (post := _post(node)) is not None]
    return ChannelPage(title=_first_text(doc.xpath(_TITLE)), posts=posts, before=_cursor(doc))


def _post(node: lxml_html.HtmlElement) -> Post | None:
    channel, _, number = (node.get("data-post") or "").rpartition("/")
    service = "service_message" in (node.get("class") or "").split() or node.xpath(_SERVICE)
    if not channel or not number.isdigit() or service:
        return None
    own = node.xpath(_OWN_TEXT)
    forwarded = node.xpath(_FORWARDED)
    return Post(
        channel=channel,
        id=int(number),
        text=_message_text(own[0]) if own else "",
        posted=_posted(node),
        forwarded_from=_first_text(forwarded),
        forwarded_link=(forwarded[0].get("href") or None) if forwarded else None,
        edited=any(meta.text_content().strip().lower().startswith("edited") for meta in node.xpath(_META)),
    )


def _message_text(node: lxml_html.HtmlElement) -> str:
    """The text as the reader sees it: ``<br>`` is a line break, emoji images keep their character."""
    node = copy.deepcopy(node)  # the page keeps its own: br tails change below
    for br in node.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = [" ".join(line.split()) for line in node.text_content().splitlines()]
    return "\n".join(lines).strip()


def _posted(node: lxml_html.HtmlElement) -> datetime | None:
    for value in node.xpath(f"{_DATE}//time/@datetime"):
        try:
            when = datetime.fromisoformat(str(value))
        except ValueError:
            continue
        return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
    return None


def _cursor(doc: lxml_html.HtmlElement) -> int | None:
    for value in doc.xpath(_MORE):
        if str(value).isdigit():
            return int(value)
    for href in doc.xpath(_PREV):
        found = _BEFORE.search(str(href))
        if found:
            return int(found.group(1))
    return None


def _first_text(nodes: list[lxml_html.HtmlElement]) -> str | None:
    for node in nodes:
        text = " ".join(node.text_content().split())
        if text:
            return text
    return None
