"""The ``/timeline`` message: what it shows, and Discord's limits whatever the sources say."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.timeline_format import CHART_FILE, FIELDS_MAX, render_timeline
from index.answering.timeline import Timeline, build_timeline
from tests.bot.fakediscord import embed_length, pings, validate_message
from tests.index.answering.test_timeline import DENIAL, FIGURES, NONE_KILLED, answer, doc, quote


def payload(tl: Timeline) -> dict[str, Any]:
    page = render_timeline(tl)
    return {
        "content": page.content,
        "embeds": [e.to_dict() for e in page.embeds],
        "allowed_mentions": {"parse": []},
        "attachments": [{"id": 0, "filename": CHART_FILE}] if tl.drawable else [],
    }


def test_the_chart_sits_above_the_dated_claims() -> None:
    data = payload(build_timeline(answer(FIGURES, DENIAL, NONE_KILLED)))
    assert data["content"] == "**Timeline:** casualties in Pellin"
    [embed] = data["embeds"]
    assert embed["image"]["url"] == "attachment://timeline.png"
    names = [f["name"] for f in embed["fields"]]
    assert names == [
        "11 March 2025 · Governor Alina Korshev",
        "12 March 2025 · Orvenian Defence Ministry",
        "12 March 2025 · Orvenian Defence Ministry",
        "12 March 2025 · Zeltran Defence Ministry",
    ]
    none, three, _, denial = (f["value"] for f in embed["fields"])
    assert none.startswith("✕ **none killed (civilians)**\n> No civilians were killed in Pellin.\n")
    assert three.startswith("**three killed (soldiers)**\n")
    assert "[Shelling in Pellin](https://news.example/zv-1) — Zeltran Voice, 2025-03-13" in three
    assert denial.startswith("✕ **denies**\n")
    assert embed["footer"]["text"] == "4 claims"
    assert validate_message(data) == []


def test_nothing_found_is_a_note_without_a_chart() -> None:
    tl = Timeline("sourdough", False, "Nothing in the archive answers that.")
    [embed] = payload(tl)["embeds"]
    assert (embed["title"], embed["description"]) == (
        "Nothing to chart",
        "Nothing in the archive answers that.",
    )
    assert "image" not in embed


def test_claims_no_day_dates_are_listed_without_a_chart() -> None:
    undated = quote("Two tanks were destroyed.", "Army", document=doc(published=None))
    [embed] = payload(build_timeline(answer(undated)))["embeds"]
    assert "image" not in embed
    assert embed["fields"][0]["name"] == "undated · Army"
    assert "no chart" in embed["footer"]["text"]


@pytest.mark.parametrize("n", [1, 24, 60])
def test_any_timeline_fits_discord_and_pings_no_one(n: int) -> None:
    hostile = "@everyone <@123456789012345678> **bold** " * 40
    quotes = [
        quote(
            f"{i + 2} soldiers were killed in Pellin. {hostile}",
            f"{hostile} spokesman {i}",
            days=(date(2025, 3, 1 + i % 28),),
            document=doc(outlet=hostile, id=f"a-{i}"),
        )
        for i in range(n)
    ]
    tl = build_timeline(answer(*quotes))
    data = payload(tl)
    assert validate_message(data) == []  # content, embed and field limits, 6,000 in all
    [embed] = data["embeds"]
    assert 1 <= len(embed["fields"]) <= FIELDS_MAX and embed_length(embed) <= 6000
    assert pings(data) == []
    text = str(data)
    assert "@everyone" not in text and "<@1" not in text
    if len(embed["fields"]) < n:
        assert f"{n} claims · the first {len(embed['fields'])} shown" in embed["footer"]["text"]
