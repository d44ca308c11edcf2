"""End to end: autocomplete for outlets and labels (per server), and the "did you mean" of an unknown
outlet."""

from __future__ import annotations

import pytest

from bot.client import SitrepBot
from tests.bot.fakediscord import FakeDiscord, opt, sub, wait_until
from tests.bot.helpers import GUILD_A, GUILD_B, MANAGE_GUILD, admin, ask, reply_of, text_of

pytestmark = [pytest.mark.e2e, pytest.mark.model]


async def offered(fake: FakeDiscord, name: str, options: list[dict[str, object]], **kw: str) -> list[str]:
    it = await fake.autocomplete(name, options, **kw)
    await wait_until(lambda: it.choices is not None or it.errors, 60, f"{name} autocomplete")
    assert it.ack_type == 8 and not it.errors and it.choices is not None
    return [str(c["value"]) for c in it.choices]


async def test_ask_suggests_the_archives_outlets_and_this_servers_labels(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    typed = [opt("question", "who said it?"), opt("outlet", "north", focused=True)]
    assert await offered(fake_discord, "ask", typed) == ["Northline Wire"]
    everything = await offered(fake_discord, "ask", [opt("question", "q"), opt("outlet", "", focused=True)])
    assert "Orvenian National Herald" in everything and everything == sorted(everything, key=str.casefold)

    labelled = await admin(fake_discord, "label", options={"outlet": "Zeltran Voice", "label": "state media"})
    assert labelled.ephemeral and labelled.ack_type == 5  # deferred like the rest: the store may be busy
    assert "now labelled “state media”" in reply_of(fake_discord, labelled)["content"]
    label_typed = [opt("question", "q"), opt("exclude_label", "sta", focused=True)]
    assert await offered(fake_discord, "ask", label_typed, guild_id=GUILD_A) == ["state media"]
    assert await offered(fake_discord, "ask", label_typed, guild_id=GUILD_B) == []  # labels are per server

    in_admin = [sub("label", opt("outlet", "zelt", focused=True), opt("label", "x"))]
    assert await offered(fake_discord, "admin", in_admin, member_permissions=MANAGE_GUILD) == [
        "Zeltran Voice"
    ]
    watch_typed = [sub("add", opt("query", "q"), opt("outlet", "brenm", focused=True))]
    assert await offered(fake_discord, "watch", watch_typed) == ["Brenmoor Gazette"]


async def test_an_unknown_outlet_is_named_with_the_closest_ones(
    fake_discord: FakeDiscord, sitrep: SitrepBot
) -> None:
    it = await ask(fake_discord, "Who reported casualties in Pellin?", outlet="Northline Wyre")
    shown = text_of(reply_of(fake_discord, it))
    assert "No article in the archive is from Northline Wyre. Did you mean Northline Wire?" in shown
