"""The pure renderers: every page of every answer is within Discord's limits, and nothing in a quote pings."""

from __future__ import annotations

import re
from datetime import date

import discord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.formatting import (
    BLOCK_MAX,
    CONTENT_MAX,
    Page,
    cited_documents,
    escape,
    fit,
    group_quotes,
    human_bytes,
    lead_order,
    render_answer,
    render_progress,
    render_quote,
    render_report,
    render_source_list,
    render_sources,
    safe_url,
    source_choices,
)
from index.models import (
    Answer,
    Disagreement,
    DisputedClaim,
    DocumentRef,
    Failure,
    IngestReport,
    Progress,
    QueryFilters,
    Quote,
    SourceInfo,
)
from tests.bot.fakediscord import embed_length, validate_message

NASTY = [
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "<@&123456789012345678>",
    "**",
    "__",
    "`",
    "```",
    "> ",
    "# ",
    "- ",
    "[x](http://evil.example)",
    "||spoiler||",
    "~~",
    "\\",
    "\n",
    "\n\n",
    ")",
    "(",
    "]",
    "[",
]

nasty_text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=40)), max_size=60).map("".join)
long_text = st.one_of(
    nasty_text,
    nasty_text,
    nasty_text,
    st.integers(0, 6000).map(lambda n: ("word *@everyone* " * (n // 17 + 1))[:n]),
)
urls = st.one_of(
    st.none(),
    st.just("https://example.org/a_(b)/c?d=e"),
    st.text(max_size=30).map(lambda s: "https://news.example/" + s),
    st.just("javascript:alert(1)"),
    st.just("https://x.example/" + "a" * 600),
)
documents = st.builds(
    DocumentRef,
    id=st.text(min_size=1, max_size=12),
    title=st.one_of(st.none(), nasty_text, st.text(max_size=400)),
    outlet=st.one_of(
        st.none(), st.sampled_from(["Reuters", "AP", "@everyone Daily", "The *Bold* Post"]), nasty_text
    ),
    url=urls,
    published=st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1))),
)
quotes = st.builds(
    Quote,
    text=long_text,
    speaker=st.one_of(st.none(), st.sampled_from(["Ilse Marrenk", "@everyone", "Col. *Irreth*"]), nasty_text),
    start=st.just(0),
    end=st.just(1),
    score=st.floats(0, 1),
    document=documents,
    also_in=st.lists(documents, max_size=6).map(tuple),
    event_dates=st.lists(st.dates(), max_size=40).map(lambda days: tuple(sorted(set(days)))),
)
answers = st.builds(
    Answer,
    question=long_text,
    found=st.booleans(),
    quotes=st.lists(quotes, max_size=25).map(tuple),
    articles_searched=st.integers(0, 10**7),
    filters=st.builds(
        QueryFilters,
        since=st.one_of(st.none(), st.dates()),
        until=st.one_of(st.none(), st.dates()),
        outlets=st.lists(nasty_text, max_size=30).map(tuple),
        places=st.lists(st.text(max_size=80), max_size=30).map(tuple),
    ),
    note=st.one_of(st.none(), long_text),
    disagreements=st.lists(
        st.builds(
            Disagreement,
            category=nasty_text,
            claims=st.lists(
                st.builds(
                    DisputedClaim,
                    quote=st.integers(0, 30),
                    claimant=long_text,
                    figure=nasty_text,
                    subject=nasty_text,
                ),
                max_size=8,
            ).map(tuple),
        ),
        max_size=6,
    ).map(tuple),
)

UNESCAPED_MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d")


def page_payload(page: Page) -> dict[str, object]:
    return {
        "content": page.content,
        "embeds": [e.to_dict() for e in page.embeds],
        "allowed_mentions": {"parse": []},
    }


def all_text(page: Page) -> str:
    parts = [page.content]
    for e in page.embeds:
        parts += [e.title or "", e.description or "", e.footer.text or ""]
        parts += [f"{f.name}{f.value}" for f in e.fields]
    return "\n".join(parts)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers)
def test_every_page_of_every_answer_is_within_discords_limits(answer: Answer) -> None:
    pages = render_answer(answer)
    assert pages
    for page in pages:
        assert validate_message(page_payload(page)) == []
        assert len(page.content) <= CONTENT_MAX
        assert 1 <= len(page.embeds) <= 10
        assert sum(len(e) for e in page.embeds) <= 6000  # discord.py's own count agrees with the fake's
        assert sum(embed_length(e.to_dict()) for e in page.embeds) <= 6000
        assert not UNESCAPED_MENTION.search(all_text(page)), "a mention survived escaping"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers)
def test_every_quote_is_shown_exactly_once_and_in_group_order(answer: Answer) -> None:
    pages = render_answer(answer)
    if not (answer.found and answer.quotes):
        assert len(pages) == 1 and pages[0].embeds[0].title == "Nothing found"
        return
    # The disagreements' quotes lead (each side on the first page), then the rest in rank order.
    groups = group_quotes(lead_order(answer), answer.quotes)
    expected = [render_quote(answer.quotes[i]) for group in groups for i in group]
    shown = "\n\n".join(e.description or "" for p in pages for e in p.embeds)
    position = 0
    for block in expected:
        found = shown.find(block, position)
        assert found >= 0, "a quote is missing or out of order"
        position = found + len(block)
    assert all(len(p.embeds) <= 5 for p in pages)
    # Each page names the quotes it shows (what "Cite" and the votes act on), each quote on one page.
    assert sorted(i for p in pages for i in p.quotes) == list(range(len(answer.quotes)))
    assert [i for p in pages for i in p.quotes] == [i for group in groups for i in group]
    if len(pages) > 1:
        assert all(f"page {n}/{len(pages)}" in p.embeds[-1].footer.text for n, p in enumerate(pages, 1))  # type: ignore[operator]


@given(quotes)
@settings(max_examples=150, deadline=None)
def test_a_rendered_quote_fits_its_block_and_is_escaped(quote: Quote) -> None:
    block = render_quote(quote)
    assert len(block) <= BLOCK_MAX
    assert not UNESCAPED_MENTION.search(block)
    assert block.startswith("> ") and not block.startswith("> “")  # the sentence as it stands, no added marks


def test_everyone_in_a_quote_is_neutralised_but_still_readable() -> None:
    doc = DocumentRef(
        "d1", "Evacuation order", "Dunmere Courier", "https://courier.example/a", date(2025, 3, 1)
    )
    quote = Quote("@everyone in the valley must leave **now**", "Mara Veldt", 0, 10, 0.9, doc)
    page = render_answer(Answer("what did @everyone hear?", True, (quote,), articles_searched=3))[0]
    text = all_text(page)
    assert "@\u200beveryone in the valley must leave \\*\\*now\\*\\*" in text
    assert "@everyone" not in text
    assert "[Evacuation order](https://courier.example/a)" in text
    assert page.embeds[0].title == "Mara Veldt · Dunmere Courier"
    assert page.embeds[-1].footer.text == "Searched 3 articles · 1 quote"


def test_quotes_are_grouped_per_speaker_and_outlet() -> None:
    def q(text: str, speaker: str | None, outlet: str) -> Quote:
        return Quote(text, speaker, 0, 1, 0.5, DocumentRef(text, text, outlet, None, None))

    answer = Answer("q", True, (q("a", "X", "A"), q("b", "Y", "A"), q("c", "X", "A"), q("d", "X", "B")), 4)
    [page] = render_answer(answer)
    assert [e.title for e in page.embeds] == ["X · A", "Y · A", "X · B"]
    assert page.embeds[0].description is not None and page.embeds[0].description.count("\n— ") == 2


def test_long_answers_page_five_quotes_at_a_time() -> None:
    doc = DocumentRef("d", "T", "O", "https://o.example/t", None)
    answer = Answer("q", True, tuple(Quote(f"quote {i}", f"S{i}", 0, 1, 0.5, doc) for i in range(12)), 99)
    pages = render_answer(answer)
    assert [sum(e.description.count("\n— ") for e in p.embeds) for p in pages] == [5, 5, 2]  # type: ignore[union-attr]
    assert pages[1].embeds[-1].footer.text == "Searched 99 articles · 12 quotes · page 2/3"


def test_no_page_holds_one_stray_quote() -> None:
    doc = DocumentRef("d", "T", "O", "https://o.example/t", None)
    for n, expected in ((6, [4, 2]), (11, [4, 4, 3]), (16, [4, 4, 4, 4]), (10, [5, 5]), (1, [1])):
        answer = Answer("q", True, tuple(Quote(f"quote {i}", f"S{i}", 0, 1, 0.5, doc) for i in range(n)), 9)
        assert [len(p.quotes) for p in render_answer(answer)] == expected, n


def test_huge_quotes_are_cut_with_an_ellipsis_and_pages_stay_under_6000() -> None:
    doc = DocumentRef("d", "T" * 1000, "O" * 1000, "https://o.example/" + "p" * 400, date(2025, 1, 1))
    answer = Answer(
        "q" * 5000, True, tuple(Quote("x_" * 5000, "S" * 500, 0, 1, 0.5, doc) for _ in range(10)), 1
    )
    pages = render_answer(answer)
    for page in pages:
        assert validate_message(page_payload(page)) == []
        assert all("…" in (e.description or "") for e in page.embeds)


def test_fit_cuts_the_raw_text_so_no_escape_is_split() -> None:
    assert fit("*" * 100, escape, 21) == "\\*" * 10 + "…"
    assert fit("*" * 100, escape, 22) == "\\*" * 10 + "…"  # 11 stars would need 23
    assert fit("short", escape, 5) == "short"


def test_safe_url() -> None:
    assert safe_url("https://a.example/x_(y)") == "https://a.example/x_%28y%29"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://a.example/has space") is None
    assert safe_url(None) is None


@settings(max_examples=100, deadline=None)
@given(answers)
def test_sources_embed_is_within_limits(answer: Answer) -> None:
    embed = render_sources(answer)
    assert validate_message({"embeds": [embed.to_dict()], "allowed_mentions": {"parse": []}}) == []
    assert not UNESCAPED_MENTION.search(embed.description or "")


def test_sources_lists_republications_once() -> None:
    a = DocumentRef("a", "Wire story", "Northline Wire", "https://w.example/1", date(2025, 3, 2))
    b = DocumentRef("b", "Wire story", "The Ossel Ledger", "https://l.example/1", date(2025, 3, 2))
    quotes = (Quote("x", None, 0, 1, 1, a, (b,)), Quote("y", None, 0, 1, 1, b))
    answer = Answer("q", True, quotes, 2)
    assert [d.id for d in cited_documents(answer)] == ["a", "b"]
    embed = render_sources(answer)
    assert embed.title == "Sources (2)"
    assert embed.description == (
        "1. [Wire story](https://w.example/1) — Northline Wire, 2025-03-02\n"
        "2. [Wire story](https://l.example/1) — The Ossel Ledger, 2025-03-02"
    )


sources_infos = st.lists(
    st.builds(
        SourceInfo,
        id=st.integers(1, 10**9),
        scope=st.just("3000"),
        kind=st.sampled_from(["file", "url", "feed"]),
        location=st.one_of(nasty_text, st.text(min_size=300, max_size=3000)),
        added_at=st.just("2025-01-01T00:00:00+00:00"),
        added_by=st.one_of(st.none(), st.just("9001"), nasty_text),
        articles=st.integers(0, 10**6),
    ),
    max_size=300,
)


@settings(max_examples=60, deadline=None)
@given(sources_infos, st.text(max_size=30))
def test_source_list_and_choices_are_within_limits(sources: list[SourceInfo], current: str) -> None:
    embed = render_source_list(sources)
    assert validate_message({"embeds": [embed.to_dict()], "allowed_mentions": {"parse": []}}) == []
    choices = source_choices(sources, current)
    assert len(choices) <= 25
    assert all(1 <= len(c.name) <= 100 for c in choices)
    assert not UNESCAPED_MENTION.search((embed.description or "").replace("<@9001>", ""))


def test_choices_filter_by_id_or_location() -> None:
    def s(i: int, loc: str) -> SourceInfo:
        return SourceInfo(i, "3000", "url", loc, "", None, 1)

    sources = [s(1, "https://a.example/feed"), s(22, "upload:notes.txt"), s(3, "https://b.example/x")]
    assert [c.value for c in source_choices(sources, "")] == [1, 22, 3]
    assert [c.value for c in source_choices(sources, "#22")] == [22]
    assert [c.value for c in source_choices(sources, "EXAMPLE")] == [1, 3]
    assert len(source_choices([s(i, "x") for i in range(100)], "")) == 25


@settings(max_examples=60, deadline=None)
@given(
    nasty_text,
    st.builds(
        IngestReport,
        added=st.integers(0, 10**6),
        duplicates=st.integers(0, 10**6),
        failed=st.lists(st.builds(Failure, location=long_text, reason=long_text), max_size=40),
        chunks=st.integers(0, 10**7),
        seconds=st.floats(0, 10**5),
        source_ids=st.lists(st.integers(1, 10**9), max_size=10),
    ),
    st.builds(
        Progress,
        done=st.integers(0, 10**6),
        total=st.one_of(st.none(), st.integers(0, 10**6)),
        stage=st.sampled_from(["fetching", "embedding", "storing"]),
    ),
)
def test_reports_and_progress_fit_in_a_message(
    location: str, report: IngestReport, progress: Progress
) -> None:
    for text in (render_report(location, report), render_progress(location, progress)):
        assert validate_message({"content": text, "allowed_mentions": {"parse": []}}) == []
        assert not UNESCAPED_MENTION.search(text)


def test_report_lists_failures_with_reasons() -> None:
    report = IngestReport(
        added=2, duplicates=1, failed=[Failure("https://x.example/a", "HTTP 404")], chunks=9
    )
    text = render_report("https://x.example/feed", report)
    assert text.startswith("**https://x.example/feed**: 2 articles added, 1 skipped as duplicate, 1 failed")
    assert "• https://x.example/a: HTTP 404" in text


def test_human_bytes() -> None:
    assert human_bytes(5) == "5 B" and human_bytes(3 * 1024**3) == "3.0 GB"


def test_embeds_are_real_discord_embeds() -> None:
    doc = DocumentRef("d", "T", "O", None, None)
    [page] = render_answer(Answer("q", True, (Quote("x", None, 0, 1, 0.5, doc),), 1))
    assert all(isinstance(e, discord.Embed) for e in page.embeds)
    assert page.embeds[0].title == "Unattributed · O"


def test_a_quote_about_another_day_shows_that_day_next_to_the_publication_date() -> None:
    doc = DocumentRef("a", "Clashes", "Wire", None, date(2020, 7, 13))
    later = Quote(
        "Three soldiers were killed on Sunday.", "the ministry", 0, 1, 0.9, doc, (), (date(2020, 7, 12),)
    )
    same_day = Quote("Talks resume today.", None, 0, 1, 0.9, doc, (), (date(2020, 7, 13),))
    assert "2020-07-13 · about 12 July 2020" in render_quote(later)
    assert "about" not in render_quote(same_day)


def test_disagreements_lead_the_message_escaped_and_within_limits() -> None:
    doc = DocumentRef("a", "t", "Herald", None, date(2025, 3, 12))
    claims = (DisputedClaim(0, "@everyone Ministry", "3", "soldiers"), DisputedClaim(1, "Command", "11", ""))
    answer = Answer(
        "q",
        True,
        (Quote("x", None, 0, 1, 0.5, doc),) * 2,
        2,
        disagreements=(Disagreement("killed", claims),) * 5,
    )
    [page] = render_answer(answer)
    lines = page.content.split("\n")
    assert (
        lines[1] == "⚖️ Sources disagree — killed: @\u200beveryone Ministry says 3 (soldiers); Command says 11"
    )
    assert lines[-1] == "(+2 more)" and len(lines) == 5
    assert not UNESCAPED_MENTION.search(page.content) and len(page.content) <= CONTENT_MAX
