"""Spec'd mocks of discord.py objects and a fake runner, for calling cog callbacks directly.

After python-discord's ``tests/helpers.py``: each mock is a ``MagicMock`` with ``spec_set`` a real
discord.py class (or an instance, for the bot), so a misspelt attribute fails instead of returning a
mock, and the class's coroutine methods are ``AsyncMock`` (``interaction.followup.send`` is awaited,
and ``assert_awaited_once_with`` works). Children of a mock are plain ``MagicMock``\\ s.
"""

from __future__ import annotations

import itertools
import unittest.mock
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

import discord

from bot.client import SitrepBot
from bot.config import BotSettings
from bot.conversations import Conversations
from bot.posted import PostedAnswers
from bot.runner import LocalRunner, ProgressCallback
from bot.suggestions import Suggestions
from index.engine import Engine
from index.ingest.readers import TextMeta
from index.models import IngestReport, Progress, Stats

_ids = itertools.count(100_000)


class _SpecMock(unittest.mock.MagicMock):
    """A ``MagicMock`` spec'd on ``spec_set``; the attributes it is built with are checked against it."""

    spec_set: ClassVar[Any] = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(spec_set=self.spec_set, **kwargs)

    def _get_child_mock(self, **kw: Any) -> unittest.mock.MagicMock:
        # AsyncMock for the spec's coroutine methods (MagicMock already knows them); plain mocks for
        # the rest, so a child isn't spec'd again as the parent's class.
        if kw.get("_new_name") in self.__dict__["_spec_asyncs"]:
            return unittest.mock.AsyncMock(**kw)  # type: ignore[return-value]
        return unittest.mock.MagicMock(**kw)


def settings(**values: Any) -> BotSettings:
    """Bot settings for tests: no environment, no .env, no rate limits; ``values`` override."""
    defaults: dict[str, Any] = {
        "token": "t",
        "ask_rate": "off",
        "source_add_rate": "off",
        "feed_poll_minutes": 0,
    }
    return BotSettings(_env_file=None, **{**defaults, **values})  # type: ignore[call-arg]


class MockEngine(_SpecMock):
    """An ``Engine``: every public coroutine is an ``AsyncMock`` (set ``return_value`` per test)."""

    spec_set = Engine


@dataclass
class FakeRunner:
    """A ``Runner`` that records each call and returns what the test set; ``progress`` callbacks get
    ``progress_reports`` before the result, as a real ingest reports its steps."""

    polls_feeds: bool = True
    report: IngestReport = field(default_factory=lambda: IngestReport(added=1, chunks=2, source_ids=[7]))
    removed: int = 3
    stats: Stats = field(
        default_factory=lambda: Stats(
            sources=3,
            articles=55,
            chunks=136,
            index_type="flat",
            index_vectors=136,
            index_bytes=1000,
            model="m",
            last_rebuild=None,
        )
    )
    progress_reports: list[Progress] = field(default_factory=list)
    error: BaseException | None = None  # raised by every call when set
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = field(default_factory=list)

    def _record(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.calls.append((name, args, kwargs))
        if self.error is not None:
            raise self.error

    def _report_progress(self, progress: ProgressCallback | None) -> None:
        for step in self.progress_reports:
            if progress is not None:
                progress(step)

    async def ingest_url(
        self, url: str, *, scope: str, added_by: str, progress: ProgressCallback | None = None
    ) -> IngestReport:
        self._record("ingest_url", url, scope=scope, added_by=added_by)
        self._report_progress(progress)
        return self.report

    async def ingest_upload(
        self,
        filename: str,
        data: bytes,
        *,
        scope: str,
        added_by: str,
        progress: ProgressCallback | None = None,
        meta: TextMeta | None = None,
    ) -> IngestReport:
        self._record("ingest_upload", filename, data, scope=scope, added_by=added_by, meta=meta)
        self._report_progress(progress)
        return self.report

    async def remove_source(self, source_id: int, *, scope: str) -> int:
        self._record("remove_source", source_id, scope=scope)
        return self.removed

    async def rebuild(self) -> Stats:
        self._record("rebuild")
        return self.stats

    async def refresh_feeds(self, scope: str | None = None) -> IngestReport:
        self._record("refresh_feeds", scope)
        return self.report


# A real bot, never connected, whose attributes MockBot is spec'd on (as python-discord does).
_bot_instance = SitrepBot(MockEngine(), LocalRunner(MockEngine()), settings())


class MockBot(_SpecMock):
    """A ``SitrepBot`` with a ``MockEngine``, a ``FakeRunner``, real settings and real rate limiters."""

    spec_set = _bot_instance

    def __init__(self, *, runner: FakeRunner | None = None, **setting_values: Any) -> None:
        super().__init__()
        self.engine = MockEngine()
        self.runner = runner or FakeRunner()
        self.settings = settings(**setting_values)
        self.ask_limiter = self.settings.ask_limiter()
        self.source_add_limiter = self.settings.source_add_limiter()
        self.user = MockUser(id=1000, bot=True)
        self.posted = unittest.mock.NonCallableMock(spec_set=PostedAnswers)
        self.posted.keep = unittest.mock.AsyncMock(return_value=77)  # the kept answer's id
        self.posted.get = unittest.mock.AsyncMock(return_value=None)
        self.suggestions = unittest.mock.NonCallableMock(spec_set=Suggestions)
        self.conversations = unittest.mock.NonCallableMock(spec_set=Conversations)
        self.conversations.first_answer = unittest.mock.AsyncMock(return_value=None)  # not in a thread
        self.conversations.threads_on = unittest.mock.AsyncMock(return_value=False)
        self.conversations.set_threads = unittest.mock.AsyncMock()
        self.conversations.open_thread = unittest.mock.AsyncMock()


class MockUser(_SpecMock):
    """A ``discord.User``."""

    spec_set = discord.User

    def __init__(self, *, id: int = 9001, bot: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.id, self.bot, self.mention = id, bot, f"<@{id}>"


class MockMember(_SpecMock):
    """A ``discord.Member`` (a user in a server, with roles)."""

    spec_set = discord.Member

    def __init__(self, *, id: int = 9001, roles: tuple[int, ...] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.id, self.bot, self.mention = id, False, f"<@{id}>"
        self.roles = [MockRole(id=r) for r in roles]


class MockRole(_SpecMock):
    spec_set = discord.Role

    def __init__(self, *, id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.id = id


class MockTextChannel(_SpecMock):
    """A ``discord.TextChannel``: ``send`` is awaited, ``typing()`` is an async context manager."""

    spec_set = discord.TextChannel

    def __init__(self, *, id: int = 4000, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.id = id


class MockMessage(_SpecMock):
    """A ``discord.Message``; ``reply`` is awaited."""

    spec_set = discord.Message

    def __init__(
        self,
        *,
        content: str = "",
        author: MockUser | MockMember | None = None,
        guild_id: int | None = 3000,
        channel: MockTextChannel | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.id = next(_ids)
        self.content = content
        self.author = author or MockMember()
        self.channel = channel or MockTextChannel()
        self.guild = (
            None if guild_id is None else unittest.mock.MagicMock(spec_set=discord.Guild, id=guild_id)
        )


class MockAttachment(_SpecMock):
    """A ``discord.Attachment`` whose ``read()`` returns ``data`` (``size`` may say otherwise)."""

    spec_set = discord.Attachment

    def __init__(self, filename: str, data: bytes, *, size: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.filename = filename
        self.size = len(data) if size is None else size
        self.read.return_value = data


class MockInteractionResponse(_SpecMock):
    """An ``InteractionResponse`` that remembers whether (and how) it was acknowledged, like the real one."""

    spec_set = discord.InteractionResponse

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.type = None
        self.is_done.return_value = False
        self.defer.side_effect = self._acknowledged(discord.InteractionResponseType.deferred_channel_message)
        self.send_message.side_effect = self._acknowledged(discord.InteractionResponseType.channel_message)

    def _acknowledged(self, kind: discord.InteractionResponseType) -> Any:
        async def acknowledge(*args: Any, **kwargs: Any) -> None:
            if self.is_done.return_value:
                raise discord.InteractionResponded(unittest.mock.MagicMock())
            self.is_done.return_value = True
            self.type = kind

        return acknowledge


class MockWebhook(_SpecMock):
    """The interaction's ``followup`` webhook; ``send`` is awaited and returns a ``MockMessage``."""

    spec_set = discord.Webhook

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.send.return_value = MockMessage()


class MockInteraction(_SpecMock):
    """A slash-command ``discord.Interaction`` in a server, created now, by a member with ``permissions``."""

    spec_set = discord.Interaction

    def __init__(
        self,
        *,
        bot: MockBot | None = None,
        guild_id: int | None = 3000,
        user: MockMember | MockUser | None = None,
        permissions: discord.Permissions | None = None,
        channel: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.id = next(_ids)
        self.client = bot or MockBot()
        self.guild_id = guild_id
        self.user = user or MockMember()
        self.permissions = permissions or discord.Permissions.none()
        self.channel = channel if channel is not None else MockTextChannel()
        self.created_at = datetime.now(UTC)
        self.type = discord.InteractionType.application_command
        self.command = None
        self.response = MockInteractionResponse()
        self.followup = MockWebhook()
