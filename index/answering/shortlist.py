"""Which candidate sentences are worth embedding for a question.

Embedding every sentence of the retrieved chunks was 96% of an answer's time (about 100 sentences a
question). Most of them can't win: ``answering.score`` adds lexical and evidence bonuses on top of the
cosine, and a sentence's chunk rank says how close its neighbourhood is to the question. So the
candidates are ranked by that evidence alone (the score with a cosine of zero, plus a prior for the
chunk's rank) and only the top ``SHORTLIST`` are embedded and scored in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from index.answering.planning import QueryPlan
from index.answering.quotes import PER_PARTY, Candidate, claimant
from index.answering.scoring import score
from index.answering.sides import speaks_only_for

# Sentences embedded per question; 16 lost claims a "who" question needs (tests/bot/test_e2e_ask.py).
SHORTLIST = 32
CHUNK_PRIOR = 0.3  # weight of 1/(1+rank) of the sentence's chunk in the fused retrieval list
PER_CHUNK = 1  # the best sentence of each retrieved chunk is kept whatever its words


def shortlist(
    candidates: Sequence[Candidate], plan: QueryPlan, n: int = SHORTLIST, parties: Sequence[str] = ()
) -> list[Candidate]:
    """The ``n`` candidates most likely to answer, in their original order.

    Every chunk keeps its best ``PER_CHUNK`` sentence(s) first (a chunk retrieved by meaning alone may
    share no word with the question); for "who ..." questions every claimant (speaker, else outlet)
    then keeps its best sentence, since the answer puts opposing claims side by side; the rest of the
    budget goes to the best evidence overall. Each of a "what did A and B each claim" question's
    ``parties`` keeps its best ``PER_PARTY`` sentences besides those, with room kept for them.
    """
    if len(candidates) <= n:
        return list(candidates)
    evidence = [
        score(replace(c, similarity=0.0), plan) + CHUNK_PRIOR / (1 + c.chunk_rank) for c in candidates
    ]
    by_evidence = sorted(range(len(candidates)), key=lambda i: -evidence[i])
    chosen: list[int] = []
    # Room is kept for each party of an "each claim" question: its chunks may be many and rank low.
    reserved = PER_PARTY * len(parties)
    per_chunk: dict[int, int] = {}
    for i in by_evidence:
        rank = candidates[i].chunk_rank
        if per_chunk.get(rank, 0) < PER_CHUNK and len(chosen) < n - reserved:
            chosen.append(i)
            per_chunk[rank] = per_chunk.get(rank, 0) + 1
    if plan.who:
        claimants = {claimant(candidates[i]) for i in chosen}
        for i in by_evidence:
            if len(chosen) < n - reserved and i not in chosen and claimant(candidates[i]) not in claimants:
                chosen.append(i)
                claimants.add(claimant(candidates[i]))
    for party in parties:
        own = [
            i
            for i in by_evidence
            if i not in chosen and speaks_only_for(candidates[i].speaker, party, parties)
        ]
        chosen += own[:PER_PARTY]
    taken = set(chosen)
    chosen += [i for i in by_evidence if i not in taken][: n - len(chosen)]
    return [candidates[i] for i in sorted(chosen)]
