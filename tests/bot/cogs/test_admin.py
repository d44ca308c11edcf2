"""``/admin``, called directly: the rebuild runs in the background through the runner and reports in the
channel; status, feed refresh and outlet labels reply with what the engine or runner said."""

from __future__ import annotations

import asyncio
import logging
import unittest.mock
from typing import Any

import discord
import pytest

from bot.cogs.admin import Admin
from bot.errors import UsageError
from index.models import IngestReport, OutletLabel, Stats
from tests.bot.mocks import FakeRunner, MockBot, MockInteraction, MockTextChannel


@pytest.fixture
def bot() -> MockBot:
    return MockBot()


async def test_rebuild_answers_at_once_and_reports_in_the_channel_when_done(bot: MockBot) -> None:
    channel = MockTextChannel()
    interaction = MockInteraction(bot=bot, channel=channel)
    cog = Admin(bot)
    await Admin.rebuild.callback(cog, interaction)

    interaction.response.defer.assert_awaited_once_with(thinking=True)
    interaction.followup.send.assert_awaited_once()
    assert interaction.followup.send.await_args.args[0].startswith("Rebuilding the index in the background.")
    assert cog._rebuild is not None
    await cog._rebuild
    assert bot.runner.calls == [("rebuild", (), {})]
    channel.send.assert_awaited_once()
    # With the bot's token, not the interaction's: a rebuild can outlive the 15-minute token.
    interaction.edit_original_response.assert_not_awaited()
    assert channel.send.await_args.args[0].startswith(
        f"Index rebuilt (asked by <@{interaction.user.id}>): 136 vectors over 55 articles in "
    )


async def test_a_second_rebuild_while_one_runs_is_not_started() -> None:
    release = asyncio.Event()

    class SlowRunner(FakeRunner):
        async def rebuild(self) -> Stats:
            await release.wait()
            return await super().rebuild()

    bot = MockBot(runner=SlowRunner())
    cog = Admin(bot)
    await Admin.rebuild.callback(cog, MockInteraction(bot=bot))
    second = MockInteraction(bot=bot)
    await Admin.rebuild.callback(cog, second)
    second.followup.send.assert_awaited_once_with(
        "A rebuild is already running; I'll post here when it's done."
    )
    assert cog.rebuilding
    release.set()
    assert cog._rebuild is not None
    await cog._rebuild
    assert [c[0] for c in bot.runner.calls] == ["rebuild"] and not cog.rebuilding


async def test_a_failed_rebuild_is_logged_and_reported(caplog: pytest.LogCaptureFixture) -> None:
    bot = MockBot(runner=FakeRunner(error=RuntimeError("faiss exploded")))
    channel = MockTextChannel()
    cog = Admin(bot)
    await Admin.rebuild.callback(cog, MockInteraction(bot=bot, channel=channel))
    assert cog._rebuild is not None
    with caplog.at_level(logging.ERROR, logger="bot.cogs.admin"):
        await cog._rebuild
    channel.send.assert_awaited_once_with(
        "The rebuild failed; the previous index is still in use (the log has the details)."
    )
    assert any("faiss exploded" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


async def test_rebuild_needs_a_channel_to_report_in(bot: MockBot) -> None:
    category = unittest.mock.MagicMock(spec_set=discord.CategoryChannel)  # not Messageable
    with pytest.raises(UsageError, match="Run this in a text channel"):
        await Admin.rebuild.callback(Admin(bot), MockInteraction(bot=bot, channel=category))
    assert bot.runner.calls == []


async def test_unloading_cancels_a_running_rebuild() -> None:
    class StuckRunner(FakeRunner):
        async def rebuild(self) -> Stats:
            await asyncio.Event().wait()
            raise AssertionError("unreachable")

    bot = MockBot(runner=StuckRunner())
    cog = Admin(bot)
    await Admin.rebuild.callback(cog, MockInteraction(bot=bot))
    await asyncio.sleep(0)  # let the background task start
    await cog.cog_unload()
    assert cog._rebuild is not None and cog._rebuild.cancelled()


@pytest.mark.parametrize("rebuilding", [False, True])
async def test_status_is_ephemeral_and_shows_whether_a_rebuild_runs(bot: MockBot, rebuilding: bool) -> None:
    bot.engine.stats.return_value = FakeRunner().stats
    bot.is_owner.return_value = False
    cog = Admin(bot)
    if rebuilding:
        cog._rebuild = asyncio.create_task(asyncio.Event().wait())  # type: ignore[arg-type]
    interaction = MockInteraction(bot=bot, guild_id=3000)
    await Admin.status.callback(cog, interaction)
    interaction.response.defer.assert_awaited_once_with(thinking=True, ephemeral=True)
    assert [c.args for c in bot.engine.sources.await_args_list] == [("3000",), ("global",)]
    sent = interaction.followup.send.await_args.kwargs
    [embed] = sent["embeds"]  # the server's own archive only: not the owner
    fields = {f.name: f.value for f in embed.fields}
    assert sent["ephemeral"] is True and embed.title == "This server's archive"
    assert fields["Index rebuild"].startswith("running" if rebuilding else "not running")
    bot.engine.stats.assert_not_awaited()
    await cog.cog_unload()  # cancels the stand-in rebuild


async def test_the_bot_owner_also_sees_the_whole_bot(bot: MockBot) -> None:
    bot.engine.stats.return_value = FakeRunner().stats
    bot.is_owner.return_value = True
    interaction = MockInteraction(bot=bot, guild_id=3000)
    await Admin.status.callback(Admin(bot), interaction)
    titles = [e.title for e in interaction.followup.send.await_args.kwargs["embeds"]]
    assert titles == ["This server's archive", "The whole bot (owner only)"]


async def test_feeds_refresh_polls_this_servers_feeds_through_the_runner(bot: MockBot) -> None:
    bot.runner.report = IngestReport(added=2, duplicates=1)
    interaction = MockInteraction(bot=bot, guild_id=3001)
    await Admin.refresh.callback(Admin(bot), interaction)
    interaction.response.defer.assert_awaited_once_with(thinking=True)
    assert bot.runner.calls == [("refresh_feeds", ("3001",), {})]
    content = interaction.edit_original_response.await_args.kwargs["content"]
    assert content.startswith("**this server's feeds**: 2 articles added, 1 skipped as duplicate")


@pytest.mark.parametrize(("known", "note"), [(True, ""), (False, " (no article from it yet)")])
async def test_label_is_deferred_then_replies_ephemerally(bot: MockBot, known: bool, note: str) -> None:
    bot.engine.label_outlet.return_value = known
    interaction = MockInteraction(bot=bot, guild_id=3000)
    await Admin.label.callback(Admin(bot), interaction, "Zeltran *Voice*", "state media")
    bot.engine.label_outlet.assert_awaited_once_with(
        "Zeltran *Voice*", "state media", scope="3000", by=str(interaction.user.id)
    )
    interaction.response.defer.assert_awaited_once_with(thinking=True, ephemeral=True)
    interaction.followup.send.assert_awaited_once_with(
        f"Zeltran \\*Voice\\* is now labelled “state media”{note}.", ephemeral=True
    )
    bot.suggestions.forget.assert_called_once_with(3000)  # autocomplete offers the new label


async def test_unlabel_and_labels(bot: MockBot) -> None:
    interaction = MockInteraction(bot=bot, guild_id=3000)
    await Admin.unlabel.callback(Admin(bot), interaction, "Zeltran Voice")
    bot.engine.unlabel_outlet.assert_awaited_once_with("Zeltran Voice", scope="3000")
    interaction.followup.send.assert_awaited_once_with("Removed the label of Zeltran Voice.", ephemeral=True)

    bot.engine.outlet_labels.return_value = [OutletLabel("Zeltran Voice", "state media")]
    listed = MockInteraction(bot=bot, guild_id=3000)
    await Admin.labels.callback(Admin(bot), listed)
    bot.engine.outlet_labels.assert_awaited_once_with("3000")
    sent: dict[str, Any] = listed.followup.send.await_args.kwargs
    assert sent["ephemeral"] is True and sent["embed"].description == "Zeltran Voice — state media"
