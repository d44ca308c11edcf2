"""The daily sitrep: what the archive received in a window, grouped by event, with each event's
claims by claimant and where they disagree (``sitrep digest``; the bot posts it on a schedule).

``build_digest`` reads and groups (async; the grouping runs off the event loop), ``render_digest``
gives the text, ``digest_pages`` the same text in pages for Discord, ``Digest.to_dict`` the JSON.
"""

from index.digest.build import DEFAULT_LIMIT, build_digest
from index.digest.records import Digest, DigestClaim, DigestEvent
from index.digest.render import DISCORD_MESSAGE_CHARS, digest_pages, render_digest
from index.digest.window import parse_when, parse_window

__all__ = [
    "DEFAULT_LIMIT",
    "DISCORD_MESSAGE_CHARS",
    "Digest",
    "DigestClaim",
    "DigestEvent",
    "build_digest",
    "digest_pages",
    "parse_when",
    "parse_window",
    "render_digest",
]
