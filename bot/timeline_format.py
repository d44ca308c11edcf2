"""Pure rendering of a timeline into one Discord message: the query and the disagreements as content,
an embed with the chart (``attachment://timeline.png``) and one field per dated claim.

The same rules as ``formatting.py``: every string from a source is escaped and cut before assembly,
so no timeline can exceed Discord's limits (2,000 content characters, 25 fields, 6,000 characters of
embeds) and nothing can ping.
"""

from __future__ import annotations

import discord

from bot.formatting import (
    DISAGREEMENT_LINE_MAX,
    DISAGREEMENTS_SHOWN,
    ELLIPSIS,
    MESSAGE_EMBED_TOTAL_MAX,
    QUESTION_BUDGET,
    Page,
    escape,
    fit,
    link,
    plain,
)
from index.answering.disagreement import describe
from index.answering.timeline import Timeline, TimelinePoint
from index.dates.event_dates import describe_days

CHART_FILE = "timeline.png"
FIELDS_MAX = 20  # Discord allows 25; past 20 claims a phone reader wants the CLI's full list anyway
FIELD_NAME_MAX = 200
QUOTE_MAX = 240  # the claim's words; the link has the rest
FIELD_VALUE_MAX = 1024  # Discord's
CLAIM_MAX = 150
TITLE_MAX = 200
FOOTER_MAX = 200
EMBED_BUDGET = MESSAGE_EMBED_TOTAL_MAX - TITLE_MAX - FOOTER_MAX  # for the fields


def _claim(p: TimelinePoint) -> str:
    mark = "✕ " if p.denial else ""
    return f"{mark}**{fit(p.claim, escape, CLAIM_MAX)}**"


def render_point(p: TimelinePoint) -> tuple[str, str]:
    """A claim as an embed field: "12 July 2020 · claimant" over the figure, the quote and its link."""
    day = describe_days([p.day]) if p.day else "undated"
    name = plain(f"{day} · {p.who}", FIELD_NAME_MAX)
    doc = p.quote.document
    title = plain(doc.title, 120, fallback=doc.outlet or "article")
    outlet = plain(doc.outlet, 60, fallback="unknown outlet")
    published = doc.published.isoformat() if doc.published else "undated"
    quote = fit(" ".join(p.quote.text.split()), lambda t: "> " + escape(t), QUOTE_MAX)
    value = f"{_claim(p)}\n{quote}\n{link(title, doc.url)} — {outlet}, {published}"
    if len(value) > FIELD_VALUE_MAX:  # only a link of hundreds of characters gets here: the title alone
        value = f"{_claim(p)}\n{quote}\n{title} — {outlet}, {published}"
    return name, value


def _content(tl: Timeline) -> str:
    lines = ["**Timeline:** " + fit(" ".join(tl.query.split()), escape, QUESTION_BUDGET)]
    shown = tl.disagreements[:DISAGREEMENTS_SHOWN]
    lines += [
        "⚖️ " + ("Sources disagree — " if n == 0 else "") + fit(describe(d), escape, DISAGREEMENT_LINE_MAX)
        for n, d in enumerate(shown)
    ]
    if len(tl.disagreements) > len(shown):
        lines.append(f"(+{len(tl.disagreements) - len(shown)} more)")
    return "\n".join(lines)


def render_timeline(tl: Timeline) -> Page:
    """The message for ``/timeline``: content, and one embed showing the chart when ``tl.drawable``
    (the caller attaches it as ``CHART_FILE``) above the dated claims, as many as fit."""
    content = _content(tl)
    if not tl.found:
        embed = discord.Embed(
            title="Nothing to chart",
            description=fit(tl.note or "Nothing in the archive answers that.", escape, 1000),
            colour=discord.Colour.light_grey(),
        )
        return Page(content, (embed,))
    embed = discord.Embed(title="Claims by day", colour=discord.Colour.dark_teal())
    used = 0
    for p in tl.points[:FIELDS_MAX]:
        name, value = render_point(p)
        if used + len(name) + len(value) > EMBED_BUDGET:
            break
        embed.add_field(name=name, value=value, inline=False)
        used += len(name) + len(value)
    shown = len(embed.fields)
    footer = f"{len(tl.points)} claim{'s' if len(tl.points) != 1 else ''}"
    if shown < len(tl.points):
        footer += f" · the first {shown} shown{ELLIPSIS} `sitrep timeline` lists all"
    if tl.drawable:
        embed.set_image(url=f"attachment://{CHART_FILE}")
    else:
        footer += " · no chart: none of the claims says which day it is about"
    embed.set_footer(text=footer)
    return Page(content, (embed,))
