"""A cheap first look before a watch's full question is asked of new articles: the names it requires.

An answer is only ever made from articles that hold the question's places and named actors (the
coverage rules, ``answering.planning``), so an article without them can't answer the watch, and
asking the full question of it is wasted. Checked against a set of the article's words and name keys,
read once per article however many watches there are: with a thousand watches, most of them are
ruled out by a few set lookups each, and only the rest run the retrieval.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.answering.planning import plan_query
from index.answering.vocabulary import NAME_ALIASES, WORD
from index.text.place_names import name_spellings, spelling_key


@dataclass(frozen=True)
class Anchors:
    """What an article must hold to possibly answer a watch."""

    names: tuple[tuple[tuple[tuple[str, ...], ...], str], ...]  # each name's spellings' words, and its key
    terms: frozenset[str]  # the question's search terms: one of them, when it names nothing

    def admit(self, article: ArticleWords) -> bool:
        """Whether the article might answer the watch (never False for one that does)."""
        for spellings, key in self.names:
            held = any(all(w in article.words for w in words) for words in spellings)
            if not (held or (key and key in article.keys)):
                return False
        return bool(self.names) or not self.terms or not self.terms.isdisjoint(article.words)


@dataclass(frozen=True)
class ArticleWords:
    """An article's words (casefolded) and the spelling keys of the names it writes, in any script."""

    words: frozenset[str]
    keys: frozenset[str]

    @classmethod
    def of(cls, text: str) -> ArticleWords:
        words = {w.casefold().strip("'’-") for w in WORD.findall(text)}
        words |= {part for w in words if "-" in w for part in w.split("-")}  # "Tovuz-based"
        return cls(frozenset(words), frozenset(k for k, _ in name_spellings(text) if k))


def _words(name: str) -> tuple[str, ...]:
    return tuple(w.casefold().strip("'’-") for w in WORD.findall(name))


async def anchors_of(query: str) -> Anchors:
    """The names (places, people, bodies) a watch's question requires, read as the planner reads them
    but without the archive: a name no article holds yet is what the watch waits for."""

    async def anything(_: str) -> bool:
        return True

    async def no_years(month: int, day: int | None) -> list[int]:
        return []

    plan = await plan_query(query, years_for=no_years, known_outlets=(), is_mentioned=anything)
    names = tuple(
        (tuple(_words(s) for s in (name, *NAME_ALIASES.get(name.lower(), ()))), spelling_key(name))
        for name in dict.fromkeys([*plan.places, *plan.actors])
    )
    return Anchors(names=names, terms=frozenset(t.casefold() for t in plan.terms))
