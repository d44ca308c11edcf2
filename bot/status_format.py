"""``/admin status`` in words a server admin understands: the server's own sources and what its
questions draw on; the instance's totals and index only for the bot's owner."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import discord

from bot.formatting import COLOUR, human_bytes, plain
from index.embedding.base import cross_language_note
from index.models import SourceInfo, Stats
from index.text.cleaning import LANGUAGE_NAMES

KINDS = {"url": "web page", "feed": "feed", "telegram": "Telegram channel", "file": "uploaded file"}
SHOWN_SOURCES = 8


def search_method(index_type: str) -> str:
    """How questions find passages, in words (not the index's type name)."""
    if "HNSW" in index_type:
        return "approximate nearest-neighbour search in PostgreSQL (exact for narrow filters)"
    if "IVF" in index_type:
        return "approximate search over clustered, compressed vectors (fast at this size)"
    return "exact search over every passage"


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}{'' if n == 1 else 's'}"


def render_server_status(
    own: Sequence[SourceInfo],
    shared: Sequence[SourceInfo],
    *,
    rebuilding: bool,
    feed_poll_minutes: float,
    curator: bool,
) -> discord.Embed:
    """What this server added (by kind, the largest sources), what it shares with every server, and
    whether feeds are polled and a rebuild is running."""
    embed = discord.Embed(title="This server's archive", colour=COLOUR)
    kinds = Counter(s.kind for s in own)
    articles = sum(s.articles for s in own)
    by_kind = ", ".join(_count(n, KINDS.get(k, k)) for k, n in kinds.most_common())
    embed.description = (
        f"{'The shared archive (this is the curator server)' if curator else 'Sources added here'}: "
        f"{_count(len(own), 'source')} ({by_kind or 'none yet'}), {_count(articles, 'article')}."
    )
    if not curator:
        embed.description += (
            f" Questions here also draw on the shared archive every server answers from: "
            f"{_count(sum(s.articles for s in shared), 'article')} from {_count(len(shared), 'source')}."
        )
    largest = sorted(own, key=lambda s: s.articles, reverse=True)[:SHOWN_SOURCES]
    if largest:
        lines = [f"`#{s.id}` {plain(s.location, 120)} — {_count(s.articles, 'article')}" for s in largest]
        if len(own) > len(largest):
            lines.append(f"… and {len(own) - len(largest)} more (`/source list`)")
        embed.add_field(name="Largest sources", value="\n".join(lines)[:1024], inline=False)
    feeds = kinds.get("feed", 0) + kinds.get("telegram", 0)
    polling = f"every {feed_poll_minutes:g} minutes" if feed_poll_minutes > 0 else "off (ask the bot's owner)"
    embed.add_field(name="New posts from feeds and channels", value=f"checked {polling} ({feeds} here)")
    embed.add_field(
        name="Index rebuild", value="running (questions are still answered)" if rebuilding else "not running"
    )
    return embed


def render_instance_status(stats: Stats) -> discord.Embed:
    """For the bot's owner: the whole instance (every server's sources), the model and the index."""
    embed = discord.Embed(title="The whole bot (owner only)", colour=discord.Colour.dark_grey())
    embed.description = (
        f"{_count(stats.sources, 'source')}, {_count(stats.articles, 'article')} and"
        f" {_count(stats.chunks, 'passage')} across every server and the shared archive."
    )
    embed.add_field(
        name="Search",
        value=plain(
            f"{search_method(stats.index_type)}; {_count(stats.index_vectors, 'passage')} indexed,"
            f" {human_bytes(stats.index_bytes)}",
            1000,
        ),
        inline=False,
    )
    embed.add_field(name="Model", value=plain(stats.model, 200, fallback="?"))
    embed.add_field(name="Last full rebuild", value=plain(stats.last_rebuild, 100, fallback="never"))
    if stats.languages:
        listed = ", ".join(f"{LANGUAGE_NAMES.get(lang, lang)} {n:,}" for lang, n in stats.languages[:8])
        embed.add_field(name="Languages", value=plain(listed, 1000), inline=False)
    note = cross_language_note(stats.languages, stats.model)
    if note:
        embed.add_field(name="Other languages", value=plain(note, 1000), inline=False)
    return embed
