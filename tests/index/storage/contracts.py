"""What every backend's storage roles must do (``index/storage/protocols.py``), written once.

Each backend's test files subclass these (``class TestSqliteSources(SourcesContract)``) and give a
``store`` fixture: an empty ``Storage`` of that backend. Articles are written as the pipeline writes
them: prepared, enriched, and embedded with the fake embedder.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest

from index.attribution.claims import extract_claims
from index.ingest.prepare import enrich, prepare, to_new_article
from index.models import Claim, RawArticle
from index.storage.protocols import Storage
from index.storage.records import NewArticle
from tests.conftest import FakeEmbedder

MODEL = FakeEmbedder.name


def new_article(
    id: str, text: str, *, outlet: str | None = "Varna Post", published: str | None = "2025-03-12"
) -> NewArticle:
    """An article as the pipeline hands it to ``articles.add``."""
    raw = RawArticle(
        text=text, id=id, outlet=outlet, published=date.fromisoformat(published) if published else None
    )
    prepared = prepare(raw, "given" if published else None)
    assert prepared is not None
    return to_new_article(enrich(prepared), FakeEmbedder().embed([c.text for c in prepared.chunks]))


A1 = "Artillery hit the grain silo in Pellin. “We held the line,” the Varna Defense Ministry said."
A2 = "According to the district hospital, three people were wounded in Tarsa on Tuesday."
A3 = "Negotiators met again in Lisenne on Thursday, the foreign ministry said."


async def add(
    store: Storage,
    *articles: NewArticle,
    scope: str = "global",
    location: str = "a.jsonl",
    kind: str = "file",
) -> tuple[int, list[tuple[int, np.ndarray]]]:
    source_id, added, skipped = await store.articles.add(
        scope=scope, kind=kind, location=location, added_by="tester", articles=list(articles), model=MODEL
    )
    assert skipped == 0
    return source_id, added


async def rowid_of(store: Storage, scope: str, article_id: str) -> int:
    """An article's row id (what claims, texts and sentence vectors are keyed by)."""
    for rowid, article in (await store.articles.by_rowid(range(1, 100))).items():
        if (article.scope, article.id) == (scope, article_id):
            return rowid
    raise AssertionError(f"no article {scope}/{article_id}")


class SourcesContract:
    """``store.sources``."""

    async def test_sources_newest_first_with_article_counts(self, store: Storage) -> None:
        first, _ = await add(store, new_article("a1", A1), new_article("a2", A2))
        second, _ = await add(store, new_article("a3", A3), scope="42", location="b.md")
        listed = await store.sources.find()
        assert [(s.id, s.scope, s.location, s.articles, s.added_by) for s in listed] == [
            (second, "42", "b.md", 1, "tester"),
            (first, "global", "a.jsonl", 2, "tester"),
        ]
        assert [s.id for s in await store.sources.find("42")] == [second]
        assert [s.id for s in await store.sources.find(source_id=first)] == [first]
        assert await store.sources.find("42", source_id=first) == []
        got = await store.sources.get(first)
        assert got is not None and got.articles == 2 and got.kind == "file"
        assert await store.sources.get(9999) is None

    async def test_a_location_is_one_source_per_scope(self, store: Storage) -> None:
        first, _ = await add(store, new_article("a1", A1))
        again, _ = await add(store, new_article("a2", A2))  # a later group of the same source
        elsewhere, _ = await add(store, new_article("a3", A3), scope="42")
        assert first == again != elsewhere
        assert [(s.scope, s.articles) for s in await store.sources.find()] == [("42", 1), ("global", 2)]

    async def test_feeds_are_the_feed_sources(self, store: Storage) -> None:
        feed, _ = await add(store, new_article("a1", A1), location="https://x.example/rss", kind="feed")
        await add(store, new_article("a2", A2), location="a.jsonl")
        other, _ = await add(
            store, new_article("a3", A3), scope="42", location="https://y.example/rss", kind="feed"
        )
        assert [s.id for s in await store.sources.feeds()] == [other, feed]
        assert [s.id for s in await store.sources.feeds("global")] == [feed]
        await store.sources.mark_polled(feed)  # a poll changes nothing a listing shows
        assert [s.id for s in await store.sources.feeds()] == [other, feed]

    async def test_deleting_a_source_takes_its_articles_chunks_and_vectors(self, store: Storage) -> None:
        doomed, added = await add(store, new_article("a1", A1), new_article("a2", A2))
        kept, _ = await add(store, new_article("a3", A3), location="b.md")
        assert sorted(await store.sources.chunk_ids(doomed)) == sorted(cid for cid, _ in added)
        before = await store.counts()
        assert await store.sources.delete(doomed) == 2
        assert await store.counts() == (before[0] - 1, before[1] - 2, before[2] - len(added))
        assert [s.id for s in await store.sources.find()] == [kept]
        assert await store.sources.chunk_ids(doomed) == []
        remaining = [cid for cid, _ in await store.embeddings.missing_chunk_vectors("another-model")]
        assert remaining == sorted(await store.sources.chunk_ids(kept))  # only the kept source's chunks
        assert await store.articles.get("global", "a1") is None
        assert await store.sources.delete(9999) == 0


class ArticlesContract:
    """``store.articles``."""

    async def test_added_articles_read_back_as_written(self, store: Storage) -> None:
        art = new_article("a1", A1, outlet="Varna Post", published="2025-03-12")
        source_id, added = await add(store, art)
        assert len(added) == len(art.chunks) and all(
            np.allclose(vec, expected) for (_, vec), expected in zip(added, art.vectors, strict=True)
        )
        got = await store.articles.get("global", "a1")
        assert got is not None
        assert (got.id, got.scope, got.source_id, got.outlet, got.published, got.published_from, got.text) == (
            "a1", "global", source_id, "Varna Post", date(2025, 3, 12), "given", art.text
        )  # fmt: skip
        assert got.language == "en" and got.ingested_at
        assert await store.articles.get("42", "a1") is None  # another scope's id space
        rowid = await rowid_of(store, "global", "a1")
        assert await store.articles.by_rowid([rowid, 9999]) == {rowid: got}
        assert await store.counts() == (1, 1, len(art.chunks))

    async def test_known_hashes_and_ids_are_per_scope(self, store: Storage) -> None:
        art = new_article("a1", A1)
        await add(store, art)
        assert await store.articles.known_hashes("global", [art.content_hash, "f" * 64]) == {art.content_hash}
        assert await store.articles.known_hashes("42", [art.content_hash]) == set()
        assert await store.articles.known_ids("global", ["a1", "a2"]) == {"a1"}
        assert await store.articles.known_ids("42", ["a1"]) == set()
        assert await store.articles.known_hashes("global", []) == set()

    async def test_a_source_is_written_whole_or_not_at_all(self, store: Storage) -> None:
        good = new_article("a1", A1)
        broken = new_article("a2", A2)
        broken = replace(broken, vectors=broken.vectors[:0])  # no vector for its chunk
        with pytest.raises(ValueError):
            await add(store, good, broken)
        assert await store.counts() == (0, 0, 0) and await store.sources.find() == []

    async def test_claims_are_stored_with_their_article(self, store: Storage) -> None:
        art = new_article("a1", A1)
        await add(store, art, new_article("a3", "Nothing is attributed here at all."))
        rowid = await rowid_of(store, "global", "a1")
        quiet = await rowid_of(store, "global", "a3")
        stored = await store.articles.claims([rowid, quiet])
        assert list(stored) == [rowid]  # articles without claims are absent
        assert stored[rowid] == extract_claims(art.text) == list(art.claims)

    async def test_claims_are_replaced_and_a_deleted_article_skipped(self, store: Storage) -> None:
        source_id, _ = await add(store, new_article("a1", A1))
        rowid = await rowid_of(store, "global", "a1")
        text = (await store.articles.by_rowid([rowid]))[rowid].text
        start = text.index("Artillery")
        mine = Claim(None, None, None, None, text[start : start + 9], start, start + 9)
        await store.articles.replace_claims([(rowid, [mine]), (9999, [mine])])
        assert (await store.articles.claims([rowid]))[rowid] == [mine]
        await store.articles.replace_claims([(rowid, [])])
        assert await store.articles.claims([rowid]) == {}
        await store.sources.delete(source_id)
        await store.articles.replace_claims([(rowid, [mine])])  # gone meanwhile: nothing written
        assert await store.articles.claims([rowid]) == {}

    async def test_texts_page_through_articles_in_row_order(self, store: Storage) -> None:
        await add(store, new_article("a1", A1), new_article("a2", A2), new_article("a3", A3))
        first = await store.articles.texts(0, 2)
        assert [t for _, t in first] == [A1, A2] and first[0][0] < first[1][0]
        rest = await store.articles.texts(first[-1][0], 2)
        assert [t for _, t in rest] == [A3]
        assert await store.articles.texts(rest[-1][0], 2) == []


class EmbeddingsContract:
    """``store.embeddings``."""

    async def test_chunk_vectors_are_stored_with_their_model(self, store: Storage) -> None:
        _, added = await add(store, new_article("a1", A1), new_article("a2", A2))
        assert await store.embeddings.missing_chunk_vectors(MODEL) == []  # stored with the articles
        missing = await store.embeddings.missing_chunk_vectors("other")  # after a model change: all
        assert [cid for cid, _ in missing] == sorted(cid for cid, _ in added)
        texts = {c.text for art in (new_article("a1", A1), new_article("a2", A2)) for c in art.chunks}
        assert {text for _, text in missing} == texts
        await store.embeddings.put_chunk_vectors("other", [(missing[0][0], np.ones(4, dtype="float32"))])
        assert [cid for cid, _ in await store.embeddings.missing_chunk_vectors("other")] == [
            cid for cid, _ in missing[1:]
        ]


class SentenceVectorsContract:
    """``store.embeddings``' sentence vectors (both stores keep them, as float16)."""

    async def test_sentence_vectors_fill_article_by_article(self, store: Storage) -> None:
        await add(store, new_article("a1", A1), new_article("a2", A2))
        r1, r2 = await rowid_of(store, "global", "a1"), await rowid_of(store, "global", "a2")
        assert await store.embeddings.last_article_rowid() == max(r1, r2)
        assert [r for r, _ in await store.embeddings.articles_lacking_sentence_vectors(MODEL, 0, 10)] == [
            r1,
            r2,
        ]
        assert [r for r, _ in await store.embeddings.articles_lacking_sentence_vectors(MODEL, r1, 10)] == [r2]
        vec = np.linspace(-1, 1, 8, dtype="float32")
        await store.embeddings.put_sentence_vectors(
            MODEL, [(r1, 0, 38, vec), (r1, 39, 93, -vec), (9999, 0, 5, vec)]
        )
        assert [r for r, _ in await store.embeddings.articles_lacking_sentence_vectors(MODEL, 0, 10)] == [r2]
        assert [r for r, _ in await store.embeddings.articles_lacking_sentence_vectors("other", 0, 10)] == [
            r1,
            r2,
        ]
        stored = await store.embeddings.sentence_vectors(MODEL, [r1, r2])
        assert sorted(stored) == [(r1, 0, 38), (r1, 39, 93)]
        np.testing.assert_allclose(stored[(r1, 0, 38)], vec, atol=1e-3)  # kept as float16
        assert await store.embeddings.sentence_vectors(MODEL, []) == {}

    async def test_the_last_article_row(self, store: Storage) -> None:
        assert await store.embeddings.last_article_rowid() == 0
        await add(store, new_article("a1", A1), new_article("a2", A2))
        assert await store.embeddings.last_article_rowid() == await rowid_of(store, "global", "a2")

    async def test_an_empty_store_has_no_sentences_to_embed(self, store: Storage) -> None:
        assert await store.embeddings.missing_chunk_vectors(MODEL) == []
        assert await store.embeddings.articles_lacking_sentence_vectors(MODEL, 0, 10) == []


class AnnotationsContract:
    """``store.annotations``."""

    async def test_labels_per_scope_replaced_and_removed(self, store: Storage) -> None:
        await store.annotations.set_label("42", "Zeltran Voice", "state media", "admin")
        await store.annotations.set_label(
            "42", "ZELTRAN VOICE", "party to the conflict", "admin2"
        )  # replaces
        await store.annotations.set_label("global", "Harbor Wire", "wire", None)
        assert await store.annotations.labels("42") == {
            "zeltran voice": ("ZELTRAN VOICE", "party to the conflict")
        }
        assert await store.annotations.labels("global") == {"harbor wire": ("Harbor Wire", "wire")}
        assert await store.annotations.remove_label("42", "zeltran voice") is True
        assert await store.annotations.remove_label("42", "zeltran voice") is False
        assert await store.annotations.labels("42") == {}

    async def test_feedback_oldest_first_with_its_quotes(self, store: Storage) -> None:
        quotes: list[dict[str, Any]] = [{"text": "“We held,”", "document": {"id": "a1", "published": None}}]
        await store.annotations.add_feedback(scope="42", user_id="u1", question="q1", quotes=quotes, vote=1)
        await store.annotations.add_feedback(scope="global", user_id="u2", question="q2", quotes=[], vote=-1)
        rows = await store.annotations.feedback()
        assert [(r["scope"], r["user_id"], r["question"], r["vote"]) for r in rows] == [
            ("42", "u1", "q1", 1),
            ("global", "u2", "q2", -1),
        ]
        stored = rows[0]["quotes"]
        assert (stored if isinstance(stored, list) else json.loads(stored)) == quotes  # JSON text or jsonb
        assert all(r["created_at"] for r in rows)


class ArrivalsContract:
    """``store.arrivals``: articles by the time they were stored (``ingested_at``)."""

    T0 = datetime(2025, 3, 12, 8, 0, tzinfo=UTC)

    async def _add_at(
        self,
        store: Storage,
        monkeypatch: pytest.MonkeyPatch,
        when: datetime,
        *articles: NewArticle,
        **kw: Any,
    ) -> None:
        """Store articles as if at ``when`` (the backend stamps ``ingested_at`` with ``utc_now``)."""
        module = sys.modules[type(store.articles).__module__]
        monkeypatch.setattr(module, "utc_now", lambda: when.isoformat())
        await add(store, *articles, **kw)

    async def test_a_window_holds_what_was_stored_in_it_in_the_order_received(
        self, store: Storage, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        hour = timedelta(hours=1)
        await self._add_at(store, monkeypatch, self.T0, new_article("a1", A1), location="a")
        await self._add_at(store, monkeypatch, self.T0 + hour, new_article("a2", A2), location="b")
        await self._add_at(store, monkeypatch, self.T0 + 2 * hour, new_article("a3", A3), location="c")
        await self._add_at(
            store, monkeypatch, self.T0 + hour, new_article("b1", A3), scope="42", location="d"
        )
        got = await store.arrivals.between(["global"], self.T0, self.T0 + 2 * hour, 10)
        assert [a.id for a in got.articles.values()] == ["a1", "a2"]  # the end is left out
        assert got.total == 2
        assert await store.articles.by_rowid(got.articles) == got.articles  # keyed by row id
        both = await store.arrivals.between(["global", "42"], self.T0 + hour, self.T0 + 3 * hour, 10)
        assert sorted(a.id for a in both.articles.values()) == ["a2", "a3", "b1"]
        assert [a.id for a in both.articles.values()][-1] == "a3"
        assert (await store.arrivals.between(["7"], self.T0, self.T0 + 3 * hour, 10)).total == 0
        assert (await store.arrivals.between([], self.T0, self.T0 + 3 * hour, 10)).articles == {}

    async def test_a_capped_read_keeps_the_last_received_and_counts_them_all(
        self, store: Storage, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for n, (article_id, text) in enumerate((("a1", A1), ("a2", A2), ("a3", A3))):
            when = self.T0 + timedelta(minutes=n)
            await self._add_at(store, monkeypatch, when, new_article(article_id, text), location=article_id)
        got = await store.arrivals.between(["global"], self.T0, self.T0 + timedelta(days=1), 2)
        assert [a.id for a in got.articles.values()] == ["a2", "a3"] and got.total == 3

    async def test_bounds_in_any_zone_are_compared_as_utc(
        self, store: Storage, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        await self._add_at(store, monkeypatch, self.T0, new_article("a1", A1))
        kyiv = timezone(timedelta(hours=2))
        at_ten = datetime(2025, 3, 12, 10, 0, tzinfo=kyiv)  # 08:00 UTC: included
        assert (await store.arrivals.between(["global"], at_ten, at_ten + timedelta(seconds=1), 5)).total == 1
        later = at_ten + timedelta(seconds=1)
        assert (await store.arrivals.between(["global"], later, later + timedelta(hours=1), 5)).total == 0
        with pytest.raises(ValueError, match="time zone"):
            await store.arrivals.between(["global"], datetime(2025, 3, 12), at_ten, 5)
