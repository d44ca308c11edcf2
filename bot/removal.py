"""Removing a source asks first: what it is and how many articles go with it, then Remove or Cancel."""

from __future__ import annotations

from typing import Any

import discord

from bot.errors import report_error
from bot.formatting import plain
from bot.runner import Runner
from index.models import SourceInfo
from index.wording import counted

CONFIRM_TIMEOUT = 5 * 60  # inside the 15 minutes the ephemeral question can be edited


def render_removal_question(source: SourceInfo) -> str:
    """The question before a removal: the source, its article count, and that it can't be undone."""
    articles = counted(source.articles, "article")
    return (
        f"Remove source #{source.id} ({source.kind}: {plain(source.location, 300)}) and its {articles}"
        " from this server's archive? Answers stop quoting them; this can't be undone (add it again to"
        " get it back)."
    )


class ConfirmRemove(discord.ui.View):
    """The Remove / Cancel buttons under the (ephemeral) question; only its asker sees them."""

    def __init__(self, runner: Runner, source: SourceInfo, scope: str, asker_id: int) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT)
        self.runner, self.source, self.scope, self.asker_id = runner, source, scope, asker_id

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return interaction.user.id == self.asker_id

    @discord.ui.button(label="Remove", style=discord.ButtonStyle.danger)
    async def remove(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        self.stop()
        await interaction.response.edit_message(content=f"Removing source #{self.source.id}…", view=None)
        removed = await self.runner.remove_source(self.source.id, scope=self.scope)
        # Said in the channel: the server sees what left its archive, and who removed it.
        await interaction.followup.send(
            f"Removed source #{self.source.id} and its {counted(removed, 'article')}."
        )

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        self.stop()
        await interaction.response.edit_message(content=f"Kept source #{self.source.id}.", view=None)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await report_error(interaction, error)
