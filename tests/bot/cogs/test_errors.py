"""The ``Errors`` cog: it installs ``bot.errors.report_error`` as the command tree's error hook."""

from __future__ import annotations

from bot.cogs.errors import Errors
from bot.errors import UsageError
from tests.bot.mocks import MockBot, MockInteraction


async def test_the_cog_installs_the_tree_hook_and_restores_the_previous_one() -> None:
    bot = MockBot()
    previous = bot.tree.on_error
    cog = Errors(bot)
    await cog.cog_load()
    assert bot.tree.on_error == cog.on_app_command_error
    interaction = MockInteraction(bot=bot)
    await cog.on_app_command_error(interaction, UsageError("Give a url."))
    interaction.response.send_message.assert_awaited_once_with("Give a url.", ephemeral=True)
    await cog.cog_unload()
    assert bot.tree.on_error is previous
