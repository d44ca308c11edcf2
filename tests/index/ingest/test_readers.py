"""Bytes to raw articles: JSONL (every line checked), text and Markdown, HTML pages, feeds."""

from __future__ import annotations

import json
from datetime import date

import pytest

from index.errors import SourceError
from index.ingest.readers import (
    TextMeta,
    html_to_text,
    looks_like_feed,
    read_feed,
    read_html,
    read_jsonl,
    read_text,
)
from index.models import RawArticle


def lines(*records: object) -> bytes:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records).encode()


# -- JSONL ------------------------------------------------------------------------------------------


def test_jsonl_fields_are_read_and_trimmed() -> None:
    data = lines(
        {
            "id": 7,
            "title": "  Silo hit ",
            "outlet": "Pellin Post",
            "url": "https://pellin.example/a",
            "published": "2025-03-12T09:30:00+02:00",
            "language": "en",
            "text": "Shelling hit the silo.",
        },
        "",
        {"text": "Second.", "title": "", "id": "  ", "published": ""},
    )
    first, second = read_jsonl(data, "a.jsonl")
    assert first == RawArticle(
        text="Shelling hit the silo.",
        title="Silo hit",
        outlet="Pellin Post",
        url="https://pellin.example/a",
        published=date(2025, 3, 12),  # the date as written, not converted to UTC
        id="7",
        language="en",
    )
    assert second == RawArticle(text="Second.")  # blank strings are absent values


def test_every_bad_line_is_named_and_nothing_is_read() -> None:
    data = lines(
        {"text": "fine"},
        "{not json",
        ["a", "list"],
        {"title": "no text"},
        {"text": "x", "id": [1]},
        {"text": "x", "published": "12/03/2025"},
        {"text": "x", "published": 20250312},
        {"text": "x", "outlet": 5},
    )
    with pytest.raises(SourceError) as caught:
        read_jsonl(data, "a.jsonl")
    message = str(caught.value)
    for expected in (
        "a.jsonl line 2: not valid JSON",
        "a.jsonl line 3: expected a JSON object, got list",
        "a.jsonl line 4: 'text' is missing or empty",
        "a.jsonl line 5: 'id' must be a string",
        "a.jsonl line 6: not a date: '12/03/2025'; expected YYYY-MM-DD",
        "a.jsonl line 7: 'published' must be a string like 2020-07-12, got 20250312",
        "a.jsonl line 8: 'outlet' must be a string or null, got int",
    ):
        assert expected in message, expected
    assert "line 1" not in message and message.endswith("nothing from this file was ingested")


def test_more_than_ten_bad_lines_are_summed_up() -> None:
    with pytest.raises(SourceError, match=r"line 10: .*\(and 2 more\) — nothing from this file"):
        read_jsonl(lines(*[{"text": ""}] * 12), "a.jsonl")


@pytest.mark.parametrize("data", [b"", b"\n \n", "\ufeff\n".encode()])
def test_a_jsonl_file_without_articles_is_refused(data: bytes) -> None:
    with pytest.raises(SourceError, match=r"a\.jsonl: no articles in the file"):
        read_jsonl(data, "a.jsonl")


# -- text and Markdown ------------------------------------------------------------------------------


def test_a_text_files_first_heading_line_is_its_title_unless_given() -> None:
    data = b"# Ferry attack near Sollen\n\nTwo ferries were hit near Sollen, the harbour master said.\n"
    article = read_text(data, "a.md", TextMeta(outlet="Sollen Daily", published=date(2025, 3, 29)))
    assert article.title == "Ferry attack near Sollen"
    assert article.text.strip() == "Two ferries were hit near Sollen, the harbour master said."
    assert (article.outlet, article.published, article.url) == ("Sollen Daily", date(2025, 3, 29), None)
    titled = read_text(data, "a.md", TextMeta(title="Given title", url="https://sollen.example/a"))
    assert (titled.title, titled.url) == ("Given title", "https://sollen.example/a")


@pytest.mark.parametrize("data", [b"", b" \n\t", "\u200b\u2060\ufeff".encode(), b"--- *** ---"])
def test_a_text_file_without_letters_or_digits_is_empty(data: bytes) -> None:
    with pytest.raises(SourceError, match=r"a\.txt: the file is empty"):
        read_text(data, "a.txt", TextMeta())


# -- HTML ---------------------------------------------------------------------------------------------

PAGE = b"""<html><head><title>Drone strike on Halven depot - Lakeside Courier</title>
<meta property="og:site_name" content="Lakeside Courier">
<meta property="article:published_time" content="2025-03-09T08:00:00Z"></head>
<body><nav>Home | World | Sport</nav><article><h1>Drone strike on Halven depot</h1>
<p>A drone struck a fuel depot outside Halven on Sunday, the regional governor Mira Osk said.</p>
<p>"Two workers were wounded and taken to the district hospital," Osk told reporters.</p>
</article><footer>Copyright Lakeside Courier</footer></body></html>"""


def test_an_article_page_gives_its_text_title_date_and_site() -> None:
    article = read_html(PAGE, "https://lakeside.example/halven", "halven.html")
    assert article.title == "Drone strike on Halven depot"
    assert not article.text.startswith("Drone strike on Halven depot")  # the <h1> is not repeated
    assert "the regional governor Mira Osk said" in article.text and "Home | World" not in article.text
    assert (article.outlet, article.published) == ("Lakeside Courier", date(2025, 3, 9))
    assert article.url == "https://lakeside.example/halven"


@pytest.mark.parametrize(
    "page", [b"<html><body><p>Too short.</p></body></html>", b"<html><script>alert(1)</script></html>"]
)
def test_a_page_without_article_text_is_refused(page: bytes) -> None:
    with pytest.raises(SourceError, match="no article text"):
        read_html(page, None, "page.html")


# -- feeds --------------------------------------------------------------------------------------------

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Harbor Wire</title>
<item><title>Entry 3</title><link>https://harbor.example/3</link><pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Craters counted.&lt;/p&gt;</description></item>
<item><title>Undated</title><link>https://harbor.example/4</link></item></channel></rss>"""


def test_a_feed_gives_its_title_and_entries_with_dates() -> None:
    title, entries = read_feed(RSS, "feed.xml")
    assert title == "Harbor Wire"
    assert [(e.title, e.link, e.published) for e in entries] == [
        ("Entry 3", "https://harbor.example/3", date(2025, 3, 3)),
        ("Undated", "https://harbor.example/4", None),
    ]
    assert entries[0].summary is not None and html_to_text(entries[0].summary).strip() == "Craters counted."


@pytest.mark.parametrize("data", [b"not xml at all {", b"<?xml version='1.0'?><rss><channel><title>T</chan"])
def test_an_unreadable_feed_is_refused(data: bytes) -> None:
    with pytest.raises(SourceError, match=r"feed\.xml: not a readable RSS/Atom feed \(.+\)"):
        read_feed(data, "feed.xml")


def test_a_page_that_is_no_feed_has_no_entries() -> None:
    # Well-formed markup without feed elements is an empty feed: a source with nothing to ingest.
    assert read_feed(b"<html><body>not a feed</body></html>", "feed.xml") == (None, [])


@pytest.mark.parametrize(
    ("data", "content_type", "expected"),
    [
        (b"<html><body>page</body></html>", "application/rss+xml; charset=utf-8", True),
        (b"<html><body>page</body></html>", "application/atom+xml", True),
        (b"  \n<?xml version='1.0'?><rss version='2.0'>", "text/xml", True),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'>", None, True),
        (b"<rdf:RDF xmlns:rdf='...'>", None, True),
        (b"<feed><entry/></feed>", None, False),  # a <feed> that says nothing of Atom
        (b"<html><body>Our RSS feed is at /rss</body></html>", "text/html", False),
    ],
)
def test_looks_like_feed(data: bytes, content_type: str | None, expected: bool) -> None:
    assert looks_like_feed(data, content_type) is expected


def test_html_to_text_keeps_paragraphs_apart() -> None:
    assert html_to_text("<p>One &amp; two.</p><p>Three<br/>four</p><ul><li>five</li></ul>") == (
        "One & two.\nThree\nfour\nfive\n"
    )
