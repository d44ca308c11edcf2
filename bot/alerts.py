"""What watches and digests post: an alert per watch and poll, the server's watch list, and notices.

Every text from a source or a user is escaped (no markdown, no mentions); every message stays within
Discord's limits (2,000 characters of content, 6,000 of embeds, 10 embeds).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import discord

from bot.formatting import (
    COLOUR,
    CONTENT_MAX,
    DESCRIPTION_MAX,
    DISAGREEMENT_LINE_MAX,
    MESSAGE_EMBEDS_MAX,
    PAGE_BUDGET,
    escape,
    fit,
    no_pings,
    plain,
    render_quote,
)
from index.answering.disagreement import describe
from index.dates.event_dates import describe_days
from index.digest import build_digest, digest_pages
from index.models import GLOBAL_SCOPE, Quote, Watch
from index.watching.matching import Alert
from index.watching.schedule import digest_window

if TYPE_CHECKING:
    from index.engine import Engine

QUERY_SHOWN = 200
CONTRADICTIONS_SHOWN = 3
BUSY_ALERTS = 10  # posts in a day after which a watch suggests narrowing it


def query_text(query: str) -> str:
    """A watch's question as shown: escaped, on one line, cut to ``QUERY_SHOWN`` characters."""
    return "“" + plain(query, QUERY_SHOWN) + "”"


def _event_title(day: date | None) -> str:
    return describe_days((day,)) if day else "Undated"


def render_alert(alert: Alert, *, posts_today: int = 0) -> tuple[str, list[discord.Embed]]:
    """An alert's message: what the watch asked and how many new articles answer it, where they
    contradict earlier claims, then the new quotes grouped by the day they speak of, oldest first."""
    watch, answer = alert.watch, alert.answer
    articles = f"{alert.articles} new article" + ("s" if alert.articles != 1 else "")
    lines = [f"🔔 **Watch #{watch.id}** {query_text(watch.query)}: {articles}."]
    shown = alert.contradictions[:CONTRADICTIONS_SHOWN]
    for d in shown:
        lines.append("⚖️ Contradicts earlier reporting — " + fit(describe(d), escape, DISAGREEMENT_LINE_MAX))
    if posts_today >= BUSY_ALERTS:
        lines.append(
            f"⚠️ This watch has posted {posts_today} times in 24 hours. Narrow it (a place, an outlet, a label"
            f" to leave out): `/watch remove {watch.id}`, then `/watch add` again."
        )
    events: dict[date | None, list[Quote]] = {}
    for q in answer.quotes:
        events.setdefault(q.day(), []).append(q)
    embeds: list[discord.Embed] = []
    used, left_out = 0, 0
    for day in sorted(events, key=lambda d: (d is None, d or date.min)):
        title = _event_title(day)
        blocks: list[str] = []
        for q in events[day]:
            who = plain(q.speaker, 120, fallback="Unattributed")
            block = f"**{who}**\n{render_quote(q)}"
            if blocks and len("\n\n".join([*blocks, block])) > DESCRIPTION_MAX:
                # One day's quotes can outgrow an embed's description: the day goes on in the next.
                embeds.append(discord.Embed(title=title, description="\n\n".join(blocks), colour=COLOUR))
                used, blocks = used + len(title), []
            if used + len(title) + len(block) + 2 > PAGE_BUDGET or len(embeds) >= MESSAGE_EMBEDS_MAX:
                left_out += 1
                continue
            blocks.append(block)
            used += len(block) + 2
        if blocks:
            embeds.append(discord.Embed(title=title, description="\n\n".join(blocks), colour=COLOUR))
            used += len(title)
    if embeds:
        more = f" · {left_out} more quote{'s' if left_out != 1 else ''} with /ask" if left_out else ""
        embeds[-1].set_footer(text=f"sitrep watch #{watch.id}{more} · /watch remove {watch.id} to stop")
    return "\n".join(lines), embeds


def render_watch_list(watches: Sequence[Watch]) -> discord.Embed:
    """A server's watches: question, channel, how often it posted, and why one stopped."""
    embed = discord.Embed(title="Watches in this server", colour=COLOUR)
    if not watches:
        embed.description = "None yet. `/watch add` posts new reporting on a question to a channel."
        return embed
    lines = []
    for w in watches:
        where = f"<#{int(w.channel)}>"  # a channel link: it notifies no one
        state = f"{w.alerts} alert{'s' if w.alerts != 1 else ''}"
        if w.last_alert_at:
            state += f", last {w.last_alert_at[:16].replace('T', ' ')} UTC"
        options = "".join(
            f" · {name} {plain(value, 40)}"
            for name, value in (("outlet", w.outlet), ("without", w.exclude_label))
            if value
        )
        line = f"**#{w.id}** {query_text(w.query)} → {where}{options} · {state}"
        if not w.enabled:
            line += f"\n  ⛔ stopped: {plain(w.disabled_reason, 200, fallback='disabled')}"
        lines.append(line)
    text, shown = "", 0
    for line in lines:
        if len(text) + len(line) + 1 > 3900:
            break
        text += line + "\n"
        shown += 1
    if shown < len(lines):
        text += f"… and {len(lines) - shown} more"
    embed.description = text
    return embed


async def digest_pages_for(engine: Engine, scope: str, now: datetime) -> list[str]:
    """A server's daily sitrep as messages: what its archive and the global one received in the 24
    hours up to ``now``, events oldest first, each message within Discord's 2,000 characters."""
    since, until = digest_window(now)
    digest = await build_digest(
        engine, scopes=tuple(dict.fromkeys((GLOBAL_SCOPE, scope))), since=since, until=until
    )
    return [no_pings(page) for page in digest_pages(digest, max_chars=CONTENT_MAX - 50)]
