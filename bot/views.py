"""Buttons under an answer: paging ("Previous" / "More quotes"), "Sources", and 👍/👎 feedback."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.errors import report_error
from bot.formatting import Page, render_sources
from index.engine import Engine
from index.models import Answer

log = logging.getLogger(__name__)

# Followups can be edited through the interaction token for 15 minutes; stop listening well before.
VIEW_TIMEOUT = 10 * 60


class AnswerView(discord.ui.View):
    """The buttons of one answer message. Only the asker turns pages; anyone may vote or list sources."""

    def __init__(
        self, engine: Engine, answer: Answer, pages: list[Page], *, asker_id: int, scope: str
    ) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.engine = engine
        self.answer = answer
        self.pages = pages
        self.asker_id = asker_id
        self.scope = scope
        self.index = 0
        self.message: discord.Message | None = None  # set by the sender, to drop the buttons on timeout
        if len(pages) < 2:
            self.remove_item(self.previous)
            self.remove_item(self.more)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.more.disabled = self.index >= len(self.pages) - 1

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        if interaction.user.id != self.asker_id:
            await interaction.response.send_message(
                "Only the person who asked can turn these pages; try **Sources**, or `/ask` yourself.",
                ephemeral=True,
            )
            return
        self.index = max(0, min(len(self.pages) - 1, self.index + step))
        self._update_buttons()
        page = self.pages[self.index]
        await interaction.response.edit_message(content=page.content, embeds=list(page.embeds), view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="More quotes", style=discord.ButtonStyle.primary)
    async def more(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, +1)

    @discord.ui.button(label="Sources", style=discord.ButtonStyle.secondary)
    async def sources(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_message(embed=render_sources(self.answer), ephemeral=True)

    async def _vote(self, interaction: discord.Interaction, vote: int) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)  # the store may be busy ingesting
        await self.engine.record_feedback(
            question=self.answer.question,
            quotes=self.answer.quotes,
            user_id=str(interaction.user.id),
            vote=vote,
            scope=self.scope,
        )
        await interaction.followup.send("Thanks, your feedback was recorded.", ephemeral=True)

    @discord.ui.button(emoji="👍", style=discord.ButtonStyle.secondary)
    async def upvote(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await self._vote(interaction, +1)

    @discord.ui.button(emoji="👎", style=discord.ButtonStyle.secondary)
    async def downvote(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await self._vote(interaction, -1)

    async def on_timeout(self) -> None:
        if self.message is not None:
            try:
                await self.message.edit(view=None)
            except discord.HTTPException:
                log.debug("could not remove the buttons of message %s", self.message.id, exc_info=True)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report_error(interaction, error)
