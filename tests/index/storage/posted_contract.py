"""What both backends' ``posted`` role must do: keep an answer whole, one vote per user and quote, and
forget old unvoted answers."""

from __future__ import annotations

from datetime import date

from index.models import Answer, Disagreement, DisputedClaim, DocumentRef, QueryFilters, Quote
from index.storage.protocols import Storage

DOC = DocumentRef("a1", "Shelling in Pellin", "Ossel Courier", "https://ossel.example/1", date(2025, 3, 13))
ANSWER = Answer(
    "who reported casualties in Pellin?",
    True,
    (
        Quote(
            "Two civilians were killed.", "Tova Rennick", 10, 36, 0.81, DOC, event_dates=(date(2025, 3, 12),)
        ),
        Quote("No one was killed.", "the ministry", 50, 68, 0.7, DOC, language="en"),
    ),
    7,
    QueryFilters(places=("Pellin",)),
    disagreements=(
        Disagreement(
            "killed", (DisputedClaim(0, "Tova Rennick", "2"), DisputedClaim(1, "the ministry", "no"))
        ),
    ),
)


class PostedContract:
    async def test_a_posted_answer_comes_back_whole(self, store: Storage) -> None:
        first = await store.posted.save("3000", "9001", ANSWER)
        second = await store.posted.save("3000", None, ANSWER)
        assert second > first
        posted = await store.posted.get(first)
        assert posted is not None
        assert (posted.id, posted.scope, posted.asker, posted.answer) == (first, "3000", "9001", ANSWER)
        assert await store.posted.get(second + 100) is None

    async def test_a_users_second_vote_on_a_quote_replaces_the_first(self, store: Storage) -> None:
        answer_id = await store.posted.save("3000", "9001", ANSWER)
        await store.posted.vote(answer_id, 0, "9001", 1, None)
        await store.posted.vote(answer_id, 1, "9001", -1, "wrong speaker")
        await store.posted.vote(answer_id, 0, "9002", -1, None)
        await store.posted.vote(answer_id, 0, "9001", -1, "not about Pellin")
        votes = {(v.quote, v.user_id): (v.vote, v.reason) for v in await store.posted.votes(answer_id)}
        assert votes == {
            (0, "9001"): (-1, "not about Pellin"),
            (1, "9001"): (-1, "wrong speaker"),
            (0, "9002"): (-1, None),
        }
        assert len(await store.posted.votes()) == 3

    async def test_pruning_forgets_old_answers_nobody_voted_on(self, store: Storage) -> None:
        voted = await store.posted.save("3000", "9001", ANSWER)
        unvoted = await store.posted.save("3000", "9001", ANSWER)
        await store.posted.vote(voted, 1, "9001", 1, None)
        assert await store.posted.prune("2000-01-01T00:00:00+00:00") == 0
        assert await store.posted.prune("2999-01-01T00:00:00+00:00") == 1
        assert await store.posted.get(unvoted) is None
        kept = await store.posted.get(voted)
        assert kept is not None and kept.answer == ANSWER

    async def test_a_thread_knows_the_answer_that_opened_it_and_keeps_it(self, store: Storage) -> None:
        first = await store.posted.save("3000", "9001", ANSWER)
        await store.posted.save("3000", "9002", ANSWER)  # a follow-up in it: not the opener
        await store.posted.open_thread(first, "5555")
        opened = await store.posted.get(first)
        started = await store.posted.thread_start("5555")
        assert started is not None and opened is not None and started == opened
        assert await store.posted.thread_start("6666") is None
        assert await store.posted.prune("2999-01-01T00:00:00+00:00") == 1  # the thread's opener stays
        assert await store.posted.thread_start("5555") is not None

    async def test_an_id_is_never_given_again_after_pruning(self, store: Storage) -> None:
        """An old message's buttons carry its answer's id: a new answer must never take it over."""
        first = await store.posted.save("3000", "9001", ANSWER)
        second = await store.posted.save("3000", "9001", ANSWER)
        assert await store.posted.prune("2999-01-01T00:00:00+00:00") == 2
        assert await store.posted.save("global", "9009", ANSWER) > second > first
