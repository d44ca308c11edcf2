"""The sentence shortlist: which candidates get embedded for a question."""

from __future__ import annotations

from index.answering.planning import QueryPlan, plan_query
from index.answering.quotes import Candidate
from index.answering.shortlist import shortlist
from index.models import Article


async def _plan(question: str) -> QueryPlan:
    async def no_years(month: int, day: int | None) -> list[int]:
        return []

    async def not_mentioned(term: str) -> bool:
        return False

    return await plan_query(question, years_for=no_years, known_outlets=[], is_mentioned=not_mentioned)


def _candidates(sentences: list[tuple[str, int]], speakers: dict[int, str] | None = None) -> list[Candidate]:
    """One article holding the sentences; each (text, chunk rank) becomes a candidate span."""
    text = " ".join(s for s, _ in sentences)
    article = Article(
        id="a1",
        title=None,
        outlet="Wire",
        url=None,
        published=None,
        published_from=None,
        language="en",
        ingested_at="2025-01-01T00:00:00Z",
        text=text,
        source_id=1,
        scope="global",
    )
    out, pos = [], 0
    for s, rank in sentences:
        speaker = (speakers or {}).get(len(out))
        out.append(Candidate(article=article, start=pos, end=pos + len(s), speaker=speaker, chunk_rank=rank))
        pos += len(s) + 1
    return out


async def test_keeps_everything_when_within_budget() -> None:
    cands = _candidates([("Shelling hit the port overnight.", 0), ("The mayor spoke.", 1)])
    assert shortlist(cands, await _plan("Where did shelling hit?"), n=5) == cands


async def test_prefers_words_of_the_question_and_keeps_each_chunks_best() -> None:
    filler = [(f"Weather item number {i} was unremarkable for the season.", 0) for i in range(12)]
    answer = ("Shelling killed 14 civilians in Pellin on Tuesday, the ministry said.", 0)
    other_chunk = ("A quiet sentence from the second chunk with nothing in common.", 1)
    cands = _candidates([*filler, answer, other_chunk])
    picked = shortlist(cands, await _plan("How many civilians did shelling kill in Pellin?"), n=3)
    texts = [c.text for c in picked]
    assert len(picked) == 3
    assert answer[0] in texts  # the lexical evidence wins over filler of the same chunk
    assert other_chunk[0] in texts  # a chunk retrieved by meaning keeps its best sentence
    assert [c.start for c in picked] == sorted(c.start for c in picked)  # original order


async def test_earlier_chunks_win_ties() -> None:
    same = "An unrelated sentence about nothing in particular at all."
    cands = _candidates([(same, rank) for rank in range(10)])
    picked = shortlist(cands, await _plan("What happened at the border?"), n=4)
    assert sorted(c.chunk_rank for c in picked) == [0, 1, 2, 3]


async def test_who_questions_keep_one_sentence_per_claimant() -> None:
    """Opposing claims in one chunk: each claimant's best sentence is embedded, not only the top one."""
    sentences = [(f"The ministry said {n} soldiers were killed near Pellin.", 0) for n in range(3, 9)]
    sentences.append(("Fourteen servicemen died, the command said.", 0))
    cands = _candidates(sentences, speakers={i: "the ministry" for i in range(6)} | {6: "the command"})
    picked = shortlist(cands, await _plan("Who reported soldiers killed near Pellin?"), n=3)
    assert {c.speaker for c in picked} == {"the ministry", "the command"}
