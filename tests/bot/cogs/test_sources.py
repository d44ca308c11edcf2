"""``/source add|list|remove``, called directly: usage errors before the acknowledgement, the runner
called with the server's scope, the summary and listings sent."""

from __future__ import annotations

import asyncio
from datetime import date

import discord
import pytest

from bot.cogs import sources as sources_cog
from bot.cogs.sources import Sources
from bot.errors import UsageError
from bot.progress import ProgressMessage
from bot.removal import ConfirmRemove
from index.ingest.readers import TextMeta
from index.models import GLOBAL_SCOPE, IngestReport, Progress, SourceInfo
from tests.bot.mocks import MockAttachment, MockBot, MockInteraction, MockMember

URL = "http://127.0.0.1:8080/ferry.html"
SOURCE = SourceInfo(id=12, scope="3000", kind="file", location="upload:a.txt", added_at="", added_by="9001",
                    articles=3)  # fmt: skip


@pytest.fixture
def bot() -> MockBot:
    return MockBot(allow_private_urls=True)  # the test URLs are on 127.0.0.1


async def test_add_url_ingests_into_the_servers_scope_and_ends_with_the_summary(bot: MockBot) -> None:
    interaction = MockInteraction(bot=bot, guild_id=3000)
    bot.runner.progress_reports = [Progress(0, 1, "fetching")]
    await Sources.add.callback(Sources(bot), interaction, url=f" <{URL}> ")

    interaction.response.defer.assert_awaited_once_with(thinking=True)
    [(name, args, kwargs)] = bot.runner.calls
    assert (name, args, kwargs) == (
        "ingest_url",
        (URL,),
        {"scope": "3000", "added_by": str(interaction.user.id)},
    )
    final = interaction.edit_original_response.await_args_list[-1].kwargs["content"]
    assert final.startswith(f"**{URL}**: 1 article added, 0 skipped as duplicate, 0 failed")
    progress = [c.kwargs["content"] for c in interaction.edit_original_response.await_args_list[:-1]]
    # The runner's progress, shown first (with the seconds elapsed).
    assert [p.partition(" (")[0] for p in progress] == [f"Adding {URL}: fetching · 0/1 articles stored…"]


async def test_the_curator_server_adds_to_the_global_archive() -> None:
    bot = MockBot(allow_private_urls=True, curator_guild_id=3000)
    await Sources.add.callback(Sources(bot), MockInteraction(bot=bot, guild_id=3000), url=URL)
    assert bot.runner.calls[0][2]["scope"] == GLOBAL_SCOPE


async def test_add_file_reads_the_upload_and_ingests_its_bytes(bot: MockBot) -> None:
    interaction = MockInteraction(bot=bot, guild_id=3001)
    upload = MockAttachment("notes.jsonl", b'{"text": "x"}\n')
    bot.runner.report = IngestReport(added=0, failed=[])
    await Sources.add.callback(Sources(bot), interaction, file=upload)
    assert bot.runner.calls == [
        (
            "ingest_upload",
            ("notes.jsonl", b'{"text": "x"}\n'),
            {"scope": "3001", "added_by": "9001", "meta": TextMeta()},
        )
    ]
    final = interaction.edit_original_response.await_args.kwargs["content"]
    assert final.startswith("**notes.jsonl**: 0 articles added")


async def test_a_files_outlet_date_and_link_go_with_it(bot: MockBot) -> None:
    upload = MockAttachment("notes.txt", b"The pier reopened.")
    interaction = MockInteraction(bot=bot, guild_id=3001)
    await Sources.add.callback(
        Sources(bot), interaction, file=upload, outlet=" Varn  Gazette ", published=date(2025, 9, 2),
        link="https://varn.example/notes",
    )  # fmt: skip
    told = TextMeta(outlet="Varn Gazette", url="https://varn.example/notes", published=date(2025, 9, 2))
    assert bot.runner.calls[0][2]["meta"] == told


@pytest.mark.parametrize(
    ("url", "file", "message"),
    [
        (None, None, "Give either a `url` or a `file`"),
        (URL, MockAttachment("a.txt", b"x"), "Give either a `url` or a `file`"),
        ("/etc/passwd", None, "Give a full http:// or https:// link"),
        ("file:///etc/passwd", None, "Give a full http:// or https:// link"),
        (None, MockAttachment("big.jsonl", b"x", size=6 * 1024 * 1024), "larger than the 5 MB limit"),
        (None, MockAttachment("notes.txt", b"x"), "notes.txt says nothing about where it was published"),
        (None, MockAttachment("notes.md", b"x"), r"give `outlet:`"),
    ],
)
async def test_add_usage_errors_come_before_the_acknowledgement(
    bot: MockBot, url: str | None, file: discord.Attachment | None, message: str
) -> None:
    interaction = MockInteraction(bot=bot)
    with pytest.raises(UsageError, match=message):
        await Sources.add.callback(Sources(bot), interaction, url=url, file=file)
    interaction.response.defer.assert_not_awaited()  # the error handler answers, ephemerally
    assert bot.runner.calls == []


async def test_file_options_with_a_url_or_a_bad_link_are_refused_before_the_acknowledgement(
    bot: MockBot,
) -> None:
    interaction = MockInteraction(bot=bot)
    with pytest.raises(UsageError, match="describe an uploaded `file`"):
        await Sources.add.callback(Sources(bot), interaction, url=URL, outlet="Varn Gazette")
    with pytest.raises(UsageError, match="Give a full http:// or https:// link"):
        await Sources.add.callback(
            Sources(bot), interaction, file=MockAttachment("a.txt", b"x"), outlet="V", link="varn notes"
        )
    interaction.response.defer.assert_not_awaited()
    assert bot.runner.calls == []


async def test_an_upload_larger_than_it_declared_is_refused_after_reading() -> None:
    bot = MockBot(max_upload_mb=1)
    upload = MockAttachment("liar.txt", b"x" * (1024 * 1024 + 1), size=10)
    with pytest.raises(UsageError, match="larger than the 1 MB limit"):
        await Sources.add.callback(Sources(bot), MockInteraction(bot=bot), file=upload, outlet="Liar")
    assert bot.runner.calls == []


async def test_a_private_address_is_refused_unless_allowed() -> None:
    bot = MockBot(allow_private_urls=False)
    interaction = MockInteraction(bot=bot)
    with pytest.raises(UsageError, match=r"127\.0\.0\.1 is not a public address"):
        await Sources.add.callback(Sources(bot), interaction, url=URL)
    assert bot.runner.calls == []
    interaction.response.defer.assert_not_awaited()  # refused before any public "thinking…"


async def test_list_is_ephemeral_and_per_server(bot: MockBot) -> None:
    bot.engine.sources.return_value = [SOURCE]
    interaction = MockInteraction(bot=bot, guild_id=3000)
    await Sources.list_.callback(Sources(bot), interaction)
    interaction.response.defer.assert_awaited_once_with(thinking=True, ephemeral=True)
    bot.engine.sources.assert_awaited_once_with("3000")
    sent = interaction.followup.send.await_args.kwargs
    assert sent["ephemeral"] is True and "`#12` file · 3 articles · upload:a.txt" in sent["embed"].description


@pytest.mark.parametrize("typed", ["12", "#12", "#12 file: upload:a.txt (3 articles)"])
async def test_remove_asks_first_and_removes_on_confirmation(bot: MockBot, typed: str) -> None:
    bot.engine.sources.return_value = [SOURCE]
    interaction = MockInteraction(bot=bot, guild_id=3000)
    await Sources.remove.callback(Sources(bot), interaction, typed)
    interaction.response.defer.assert_awaited_once_with(thinking=True, ephemeral=True)
    assert bot.runner.calls == []  # nothing removed before the confirmation
    sent = interaction.followup.send.await_args
    assert sent.args[0].startswith("Remove source #12 (file: upload:a.txt) and its 3 articles")
    view = sent.kwargs["view"]
    assert sent.kwargs["ephemeral"] is True and isinstance(view, ConfirmRemove)

    click = MockInteraction(bot=bot, guild_id=3000, user=interaction.user)
    assert await view.interaction_check(click)
    assert not await view.interaction_check(MockInteraction(bot=bot, user=MockMember(id=1234)))  # another
    await view.remove.callback(click)
    assert bot.runner.calls == [("remove_source", (12,), {"scope": "3000"})]
    click.followup.send.assert_awaited_once_with("Removed source #12 and its 3 articles.")


async def test_cancel_removes_nothing(bot: MockBot) -> None:
    view = ConfirmRemove(bot.runner, SOURCE, "3000", 9001)
    click = MockInteraction(bot=bot)
    await view.cancel.callback(click)
    click.response.edit_message.assert_awaited_once_with(content="Kept source #12.", view=None)
    assert bot.runner.calls == []


async def test_remove_of_a_source_not_in_this_server_is_a_usage_error(bot: MockBot) -> None:
    bot.engine.sources.return_value = [SOURCE]
    with pytest.raises(UsageError, match="no source #13 in this server"):
        await Sources.remove.callback(Sources(bot), MockInteraction(bot=bot, guild_id=3000), "13")
    assert bot.runner.calls == []


async def test_remove_of_a_name_is_a_usage_error(bot: MockBot) -> None:
    interaction = MockInteraction(bot=bot)
    with pytest.raises(UsageError, match="Pick a source from the list"):
        await Sources.remove.callback(Sources(bot), interaction, "reuters")
    interaction.response.defer.assert_not_awaited()


async def test_autocomplete_offers_this_servers_sources(bot: MockBot) -> None:
    bot.engine.sources.return_value = [SOURCE]
    choices = await Sources(bot).remove_autocomplete(MockInteraction(bot=bot, guild_id=3000), "upload")
    bot.engine.sources.assert_awaited_once_with("3000")
    assert [(c.name, c.value) for c in choices] == [("#12 file: upload:a.txt (3 articles)", "12")]


async def test_autocomplete_gives_up_rather_than_miss_discords_deadline(
    bot: MockBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def never(scope: str) -> list[SourceInfo]:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    monkeypatch.setattr(sources_cog, "AUTOCOMPLETE_TIMEOUT", 0.01)
    bot.engine.sources.side_effect = never
    assert await Sources(bot).remove_autocomplete(MockInteraction(bot=bot), "") == []


async def test_progress_message_is_what_the_runner_gets(bot: MockBot) -> None:
    received: list[object] = []

    async def ingest_url(url: str, **kwargs: object) -> IngestReport:
        received.append(kwargs["progress"])
        return IngestReport()

    bot.runner.ingest_url = ingest_url  # type: ignore[method-assign]
    await Sources.add.callback(Sources(bot), MockInteraction(bot=bot), url=URL)
    [progress] = received
    assert isinstance(progress, ProgressMessage) and progress.location == URL
