"""A fake t.me on 127.0.0.1: channels' public previews in Telegram's markup, paged as t.me pages them.

``/s/NAME`` is a channel's newest ``page_size`` posts, oldest first, with a "load more" link to
``/s/NAME?before=ID``; a name that is no public channel redirects to ``/NAME`` (a contact page with no
message history), as t.me does for private channels, groups and people. The posts are written for
these tests (the sample corpus's invented war), in the shapes a real channel has: a forwarded post,
an edited one, a reply, a photo with no text, a service message, emoji, a post in Russian.
"""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

from tests.loopback import serve


@dataclass
class FakePost:
    id: int
    text: str  # HTML of the message text; "" for media only
    posted: str  # ISO datetime with offset
    forwarded_from: tuple[str, str] | None = None  # (name, link)
    edited: bool = False
    reply_to: tuple[int, str] | None = None  # (post id, excerpt)
    photo: bool = False
    service: bool = False


@dataclass
class FakeChannel:
    title: str
    posts: list[FakePost] = field(default_factory=list)  # oldest first


def mod_channel() -> FakeChannel:
    """@orvenia_mod: the Orvenian Defence Ministry's channel (invented), eleven posts over three pages."""
    posts = [
        FakePost(101, "Channel created", "2025-03-10T06:00:00+00:00", service=True),
        FakePost(
            102,
            "Overnight the enemy launched 14 drones at the Ossel valley. Air defence destroyed 11 of them."
            "<br/><br/>No casualties among civilians were reported, the Ministry's press service said.",
            "2025-03-18T05:40:00+00:00",
        ),
        FakePost(
            103,
            "Zeltran artillery shelled the outskirts of Tolvik at dawn. Two residents were wounded and "
            "taken to the regional hospital, the Tolvik district administration reported.",
            "2025-03-19T07:05:00+00:00",
        ),
        FakePost(104, "", "2025-03-19T09:30:00+00:00", photo=True),
        FakePost(
            105,
            "Zeltran forces shelled the centre of Ozerin on Thursday morning. Three civilians were killed "
            "and five wounded, according to the Ozerin regional administration.",
            "2025-03-20T11:12:00+00:00",
            forwarded_from=("Ozerin Regional Administration", "https://t.me/ozerin_admin/877"),
        ),
        FakePost(
            106,
            'Minister Vell Araten: "We will not leave Ozerin without protection. Additional air defence '
            'units are already on their way." <i class="emoji" style="background-image:url(\'//telegram.'
            "org/img/emoji/40/F09F87BA.png')\"><b>\U0001f6e1</b></i>",
            "2025-03-20T15:45:00+00:00",
        ),
        FakePost(
            107,
            "Утром 21 марта противник обстрелял Озерин. По данным областной администрации, погибли "
            "два человека, ещё четверо ранены.",
            "2025-03-21T08:20:00+00:00",
        ),
        FakePost(
            108,
            "The Zeltran claim that a munitions depot was hit in Ozerin is false. The building struck on "
            "Thursday was a school, and it was empty at the time, the Ministry said.",
            "2025-03-21T12:00:00+00:00",
            reply_to=(105, "Zeltran forces shelled the centre of Ozerin on Thursday morning…"),
        ),
        FakePost(
            109,
            "Update: the number of civilians killed in the Ozerin shelling of March 20 has risen to four, "
            "the regional administration said on Saturday. \U0001f56f",
            "2025-03-22T10:30:00+00:00",
            edited=True,
        ),
        FakePost(
            110,
            "Air defence units shot down a Zeltran reconnaissance drone over the Ossel valley on Saturday "
            "evening, the Ministry said. There was no damage on the ground.",
            "2025-03-22T19:10:00+00:00",
        ),
        FakePost(
            111,
            "Sappers cleared 36 unexploded shells from the streets of Ozerin on Sunday, the State "
            "Emergency Service said. Residents were asked to report any suspicious objects.",
            "2025-03-23T13:00:00+00:00",
        ),
    ]
    return FakeChannel("Ministry of Defence of Orvenia", posts)


def _post_html(name: str, title: str, post: FakePost) -> str:
    classes = "tgme_widget_message text_not_supported_wrap js-widget_message"
    if post.service:
        classes = "tgme_widget_message service_message js-widget_message"
    time = post.posted[11:16]
    parts = []
    if post.forwarded_from:
        fwd_name, fwd_link = post.forwarded_from
        parts.append(
            '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from '
            f'<a class="tgme_widget_message_forwarded_from_name" href="{fwd_link}">'
            f'<span dir="auto">{html.escape(fwd_name)}</span></a></div>'
        )
    else:
        parts.append(
            '<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name"'
            f' href="https://t.me/{name}"><span dir="auto">{html.escape(title)}</span></a></div>'
        )
    if post.reply_to:
        reply_id, excerpt = post.reply_to
        parts.append(
            f'<a class="tgme_widget_message_reply" href="https://t.me/{name}/{reply_id}">'
            '<div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name"'
            f' dir="auto">{html.escape(title)}</span></div>'
            f'<div class="tgme_widget_message_text js-message_reply_text" dir="auto">{html.escape(excerpt)}</div></a>'
        )
    if post.photo:
        parts.append(
            f'<a class="tgme_widget_message_photo_wrap blured" href="https://t.me/{name}/{post.id}" '
            "style=\"width:800px;background-image:url('https://cdn4.telesco.pe/file/abc.jpg')\">"
            '<div class="tgme_widget_message_photo" style="padding-top:56.25%"></div></a>'
        )
    if post.text:
        parts.append(f'<div class="tgme_widget_message_text js-message_text" dir="auto">{post.text}</div>')
    edited = "edited " if post.edited else ""
    parts.append(
        '<div class="tgme_widget_message_footer compact js-message_footer">'
        '<div class="tgme_widget_message_info short js-message_info">'
        '<span class="tgme_widget_message_views">12.4K</span><span class="copyonly"> views</span>'
        f'<span class="tgme_widget_message_meta">{edited}<a class="tgme_widget_message_date" '
        f'href="https://t.me/{name}/{post.id}"><time datetime="{post.posted}" class="time">{time}</time>'
        "</a></span></div></div>"
    )
    return (
        '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
        f'<div class="{classes}" data-post="{name}/{post.id}" data-view="eyJjIjotMTAwMTIzfQ">'
        f'<div class="tgme_widget_message_user"><a href="https://t.me/{name}"></a></div>'
        f'<div class="tgme_widget_message_bubble"><i class="tgme_widget_message_bubble_tail"></i>'
        f"{''.join(parts)}</div></div></div>"
    )


def channel_page(name: str, channel: FakeChannel, posts: list[FakePost], before: int | None) -> str:
    """One page of a channel's preview, in t.me's markup."""
    more = (
        f'<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/{name}?before={before}"'
        f' class="tme_messages_more js-messages_more" data-before="{before}"></a></div>'
        if before
        else ""
    )
    prev = f'<link rel="prev" href="/s/{name}?before={before}">' if before else ""
    title = html.escape(channel.title)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'<title>{title} – Telegram</title><meta property="og:title" content="{title}">'
        f'<link rel="canonical" href="https://t.me/s/{name}">{prev}</head>'
        '<body class="widget_frame_base tgme_webpreview emoji_image">'
        '<header class="tgme_header search_collapsed"><div class="tgme_header_info">'
        f'<div class="tgme_header_title"><span dir="auto">{title}</span></div></div></header>'
        '<main class="tgme_main"><div class="tgme_container">'
        '<section class="tgme_channel_history js-message_history">'
        f"{more}{''.join(_post_html(name, channel.title, p) for p in posts)}</section></div></main>"
        '<div class="tgme_channel_info"><div class="tgme_channel_info_header">'
        f'<div class="tgme_channel_info_header_title"><span dir="auto">{title}</span></div>'
        f'<div class="tgme_channel_info_header_username"><a href="https://t.me/{name}">@{name}</a></div>'
        "</div></div></body></html>"
    )


def contact_page(name: str) -> str:
    """What t.me shows for a name with no public channel preview."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Telegram: Contact @'
        f'{name}</title></head><body class="no_transition"><div class="tgme_page_wrap">'
        '<div class="tgme_page"><div class="tgme_page_title"><span dir="auto">'
        f'{name}</span></div><div class="tgme_page_description">If you have <strong>Telegram</strong>, '
        f'you can contact <a class="tgme_username_link" href="tg://resolve?domain={name}">@{name}</a> '
        "right away.</div></div></div></body></html>"
    )


class FakeTelegram:
    """Channels by name; ``hits`` records every path asked for (with its query)."""

    def __init__(self, page_size: int = 4) -> None:
        self.channels: dict[str, FakeChannel] = {}
        self.page_size = page_size
        self.hits: list[str] = []
        self.base = ""
        self.app = web.Application()
        self.app.router.add_get("/s/{name}", self._preview)
        self.app.router.add_get("/{name}", self._contact)

    async def _preview(self, request: web.Request) -> web.Response:
        self.hits.append(request.path_qs)
        name = request.match_info["name"]
        channel = self.channels.get(name.lower())
        if channel is None:
            raise web.HTTPFound(f"/{name}")
        before = int(request.query.get("before", 0)) or None
        older = [p for p in channel.posts if before is None or p.id < before]
        page = older[-self.page_size :]
        cursor = page[0].id if page and len(older) > len(page) else None
        return web.Response(text=channel_page(name.lower(), channel, page, cursor), content_type="text/html")

    async def _contact(self, request: web.Request) -> web.Response:
        self.hits.append(request.path_qs)
        return web.Response(text=contact_page(request.match_info["name"]), content_type="text/html")


@asynccontextmanager
async def serving(telegram: FakeTelegram) -> AsyncIterator[FakeTelegram]:
    """Serve ``telegram`` on 127.0.0.1 (its ``base`` set) until the block ends."""
    async with serve(telegram.app) as base:
        telegram.base = base
        yield telegram
