"""Who claims what: a quote's claimant, whether two quotes share one, and the figures it claims.

A quote's claimant is its speaker, normalised, or its outlet when it names no one. Two speakers are
one claimant when one's name holds the other's, unless the name is generic ("the Defence Ministry"
in two outlets may be two countries' ministries), or when both speak for one country. A quote claims
the figures it states except those it denies and those it gives as another source's.
"""

from __future__ import annotations

import re

from index.answering.figures import Figure, figures_by_source
from index.answering.parties import is_country, same_side, word_set
from index.models import Quote

# Speaker words that name no one in particular: "the Defence Ministry" in two outlets may be two
# countries' ministries, so such a speaker is one claimant only within one outlet.
GENERIC = word_set(
    """the a an of ministry defence defense military army officials official spokesperson spokesman
    spokeswoman government general staff command forces armed police authorities office governor
    mayor president minister press secretary service services source sources it they he she
    department agency head chief commander ministry's"""
)


def claimant_name(q: Quote) -> str:
    """Who says it, with the outlet when that tells which one ("Defence Ministry (Zeltran Voice)")."""
    outlet = q.document.outlet
    if q.speaker and outlet and outlet.casefold() not in q.speaker.casefold():
        return f"{q.speaker} ({outlet})"
    return q.speaker or outlet or q.document.id


def speaker_words(speaker: str) -> frozenset[str]:
    return frozenset(re.findall(r"[\w'’-]+", re.sub(r"['’]s\b", "", speaker.casefold()))) - {"the", "a", "an"}


def _countries_named(speaker: str) -> frozenset[str]:
    """The countries a speaker names, by name or adjective ("Azerbaijani", "Russia's")."""
    return frozenset(w for w in re.findall(r"[\w'’-]+", speaker) if w[:1].isupper() and is_country(w))


def same_claimant(a: Quote, b: Quote) -> bool:
    """Whether two quotes come from one claimant.

    The speaker decides when there is one, the outlet only when no one is named. Two speakers are one
    when one's name holds the other's ("Stepanyan" in "press secretary ... Shushan Stepanyan"), unless
    the name is generic ("the Defence Ministry") and the outlets differ, or when both speak for the
    same country ("the Azerbaijani Defense Ministry", "the Azerbaijani military").
    """
    if a.speaker and b.speaker:
        wa, wb = speaker_words(a.speaker), speaker_words(b.speaker)
        if wa <= wb or wb <= wa:
            specific = bool((wa & wb) - GENERIC)
            return specific or (a.document.outlet or a.document.id) == (b.document.outlet or b.document.id)
        sa, sb = _countries_named(a.speaker), _countries_named(b.speaker)
        return any(same_side(x, y) for x in sa for y in sb)
    if a.speaker or b.speaker:
        return False
    return (a.document.outlet or a.document.id) == (b.document.outlet or b.document.id)


def claimed(q: Quote) -> list[Figure]:
    """The figures a quote's claimant claims: not those it denies, nor those it gives as another
    source's ("14 dead according to the ministry" in a monitor's report), unless that source is the
    speaker itself ("according to Tiurina", quoted as Tiurina's) or names no one in particular."""
    out = []
    for f, source in figures_by_source(q.text):
        if source is not None:
            named = speaker_words(source) - GENERIC
            if named and not (q.speaker and named & speaker_words(q.speaker)):
                continue
        out.append(f)
    return out
