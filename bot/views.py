"""The buttons under an answer: pages ("Previous" / "More quotes"), "Sources", "Other side", "Cite" and
"Rate quotes" (a vote per quote, with an optional reason).

They are persistent: each button's ``custom_id`` carries the kept answer's id (``bot.posted``), and the
bot registers the ``DynamicItem`` classes below at start-up, so a button works for anyone who can see the
message, after a restart and on any shard, for as long as the answer is kept.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any, cast

import discord

from bot.answer_extras import render_citations, render_other_side
from bot.config import own_scope
from bot.errors import report_error
from bot.formatting import plain, render_answer, render_sources, truncate
from bot.posted import PostedAnswers, posted_for
from index.models import Answer

log = logging.getLogger(__name__)

# label, emoji, style, row
BUTTONS: dict[str, tuple[str, str | None, discord.ButtonStyle, int]] = {
    "prev": ("Previous", None, discord.ButtonStyle.secondary, 0),
    "next": ("More quotes", None, discord.ButtonStyle.primary, 0),
    "src": ("Sources", None, discord.ButtonStyle.secondary, 1),
    "side": ("Other side", "⚖️", discord.ButtonStyle.secondary, 1),
    "cite": ("Cite", "📋", discord.ButtonStyle.secondary, 1),
    "rate": ("Rate quotes", None, discord.ButtonStyle.secondary, 1),
}
ANSWER_BUTTON = re.compile(
    r"sitrep:a:(?P<answer>\d{1,18}):(?P<action>prev|next|src|side|cite|rate):(?P<page>\d{1,3})"
)
VOTE_SELECT = re.compile(r"sitrep:v:(?P<answer>\d{1,18}):(?P<page>\d{1,3})")
REASON_MAX = 300
OPTION_LABEL_MAX = 100


async def keep_with_buttons(
    posted: PostedAnswers, answer: Answer, pages: int, asker_id: int, guild_id: int | None
) -> tuple[int | None, discord.ui.View | None]:
    """Keep an answer about to be posted and give it its buttons: (its id, the view), or (None, None)
    for "nothing found" and on a store that can't keep it."""
    if not answer.found:
        return None, None
    answer_id = await posted.keep(own_scope(guild_id), str(asker_id), answer)
    return answer_id, answer_view(answer_id, answer, pages) if answer_id is not None else None


def answer_view(answer_id: int, answer: Answer, pages: int, page: int = 0) -> discord.ui.View:
    """The buttons of page ``page`` (from 0) of a kept answer with ``pages`` pages."""
    view = discord.ui.View(timeout=None)
    actions = ["prev", "next"] if pages > 1 else []
    actions += ["src"] + (["side"] if answer.disagreements else []) + ["cite", "rate"]
    for action in actions:
        disabled = (action == "prev" and page == 0) or (action == "next" and page >= pages - 1)
        view.add_item(AnswerButton(answer_id, action, page, disabled=disabled))
    return view


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=ANSWER_BUTTON):
    """One of an answer's buttons; ``page`` is the page shown when it was drawn."""

    def __init__(self, answer_id: int, action: str, page: int, *, disabled: bool = False) -> None:
        label, emoji, style, row = BUTTONS[action]
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji=emoji,
                style=style,
                row=row,
                disabled=disabled,
                custom_id=f"sitrep:a:{answer_id}:{action}:{page}",
            )
        )
        self.answer_id, self.action, self.page = answer_id, action, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnswerButton:
        return cls(int(match["answer"]), match["action"], int(match["page"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self._act(interaction)
        except Exception as e:
            await report_error(interaction, e)

    async def _act(self, interaction: discord.Interaction) -> None:
        turning = self.action in ("prev", "next")
        # Acknowledge first: the answer may have to come from a store busy with an ingest.
        if turning:
            await interaction.response.defer()
        else:
            await interaction.response.defer(thinking=True, ephemeral=True)
        posted = await posted_for(interaction, self.answer_id)
        if posted is None:
            return
        answer = posted.answer
        pages = render_answer(answer)
        page = min(max(0, self.page), len(pages) - 1)
        if turning:
            page = min(max(0, page + (1 if self.action == "next" else -1)), len(pages) - 1)
            shown = pages[page]
            view = answer_view(self.answer_id, answer, len(pages), page)
            await interaction.edit_original_response(
                content=shown.content, embeds=list(shown.embeds), view=view
            )
        elif self.action == "src":
            await interaction.followup.send(embed=render_sources(answer), ephemeral=True)
        elif self.action == "side":
            await interaction.followup.send(embeds=render_other_side(answer), ephemeral=True)
        elif self.action == "cite":
            preview, markdown, data = render_citations(answer, pages[page].quotes)
            files = [
                discord.File(io.BytesIO(markdown.encode()), filename="citations.md"),
                discord.File(io.BytesIO(data), filename="citations.json"),
            ]
            await interaction.followup.send(preview, files=files, ephemeral=True)
        else:
            view = discord.ui.View(timeout=None)
            view.add_item(VoteSelect(self.answer_id, page, answer, pages[page].quotes))
            await interaction.followup.send(
                "Which quote is right (👍) or wrong (👎)? You can change your vote by choosing again.",
                view=view,
                ephemeral=True,
                wait=True,  # filed under its message id, so its timeout touches no other view
            )


def vote_options(answer: Answer, indexes: tuple[int, ...]) -> list[discord.SelectOption]:
    """A 👍 and a 👎 option per quote on the page (≤ 20: a page holds ≤ 10 quotes)."""
    options = []
    for sign, emoji in ((1, "👍"), (-1, "👎")):
        for n, i in enumerate(indexes[:10], start=1):
            q = answer.quotes[i]
            who = " ".join((q.speaker or "Unattributed").split())
            options.append(
                discord.SelectOption(
                    label=truncate(f"{emoji} {n}. {who}", OPTION_LABEL_MAX),
                    description=truncate(" ".join(q.text.split()), OPTION_LABEL_MAX) or None,
                    value=f"{i}:{sign}",
                )
            )
    return options


class VoteSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=VOTE_SELECT):
    """A menu of the page's quotes to mark right or wrong; 👎 asks why (optional)."""

    def __init__(
        self, answer_id: int, page: int, answer: Answer | None = None, indexes: tuple[int, ...] = ()
    ) -> None:
        options = vote_options(answer, indexes) if answer else [discord.SelectOption(label="-", value="-")]
        super().__init__(
            discord.ui.Select(
                custom_id=f"sitrep:v:{answer_id}:{page}", placeholder="Rate a quote…", options=options
            )
        )
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> VoteSelect:
        return cls(int(match["answer"]), int(match["page"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            value = (cast(dict[str, Any], interaction.data).get("values") or [""])[0]
            quote, _, sign = str(value).partition(":")
            if not quote.isdigit() or sign not in ("1", "-1"):
                raise ValueError(f"unexpected vote {value!r}")
            if sign == "-1":
                # A modal must be the first response: the reason form, then the vote when it is sent.
                await interaction.response.send_modal(ReasonModal(self.answer_id, int(quote), interaction.id))
                return
            await interaction.response.defer(thinking=True, ephemeral=True)
            await record_vote(interaction, self.answer_id, int(quote), 1, None)
        except Exception as e:
            await report_error(interaction, e)


class ReasonModal(discord.ui.Modal, title="What is wrong with this quote?"):
    """The optional reason of a 👎 (wrong speaker, wrong day, not about the question…)."""

    reason: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Why (optional)",
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=REASON_MAX,
        placeholder="Wrong speaker, wrong day, not about the question…",
    )

    def __init__(self, answer_id: int, quote: int, opened_by: int) -> None:
        # discord.py files forms by custom_id alone: one per opening, or two voters' forms collide.
        super().__init__(custom_id=f"sitrep:r:{answer_id}:{quote}:{opened_by}", timeout=15 * 60)
        self.answer_id, self.quote = answer_id, quote

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        reason = " ".join(str(self.reason.value or "").split()) or None
        await record_vote(interaction, self.answer_id, self.quote, -1, reason)

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        await report_error(interaction, error)


async def record_vote(
    interaction: discord.Interaction, answer_id: int, quote: int, vote: int, reason: str | None
) -> None:
    """Store a user's vote on a quote (replacing an earlier one) and say so, ephemerally."""
    posted = await posted_for(interaction, answer_id)
    if posted is None:
        return
    if not 0 <= quote < len(posted.answer.quotes):
        await interaction.followup.send("That quote is not in this answer.", ephemeral=True)
        return
    answers: PostedAnswers = interaction.client.posted  # type: ignore[attr-defined]
    await answers.store.vote(answer_id, quote, str(interaction.user.id), vote, reason)
    who = plain(posted.answer.quotes[quote].speaker, 80, fallback="no one named")
    mark = "👍" if vote > 0 else "👎"
    await interaction.followup.send(
        f"Recorded {mark} on quote {quote + 1} (speaker: {who})"
        + (" with your reason" if reason else "")
        + ". Thanks — choose again to change your vote.",
        ephemeral=True,
    )
