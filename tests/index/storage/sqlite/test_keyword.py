"""Keyword ranking: exact on a small archive; on a large one, the whole question's BM25 over the
newest matches and every match of the rarest words, so what it returns is in the exact order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from index.models import GLOBAL_SCOPE
from index.storage.records import ArticleFilter
from index.storage.sqlite import keyword
from tests.index.storage.sqlite.test_search import exact_keywords, open_with


async def test_a_large_archive_scores_the_newest_matches_and_every_rare_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = await open_with(tmp_path, 40)
    try:
        f = ArticleFilter(scopes=(GLOBAL_SCOPE,))
        search = engine.store.search
        terms = ["shelling", "howitzer"]
        exact = await exact_keywords(engine, terms, f, 20)
        assert await search.keyword(terms, f, 20) == exact
        assert len(exact) == 20  # "shelling" is in every chunk: it fills the list
        monkeypatch.setattr(keyword, "PRUNED_FROM", 10)  # 40 chunks now count as a large archive
        # The window holds every match: the scores are the exact ranking's.
        assert await search.keyword(terms, f, 20) == exact
        early = ArticleFilter(scopes=(GLOBAL_SCOPE,), intervals=((date(2025, 3, 1), date(2025, 3, 3)),))
        assert await search.admitted_share(early) < keyword.BROAD_FILTER
        assert await search.keyword(terms, early, 20) == await exact_keywords(engine, terms, early, 20)
        # A window of the newest 5 matches, and "howitzer" (8 matches, rare) scored wherever it stands.
        monkeypatch.setattr(keyword, "WINDOW", 5)
        monkeypatch.setattr(keyword, "RARE_POSTINGS", 10)  # "shelling" (40) is not rare
        howitzer = set(await exact_keywords(engine, ["howitzer"], f, 20))  # reports 0, 5, 10 … 35
        ids = sorted(r[0] for r in await engine.store.db.rows("SELECT id FROM chunks"))
        bounded = await search.keyword(terms, f, 20)
        assert set(bounded) == howitzer | set(ids[-5:])  # an older report naming only "shelling": none
        assert set(bounded[:8]) == howitzer  # both words score above one, as in the exact ranking
        everything = await exact_keywords(engine, terms, f, 40)
        assert bounded == [c for c in everything if c in set(bounded)]  # in the exact ranking's order
        # A word with more matches than RARE_POSTINGS waits for the window like the rest.
        monkeypatch.setattr(keyword, "RARE_POSTINGS", 3)
        assert set(await search.keyword(terms, f, 20)) == set(ids[-5:])
    finally:
        await engine.close()
