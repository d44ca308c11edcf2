"""``bot.checks``: the per-user rate limits and who may manage sources, as the command tree runs them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord
import pytest

from bot.checks import can_manage_sources, rate_limited
from bot.errors import NotAllowedError, RateLimitedError
from tests.bot.mocks import MockBot, MockInteraction, MockMember

Predicate = Callable[[discord.Interaction], Awaitable[bool]]


def predicate_of(check: Callable[[Any], Any]) -> Predicate:
    """The predicate a check decorator adds to a command (what the command tree calls)."""

    async def command(interaction: discord.Interaction) -> None: ...

    [found] = check(command).__discord_app_commands_checks__
    return found  # type: ignore[no-any-return]


async def test_rate_limited_refuses_the_user_over_the_limit_with_the_wait() -> None:
    check = predicate_of(rate_limited("ask_limiter"))
    bot = MockBot(ask_rate="2/60")
    alice, bob = MockMember(id=1), MockMember(id=2)
    assert await check(MockInteraction(bot=bot, user=alice))
    assert await check(MockInteraction(bot=bot, user=alice))
    with pytest.raises(RateLimitedError, match=r"try again in \d+ s\.$") as refused:
        await check(MockInteraction(bot=bot, user=alice))
    assert 0 < refused.value.retry_after <= 60
    assert await check(MockInteraction(bot=bot, user=bob))  # per user


@pytest.mark.parametrize(
    ("settings", "permissions", "roles"),
    [
        ({}, discord.Permissions(manage_messages=True), ()),
        ({}, discord.Permissions(administrator=True), ()),
        ({"source_managers": "everyone"}, discord.Permissions.none(), ()),
        ({"source_roles": "55"}, discord.Permissions(manage_messages=True), (55,)),
    ],
)
async def test_who_may_manage_sources(
    settings: dict[str, object], permissions: discord.Permissions, roles: tuple[int, ...]
) -> None:
    interaction = MockInteraction(
        bot=MockBot(**settings), permissions=permissions, user=MockMember(roles=roles)
    )
    assert await predicate_of(can_manage_sources())(interaction)


@pytest.mark.parametrize(
    ("settings", "roles", "message"),
    [
        ({}, (), "Only members with Manage Messages can add or remove this server's sources."),
        ({"source_managers": "admins"}, (), "Only administrators can add or remove this server's sources."),
        (
            {"source_roles": "55"},
            (66,),
            "Only administrators and members with Manage Messages and one of the bot's source roles can add "
            "or remove this server's sources.",
        ),
    ],
)
async def test_who_may_not_manage_sources_is_told_who_may(
    settings: dict[str, object], roles: tuple[int, ...], message: str
) -> None:
    interaction = MockInteraction(
        bot=MockBot(**settings),
        permissions=discord.Permissions(send_messages=True),
        user=MockMember(roles=roles),
    )
    with pytest.raises(NotAllowedError) as refused:
        await predicate_of(can_manage_sources())(interaction)
    assert str(refused.value) == message
