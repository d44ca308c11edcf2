"""What an answer's buttons show besides its pages: the other side of its disagreements, side by side,
and citations to copy (Markdown and JSON). Pure rendering, within Discord's limits by construction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import discord

from bot.formatting import (
    COLOUR,
    CONTENT_MAX,
    MESSAGE_EMBED_TOTAL_MAX,
    MESSAGE_EMBEDS_MAX,
    fit,
    link,
    no_pings,
    plain,
    truncate,
)
from index.dates.event_dates import describe_days
from index.models import Answer, Disagreement, Quote

FIELDS_MAX = 25
FIELD_VALUE_MAX = 1024
SIDE_QUOTE_MAX = 500  # of one claimant's quote beside the other's: enough to read the claim
SIDES_BUDGET = MESSAGE_EMBED_TOTAL_MAX - 300
KINDS = {"figures": "Rival figures", "denial": "A denial", "sides": "Each side's claim"}


def _when(quote: Quote) -> str:
    day = quote.day()
    return describe_days((day,)) if day else "undated"


def _claim_value(d: Disagreement, n: int, answer: Answer) -> str:
    claim = d.claims[n]
    quote = answer.quotes[claim.quote] if 0 <= claim.quote < len(answer.quotes) else None
    figure = " ".join(claim.figure.split())
    if figure and figure not in ("denies", "asserts", "says"):
        head = f"**{plain(figure, 60)}** {plain(claim.subject, 60)}".strip()
    else:
        head = f"*{figure or 'says'}*"
    if quote is None:
        return head
    doc = quote.document
    source = link(plain(doc.outlet or doc.title, 60, fallback="article"), doc.url)
    tail = f"\n— {source} · {_when(quote)}"
    body = fit(" ".join(quote.text.split()), lambda t: "> " + plain(t, SIDE_QUOTE_MAX), SIDE_QUOTE_MAX + 2)
    return truncate(f"{head}\n{body}{tail}", FIELD_VALUE_MAX)


def render_other_side(answer: Answer) -> list[discord.Embed]:
    """The "Other side" button: each disagreement as an embed with one inline field per claimant (who,
    their figure or denial, their words, outlet and day), so rival claims read side by side."""
    embeds: list[discord.Embed] = []
    used = 0
    for d in answer.disagreements[:MESSAGE_EMBEDS_MAX]:
        about = f" · {d.event}" if d.event else ""
        title = plain(f"⚖️ {KINDS.get(d.kind, d.kind)}: {d.category}{about}", 250)
        embed = discord.Embed(title=title, colour=COLOUR)
        used += len(title)
        for n, claim in enumerate(d.claims[:FIELDS_MAX]):
            who = claim.party + " — " + claim.claimant if claim.party else claim.claimant
            name = plain(who, 250, fallback="Unnamed claimant")
            value = _claim_value(d, n, answer)
            if used + len(name) + len(value) > SIDES_BUDGET:
                break
            embed.add_field(name=name, value=value, inline=True)
            used += len(name) + len(value)
        if not embed.fields:
            break
        embeds.append(embed)
    if not embeds:
        embeds.append(
            discord.Embed(
                title="No rival claims",
                description="The quoted sources do not contradict each other in this answer.",
                colour=discord.Colour.light_grey(),
            )
        )
    return embeds


def citation_markdown(quote: Quote) -> str:
    """One quote as Markdown to paste into an article: the words, who said them, where and when."""
    doc = quote.document
    words = " ".join(quote.text.split())
    who = f"{quote.speaker}, " if quote.speaker else ""
    outlet = f"*{doc.outlet}*" if doc.outlet else "unknown outlet"
    title = f", “{doc.title}”" if doc.title else ""
    day = f", {doc.published.isoformat()}" if doc.published else ", undated"
    where = f" <{doc.url}>" if doc.url else ""
    archived = f" (archived copy sha256 {doc.sha256}, fetched {doc.fetched_at})" if doc.sha256 else ""
    return f"> {words}\n— {who}{outlet}{title}{day}.{where}{archived}"


def citation_record(quote: Quote, question: str) -> dict[str, Any]:
    """One quote as a JSON record: the quote's own JSON shape, the question it answered and its Markdown."""
    return {**quote.to_dict(), "question": question, "markdown": citation_markdown(quote)}


def render_citations(answer: Answer, indexes: Sequence[int]) -> tuple[str, str, bytes]:
    """The "Cite" button for the quotes at ``indexes``: a preview for the message (within 2,000
    characters, in a code block), the whole Markdown and the JSON (both verbatim, for the attached files)."""
    quotes = [answer.quotes[i] for i in indexes if 0 <= i < len(answer.quotes)]
    markdown = "\n\n".join(citation_markdown(q) for q in quotes)
    records = [citation_record(q, answer.question) for q in quotes]
    data = json.dumps(records, ensure_ascii=False, indent=2).encode()
    head = f"Citations for the {len(quotes)} quote{'s' if len(quotes) != 1 else ''} on this page"
    head += " (attached as Markdown and JSON):\n"
    # A code block shows the Markdown as it will paste; three backticks in a quote would end it early.
    # The preview breaks mentions too (the bot never pings anyway); the attached files are verbatim.
    inside = no_pings(markdown.replace("```", "`\u200b``"))
    budget = CONTENT_MAX - len(head) - len("```md\n\n```")
    preview = head + "```md\n" + truncate(inside, budget) + "\n```"
    return preview, markdown, data
