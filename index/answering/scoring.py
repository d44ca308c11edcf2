"""How well a candidate sentence answers the question: its similarity plus the evidence a reader
looks for (the asked words, speaker, figure, cause, days), each a small, named weight."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from index.answering.asked import (
    CASUALTY_WORDS,
    NUMBER,
    about,
    asked_name,
    counts_the_asked,
    mentions_interval,
    share_of,
    speaker_share,
    stemmed_share,
    words_of,
)
from index.answering.planning import QueryPlan
from index.answering.vocabulary import STOPWORDS
from index.models import Article


class Scorable(Protocol):
    """What scoring reads of a candidate sentence (``quotes.Candidate``)."""

    @property
    def article(self) -> Article: ...
    @property
    def speaker(self) -> str | None: ...
    @property
    def similarity(self) -> float: ...
    @property
    def chunk_rank(self) -> int: ...
    @property
    def text(self) -> str: ...


# A quote whose speaker is the body or person the question names ranks up: by the share of the asked
# speaker's words (``asked.speaker_share``: none without the name's own words, so "Turkey's Foreign
# Ministry" gains nothing on "Armenian Ministry of Defense"), or, where the question asks no speaker,
# the squared share of its named actors' words.
ACTOR_SPEAKS = 0.2
TOPIC = 0.12  # by the share of the question's words (other than the asked speaker's) in the sentence
# By the share of those words in the article's title: "Biden's remarks were 'absolutely
# unacceptable'", Peskov said, in "Biden on Putin: 'I think he is a war criminal'", answers "What did
# Peskov say about Biden calling Putin a war criminal?"; his words in a story about something else
# don't. The weights below were tried on the trust dev set (benchmarks/README.md, "Ranking weights").
TITLE_TOPIC = 0.1
COUNTED = 0.08  # "How many athletes and coaches": by the share of the counted nouns in the sentence
NO_COUNT = 0.04  # a toll question: taken off a sentence without a count of the asked casualties
REASON_GIVEN = 0.08  # "Why did Ukraine pull out?": a sentence that gives a cause or purpose
# Words that give a cause or a purpose.
CAUSE = re.compile(
    r"\b(?:because|due\s+to|owing\s+to|as\s+a\s+result|in\s+(?:response|retaliation)|in\s+order\s+to"
    r"|so\s+as\s+to|so\s+that|reasons?|aimed\s+at|to\s+(?:avoid|prevent|protect|save))\b",
    re.I,
)


def score(c: Scorable, plan: QueryPlan) -> float:
    """Rank a candidate: semantic similarity, plus evidence a reader would look for."""
    s = c.similarity
    words = words_of(c.text)
    topic = about(plan.content_words, plan.speaker)
    casualties = bool(CASUALTY_WORDS & set(plan.content_words))
    # Parsed once: three kinds of evidence below ask it.
    counts_asked = casualties and counts_the_asked(c.text, plan.content_words)
    if topic:
        # The asked speaker's own name is scored as the speaker, not as what the quote is about.
        s += TOPIC * share_of(words, topic)
        if c.article.title:
            s += TITLE_TOPIC * _title_share(c.article.title, topic)
        if plan.counting and casualties and not counts_asked:
            s -= NO_COUNT  # "The attack took place in Chaplyne" is no answer to how many were killed there
        if casualties and words & CASUALTY_WORDS and NUMBER.search(c.text):
            # A casualty question is answered by a figure, not by talk about one: a count of the
            # asked kind ("how many were wounded": the wounded, not the dead; "how many soldiers":
            # not civilians), not "a town of about 3,500 people".
            s += 0.08 if counts_asked else -0.04
    lowered = c.text.lower()
    if plan.places and any(p.lower() in lowered for p in plan.places):
        s += 0.04
    if plan.names:
        s += 0.04 * sum(1 for n in plan.names if n.lower() in lowered) / len(plan.names)
    if plan.speaker and c.speaker and asked_name(plan.speaker)[0]:
        # "What did the Armenian Ministry of Defense say?": its own spokesperson first, not Turkey's,
        # and not the people it talked about ("What did Peskov say about Biden …": not Biden).
        s += ACTOR_SPEAKS * speaker_share(plan.speaker, c.speaker)
    elif plan.actors and c.speaker:
        wanted = {w.lower() for a in plan.actors for w in a.split() if w.lower() not in STOPWORDS}
        s += ACTOR_SPEAKS * (len(wanted & words_of(c.speaker)) / max(1, len(wanted))) ** 2
    # "How many …": the sentence with the figure; for a toll, a casualty figure ("a town of about 3,500
    # people" is none).
    if plan.counting and NUMBER.search(c.text) and (not casualties or counts_asked):
        s += 0.06
    if plan.counted:
        # "How much damage did Russia say …": "only minor damage to a minesweeper", not "the attack
        # involved nine drones".
        s += COUNTED * stemmed_share(c.text, plan.counted)
    if plan.reason and CAUSE.search(c.text):
        s += REASON_GIVEN
    if plan.intervals:
        if c.article.published and any(lo <= c.article.published <= hi for lo, hi in plan.intervals):
            s += 0.04
        if mentions_interval(
            c.text, c.article.published.year if c.article.published else None, plan.intervals
        ):
            s += 0.04
    if c.speaker:
        s += 0.03  # an attributed claim is what users come for
    if len(c.text) < 25 or c.text.endswith(":"):
        s -= 0.2  # headings, captions
    s -= 0.002 * c.chunk_rank
    return s


@lru_cache(maxsize=4096)
def _title_share(title: str, topic: tuple[str, ...]) -> float:
    """``stemmed_share`` of a title, kept: every candidate of an article shares it."""
    return stemmed_share(title, topic)
