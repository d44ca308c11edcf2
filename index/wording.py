"""Counts in words for messages: "1 article", "2 articles" (never "1 articles")."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` with ``noun`` in the number it needs, thousands separated; ``plural`` where not noun + "s"."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
