"""Which new articles answer which watches: the alerts one poll posts.

A watch remembers the last article row it looked at. A poll reads the articles stored since (by this
process, a feed poll, a worker or a CLI ingest in another process), rules out the watches whose names
they don't hold (``anchors``), and asks each remaining watch's question of the new articles alone,
under the same coverage rules as any answer: a place or actor the articles don't hold, or quotes that
don't answer, give no alert. A near copy of an article the archive already held is not news.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from index.models import GLOBAL_SCOPE, Answer, Article, Disagreement, Watch
from index.watching.anchors import Anchors, ArticleWords, anchors_of

if TYPE_CHECKING:
    from index.engine import Engine

log = logging.getLogger(__name__)

GAP_WAIT = timedelta(minutes=5)  # how long a missing row id may be a writer still committing
BATCH = 500  # new articles read per poll; a longer backlog is worked through over the next polls
ALERT_QUOTES = 5  # an alert shows the best few quotes, however many new articles answer


@dataclass(frozen=True)
class Alert:
    """New reporting that answers a watch: one post, however many articles it covers."""

    watch: Watch
    answer: Answer  # from the new articles only, best first
    articles: int  # new articles among the quotes' documents
    keys: dict[str, str]  # each quoted article's id -> its near-copy group, what is claimed (``claim``)
    through_rowid: int  # the watch has looked at every article up to this row
    earlier: Answer | None = None  # the whole archive's answer, when new reporting contradicts it
    contradictions: tuple[Disagreement, ...] = ()  # of ``earlier``: a new claim against an older one


@dataclass(frozen=True)
class _New:
    """The articles stored after some row, with what the first look needs."""

    articles: dict[int, Article]  # row id -> article
    words: dict[int, ArticleWords]
    originals: dict[int, int]  # near copy's row id -> its original's
    through: int  # the last row read
    settled: int  # where marks may move: ``through``, or before a gap a committing writer may fill


class WatchMatcher:
    """Checks watches against the articles stored since each last looked."""

    def __init__(self, engine: Engine, *, batch: int = BATCH, looks: bool = True) -> None:
        """``looks=False``: every watch's question is asked, every quote it gets kept (the benchmark's
        baseline, without the first look at the names and topic or the last at each quote)."""
        self.engine = engine
        self.batch = batch
        self.looks = looks
        self.asked = 0  # watches whose question was asked of new articles (past the first look)
        self._anchors: dict[str, Anchors] = {}  # by question: read once per process

    async def check(self, watches: Sequence[Watch]) -> list[Alert]:
        """The alerts for these watches (enabled ones) from the articles stored since each looked.

        A watch that gets no alert is marked as having looked; one that does is marked by ``done``,
        once its alert is posted (or found posted by another process).
        """
        store = self.engine.store
        active = [w for w in watches if w.enabled]
        newest = await store.search.newest_rowid()
        behind = [w for w in active if w.after_rowid < newest]
        if not behind:
            return []
        new = await self._new_articles(min(w.after_rowid for w in behind))
        await self.engine.vectors.follow()  # vectors other processes committed with those articles
        alerts = []
        for watch in behind:
            alert = await self._check_one(watch, new)
            if alert is None:
                await store.watches.checked(watch.id, new.settled)
            else:
                alerts.append(alert)
        return alerts

    async def claim(self, alert: Alert) -> Alert | None:
        """Record the alert's articles as alerted: the alert with the quotes of those no process
        posted before, or None when every one was (a poll re-reading past a gap, another process)."""
        claimed = set(
            await self.engine.store.watches.claim_alerts(alert.watch.id, sorted(set(alert.keys.values())))
        )
        if not claimed:
            return None
        quotes = tuple(q for q in alert.answer.quotes if alert.keys.get(q.document.id) in claimed)
        if len(quotes) == len(alert.answer.quotes):
            return alert
        documents = {q.document.id for q in quotes}
        return replace(
            alert, answer=replace(alert.answer, quotes=quotes, disagreements=()), articles=len(documents)
        )

    async def done(self, alert: Alert, *, posted: bool) -> None:
        """Mark the alert's watch as having looked at its articles (and count the post)."""
        if posted:
            await self.engine.store.watches.alerted(alert.watch.id)
        await self.engine.store.watches.checked(alert.watch.id, alert.through_rowid)

    async def _new_articles(self, after: int) -> _New:
        store = self.engine.store
        texts = await store.articles.texts(after, self.batch)
        rowids = [r for r, _ in texts]
        articles = await store.articles.by_rowid(rowids)
        words = {r: ArticleWords.of(text) for r, text in texts}
        originals = await store.search.originals(rowids) if rowids else {}
        through = rowids[-1] if rowids else after
        return _New(articles, words, originals, through, settled_row(after, rowids, articles))

    async def _check_one(self, watch: Watch, new: _New) -> Alert | None:
        scopes = tuple(dict.fromkeys((GLOBAL_SCOPE, watch.scope)))
        anchors = self._anchors.get(watch.query) or await anchors_of(watch.query)
        self._anchors[watch.query] = anchors
        fresh = {
            rowid: a
            for rowid, a in new.articles.items()
            if rowid > watch.after_rowid
            and a.scope in scopes
            and new.originals.get(rowid, rowid) > watch.after_rowid  # a copy of an older article isn't news
        }
        if not fresh or (self.looks and not any(anchors.admit(new.words[r]) for r in fresh)):
            return None
        self.asked += 1
        retriever = self.engine.retriever
        exclude = (watch.exclude_label,) if watch.exclude_label else ()
        plan = await retriever.plan(watch.query, scopes=scopes, outlet=watch.outlet, exclude_labels=exclude)
        if plan.refusal is not None or plan.filter is None:
            return None  # e.g. the outlet it names isn't in the archive (yet)
        narrowed = replace(plan.filter, rowids=(watch.after_rowid, new.through))
        searched = await self.engine.store.search.count(narrowed)
        if not searched:
            return None
        plan = replace(plan, filter=narrowed, searched=searched)
        answer = retriever.compose(plan, await retriever.retrieve(plan, k=ALERT_QUOTES))
        by_id = {a.id: rowid for rowid, a in fresh.items()}
        quotes = tuple(
            q
            for q in answer.quotes
            if q.document.id in by_id
            and (
                not self.looks
                or (
                    anchors.said_by(q.text)
                    and anchors.named_near(fresh[by_id[q.document.id]].text, q.start, q.end)
                )
            )
        )
        if not answer.found or not quotes:
            return None
        if len(quotes) < len(answer.quotes):
            answer = replace(answer, quotes=quotes, disagreements=())
        rows = {by_id[q.document.id] for q in quotes}
        keys = {
            q.document.id: f"article:{new.originals.get(r, r)}"
            for q in quotes
            for r in [by_id[q.document.id]]
        }
        alert = Alert(watch, answer, len(rows), keys, new.settled)
        return await self._with_contradictions(alert, scopes, set(by_id))

    async def _with_contradictions(self, alert: Alert, scopes: tuple[str, ...], new_ids: set[str]) -> Alert:
        """The alert, with the archive's disagreements that set a new claim against an earlier one."""
        watch = alert.watch
        earlier = await self.engine.ask(
            watch.query,
            scopes=scopes,
            outlet=watch.outlet,
            exclude_labels=(watch.exclude_label,) if watch.exclude_label else (),
        )
        contradictions = tuple(
            d
            for d in earlier.disagreements
            if len({earlier.quotes[c.quote].document.id in new_ids for c in d.claims}) == 2
        )
        return replace(alert, earlier=earlier, contradictions=contradictions) if contradictions else alert


def settled_row(after: int, rowids: Sequence[int], articles: Mapping[int, Article]) -> int:
    """The last row a watch may be marked as having read: before the first missing row id that an
    article stored less than ``GAP_WAIT`` ago follows, else the last row read.

    Row ids are handed out when a writer inserts, and writers commit in any order (PostgreSQL, with
    several workers): a missing id just below fresh articles may be a transaction still committing,
    and a mark moved past it would never read that article. An older gap is a removed article.
    """
    horizon = datetime.now(UTC) - GAP_WAIT
    previous = after
    for rowid in rowids:
        article = articles.get(rowid)
        if rowid > previous + 1 and article is not None and _stored_at(article) > horizon:
            return previous
        previous = rowid
    return previous


def _stored_at(article: Article) -> datetime:
    when = datetime.fromisoformat(article.ingested_at)
    return when if when.tzinfo else when.replace(tzinfo=UTC)
