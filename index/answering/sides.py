"""Side by side: each party's best quote for a "what did A and B each claim" question.

``parties_in`` (``parties.py``) reads the two parties; ``side_by_side`` picks, for each, the best
ranked quote whose speaker speaks for it, of the pairs that can stand together (the same places
where both name some, days at most a week apart), whether or not any figure conflicts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from index.answering.asked import ASKING_WORDS
from index.answering.claimants import claimant_name
from index.answering.events import Context, Period, period_of, places_in, share_place
from index.answering.parties import country_of, names_party, speaks_for, word_set
from index.answering.vocabulary import EXPANSIONS, STOPWORDS, stem, stems_in
from index.models import Disagreement, DisputedClaim, Quote

SIDES_WINDOW_DAYS = 7  # each party's quote in a side-by-side record speaks of days at most this far apart

# Lower-case words a speaker's name may start with ("head of Ukraine's rail system", "the Russian
# Defense Ministry", "regional police Chief ..."); others ("same day Ukraine") are a mis-cut clause.
_NAME_STARTS = word_set(
    """the a an head chief deputy former senior regional state national foreign defense defence
    interior top spokesman spokeswoman spokesperson president minister ministry official officials
    secretary adviser advisor envoy ambassador representative commander general press military
    police local city chairman chairwoman chair director governor mayor prime vice acting
    commissioner prosecutor ombudsman"""
)


def _speaker_names_party(speaker: str, party: str) -> bool:
    """Whether a speaker speaks for a party and reads as a claimant's name: it starts with a name or
    a title, and the party is not a list item ("Ukraine, the president of the European Council")."""
    if not speaks_for(speaker, party):
        return False
    first = speaker.split()[0]
    if not (first[:1].isupper() or first.casefold() in _NAME_STARTS):
        return False
    # The party before a comma is a list item; a person before one is named with a title after it
    # ("Oleksiy Arestovych, an adviser to Ukrainian President Volodymyr Zelenskyy").
    return not any(names_party(w, party) for w in re.findall(r"([\w.'’-]+),", speaker))


def speaks_only_for(speaker: str | None, party: str, parties: Sequence[str]) -> bool:
    """Whether a quote's speaker is one party's own claimant: names it, reads as a name, and speaks
    for no other party of the question.

    Parties of one side ("Putin" and "the defense ministry", both Russia's) are told apart by the
    party the speaker names (the longest, when it names several), and a speaker of another side
    ("Ukraine's defense ministry") is neither's.
    """
    if not speaker or not _speaker_names_party(speaker, party):
        return False
    others = [o for o in parties if o != party]
    sides = set().union(*(_side_of(p) for p in parties))
    if len(sides) != 1:
        # Two sides, or sides unsaid ("the students", "the border guards").
        return not any(speaks_for(speaker, o) for o in others) or (
            names_party(speaker, party) and not any(names_party(speaker, o) for o in others)
        )
    spoken_sides = _side_of(speaker)
    if spoken_sides and not spoken_sides & sides:
        return False
    named = [p for p in parties if names_party(speaker, p)]
    return bool(named) and max(named, key=lambda p: len(p.split())) == party


def _side_of(text: str) -> set[str]:
    """The countries a phrase's words stand for ("Putin": Russia; "defense ministry": none)."""
    return {c for w in re.findall(r"[\w'’.-]+", text) if (c := country_of(w))}


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]+")


def question_topic(question: str) -> frozenset[str]:
    """What an "each claim" question asks the sides about: its lower-case content words, stemmed
    ("Who bombed the maternity hospital in Mariupol?": bomb, maternity, hospital). Names, places
    and parties are capitalised, and left to the checks of places and speakers."""
    words = {re.sub(r"['’]s$", "", w).strip("'’-") for w in _LOWER_WORD.findall(question)}
    return frozenset(
        stem(e.casefold()) for w in words - STOPWORDS - ASKING_WORDS for e in EXPANSIONS.get(w, (w,))
    )


def on_topic(text: str, topic: frozenset[str]) -> bool:
    """Whether a quote holds a word of the question's topic (any, when the topic is unknown)."""
    return not topic or bool(stems_in(text) & topic)


def _about_the_same(a: Quote, b: Quote, ca: Context | None, cb: Context | None) -> bool:
    """Whether two parties' quotes can stand side by side: shared places where both name some, days
    at most ``SIDES_WINDOW_DAYS`` apart where both are known."""
    pa, pb = places_in(a.text), places_in(b.text)
    if not share_place(pa[0], pb[0]):
        return False
    da, db = period_of(a, ca), period_of(b, cb)
    if da is None or db is None:
        return True
    window = timedelta(days=SIDES_WINDOW_DAYS)
    return Period(da.first - window, da.last + window).overlaps(db)


def side_by_side(
    parties: Sequence[str],
    quotes: Sequence[Quote],
    contexts: Sequence[Context | None] = (),
    question: str = "",
) -> Disagreement | None:
    """Each party's best quote that can stand beside the other's, or None unless every party has one.

    A party's quotes are those whose speaker names it (``speaks_for``) and no other party; of the
    pairs whose places and days agree (``_about_the_same``), the one with the best ranks is shown,
    quotes about what the question asks first (``on_topic``).

    Args:
        parties: from ``parties_in(question)``: ("Russia", "Ukraine").
        quotes: the answer's quotes, best first.
        contexts: the words before each quote, when known.
        question: the question asked, for what the sides are asked about.
    """
    if len(parties) != 2:
        return None
    contexts = list(contexts) or [None] * len(quotes)
    own = [[i for i, q in enumerate(quotes) if speaks_only_for(q.speaker, p, parties)] for p in parties]
    # Quotes whose speaker is the party as named ("China's embassy", not "China") go next. Topic
    # comes before it: "Ukrainian officials reported continued shelling" is no answer to who bombed
    # the maternity hospital, where Zelensky's "Direct strike of Russian troops at the maternity
    # hospital" is.
    named = [{i for i in own[n] if names_party(quotes[i].speaker or "", p)} for n, p in enumerate(parties)]
    topic = question_topic(question)
    off = {i: not on_topic(quotes[i].text, topic) for i in (*own[0], *own[1])}
    pairs = sorted(
        ((i, j) for i in own[0] for j in own[1]),
        key=lambda ij: (
            off[ij[0]] + off[ij[1]],
            (ij[0] not in named[0]) + (ij[1] not in named[1]),
            ij[0] + ij[1],
            ij,
        ),
    )
    best = next(
        ((i, j) for i, j in pairs if _about_the_same(quotes[i], quotes[j], contexts[i], contexts[j])), None
    )
    if best is None:
        return None
    claims = tuple(
        DisputedClaim(quote=i, claimant=claimant_name(quotes[i]), figure="says", party=p)
        for i, p in zip(best, parties, strict=True)
    )
    return Disagreement(category="each side", claims=claims, kind="sides")
