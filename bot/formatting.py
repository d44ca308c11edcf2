"""Pure rendering of the library's records into Discord messages, within Discord's limits by construction.

Nothing here does I/O. Every string that comes from a source (quotes, speakers, titles, outlets, failure
reasons) goes through ``escape`` so that a quote can neither format the message nor ping anyone, and every
piece is cut to a budget before it is assembled, so no combination of inputs can exceed a limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import discord
from discord import app_commands

from index.answering.disagreement import describe
from index.dates.event_dates import describe_days
from index.models import (
    Answer,
    Disagreement,
    DocumentRef,
    IngestReport,
    OutletLabel,
    Progress,
    Quote,
    SourceInfo,
    Stats,
)
from index.text.cleaning import other_language
from index.wording import counted

# Discord's limits (message.mdx, application-commands.mdx).
CONTENT_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FOOTER_MAX = 2048
MESSAGE_EMBEDS_MAX = 10
MESSAGE_EMBED_TOTAL_MAX = 6000
CHOICES_MAX = 25
CHOICE_NAME_MAX = 100

# Our budgets, well inside those limits, so a page stays readable on a phone.
QUOTES_PER_PAGE = 5
BLOCK_MAX = 1400  # one rendered quote with its citation; a longer quote is cut with "…" (the link has it all)
EMBED_TITLE_BUDGET = 200
FOOTER_BUDGET = 300
QUESTION_BUDGET = 300
DISAGREEMENTS_SHOWN = 3
DISAGREEMENT_LINE_MAX = 400  # with the question, the content stays far under 2000
PAGE_BUDGET = MESSAGE_EMBED_TOTAL_MAX - FOOTER_BUDGET  # for titles and descriptions of one page
COLOUR = discord.Colour.dark_teal()
ELLIPSIS = "…"


@dataclass(frozen=True)
class Page:
    """One message's worth of an answer."""

    content: str
    embeds: tuple[discord.Embed, ...]
    quotes: tuple[int, ...] = ()  # indexes into the answer's quotes of those on this page


# -- primitives ------------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Neutralise markdown and mentions (``@everyone``, ``<@id>``) in text from a source or a user."""
    return no_pings(discord.utils.escape_markdown(text)).replace("<#", "<\u200b#")


def no_pings(text: str) -> str:
    """Text whose mentions can't ping even if a client ignored ``allowed_mentions`` (markdown kept)."""
    # escape_mentions only knows snowflake-length ids; break every user and role mention.
    return discord.utils.escape_mentions(text).replace("<@", "<\u200b@")


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in "…" when cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + ELLIPSIS


def fit(raw: str, render: Callable[[str], str], limit: int) -> str:
    """``render`` of the longest prefix of ``raw`` whose rendering is at most ``limit`` characters.

    Escaping can grow a text (a backslash per markdown character, a zero-width space per mention), so
    cutting the rendered string would break escapes; instead cut the raw text and render again.
    ``render`` must never shrink its input, and ``render("")`` must fit.
    """
    if len(raw) <= limit:
        whole = render(raw)
        if len(whole) <= limit:
            return whole
    lo, hi = 0, min(len(raw), limit)  # a longer prefix can't fit: rendering never shrinks
    while lo < hi:  # largest n with len(render(raw[:n] + "…")) <= limit
        mid = (lo + hi + 1) // 2
        if len(render(raw[:mid].rstrip() + ELLIPSIS)) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return render(raw[:lo].rstrip() + ELLIPSIS if lo else "")


def plain(text: str | None, limit: int, fallback: str = "") -> str:
    """A short escaped one-line label (title, outlet, speaker) of at most ``limit`` characters."""
    one_line = " ".join((text or "").split()) or fallback
    return fit(one_line, escape, limit)


_UNSAFE_URL = re.compile(r"[\s<>\"\\]")


def safe_url(url: str | None) -> str | None:
    """An http(s) URL usable inside a markdown link, or None."""
    if not url or len(url) > 512 or not url.startswith(("http://", "https://")) or _UNSAFE_URL.search(url):
        return None
    return url.replace("(", "%28").replace(")", "%29")


def link(label: str, url: str | None) -> str:
    """``[label](url)`` with an escaped label, or just the label when the URL isn't safe."""
    label = label.replace("[", "(").replace("]", ")")
    target = safe_url(url)
    return f"[{label}]({target})" if target else label


def _date(d: date | None) -> str:
    return d.isoformat() if d else "undated"


def _lines(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines() or [""])


# -- answers ---------------------------------------------------------------------------------------------


def _citation(
    doc: DocumentRef, also_in: Sequence[DocumentRef], about: str = "", language: str = "und"
) -> str:
    title = plain(doc.title, 120, fallback=doc.outlet or "article")
    parts = [link(title, doc.url), _date(doc.published)]
    if about:  # the day the quote speaks of, when it isn't the publication day
        parts.append(f"about {truncate(about, 80)}")
    written_in = other_language(language)
    if written_in:  # quoted as written, never translated: say in what
        parts.append(f"in {written_in}")
    if doc.outlet:
        parts.insert(1, plain(doc.outlet, 60) + (f" ({plain(doc.label, 40)})" if doc.label else ""))
    line = "— " + " · ".join(parts)
    if also_in:
        names = list(
            dict.fromkeys(plain(d.outlet or d.title, 40, fallback="another outlet") for d in also_in)
        )
        line += (
            " · also carried by "
            + ", ".join(names[:3])
            + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        )
    return line


def render_quote(quote: Quote) -> str:
    """One quote as a block quote with its citation underneath; at most ``BLOCK_MAX`` characters.

    The block quote is the reporter's sentence as it stands, not wrapped in quotation marks: the
    speaker's own words are the ones quoted inside it, and wrapping added a second pair (``""At dawn…``).
    """
    citation = _citation(
        quote.document, quote.also_in, describe_days(quote.other_event_dates()), quote.language
    )
    budget = BLOCK_MAX - len(citation) - 1
    body = fit(quote.text.strip(), lambda t: _lines(escape(t), "> "), budget)
    return f"{body}\n{citation}"


def _group_key(quote: Quote) -> tuple[str, str]:
    return (quote.speaker or "").strip().casefold(), (quote.document.outlet or "").strip().casefold()


def _group_title(quote: Quote) -> str:
    speaker = plain(quote.speaker, 120, fallback="Unattributed")
    outlet = plain(quote.document.outlet, 70, fallback="unknown outlet")
    return truncate(f"{speaker} · {outlet}", EMBED_TITLE_BUDGET)


def group_quotes(order: Iterable[int], quotes: Sequence[Quote]) -> list[list[int]]:
    """Indexes of ``quotes`` (taken in ``order``) grouped by (speaker, outlet); groups in order of their
    first quote."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i in order:
        groups.setdefault(_group_key(quotes[i]), []).append(i)
    return list(groups.values())


def _filters_text(answer: Answer) -> str:
    f = answer.filters
    parts = []
    if f.since or f.until:
        lo, hi = _date(f.since) if f.since else "…", _date(f.until) if f.until else "…"
        parts.append(lo if lo == hi else f"{lo} to {hi}")
    if f.outlets:
        parts.append("outlet " + ", ".join(f.outlets))
    if f.places:
        parts.append("mentioning " + ", ".join(f.places))
    if f.excluded_labels:
        parts.append("without " + ", ".join(f.excluded_labels))
    parts.extend(f.relative)
    return " · ".join(parts)


def _footer(answer: Answer, page: int, pages: int) -> str:
    text = f"Searched {answer.articles_searched:,} article{'s' if answer.articles_searched != 1 else ''}"
    if answer.quotes:
        text += f" · {len(answer.quotes)} quote{'s' if len(answer.quotes) != 1 else ''}"
    filters = _filters_text(answer)
    if filters:
        text += " · " + filters
    suffix = f" · page {page}/{pages}" if pages > 1 else ""
    # Footers don't render markdown or mentions, but outlet names come from sources: keep them plain.
    return truncate(discord.utils.escape_mentions(text), FOOTER_BUDGET - len(suffix)) + suffix


def question_line(question: str) -> str:
    """The message content above an answer: the question, escaped and cut."""
    return "**Q:** " + fit(" ".join(question.split()), escape, QUESTION_BUDGET)


def _disagreement_line(d: Disagreement) -> str:
    if d.kind == "sides":  # "Each side — Russia: Defence Ministry; Ukraine: General Staff"
        text = "; ".join(f"{c.party}: {c.claimant}" for c in d.claims)
        return "Each side — " + fit(text, escape, DISAGREEMENT_LINE_MAX)
    return fit(describe(d), escape, DISAGREEMENT_LINE_MAX)


def disagreement_lines(answer: Answer) -> str:
    """ "⚖️ Sources disagree — killed: X says 3; Y says no" lines for the message content (or "").

    A side-by-side record ("what did A and B each claim") reads "⚖️ Each side — A: X; B: Y".
    """
    shown = answer.disagreements[:DISAGREEMENTS_SHOWN]
    if not shown:
        return ""
    lines, first = [], True
    for d in shown:
        line = _disagreement_line(d)
        if d.kind != "sides" and first:
            line, first = "Sources disagree — " + line, False
        lines.append(line)
    more = len(answer.disagreements) - len(lines)
    return "\n⚖️ " + "\n⚖️ ".join(lines) + (f"\n(+{more} more)" if more > 0 else "")


def lead_order(answer: Answer) -> list[int]:
    """Indexes of the answer's quotes with those of the disagreements first, so each side of a dispute
    (and each party of a side-by-side record) is on the first page: the disagreements' quotes in the
    order they name them, then the rest in rank order.
    """
    lead = [
        c.quote
        for d in answer.disagreements[:DISAGREEMENTS_SHOWN]
        for c in d.claims
        if 0 <= c.quote < len(answer.quotes)
    ]
    return list(dict.fromkeys([*lead, *range(len(answer.quotes))]))


def lead_quotes(answer: Answer) -> list[Quote]:
    """The answer's quotes in ``lead_order``."""
    return [answer.quotes[i] for i in lead_order(answer)]


# One page's embeds: (title, rendered blocks, indexes of their quotes in the answer).
_Layout = list[tuple[str, list[str], list[int]]]


def _layouts(answer: Answer, quotes_per_page: int) -> list[_Layout]:
    layouts: list[_Layout] = [[]]
    used, count = 0, 0
    order = lead_order(answer)
    for group in group_quotes(order, answer.quotes):
        title = _group_title(answer.quotes[group[0]])
        for index in group:
            block = render_quote(answer.quotes[index])
            page = layouts[-1]
            same_embed = (
                bool(page)
                and page[-1][0] == title
                and (len("\n\n".join([*page[-1][1], block])) <= DESCRIPTION_MAX)
            )
            cost = len(block) + (2 if same_embed else len(title))
            if count >= quotes_per_page or used + cost > PAGE_BUDGET:
                layouts.append([])
                page, used, count, same_embed = layouts[-1], 0, 0, False
                cost = len(block) + len(title)
            if same_embed:
                page[-1][1].append(block)
                page[-1][2].append(index)
            else:
                page.append((title, [block], [index]))
            used += cost
            count += 1
    return layouts


def _quotes_on(layout: _Layout) -> list[int]:
    return [i for _, _, indexes in layout for i in indexes]


def render_answer(answer: Answer, *, quotes_per_page: int = QUOTES_PER_PAGE) -> list[Page]:
    """An answer as pages: one embed per speaker/outlet group, each quote with its citation.

    By construction every page has at most ``quotes_per_page`` (≤ 10) embeds, each description at most
    4096 characters, and at most 6000 characters of embed text in all; the content is under 2000. A
    last page holding one stray quote is avoided by fewer quotes a page where that spreads them out.
    """
    quotes_per_page = max(1, min(quotes_per_page, MESSAGE_EMBEDS_MAX))
    content = question_line(answer.question) + disagreement_lines(answer)
    if not answer.found or not answer.quotes:
        embed = discord.Embed(
            title="Nothing found",
            description=fit(answer.note or "Nothing in the archive answers that.", escape, 1000),
            colour=discord.Colour.light_grey(),
        )
        embed.set_footer(text=_footer(answer, 1, 1))
        return [Page(content, (embed,))]

    # Groups keep their order across pages; the groups holding a disagreement's quotes come first.
    layouts = _layouts(answer, quotes_per_page)
    for per in range(quotes_per_page - 1, 2, -1):
        if len(layouts) < 2 or len(_quotes_on(layouts[-1])) > 1:
            break
        layouts = _layouts(answer, per)
    pages = []
    for n, layout in enumerate(layouts, start=1):
        embeds = [
            discord.Embed(title=title, description="\n\n".join(blocks), colour=COLOUR)
            for title, blocks, _ in layout
        ]
        embeds[-1].set_footer(text=_footer(answer, n, len(layouts)))
        pages.append(Page(content, tuple(embeds), tuple(_quotes_on(layout))))
    return pages


def cited_documents(answer: Answer) -> list[DocumentRef]:
    """Every article the answer quotes (including republications), without repeats, in answer order."""
    seen: dict[str, DocumentRef] = {}
    for q in answer.quotes:
        for doc in (q.document, *q.also_in):
            seen.setdefault(doc.id, doc)
    return list(seen.values())


def _doc_line(n: int, doc: DocumentRef) -> str:
    title = plain(doc.title, 150, fallback=doc.url or doc.id)
    outlet = plain(doc.outlet, 60, fallback="unknown outlet")
    return f"{n}. {link(title, doc.url)} — {outlet}, {_date(doc.published)}"


def _fit_description(lines: Sequence[str]) -> list[str]:
    """As many whole lines as fit an embed description, then "… and N more" for the rest."""
    kept: list[str] = []
    size = 0
    for n, line in enumerate(lines):
        rest = f"… and {len(lines) - n} more"
        if size + len(line) + 1 > DESCRIPTION_MAX - len(rest) - 1:
            kept.append(rest)
            break
        kept.append(line)
        size += len(line) + 1
    return kept


def render_sources(answer: Answer) -> discord.Embed:
    """The "Sources" button: the cited articles as a numbered list of links."""
    docs = cited_documents(answer)
    lines = _fit_description([_doc_line(n, doc) for n, doc in enumerate(docs, start=1)])
    return discord.Embed(
        title=f"Sources ({len(docs)})",
        description="\n".join(lines) or "No articles were quoted.",
        colour=COLOUR,
    )


# -- sources, ingest reports, stats --------------------------------------------------------------------


def _who(added_by: str | None) -> str:
    if not added_by:
        return "the bot owner"
    return f"<@{added_by}>" if added_by.isdigit() else plain(added_by, 60)


def render_source_list(
    sources: Sequence[SourceInfo], *, title: str = "Sources in this server"
) -> discord.Embed:
    """``/source list``: one line per source with its id, kind, location and article count."""
    lines = _fit_description(
        [
            f"`#{s.id}` {s.kind} · {s.articles:,} article{'s' if s.articles != 1 else ''}"
            + (f" ({s.versions:,} later version{'s' if s.versions != 1 else ''})" if s.versions else "")
            + f" · {plain(s.location, 200)} · added by {_who(s.added_by)}"
            for s in sources
        ]
    )
    embed = discord.Embed(title=title, colour=COLOUR)
    embed.description = "\n".join(lines) if lines else "No sources yet. Add one with `/source add`."
    return embed


def source_choices(sources: Sequence[SourceInfo], current: str) -> list[app_commands.Choice[int]]:
    """Autocomplete for ``/source remove``: sources whose id or location contains ``current``, ≤ 25."""
    needle = current.strip().lstrip("#").casefold()
    out = []
    for s in sources:
        if needle and needle not in str(s.id) and needle not in s.location.casefold():
            continue
        name = truncate(
            f"#{s.id} {s.kind}: {' '.join(s.location.split())} ({counted(s.articles, 'article')})",
            CHOICE_NAME_MAX,
        )
        out.append(app_commands.Choice(name=name, value=s.id))
        if len(out) == CHOICES_MAX:
            break
    return out


def render_progress(location: str, progress: Progress | None, seconds: float | None = None) -> str:
    """A progress line while a source is being added: the stage, articles stored, passages embedded,
    and how long it has been going (None: fetching, nothing reported yet)."""
    if progress is None:
        line = f"Adding {plain(location, 300)}: fetching…"
    else:
        total = f"/{progress.total}" if progress.total is not None else ""
        line = f"Adding {plain(location, 300)}: {progress.stage} · {progress.done}{total} articles stored"
        if progress.chunks_total:
            line += f" · {progress.chunks}/{progress.chunks_total} passages embedded"
        line += "…"
    if seconds is not None:
        line += f" ({seconds:.0f} s)"
    return truncate(line, CONTENT_MAX)


def render_report(location: str, report: IngestReport) -> str:
    """The summary a source addition ends with: added / duplicates / failed, with reasons."""
    head = f"**{plain(location, 300)}**: " + report.summary()
    if report.source_ids:
        head += " · source " + ", ".join(f"#{i}" for i in report.source_ids[:5])
    lines = [head]
    shown = report.failed[:5]
    for failure in shown:
        lines.append(f"• {plain(failure.location, 150)}: {plain(failure.reason, 250)}")
    if len(report.failed) > len(shown):
        lines.append(f"… and {len(report.failed) - len(shown)} more failures")
    return truncate("\n".join(lines), CONTENT_MAX)


def human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def render_rebuild_done(stats: Stats, seconds: float, requested_by: int) -> str:
    return (
        f"Index rebuilt (asked by <@{requested_by}>): {stats.index_vectors:,} vectors over "
        f"{counted(stats.articles, 'article')} in {seconds:.1f} s."
    )


def render_labels(labels: Sequence[OutletLabel]) -> discord.Embed:
    """``/admin labels``: this server's outlet labels, one per line."""
    lines = _fit_description([f"{plain(x.outlet, 100)} — {plain(x.label, 40)}" for x in labels])
    embed = discord.Embed(title="Outlet labels in this server", colour=COLOUR)
    embed.description = "\n".join(lines) if lines else "No labels yet. Set one with `/admin label`."
    return embed
