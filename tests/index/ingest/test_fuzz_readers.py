"""Hypothesis: the readers turn any bytes into articles or a ``SourceError``, never anything else.

Random bytes, and random documents shaped like what each reader expects (HTML pages, RSS/Atom
feeds, JSONL lines, text) with hostile corners: nesting, entities, CDATA, odd encodings, huge
numbers. Example counts are modest (the suite runs on 2 cores); nothing here measures time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from index.errors import SourceError
from index.ingest.feed_cap import cap_feed
from index.ingest.readers import FeedEntry, TextMeta, read_feed, read_html, read_jsonl, read_text
from index.models import RawArticle

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TOKENS = [
    *"abc xyz ДЖЯ 東京 \u200f\u200b&<>\"';:.,!?-—\n\t",
    "&amp;",
    "&lt;",
    "&#0;",
    "&#xD800;",
    "&nbsp;",
    "]]>",
    "<!--",
]
WORDS = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-16", "utf-32", "cp1252", "latin-1", "shift_jis", "koi8-r"])


def encoded(draw: st.DrawFn, text: str) -> bytes:
    return text.encode(draw(ENCODINGS), errors="replace")


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    """An HTML page of random nested elements, attributes and text."""
    tags = st.sampled_from(
        ["p", "div", "article", "h1", "span", "script", "style", "table", "td", "li", "a", "b"]
    )
    node = st.recursive(
        WORDS,
        lambda inner: st.builds(
            lambda tag, attr, kids: f'<{tag} class="{attr}">' + "".join(kids) + f"</{tag}>",
            tags,
            st.text(max_size=10),
            st.lists(inner, max_size=4),
        ),
        max_leaves=25,
    )
    head = draw(
        st.sampled_from(
            ["", "<title>T</title>", '<meta property="og:title" content="x">', "<meta charset=utf-16>"]
        )
    )
    body = "".join(draw(st.lists(node, max_size=6)))
    doc = draw(
        st.sampled_from(["<html><head>{h}</head><body>{b}</body></html>", "{h}{b}", "<!DOCTYPE html>{b}"])
    )
    return encoded(draw, doc.format(h=head, b=body))


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    """An RSS or Atom document with random entries, dates, CDATA and entities."""
    field = st.one_of(WORDS, WORDS.map(lambda w: f"<![CDATA[{w}]]>"))
    date = st.sampled_from(
        ["Tue, 12 Jul 2022 10:00:00 GMT", "2022-07-12T10:00:00Z", "yesterday", "", "31 Feb 2022"]
    )
    atom = draw(st.booleans())
    if atom:
        entry = st.builds(
            lambda t, d, s: (
                f"<entry><title>{t}</title><updated>{d}</updated><content type='html'>{s}</content>"
                f"<link href='https://news.example/{len(t)}'/></entry>"
            ),
            field,
            date,
            field,
        )
        frame = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{t}</title>{e}</feed>'
    else:
        entry = st.builds(
            lambda t, d, s: (
                f"<item><title>{t}</title><pubDate>{d}</pubDate><description>{s}</description>"
                f"<link>https://news.example/{len(t)}</link></item>"
            ),
            field,
            date,
            field,
        )
        frame = '<?xml version="1.0"?><rss version="2.0"><channel><title>{t}</title>{e}</channel></rss>'
    entries = "".join(draw(st.lists(entry, max_size=8)))
    if draw(st.booleans()):  # break it somewhere
        entries = entries[: draw(st.integers(0, len(entries)))]
    return encoded(draw, frame.format(t=draw(field), e=entries))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | WORDS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["text", "id", "title", "published", "url", "outlet", "language", "x"]),
            inner,
            max_size=5,
        )
    ),
    max_leaves=15,
)


RECORDS = st.builds(
    lambda t, title, p, i: json.dumps({"text": "Report: " + t, "title": title, "published": p, "id": i}),
    WORDS,
    st.none() | WORDS,
    st.sampled_from([None, "2022-07-12", "12 July 2022", "2022-02-30", "", "soon"]),
    st.none() | st.integers() | WORDS,
)


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    """JSONL lines: records with fields of any JSON type, junk lines, deep nesting, huge numbers."""
    if draw(st.booleans()):  # one bad line rejects the file: half the files are records only
        line = RECORDS
    else:
        line = st.one_of(
            RECORDS,
            JSON_VALUES.map(json.dumps),
            st.sampled_from(["[" * 3000, '{"text": "x", "id": ' + "9" * 5000 + "}", "{", "\ufeff{}", "null"]),
            WORDS,
        )
    return encoded(draw, "\n".join(draw(st.lists(line, min_size=1, max_size=6))))


def outcome(read: Callable[[], Any]) -> None:
    """Run a reader: articles pass, ``SourceError`` passes, anything else fails the test."""
    try:
        result = read()
    except SourceError:
        event("SourceError")
        return
    articles = result if isinstance(result, list) else [result]
    assert all(isinstance(a, RawArticle) and isinstance(a.text, str) for a in articles)
    event("articles")


@FUZZ
@given(st.one_of(html_pages(), st.binary(max_size=3000)))
def test_read_html_returns_an_article_or_a_source_error(data: bytes) -> None:
    outcome(lambda: read_html(data, "https://news.example/a", "page.html"))


@FUZZ
@given(st.one_of(feeds(), st.binary(max_size=3000)))
def test_read_feed_returns_entries_or_a_source_error(data: bytes) -> None:
    for document in (data, cap_feed(data, 3).data):  # the cut document too: it is what gets parsed
        try:
            title, entries = read_feed(document, "feed.xml")
        except SourceError:
            event("SourceError")
            continue
        assert title is None or isinstance(title, str)
        assert all(isinstance(e, FeedEntry) for e in entries)
        event("entries" if entries else "no entries")


@FUZZ
@given(st.one_of(WORDS.map(str.encode), st.binary(max_size=3000)))
def test_read_text_returns_an_article_or_a_source_error(data: bytes) -> None:
    outcome(lambda: read_text(data, "notes.txt", TextMeta()))


@FUZZ
@given(st.one_of(jsonl_files(), st.binary(max_size=3000)))
def test_read_jsonl_returns_articles_or_a_source_error(data: bytes) -> None:
    outcome(lambda: read_jsonl(data, "articles.jsonl"))
