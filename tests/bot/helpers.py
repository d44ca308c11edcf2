"""Small helpers for the end-to-end tests: drive a command, wait for its answer, read what users see."""

from __future__ import annotations

import re
from typing import Any

from tests.bot.fakediscord import EPHEMERAL, FakeDiscord, Interaction, opt, sub, wait_until

_ADDED = re.compile(r"\b\d[\d,]* articles? added\b")


def says_added(text: str) -> bool:
    """Whether a message is an ingest's summary ("1 article added, …", "12 articles added, …")."""
    return _ADDED.search(text) is not None


MANAGE_MESSAGES = str(1 << 13)
MANAGE_GUILD = str(1 << 5)
# What the bot syncs: its slash commands and its message command (context menu).
SYNCED_COMMANDS = {"ask", "timeline", "source", "admin", "watch", "digest", "help", "Check this claim"}
GUILD_A, GUILD_B = "3000", "3001"
CHANNEL_A, CHANNEL_B = "4000", "4001"
# One article as an uploaded JSONL file, with a quote to ask about.
HARBOUR_JSONL = (
    b'{"id": "harbour-1", "title": "Quay repairs", "outlet": "Varn Harbour Gazette", "published": "2025-09-02", '
    b'"text": "VARN - Repairs to the old quay will cost 4 million crowns, the port authority said on Tuesday. '
    b'Port director Ivo Brask said: \\"We will rebuild the quay in stone, not timber, so that it stands for '
    b'another century.\\" Work is due to start in October."}\n'
)


def text_of(message: dict[str, Any]) -> str:
    """Everything a user reads in a message: content, embed titles, descriptions, fields, footers."""
    parts = [message.get("content") or ""]
    for e in message.get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or "", (e.get("footer") or {}).get("text") or ""]
        parts += [f"{f['name']}: {f['value']}" for f in e.get("fields") or []]
    return "\n".join(parts)


def labels(message: dict[str, Any]) -> dict[str, bool]:
    """Button label (or emoji) -> disabled."""
    return {
        (b.get("label") or (b.get("emoji") or {}).get("name")): bool(b.get("disabled"))
        for b in FakeDiscord.buttons(message)
    }


def reply_of(fake: FakeDiscord, it: Interaction) -> dict[str, Any]:
    """The message the user ends up seeing for an interaction (ack type 4 message, followup or edited original)."""
    return fake.last_message(it)


def is_ephemeral(fake: FakeDiscord, it: Interaction) -> bool:
    return bool(reply_of(fake, it)["flags"] & EPHEMERAL)


async def done(fake: FakeDiscord, it: Interaction, timeout: float = 60.0) -> Interaction:
    """Wait until the bot has said something final for ``it`` (not just a defer)."""
    await wait_until(lambda: it.answered or it.errors, timeout, f"an answer to interaction {it.id}")
    return it


async def ask(
    fake: FakeDiscord, question: str, *, guild_id: str = GUILD_A, user_id: str = "9001", **options: str
) -> Interaction:
    it = await fake.slash(
        "ask",
        [opt("question", question)] + [opt(k, v) for k, v in options.items()],
        guild_id=guild_id,
        user_id=user_id,
    )
    return await done(fake, it)


async def source(
    fake: FakeDiscord,
    action: str,
    *options: dict[str, Any],
    guild_id: str = GUILD_A,
    permissions: str = MANAGE_MESSAGES,
    resolved: dict[str, Any] | None = None,
    user_id: str = "9001",
) -> Interaction:
    it = await fake.slash(
        "source",
        [sub(action, *options)],
        guild_id=guild_id,
        member_permissions=permissions,
        resolved=resolved,
        user_id=user_id,
    )
    return await done(fake, it, 90)


async def confirm_removal(
    fake: FakeDiscord, asked: Interaction, *, label: str = "Remove", user_id: str = "9001"
) -> Interaction:
    """Press Remove (or Cancel) under ``/source remove``'s question; the click, once it has said
    what happened (a public followup after Remove, the edited question after Cancel)."""
    question = reply_of(fake, asked)
    assert asked.ephemeral and question["flags"] & EPHEMERAL, "the question is for the remover alone"
    click = await fake.click(question, label=label, user_id=user_id)
    await wait_until(
        lambda: click.followups or click.errors or (label == "Cancel" and click.ack_type), 90, label
    )
    return click


async def add_url(fake: FakeDiscord, url: str, *, guild_id: str = GUILD_A) -> Interaction:
    it = await source(fake, "add", opt("url", url), guild_id=guild_id)
    await wait_until(lambda: says_added(text_of(reply_of(fake, it))) or it.errors, 90, "the summary")
    return it


NOTES_OUTLET = "Community notes"  # what add_file says published a .txt or .md file, unless told


async def add_file(
    fake: FakeDiscord,
    filename: str,
    data: bytes,
    *,
    guild_id: str = GUILD_A,
    permissions: str = MANAGE_MESSAGES,
    outlet: str | None = "",
    **options: str,
) -> Interaction:
    """``/source add file:`` with the file served by the fake; a plain-text file gets ``outlet:`` (which
    the bot needs for one) unless ``outlet=None``; other options (``published``, ``link``) as given."""
    att = fake.add_attachment(filename, data)
    if outlet == "":
        outlet = NOTES_OUTLET if filename.endswith((".txt", ".md")) else None
    given = {**({"outlet": outlet} if outlet else {}), **options}
    it = await source(
        fake,
        "add",
        opt("file", att["id"], 11),
        *(opt(k, v) for k, v in given.items()),
        guild_id=guild_id,
        permissions=permissions,
        resolved={"attachments": {att["id"]: att}},
    )
    if it.ack_type == 5:
        await wait_until(lambda: says_added(text_of(reply_of(fake, it))) or it.errors, 90, "the summary")
    return it


async def admin(
    fake: FakeDiscord,
    *path: str,
    permissions: str = MANAGE_GUILD,
    guild_id: str = GUILD_A,
    options: dict[str, str] | None = None,
    user_id: str = "9001",
) -> Interaction:
    option: dict[str, Any] = sub(path[-1], *(opt(k, v) for k, v in (options or {}).items()))
    if len(path) == 2:
        option = sub(path[0], option, group=True)
    it = await fake.slash(
        "admin", [option], member_permissions=permissions, guild_id=guild_id, user_id=user_id
    )
    return await done(fake, it, 90)
