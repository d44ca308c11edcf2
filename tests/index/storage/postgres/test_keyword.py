"""Keyword ranking on Postgres: exact on a small archive; on a large one, the whole question's BM25
over the newest admitted matches and every match of the rarest words, in the exact order."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from index.engine import Engine
from index.models import GLOBAL_SCOPE
from index.storage.postgres import keyword
from index.storage.postgres.store import PgStore
from index.storage.records import ArticleFilter
from tests.conftest import FakeEmbedder
from tests.index.storage.sqlite.test_search import reports


async def test_a_large_archive_scores_the_newest_matches_and_every_rare_one(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "reports.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in reports(40)) + "\n", encoding="utf-8")
    async with await Engine.open(tmp_path / "data", embedder=FakeEmbedder(), database_url=pg_url) as engine:
        await engine.ingest([str(src)])
        assert isinstance(engine.store, PgStore)
        search = engine.store.search
        f = ArticleFilter(scopes=(GLOBAL_SCOPE,))
        early = ArticleFilter(scopes=(GLOBAL_SCOPE,), intervals=((date(2025, 3, 1), date(2025, 3, 3)),))
        terms = ["shelling", "howitzer"]
        exact = await search.keyword(terms, f, 20)  # 40 chunks: every match scored
        everything = await search.keyword(terms, f, 40)
        exact_early = await search.keyword(terms, early, 20)
        howitzer = set(await search.keyword(["howitzer"], f, 40))
        assert len(exact) == 20 and 0 < len(howitzer) < 20 and 0 < len(exact_early) < 20
        monkeypatch.setattr(keyword, "PRUNED_FROM", 10)  # 40 chunks now count as a large archive
        # The window holds every match: the scores and order are the exact ranking's, filtered or not.
        assert await search.keyword(terms, f, 20) == exact
        assert await search.keyword(terms, early, 20) == exact_early
        assert await search.keyword(["no-such-word"], f, 20) == []
        # A window of the newest 5 matches, and "howitzer" (rare) scored wherever it stands.
        monkeypatch.setattr(keyword, "WINDOW", 5)
        monkeypatch.setattr(keyword, "RARE_POSTINGS", len(howitzer))  # "shelling" (40) is not rare
        ids = sorted(r["id"] for r in await engine.store.db.fetch_all("SELECT id FROM chunks"))
        bounded = await search.keyword(terms, f, 20)
        assert set(bounded) == howitzer | set(ids[-5:])  # an older report naming only "shelling": none
        assert set(bounded[: len(howitzer)]) == howitzer  # both words score above one, as exactly
        assert bounded == [c for c in everything if c in set(bounded)]  # in the exact ranking's order
        # A word with more matches than RARE_POSTINGS waits for the window like the rest.
        monkeypatch.setattr(keyword, "RARE_POSTINGS", len(howitzer) - 1)
        assert set(await search.keyword(terms, f, 20)) == set(ids[-5:])
