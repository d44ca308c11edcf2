"""SIGKILL during ingest and during a rebuild, then restart: nothing committed is lost, nothing is half-there.

Each run starts the real ``sitrep ingest`` (real model) on a JSONL corpus in a subprocess and kills it
at a seeded random point: after a random number of committed articles plus a random delay, so kills
land inside embedding, inside a write transaction, inside a FAISS save. Runs accumulate on one data
dir, so each run is also "re-run the same ingest after a crash". After every kill:

- ``PRAGMA integrity_check`` is ``ok`` and no article is stored without its chunks and vectors;
- opening the engine leaves the FAISS ids equal to the database's chunk ids with vectors;
- every article the killed process printed as added is stored, indexed, and answerable: a question
  built from its own words brings back a quote from it.

A final run without a kill must add exactly the articles still missing, with no duplicates.
CI runs 2 kills (and one during a rebuild) on 72 shortened articles; ``make soak`` (SITREP_SOAK=1)
runs 10 kills (5 during rebuilds) on 400 whole articles.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.models import GLOBAL_SCOPE
from index.wording import counted
from tests.index.processes import Sitrep, check_database, write_corpus
from tests.loopback import Pages, serve_in_thread

pytestmark = pytest.mark.model

SOAK = os.environ.get("SITREP_SOAK") == "1"
KILLS = 10 if SOAK else 2
ARTICLES = 400 if SOAK else 72
TEXT_CHARS = None if SOAK else 1500  # CI embeds the first paragraphs only, to stay quick
ASKED_PER_RUN = None if SOAK else 4  # answerability is checked for a sample in CI, for all in soak
SEED = 20261125


# Words that make a question time-bound ("after March 15", "the past four days"): the check is about
# what was stored, so the question built from an article's text leaves them out.
_TIME_WORDS = re.compile(
    r"\b(?:\w*\d\w*|january|february|march|april|may|june|july|august|september|october|november|december"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|ago|since|until"
    r"|after|before|past|last|next|this|days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)


def _question_from(text: str) -> str:
    """Words of the article's longest early sentence, less time words: a question only it answers well."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text[:3000]) if len(s.split()) >= 8]
    sentence = max(sentences[:6], key=len) if sentences else text
    return " ".join(_TIME_WORDS.sub(" ", sentence).split()[:24])


async def _check_engine(
    data: Path, embedder: SentenceTransformerEmbedder, reported: list[str], rng: random.Random
) -> int:
    """Open (repairing if needed) and check index == database and that reported articles answer."""
    async with await Engine.open(data, embedder=embedder) as engine:
        stored = await engine.store.embeddings.vector_chunk_ids(embedder.name)
        assert np.array_equal(engine.vectors.index.ids(), stored)
        sample = (
            reported if ASKED_PER_RUN is None else rng.sample(reported, min(ASKED_PER_RUN, len(reported)))
        )
        for article_id in reported:
            assert await engine.store.articles.get(GLOBAL_SCOPE, article_id) is not None, article_id
        for article_id in sample:
            article = await engine.store.articles.get(GLOBAL_SCOPE, article_id)
            assert article is not None
            answer = await engine.ask(_question_from(article.text), k=10)
            found = {d.id for q in answer.quotes for d in (q.document, *q.also_in)}
            assert article_id in found, (article_id, answer.note)
        return (await engine.stats()).articles


async def test_sigkill_during_ingest_and_rebuild_loses_nothing(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    ids = write_corpus(corpus, ARTICLES, TEXT_CHARS)
    data = tmp_path / "data"
    rng = random.Random(SEED)
    reported: set[str] = set()
    outcomes = []
    for run in range(KILLS):
        stored_before = len(reported)
        proc = Sitrep(data, "ingest", "--list-added", "--no-progress", str(corpus))
        # Kill after a random number of newly committed articles, then a random delay inside the next batch.
        target = rng.randint(1, max(1, (len(ids) - stored_before) // 2))
        proc.wait_for(lambda lines, t=target: sum(x.startswith("added ") for x in lines) >= t)
        time.sleep(rng.uniform(0, 1.5))
        killed = proc.kill()
        run_added = proc.added()
        assert not reported & set(run_added), "an article was added twice"
        reported |= set(run_added)
        check_database(data / "sitrep.db")
        if run % 2 == 0:
            # Kill the repair itself: the next open rebuilds the index from stored vectors.
            rebuild = Sitrep(data, "rebuild")
            rebuild.wait_for(lambda lines: any("rebuild" in x for x in lines))
            time.sleep(rng.uniform(0, 0.05))
            rebuild.kill()
            check_database(data / "sitrep.db")
        articles = await _check_engine(data, embedder, sorted(reported), rng)
        assert articles >= len(reported)
        outcomes.append((run, killed, len(run_added), articles))
        reported = set(await _stored_ids(data))  # a batch committed just before the kill counts too
    final = Sitrep(data, "ingest", "--list-added", "--no-progress", str(corpus))
    assert final.proc.wait(timeout=600) == 0, final.lines[-5:]
    summary = next(x for x in final.output() if " skipped as duplicate, " in x)
    missing = len(ids) - len(reported)
    assert summary.startswith(
        f"{counted(missing, 'article')} added, {len(reported):,} skipped as duplicate"
    ), summary
    assert sorted(final.added()) == sorted(set(ids) - reported)
    check_database(data / "sitrep.db")
    assert await _check_engine(data, embedder, ids, rng) == len(ids)
    print(f"\nkill runs (run, killed mid-ingest, articles reported, articles stored): {outcomes}")


def _feed_site(records: list[dict[str, str]]) -> Pages:
    """An RSS feed of ``records`` and their pages, as ``serve_in_thread`` serves them."""
    pages = {
        f"/a/{n}": (
            f"<html><head><title>{html.escape(r['title'] or 'Report')}</title></head><body><article>"
            + "".join(f"<p>{html.escape(p)}</p>" for p in r["text"].split("\n") if p.strip())
            + "</article></body></html>"
        ).encode()
        for n, r in enumerate(records)
    }

    def page(path: str, base: str) -> tuple[bytes, str]:
        if path == "/feed.xml":
            items = "".join(f"<item><title>{n}</title><link>{base}{n}</link></item>" for n in pages)
            return (
                f'<rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode(),
                "application/rss+xml",
            )
        return pages[path], "text/html"

    return page


def test_sigkill_while_archiving_fetched_pages_keeps_every_copy_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 40, TEXT_CHARS)
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    monkeypatch.setenv("SITREP_ALLOW_PRIVATE_URLS", "true")
    data = tmp_path / "data"
    with serve_in_thread(_feed_site(records)) as base:
        feed = f"{base}/feed.xml"
        proc = Sitrep(data, "ingest", "--list-added", "--no-progress", feed)
        proc.wait_for(lambda lines: sum(x.startswith("added ") for x in lines) >= 1)
        time.sleep(random.Random(SEED).uniform(0, 1.0))
        proc.kill()
        check_database(data / "sitrep.db")  # every stored article has its page, and the page its hash
        final = Sitrep(data, "ingest", "--list-added", "--no-progress", feed)
        assert final.proc.wait(timeout=600) == 0, final.lines[-5:]
        check_database(data / "sitrep.db")
        with closing(sqlite3.connect(data / "sitrep.db")) as db:
            articles, fetched = db.execute(
                "SELECT COUNT(*), COUNT(f.article_rowid) FROM articles a"
                " LEFT JOIN article_fetches f ON f.article_rowid = a.rowid"
            ).fetchone()
        assert articles == fetched >= len(records) - 2  # a page cleaned to nothing is no article


async def _stored_ids(data: Path) -> list[str]:
    con = sqlite3.connect(data / "sitrep.db")
    try:
        return [r[0] for r in con.execute("SELECT id FROM articles")]
    finally:
        con.close()
