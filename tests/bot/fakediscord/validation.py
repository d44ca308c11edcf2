"""What real Discord answers 400 / 50035 to (message.mdx, components/reference.mdx,
application-commands.mdx), and who a message would ping.

The fake runs every message and command payload through these; each problem becomes a rejection and
an entry in ``FakeDiscord.violations``.
"""

from __future__ import annotations

import json
import re
from typing import Any

COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")


EMBED_LIMITS = {"title": 256, "description": 4096}
MAX_EMBEDS = 10
MAX_FIELDS = 25
MAX_EMBED_TOTAL = 6000
MAX_CONTENT = 2000


def embed_length(embed: dict[str, Any]) -> int:
    """The characters Discord counts towards the 6000 per-message total."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for f in embed.get("fields") or []:
        total += len(f.get("name") or "") + len(f.get("value") or "")
    return total


def _valid_url(url: Any) -> bool:
    return isinstance(url, str) and re.match(r"^https?://[^\s]+$", url) is not None and len(url) <= 2048


def validate_embed(embed: dict[str, Any], where: str) -> list[str]:
    problems = []
    for key, limit in EMBED_LIMITS.items():
        value = embed.get(key)
        if value is not None and len(value) > limit:
            problems.append(f"{where}.{key}: {len(value)} > {limit} characters")
    footer = (embed.get("footer") or {}).get("text")
    if footer is not None and len(footer) > 2048:
        problems.append(f"{where}.footer.text: {len(footer)} > 2048")
    author = (embed.get("author") or {}).get("name")
    if author is not None and len(author) > 256:
        problems.append(f"{where}.author.name: {len(author)} > 256")
    fields = embed.get("fields") or []
    if len(fields) > MAX_FIELDS:
        problems.append(f"{where}.fields: {len(fields)} > {MAX_FIELDS}")
    for i, f in enumerate(fields):
        name, value = f.get("name") or "", f.get("value") or ""
        if not name.strip() or len(name) > 256:
            problems.append(f"{where}.fields[{i}].name: must be 1-256 characters (got {len(name)})")
        if not value.strip() or len(value) > 1024:
            problems.append(f"{where}.fields[{i}].value: must be 1-1024 characters (got {len(value)})")
    for key in ("url",):
        if key in embed and embed[key] is not None and not _valid_url(embed[key]):
            problems.append(f"{where}.{key}: not a valid http(s) URL: {embed[key]!r}")
    if "author" in embed and (embed["author"] or {}).get("url") and not _valid_url(embed["author"]["url"]):
        problems.append(f"{where}.author.url: not a valid URL")
    return problems


def validate_components(rows: list[dict[str, Any]]) -> list[str]:
    problems = []
    if len(rows) > 5:
        problems.append(f"components: {len(rows)} > 5 action rows")
    custom_ids: set[str] = set()
    for r, row in enumerate(rows):
        if row.get("type") != 1:
            problems.append(f"components[{r}]: top level must be an action row (type 1)")
            continue
        children = row.get("components") or []
        if not 1 <= len(children) <= 5:
            problems.append(f"components[{r}]: {len(children)} components (must be 1-5)")
        for c, comp in enumerate(children):
            where = f"components[{r}].components[{c}]"
            if comp.get("type") == 2:
                label = comp.get("label") or ""
                if len(label) > 80:
                    problems.append(f"{where}.label: {len(label)} > 80")
                if not label and not comp.get("emoji"):
                    problems.append(f"{where}: a button needs a label or an emoji")
                if comp.get("style") == 5:
                    if not _valid_url(comp.get("url")):
                        problems.append(f"{where}.url: a link button needs a valid url")
                    continue
            if comp.get("type") == 3:
                problems += _select_problems(comp, where, alone=len(children) == 1)
            cid = comp.get("custom_id")
            if not isinstance(cid, str) or not 1 <= len(cid) <= 100:
                problems.append(f"{where}.custom_id: must be 1-100 characters")
            elif cid in custom_ids:
                problems.append(f"{where}.custom_id: duplicate {cid!r}")
            else:
                custom_ids.add(cid)
    return problems


def _select_problems(menu: dict[str, Any], where: str, *, alone: bool) -> list[str]:
    """A string select (components/reference.mdx): alone in its row, 1-25 options, each label, value and
    description at most 100 characters, a placeholder at most 150."""
    problems = [] if alone else [f"{where}: a select menu must be alone in its action row"]
    options = menu.get("options") or []
    if not 1 <= len(options) <= 25:
        problems.append(f"{where}.options: {len(options)} (must be 1-25)")
    for n, o in enumerate(options):
        for key, required in (("label", True), ("value", True), ("description", False)):
            text = o.get(key)
            if (required and not text) or len(text or "") > 100:
                problems.append(
                    f"{where}.options[{n}].{key}: must be {'1' if required else '0'}-100 characters"
                )
    if len(menu.get("placeholder") or "") > 150:
        problems.append(f"{where}.placeholder: > 150 characters")
    return problems


def validate_modal(data: dict[str, Any]) -> list[str]:
    """A form (callback type 9): a title of 1-45 characters, 1-5 components, text inputs with a label
    of at most 45 characters and a max_length of at most 4000 (receiving-and-responding.mdx:321)."""
    problems = []
    if not 1 <= len(data.get("title") or "") <= 45:
        problems.append(f"modal title: {len(data.get('title') or '')} characters (must be 1-45)")
    rows = data.get("components") or []
    if not 1 <= len(rows) <= 5:
        problems.append(f"modal: {len(rows)} components (must be 1-5)")
    cid = data.get("custom_id")
    if not isinstance(cid, str) or not 1 <= len(cid) <= 100:
        problems.append("modal custom_id: must be 1-100 characters")
    for row in rows:
        for field in row.get("components") or [row.get("component") or {}]:
            if len(field.get("label") or "") > 45:
                problems.append(f"text input label {field.get('label')!r}: > 45 characters")
            if int(field.get("max_length") or 0) > 4000:
                problems.append("text input max_length: > 4000")
    return problems


def validate_message(payload: dict[str, Any], *, create: bool = True) -> list[str]:
    """Everything Discord would reject in a message create/edit payload (empty list: valid).

    ``create`` adds the rules that apply to new messages only (not empty, allowed_mentions given).
    """
    problems: list[str] = []
    content = payload.get("content")
    if content is not None:
        if not isinstance(content, str):
            problems.append("content: not a string")
        elif len(content) > MAX_CONTENT:
            problems.append(f"content: {len(content)} > {MAX_CONTENT} characters")
    embeds = payload.get("embeds") or []
    if len(embeds) > MAX_EMBEDS:
        problems.append(f"embeds: {len(embeds)} > {MAX_EMBEDS}")
    for i, embed in enumerate(embeds):
        problems += validate_embed(embed, f"embeds[{i}]")
    total = sum(embed_length(e) for e in embeds)
    if total > MAX_EMBED_TOTAL:
        problems.append(f"embeds: {total} characters in all > {MAX_EMBED_TOTAL}")
    problems += validate_components(payload.get("components") or [])
    if create and not (content or embeds or payload.get("components") or payload.get("attachments")):
        problems.append("empty message (no content, embeds, components or files)")
    # Our own rule (stricter than Discord): every payload that carries content must say who may be pinged.
    if create or "content" in payload:
        mentions = payload.get("allowed_mentions")
        if not isinstance(mentions, dict):
            problems.append("allowed_mentions: missing (Discord would parse every mention in the content)")
        else:
            for kind in ("everyone", "roles"):
                if kind in (mentions.get("parse") or []):
                    problems.append(f"allowed_mentions.parse contains {kind!r}")
    return problems


def pings(payload: dict[str, Any]) -> list[str]:
    """Who Discord would notify for this message, given its content and allowed_mentions."""
    content = payload.get("content") or ""
    mentions = payload.get("allowed_mentions")
    if mentions is None:  # Discord's default: parse everything in the content
        mentions = {"parse": ["users", "roles", "everyone"]}
    parse = set(mentions.get("parse") or [])
    users = set(mentions.get("users") or [])
    roles = set(mentions.get("roles") or [])
    found = []
    for m in re.finditer(r"@(everyone|here)", content):
        if "everyone" in parse:
            found.append("@" + m.group(1))
    for m in re.finditer(r"<@!?(\d+)>", content):
        if "users" in parse or m.group(1) in users:
            found.append("user:" + m.group(1))
    for m in re.finditer(r"<@&(\d+)>", content):
        if "roles" in parse or m.group(1) in roles:
            found.append("role:" + m.group(1))
    return found


def validate_command(cmd: dict[str, Any]) -> list[str]:
    """Application command limits (application-commands.mdx)."""
    problems = []
    name = cmd.get("name") or ""
    if cmd.get("type", 1) == 1:
        if not COMMAND_NAME.match(name) or name != name.lower():
            problems.append(f"command name {name!r} invalid")
    elif not 1 <= len(name) <= 32:  # user and message commands: any case, spaces allowed
        problems.append(f"context menu name {name!r} must be 1-32 characters")
    desc = cmd.get("description") or ""
    if cmd.get("type", 1) == 1 and not 1 <= len(desc) <= 100:
        problems.append(f"/{name}: description must be 1-100 characters")

    def walk(options: list[dict[str, Any]], path: str) -> None:
        if len(options) > 25:
            problems.append(f"{path}: {len(options)} > 25 options")
        for opt in options:
            oname = opt.get("name") or ""
            if not COMMAND_NAME.match(oname):
                problems.append(f"{path} {oname!r}: invalid option name")
            if not 1 <= len(opt.get("description") or "") <= 100:
                problems.append(f"{path} {oname}: description must be 1-100 characters")
            if len(opt.get("choices") or []) > 25:
                problems.append(f"{path} {oname}: > 25 choices")
            walk(opt.get("options") or [], f"{path} {oname}")

    walk(cmd.get("options") or [], "/" + name)
    if len(json.dumps(cmd)) > 8000:
        problems.append(f"/{name}: over 8000 characters")
    return problems
