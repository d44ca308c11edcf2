"""Short fixture articles for the digest's tests (written for them: a fictional town, Varna)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from index.attribution.claims import extract_claims
from index.models import Article, Claim


def article(article_id: str, text: str, outlet: str, published: str) -> Article:
    """A stored article as the store reads it back."""
    return Article(
        id=article_id,
        title=f"Report {article_id}",
        outlet=outlet,
        url=f"https://{outlet.lower().replace(' ', '-')}.example/{article_id}",
        published=date.fromisoformat(published),
        published_from="given",
        language="en",
        ingested_at="2025-04-03T10:00:00+00:00",
        text=text,
        source_id=1,
        scope="global",
    )


def with_claims(*articles: Article) -> list[tuple[Article, Sequence[Claim]]]:
    """Each article with the claims ingest stores for it."""
    return [(a, extract_claims(a.text)) for a in articles]


# Tuesday 1 April 2025 in Varna, told by three outlets; Wednesday's toll; a denial; no place; nothing.
TUESDAY_GOVERNOR = article(
    "a",
    "Three civilians were killed in Varna on Tuesday, the regional governor said.",
    "Harbor Wire",
    "2025-04-02",
)
TUESDAY_COUNCIL = article(
    "b",
    "Seven civilians were killed in Varna on Tuesday, according to the city council.",
    "Coast Times",
    "2025-04-02",
)
WEDNESDAY = article(
    "c", "Two civilians were killed in Varna on Wednesday, the governor said.", "Coast Times", "2025-04-03"
)
DENIAL = article(
    "d",
    "The Kesh Defence Ministry denied that any civilians were killed in Varna on Tuesday.",
    "Kesh Today",
    "2025-04-02",
)
NO_PLACE = article("e", "Five soldiers were wounded, the army said.", "Harbor Wire", "2025-04-03")
QUIET = article("f", "Rain fell over the harbour all week.", "Harbor Wire", "2025-04-03")
VAGUE_DENIAL = article(
    "g",
    "The Kesh Defence Ministry denied any involvement in the fire in Varna on Tuesday.",
    "Kesh Today",
    "2025-04-02",
)
