"""What a watch requires of new reporting: the names an article must hold (a cheap first look before
the full question is asked), and the topic words a quote must say (a last look before it is posted).

An answer is only ever made from articles that hold the question's places and named actors (the
coverage rules, ``answering.planning``), so an article without them can't answer the watch, and
asking the full question of it is wasted. Checked against a set of the article's words and name keys,
read once per article however many watches there are: with a thousand watches, most of them are
ruled out by a few set lookups each, and only the rest run the retrieval.

An alert is posted unasked, so it must be about what was watched, more surely than an answer to a
question someone is reading: a quote in an alert says the watch's topic words ("drone", "attacks" for
"drone attacks on Moscow"), each or one of its variants ("casualties": killed, wounded, dead …, by
their first five letters: "exports" finds "export"), all of them for a topic of up to three words and
two in three for a longer one. A watch that is only a name ("Wagner") wants a quote that names it.
On 50 new articles and 28 topic watches, asking alone let through quotes such as a hurricane warning
for "Houthi attacks in the Red Sea" and a hacking story for "drone attacks on Moscow"
(benchmarks/watches.py shows the alerts it posts).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass, field

from index.answering.planning import plan_query
from index.answering.vocabulary import EXPANSIONS, MONTHS_AND_DAYS, NAME_ALIASES, WORD
from index.text.place_names import name_spellings, spelling_key
from index.text.sentences import split_sentences

QUOTE_SENTENCES = 3  # a quote is a sentence, or a few when one is split (an abbreviation, a quote in a quote)


@dataclass(frozen=True)
class Anchors:
    """What an article must hold, and a quote must say, to answer a watch."""

    names: tuple[tuple[tuple[tuple[str, ...], ...], str], ...]  # each name's spellings' words, and its key
    topic: tuple[frozenset[str], ...] = ()  # each topic word's stems, with its variants'
    # Of ``names``, the actors (people, bodies, groups; not places): a quote an alert shows must stand
    # where its article names them (``named_near``), not anywhere in an article that does.
    actors: tuple[tuple[tuple[tuple[str, ...], ...], str], ...] = ()

    def admit(self, article: ArticleWords) -> bool:
        """Whether the article might answer the watch: it holds the names, and its words say the topic
        as a quote must (never False for an article with a quote that ``said_by`` accepts)."""
        for spellings, key in self.names:
            held = any(article.writes(words) for words in spellings)
            if not (held or (key and key in article.keys)):
                return False
        if not self.topic:
            return True
        # The runs of sentences holding each topic word (or a variant); enough of them in one run.
        runs = [
            frozenset().union(*(article.runs.get(stem, ()) for stem in variants)) for variants in self.topic
        ]
        if self._need() == len(runs):
            return bool(frozenset.intersection(*runs))
        return any(n >= self._need() for n in Counter(run for found in runs for run in found).values())

    def said_by(self, quote: str) -> bool:
        """Whether a quote says what the watch is about (its topic words; a name-only watch's name)."""
        words = ArticleWords.of(quote)
        if not self.topic:
            return not self.names or any(
                any(words.writes(ws) for ws in spellings) or (key and key in words.keys)
                for spellings, key in self.names
            )
        return self._says_topic(words.stems)

    def named_near(self, text: str, start: int, end: int) -> bool:
        """Whether each actor of a topic watch is named in the quote ``text[start:end]`` or in the
        QUOTE_SENTENCES - 1 sentences before it: "the new Islamic State leader" is not answered by a
        sentence about someone else's leadership in an article that names Islamic State elsewhere."""
        if not self.actors or not self.topic:
            return True  # a name-only watch's quote names it already (said_by)
        bounds = split_sentences(text)
        first = next((n for n, (a, b) in enumerate(bounds) if b > start), 0)
        around = ArticleWords.of(text[bounds[max(0, first - QUOTE_SENTENCES + 1)][0] : end] if bounds else "")
        return all(
            any(around.writes(ws) for ws in spellings) or (key and key in around.keys)
            for spellings, key in self.actors
        )

    def _says_topic(self, stems: frozenset[str]) -> bool:
        return sum(1 for variants in self.topic if not variants.isdisjoint(stems)) >= self._need()

    def _need(self) -> int:
        """Topic words a quote must say: all of up to three, two in three of more."""
        n = len(self.topic)
        return n if n <= 3 else math.ceil(n * 2 / 3)


@dataclass(frozen=True)
class ArticleWords:
    """A text's words (casefolded), their stems, and the spelling keys of the names it writes."""

    words: frozenset[str]
    keys: frozenset[str]
    stems: frozenset[str]  # each word's first five letters
    # Stem -> the runs of QUOTE_SENTENCES sentences that hold it: a quote's topic words stand in one run.
    runs: dict[str, frozenset[int]] = field(default_factory=dict)
    # Words written one after the other: a name of several words is held where they stand together
    # ("Islamic State"), not where each stands apart ("an Islamic visionary … the United States").
    pairs: frozenset[tuple[str, str]] = frozenset()

    def writes(self, name: tuple[str, ...]) -> bool:
        """Whether the text holds a name's words (case-folded), written together where it has several."""
        return all(w in self.words for w in name) and all(
            pair in self.pairs for pair in itertools.pairwise(name)
        )

    @classmethod
    def of(cls, text: str) -> ArticleWords:
        """Read once per new article (and per quote an alert would show)."""
        ordered = _words(text)
        words = frozenset(ordered)
        keys = frozenset(k for k, _ in name_spellings(text) if k)
        runs: dict[str, set[int]] = {}
        for n, (a, b) in enumerate(split_sentences(text)):
            for stem in {_stem(w) for w in _tokens(text[a:b])}:
                # Sentence n is in the runs that start QUOTE_SENTENCES - 1 sentences before it, up to it.
                runs.setdefault(stem, set()).update(range(max(0, n - QUOTE_SENTENCES + 1), n + 1))
        stems = frozenset(_stem(w) for w in words)
        pairs = frozenset(itertools.pairwise(ordered))
        return cls(words, keys, stems, {k: frozenset(v) for k, v in runs.items()}, pairs)


# Words of a question that say how it asks, not what about: no quote needs to say them. (The planner's
# STOPWORDS — what, who, said, reported, claims, latest … — never reach its content words at all.)
NOT_TOPIC = frozenset(
    [
        "also",
        "anything",
        "else",
        "first",
        "happening",
        "know",
        "known",
        "last",
        "many",
        "much",
        "new",
        "number",
        "something",
        "statement",
        "statements",
        "update",
        "updates",
        "whose",
    ]
)


def _words(name: str) -> tuple[str, ...]:
    """Words in order, case-folded, a possessive's 's dropped ("State's": state), hyphenated ones
    also as their parts ("Nagorno-Karabakh": nagorno-karabakh, nagorno, karabakh)."""
    out: list[str] = []
    for w in WORD.findall(name):
        word = _bare(w)
        out.append(word)
        if "-" in word:
            out += [part for part in word.split("-") if part]
    return tuple(out)


def _name_words(name: str) -> tuple[str, ...]:
    """A name's words as ``ArticleWords.writes`` looks for them (no parts of hyphenated ones)."""
    return tuple(_bare(w) for w in WORD.findall(name))


def _bare(word: str) -> str:
    word = word.casefold().strip("'’-")
    return word[:-2] if word.endswith(("'s", "’s")) else word


async def anchors_of(query: str) -> Anchors:
    """The names (places, people, bodies) a watch's question requires, read as the planner reads them
    but without the archive: a name no article holds yet is what the watch waits for."""

    async def anything(_: str) -> bool:
        return True

    async def no_years(month: int, day: int | None) -> list[int]:
        return []

    plan = await plan_query(query, years_for=no_years, known_outlets=(), is_mentioned=anything)
    in_names = {w.casefold() for n in [*plan.places, *plan.actors] for w in WORD.findall(n)}
    topic = tuple(
        frozenset(_stem(v) for v in (word, *EXPANSIONS.get(word, ())))
        for word in plan.content_words
        if word not in in_names
        and word not in NOT_TOPIC
        and not word.isdigit()
        and word not in MONTHS_AND_DAYS
    )

    def spelled(names: list[str]) -> tuple[tuple[tuple[tuple[str, ...], ...], str], ...]:
        return tuple(
            (tuple(_name_words(s) for s in (name, *NAME_ALIASES.get(name.lower(), ()))), spelling_key(name))
            for name in dict.fromkeys(names)
        )

    places = {p.casefold() for p in plan.places}
    actors = spelled([a for a in plan.actors if a.casefold() not in places])
    return Anchors(names=spelled([*plan.places, *plan.actors]), topic=topic, actors=actors)


def _tokens(text: str) -> set[str]:
    """A text's words, case-folded, and the parts of hyphenated ones ("Tovuz-based": tovuz, based)."""
    return set(_words(text))


def _stem(word: str) -> str:
    """A word's first five letters (case-folded): "attacks", "attacked" -> "attac"."""
    word = word.casefold().strip("'’-")
    return word[:5] if len(word) >= 4 else word
