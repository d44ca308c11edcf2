"""``/ask`` and mention questions: defer, ask the engine, render pages, reply with the answer's buttons."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import rate_limited
from bot.config import scopes_for
from bot.errors import RateLimitedError, UsageError, report_message_error
from bot.formatting import render_answer
from bot.suggestions import label_choices, outlet_choices
from bot.views import keep_with_buttons
from index.models import Answer

if TYPE_CHECKING:
    from bot.client import SitrepBot


class IsoDate(app_commands.Transformer):
    """A YYYY-MM-DD option."""

    async def transform(self, interaction: discord.Interaction, value: str) -> date:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise UsageError(
                f"“{value[:40]}” is not a date; use YYYY-MM-DD, for example 2024-03-01."
            ) from None


def question_from_mention(content: str, bot_id: int) -> str | None:
    """The question in a message that mentions the bot (``<@id>`` anywhere), or None if it doesn't."""
    pattern = re.compile(rf"<@!?{bot_id}>")
    if not pattern.search(content):
        return None
    return " ".join(pattern.sub(" ", content).split())


class Ask(commands.Cog):
    """Questions, by slash command or by mentioning the bot."""

    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot
        self.engine = bot.engine

    async def _answer(
        self,
        question: str,
        *,
        guild_id: int | None,
        channel: object,
        outlet: str | None = None,
        since: date | None = None,
        until: date | None = None,
        exclude_labels: list[str] | None = None,
    ) -> tuple[Answer, bool]:
        """The answer, and whether it continues a thread's conversation: there, the question is read
        as a follow-up of the thread's first one (the options given win over what it carries over)."""
        first = await self.bot.conversations.first_answer(channel)
        if first is not None:
            asked = await self.bot.conversations.follow_up(first, question, guild_id)
            question, outlet = asked.question, outlet or asked.outlet
            if since is None and until is None:
                since, until = asked.since, asked.until
        answer = await self.engine.ask(
            question,
            scopes=scopes_for(guild_id),
            outlet=outlet,
            since=since,
            until=until,
            exclude_labels=exclude_labels or [],
        )
        return answer, first is not None

    @app_commands.command()
    @app_commands.describe(
        question="What do you want to know? Dates, places and outlets in it are used as filters.",
        outlet="Only quote this outlet (type to pick one of this archive's)",
        since="Only articles published on or after this day (YYYY-MM-DD)",
        until="Only articles published on or before this day (YYYY-MM-DD)",
        exclude_label="Leave out outlets this server labelled so (e.g. state media)",
        private="Only you see the answer (default: everyone in the channel)",
    )
    @rate_limited("ask_limiter")
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, 500],
        outlet: app_commands.Range[str, 1, 100] | None = None,
        since: app_commands.Transform[date, IsoDate] | None = None,
        until: app_commands.Transform[date, IsoDate] | None = None,
        exclude_label: app_commands.Range[str, 1, 40] | None = None,
        private: bool = False,
    ) -> None:
        """Answer a question with verbatim, attributed quotes from the archive."""
        if since and until and since > until:
            raise UsageError("`since` is after `until`.")
        # Discord wants an acknowledgement within 3 s; a private answer is deferred privately.
        await interaction.response.defer(thinking=True, ephemeral=private)
        answer, in_thread = await self._answer(
            question,
            guild_id=interaction.guild_id,
            channel=interaction.channel,
            outlet=outlet,
            since=since,
            until=until,
            exclude_labels=[exclude_label] if exclude_label else [],
        )
        pages = render_answer(answer)
        answer_id, view = await keep_with_buttons(
            self.bot.posted, answer, len(pages), interaction.user.id, interaction.guild_id
        )
        first = pages[0]
        if view is None:
            await interaction.followup.send(content=first.content, embeds=list(first.embeds))
            return
        sent = await interaction.followup.send(
            content=first.content, embeds=list(first.embeds), view=view, wait=True
        )
        if answer_id is not None and not private and not in_thread:
            await self._maybe_thread(
                interaction.channel, sent.id, answer_id, answer.question, interaction.guild_id
            )

    ask.autocomplete("outlet")(outlet_choices)
    ask.autocomplete("exclude_label")(label_choices)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer "@sitrep what did X say about Y?" (needs no message-content intent: it mentions us)."""
        me = self.bot.user
        if message.author.bot or me is None:
            return
        question = question_from_mention(message.content, me.id)
        if question is None:
            return
        try:
            await self._answer_message(message, question)
        except Exception as e:
            await report_message_error(message, e)

    async def _answer_message(self, message: discord.Message, question: str) -> None:
        if not question:
            await message.reply(
                "Ask me a question after the mention, e.g. “what did the UN say about Gaza?”",
                mention_author=False,
            )
            return
        wait = self.bot.ask_limiter.hit(message.author.id)
        if wait > 0:
            raise RateLimitedError(wait)
        guild_id = message.guild.id if message.guild else None
        async with message.channel.typing():
            answer, in_thread = await self._answer(question, guild_id=guild_id, channel=message.channel)
        pages = render_answer(answer)
        answer_id, view = await keep_with_buttons(
            self.bot.posted, answer, len(pages), message.author.id, guild_id
        )
        first = pages[0]
        if view is None:
            await message.reply(content=first.content, embeds=list(first.embeds), mention_author=False)
            return
        sent = await message.reply(
            content=first.content, embeds=list(first.embeds), view=view, mention_author=False
        )
        if answer_id is not None and not in_thread:
            await self._maybe_thread(message.channel, sent.id, answer_id, answer.question, guild_id)

    async def _maybe_thread(
        self, channel: object, message_id: int, answer_id: int, question: str, guild_id: int | None
    ) -> None:
        """Open the answer's thread where the server asked for threads (``/admin threads``)."""
        if await self.bot.conversations.threads_on(guild_id):
            await self.bot.conversations.open_thread(channel, message_id, answer_id, question)


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Ask(bot))
