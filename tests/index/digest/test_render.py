"""The digest as text: the same for the same digest, an empty window in one line, and pages that
keep within Discord's limit without losing or splitting a claim."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from index.digest import Digest, digest_pages, render_digest
from index.digest.grouping import group_claims
from index.models import Article
from tests.index.digest.articles import (
    DENIAL,
    NO_PLACE,
    QUIET,
    TUESDAY_COUNCIL,
    TUESDAY_GOVERNOR,
    WEDNESDAY,
    article,
    with_claims,
)

SINCE, UNTIL = datetime(2025, 4, 2, 10, 0, tzinfo=UTC), datetime(2025, 4, 3, 10, 0, tzinfo=UTC)


def digest_of(*articles: Article, received: int | None = None) -> Digest:
    """The digest of these articles, as received in the window [SINCE, UNTIL)."""
    grouped = group_claims(with_claims(*articles))
    return Digest(
        scopes=("global",),
        since=SINCE,
        until=UNTIL,
        received=len(articles) if received is None else received,
        read=len(articles),
        events=grouped.events,
        other=grouped.other,
        without_claims=grouped.without_claims,
    )


FULL = (TUESDAY_GOVERNOR, TUESDAY_COUNCIL, DENIAL, WEDNESDAY, NO_PLACE, QUIET)


def test_the_text_names_the_window_each_event_its_claims_and_disagreements() -> None:
    text = render_digest(digest_of(*FULL))
    assert text.startswith("# Sitrep digest: 2025-04-02 10:00 to 2025-04-03 10:00 UTC\n")
    assert "6 articles received: 2 events, 1 other claim; 1 with no figure or denial." in text
    tuesday, wednesday = text.index("## 1 April 2025 · Varna · killed"), text.index("## 2 April 2025 · Varna")
    assert tuesday < wednesday < text.index("## Other reporting")
    assert "- **regional governor (Harbor Wire)**: killed: Three (civilians)" in text
    assert "> Three civilians were killed in Varna on Tuesday, the regional governor said." in text
    assert "> — Harbor Wire · 2025-04-02 · <https://harbor-wire.example/a>" in text
    assert "- **Kesh Defence Ministry (Kesh Today)**: denies" in text
    assert (
        "⚖ Sources disagree: killed: regional governor (Harbor Wire) says Three (civilians);"
        " city council (Coast Times) says Seven (civilians)"
    ) in text
    assert render_digest(digest_of(*FULL)) == text  # no clock, no set order: the same every time


def test_the_json_is_the_same_events() -> None:
    digest = digest_of(*FULL)
    data = json.loads(json.dumps(digest.to_dict()))
    assert [e["title"] for e in data["events"]] == [e.title for e in digest.events]
    first = data["events"][0]["claims"][0]
    assert first["claimant"] == "regional governor (Harbor Wire)"
    assert first["figures"] == [{"category": "killed", "label": "Three", "subject": "civilians"}]
    assert first["quote"]["text"] == TUESDAY_GOVERNOR.text
    assert data["since"] == "2025-04-02T10:00:00+00:00" and data["without_claims"] == 1


def test_an_empty_window_is_one_clear_line() -> None:
    empty = digest_of()
    line = "Nothing new in the archive between 2025-04-02 10:00 and 2025-04-03 10:00 UTC."
    assert render_digest(empty) == line and digest_pages(empty) == [line]


def test_a_capped_window_says_so() -> None:
    assert "these are the 6 received last" in render_digest(digest_of(*FULL, received=900))


def test_one_page_when_it_fits() -> None:
    digest = digest_of(*FULL)
    assert digest_pages(digest) == [render_digest(digest)]


@pytest.mark.parametrize("max_chars", [300, 450, 700])
def test_small_pages_keep_every_claim_whole_and_within_the_limit(max_chars: int) -> None:
    digest = digest_of(*FULL)
    pages = digest_pages(digest, max_chars=max_chars)
    assert len(pages) > 1 and all(len(p) <= max_chars for p in pages)
    claims = [c for e in digest.events for c in e.claims] + list(digest.other)
    for claim in claims:  # each quote whole on a page
        assert any("> " + " ".join(claim.quote.text.split()) in p.splitlines() for p in pages)
    # Pages break between events or claims, never inside one: together they hold every line.
    assert set(render_digest(digest).splitlines()) - {""} <= {line for p in pages for line in p.splitlines()}


def test_an_event_longer_than_a_page_continues_under_its_heading() -> None:
    many = [
        article(
            f"t{n}",
            f"Three civilians were killed in Varna on Tuesday, spokesman Ivo Dal{n} said.",
            f"Outlet {n}",
            "2025-04-02",
        )
        for n in range(6)
    ]
    digest = digest_of(*many)
    pages = digest_pages(digest, max_chars=500)
    heading = "## 1 April 2025 · Varna · killed (civilian)"
    assert len(pages) >= 3 and sum(p.count(heading + "\n") for p in pages) == 1  # it starts once...
    assert all(p.startswith(heading + " (continued)\n") for p in pages[1:])  # ...and goes on page by page
    assert sum(p.count("> Three civilians") for p in pages) == 6


def test_a_claim_longer_than_a_page_is_shortened_visibly_not_split() -> None:
    long_text = (
        "Three civilians were killed in Varna on Tuesday when shells hit the market, "
        + "the old bridge and the school, " * 12
        + "the regional governor said."
    )
    digest = digest_of(article("long", long_text, "Harbor Wire", "2025-04-02"))
    pages = digest_pages(digest, max_chars=300)
    assert all(len(p) <= 300 for p in pages)
    (quoted,) = [line for p in pages for line in p.splitlines() if line.startswith("> Three")]
    assert quoted.endswith("…") and long_text.startswith(quoted[2:-1])


def test_pages_refuse_a_limit_too_small_for_a_claim() -> None:
    with pytest.raises(ValueError, match="at least"):
        digest_pages(digest_of(*FULL), max_chars=100)


def test_a_renamed_window_changes_only_the_heading() -> None:
    digest = digest_of(*FULL)
    later = replace(digest, since=datetime(2025, 4, 2, 11, 0, tzinfo=UTC))
    assert render_digest(later).splitlines()[1:] == render_digest(digest).splitlines()[1:]
