"""What a figure is about: the event two quotes must share before their figures can be compared.

A figure's event is (category, whose losses, places, period):

* category: "killed", "wounded", "casualties" (killed and wounded together), "captured",
  "displaced", "tanks destroyed"...; "casualties" covers "killed" and "wounded", nothing else does;
* whose losses: the sides named with the number ("Armenian", "Orvenian soldiers") and the kind of
  people ("civilian" or "military");
* places: towns, districts and sites named in the quote ("in Bucha", "the strike on Kramatorsk"),
  kept apart from countries ("in Ukraine"), which are too coarse to tell two strikes apart;
* period: the days the quote speaks of (``Quote.event_dates``), else the years it names ("in
  2014"), else the few days before its publication; unknown for an undated article that names none.

Two figures are about the same event when every field known for both agrees: the same category (or
casualties against killed or wounded), the same side and kind, a shared place, overlapping periods.
A running total ("since February 24", "so far") is an event of its own: it is compared only with
another running total published within a day of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from index.answering.figures import Figure
from index.answering.parties import country_of, is_country, sides_overlap, word_set
from index.answering.vocabulary import is_adjective
from index.dates.event_dates import EventMention, describe_days, event_mentions
from index.models import Article, Quote
from index.text.place_names import spelling_key

# A report with no day of its own speaks of its publication day or the day before. Wider windows
# paired a Thursday's 24-hour toll with a Monday strike reported the same Thursday.
REPORT_LAG_DAYS = 1
TOTAL_LAG_DAYS = 1  # running totals grow every day: only those of (about) the same day compare
_SINCE = re.compile(r"\bsince\b", re.I)  # a running total "since" a day is as of its report

CASUALTY_PARTS = frozenset(["killed", "wounded"])

# Tallies: over the war ("since February 24", "so far") or over a stretch of days ("in 24 hours",
# "over the past day"): never the same event as one strike's toll.
_CUMULATIVE = re.compile(
    r"\b(?:since|in\s+total|total(?:ling)?|in\s+all|so\s+far|to\s+date|add\s+up|altogether|overall|"
    r"cumulative|(?:in|over|during)\s+(?:the\s+)?(?:past|last|previous)\s+(?:\w+\s+)?(?:day|days|hours|week|weeks)|"
    r"in\s+24\s+hours|(?:in|over)\s+(?:the\s+)?(?:past|last)\s+24\s+hours)\b",
    re.IGNORECASE,
)
# Sites a strike hits: two figures about different sites of one town are different events.
_SITES = {
    "kindergarten": "kindergarten",
    "school": "school",
    "hospital": "hospital",
    "maternity hospital": "hospital",
    "theater": "theater",
    "theatre": "theater",
    "mall": "mall",
    "shopping center": "mall",
    "shopping centre": "mall",
    "station": "station",
    "market": "market",
    "apartment block": "residential building",
    "apartment building": "residential building",
    "residential building": "residential building",
    "residential block": "residential building",
    "nuclear plant": "nuclear plant",
    "power plant": "power plant",
    "bridge": "bridge",
    "airport": "airport",
    "air base": "base",
    "airbase": "base",
    "military base": "base",
    "church": "church",
    "university": "university",
    "tower": "tower",
    "shelter": "shelter",
    "checkpoint": "checkpoint",
    "depot": "depot",
    "square": "square",
    "factory": "factory",
}
_SITE = "|".join(sorted((re.escape(k) for k in _SITES), key=len, reverse=True))
_SITE_CUE = re.compile(
    r"\b(?:hit|hits|struck|strikes?\s+on|attacks?\s+on|at|in|on|near|outside|shelled|bombed|targeted|"
    rf"destroyed)\s+(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){{0,2}}?(?P<site>{_SITE})s?\b"
    rf"|\b(?P<subject>{_SITE})s?\s+(?:was|were|had\s+been|has\s+been)\s+"
    r"(?:hit|struck|destroyed|damaged|shelled|bombed|targeted)\b",
    re.IGNORECASE,
)
# News writes a running toll in the present perfect ("2,000 civilians have died", "shelling has
# killed more than 2,300") and one strike's toll in the past ("were killed in the strike"): the
# "Early reports listed 40 casualties" of one battle is no rival for a national "137 have been killed".
_PRESENT_PERFECT = re.compile(
    r"\b(?:have|has|'ve)\s+(?:now\s+|already\s+|so\s+far\s+)?(?:been\s+)?"
    r"(?:killed|died|wounded|injured|fled|displaced|captured|lost|left)\b|\bthere\s+have\s+been\b",
    re.IGNORECASE,
)
CONTEXT_CHARS = 300  # how far before a quote its paragraph is read for a place or a day
# Days that don't say when the event was: the start of a period ("since Feb. 24") and the day
# something was said ("the ministry said on Thursday").
_NOT_EVENT_DAY = re.compile(
    r"\b(?:(?:since|began|begun|start(?:ed)?|beginning)\W+(?:\w+\W+){0,2}|"
    r"(?:said|says|told\s+\w+|announced|reported|wrote|added|stated|claimed)\s+(?:on\s+)?)\Z",
    re.IGNORECASE,
)
_PLACE_WORD = r"[A-Z][\w'’-]+"
_PLACE = re.compile(
    r"\b(?:in|at|near|outside|around|inside|into|across|over|"
    r"(?:strikes?|attacks?|shelling|bombing|bombardment|siege|assault|offensive|battle|fall|massacre|"
    r"raid|explosion|blast)\s+(?:on|of|in|at|near)|"
    r"(?:city|town|village|region|district|province|oblast|port|settlement)\s+of)\s+(?:the\s+)?"
    r"(?:(?:city|town|village|region|district|province|oblast|port|settlement|area)\s+of\s+)?"
    rf"(?P<place>{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}})"
)
# "the Belgorod region", "in the capital, Kyiv": places named before their noun or after "capital".
_PLACE_NAMED = re.compile(
    rf"\bthe\s+(?P<place>{_PLACE_WORD}(?:\s+{_PLACE_WORD})?)\s+(?:region|oblast|province|district)\b"
    rf"|\bcapital,?\s+(?P<capital>{_PLACE_WORD})"
)
# "in Polish territory", "on Russian soil": the country of the adjective ("Russian-held territory" is not
# Russia's, so an adjective with a suffix is no country here).
_COUNTRY_GROUND = re.compile(
    r"\b(?:in|on|onto|into|over|inside|across)\s+(?P<adjective>[A-Z][a-z]+)\s+(?:territory|soil|airspace|waters)\b"
)
_MONTHS_AND_DAYS = word_set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday"
)
# Capitalised words after "in"/"at" that are not places: institutions, media, roles.
_NOT_PLACE = word_set(
    """ministry defense defence forces force army armed military council nations union facebook
    twitter telegram instagram youtube tv news times post press agency office house department
    committee court parliament kremlin pentagon command staff mission organization organisation
    government security general president minister conference summit media network cnn reuters ap
    nato un eu english the a an this that his her their its our may god interview statement
    video report reports"""
)
# "near the Zeltran village of Ozerin": a capitalised word before these is an adjective, not a place.
_PLACE_NOUN_AFTER = re.compile(
    r"\s+(?:(?:village|town|city|region|district|province)\s+of\s+(?:the\s+)?[A-Z]|"
    r"(?:side|bank|border|forces|troops|army|positions?|soldiers|military|government|officials|"
    r"authorities)\b)"
)
_YEAR = re.compile(
    r"(?:\b(?:in|since|during|of|from|until|till|by|before|after|early|late|mid|the|spring|summer|"
    r"autumn|fall|winter|" + "|".join(sorted(_MONTHS_AND_DAYS, key=len, reverse=True)) + r")\.?,?\s+"
    r"|\(|-)(?P<year>(?:19[5-9]|20\d)\d)\b(?!\s*(?:people|soldiers|civilians|troops|[%$]))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    """A run of days, both ends included."""

    first: date
    last: date

    def overlaps(self, other: Period) -> bool:
        """Whether the two runs share a day."""
        return self.first <= other.last and other.first <= self.last


@dataclass(frozen=True)
class Event:
    """What a figure counts, where and when; empty fields are unknown and match anything."""

    category: str
    sides: frozenset[str] = frozenset()  # "Armenian", "Orvenian": whose losses, as written
    kind: str = ""  # "civilian", "military" or "" (not said)
    places: frozenset[str] = frozenset()  # towns, districts, sites, as written
    countries: frozenset[str] = frozenset()
    period: Period | None = None
    running_total: bool = False
    sites: frozenset[str] = frozenset()  # what was hit: "station", "school"
    group: str = ""  # a part of the people counted ("children"): compared only with the same part


# Parts of a population that a toll may count on their own: "85 children have died" is no rival to
# "847 civilians were killed" (the children are among them).
_GROUPS = {
    "children": "children",
    "child": "children",
    "minors": "children",
    "kids": "children",
    "women": "women",
    "journalists": "journalists",
    "journalist": "journalists",
    "medics": "medics",
    "doctors": "medics",
    "officers": "officers",
}


def _group(subject: str) -> str:
    return next((_GROUPS[w] for w in subject.casefold().split() if w in _GROUPS), "")


@dataclass(frozen=True)
class Context:
    """The words just before a quote (its paragraph, or the previous one when it opens one), for the
    place or the day it leaves to them ("that shelling left one dead", after "... on Monday")."""

    text: str
    days: tuple[date, ...] = ()  # what the nearest day named there speaks of


@lru_cache(maxsize=256)
def _mentions(text: str, published: date | None) -> tuple[EventMention, ...]:
    return tuple(event_mentions(text, published))


def context_before(article: Article, start: int) -> Context:
    """The context of a quote starting at ``start`` in ``article``: at most ``CONTEXT_CHARS`` of its
    paragraph before it, or of the paragraph before when the quote opens its own.
    """
    text = article.text
    head = text[:start].rstrip()
    para = head.rfind("\n") + 1
    if not head[para:].strip():  # the quote opens its paragraph: read the one before
        para = head[:para].rstrip().rfind("\n") + 1
    lo = max(para, start - CONTEXT_CHARS)
    near = [
        m
        for m in _mentions(text, article.published)
        if lo <= m.start
        and m.end <= start
        and not _NOT_EVENT_DAY.search(text, max(lo, m.start - 30), m.start)
    ]
    return Context(text=text[lo:start], days=tuple(near[-1].days()) if near else ())


def places_in(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The places a text names after "in", "near", "the strike on"..., before "region" or "oblast"
    ("the Belgorod region") or after "capital" ("the capital, Kyiv"): (towns and sites, countries).

    Institutions ("at the Defense Ministry"), months ("in March") and adjectives ("in Russian-held")
    are not places; a leading adjective is dropped ("Russian-occupied Kherson" -> "Kherson").
    """
    towns: set[str] = set()
    countries: set[str] = set()
    named = [m["place"] or m["capital"] for m in _PLACE_NAMED.finditer(text)]
    after = [m["place"] for m in _PLACE.finditer(text) if not _PLACE_NOUN_AFTER.match(text, m.end())]
    for phrase in (*after, *named):
        words = []
        for w in phrase.split():  # "Kyiv's TV tower": the place is the owner
            words.append(re.sub(r"['’]s$", "", w))
            if words[-1] != w:
                break
        while words and is_adjective(words[0]) and len(words) > 1:
            words = words[1:]
        if not words or (is_adjective(words[0]) and not is_country(words[0])):
            continue
        folded = {w.casefold().strip("'’") for w in words}
        if folded & _MONTHS_AND_DAYS or folded & _NOT_PLACE:
            continue
        place = " ".join(words)
        (countries if is_country(place) else towns).add(place)
    for m in _COUNTRY_GROUND.finditer(text):
        if (country := country_of(m["adjective"])) is not None:
            countries.add(country.title())
    return frozenset(towns), frozenset(countries)


def _place_key(place: str) -> str:
    return spelling_key(place) or place.casefold()


def share_place(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sets of places name one in common (spelling variants: Kyiv/Kiev); unknown if empty."""
    if not a or not b:
        return True
    keys = {_place_key(p) for p in a}
    # "Donetsk region" and "Donetsk": a place and the place it is named after.
    firsts = {_place_key(p.split()[0]) for p in a}
    return any(_place_key(p) in keys or _place_key(p.split()[0]) in firsts for p in b)


def sites_in(text: str) -> frozenset[str]:
    """What the text says was hit: "a missile strike on a railway station" -> {"station"}."""
    return frozenset(_SITES[(m["site"] or m["subject"]).lower()] for m in _SITE_CUE.finditer(text))


def share_site(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sets of sites share one; unknown (empty) matches anything."""
    return not a or not b or bool(a & b)


def years_named(text: str) -> list[int]:
    """The years a text names as years ("in 2014", "the 2014 protests", "March 2022"), in order."""
    return [int(m["year"]) for m in _YEAR.finditer(text)]


def period_of(quote: Quote, context: Context | None = None) -> Period | None:
    """The days a quote speaks of: its event dates, else the years it names, else the day named just
    before it (``context``), else its publication day and the day before; None for an undated
    article that names no day.
    """
    if quote.event_dates:
        return Period(min(quote.event_dates), max(quote.event_dates))
    published = quote.document.published
    years = years_named(quote.text)
    if not years and context is not None and context.days:
        return Period(min(context.days), max(context.days))
    if years and (published is None or set(years) != {published.year}):
        first, last = min(years), max(years)
        if published is not None and published.year > last:
            return Period(date(first, 1, 1), date(last, 12, 31))
        if published is not None:  # "in 2014 and again this year": up to the report
            return Period(date(first, 1, 1), published)
        return Period(date(first, 1, 1), date(last, 12, 31))
    if published is None:
        return None
    return Period(published - timedelta(days=REPORT_LAG_DAYS), published)


def is_running_total(text: str) -> bool:
    """Whether a quote sums up over time: "at least 18 deaths since March 3", "so far", "in 24
    hours", or a toll in the present perfect ("more than 2,000 civilians have died")."""
    return bool(_CUMULATIVE.search(text) or _PRESENT_PERFECT.search(text))


def event_of(quote: Quote, figure: Figure, context: Context | None = None) -> Event:
    """The event a figure of a quote counts; a place or day the quote leaves unsaid is read in
    ``context`` (the words before it) when given."""
    towns, countries = places_in(quote.text)
    if not towns and not countries and context is not None:
        towns, countries = places_in(context.text)
    total = is_running_total(quote.text)
    period = period_of(quote, context)
    # A running total is as of its report when it names no day, or names the day it counts from ("847
    # civilians have been killed since Russia invaded on Feb. 24" is the count of March 19); "by March
    # 1, 227 had been killed" is the count of March 1.
    if (
        total
        and quote.document.published is not None
        and (not quote.event_dates or _SINCE.search(quote.text))
    ):
        published = quote.document.published
        period = Period(published - timedelta(days=TOTAL_LAG_DAYS), published)
    return Event(
        category=figure.category,
        sides=figure.side,
        kind=figure.kind,
        places=towns,
        countries=countries,
        period=period,
        running_total=total,
        sites=sites_in(quote.text),
        group=_group(figure.subject),
    )


def categories_match(a: str, b: str) -> bool:
    """The same category, or casualties against one of its parts (killed, wounded)."""
    return a == b or {a, b} in ({"casualties", part} for part in CASUALTY_PARTS)


def same_event(a: Event, b: Event) -> bool:
    """Whether two figures count the same thing: every field known for both agrees.

    Whose losses is the strict field: both must name the same side or neither any ("3 soldiers"
    and "no Armenian" may well be different people), civilians are never compared with soldiers,
    and a figure that doesn't say whom it counts is compared with one that does only when both name
    a side.
    """
    same_kind = a.kind == b.kind or (bool(a.sides) and not (a.kind and b.kind))
    return (
        categories_match(a.category, b.category)
        and a.running_total == b.running_total
        and sides_overlap(a.sides, b.sides)
        and same_kind
        and share_place(a.places, b.places)
        and share_place(a.countries, b.countries)
        and share_site(a.sites, b.sites)
        and (a.period is None or b.period is None or a.period.overlaps(b.period))
        and a.group == b.group
    )


def describe_event(events: list[Event]) -> str:
    """What the figures of one disagreement are about, from what they share: "Pellin · 12 March 2025"."""
    places = sorted({p for e in events for p in e.places}) or sorted({p for e in events for p in e.countries})
    parts = []
    if places:
        parts.append(", ".join(places[:2]))
    periods = [e.period for e in events if e.period is not None]
    dated = [e.period for e in events if e.period is not None and e.period.first == e.period.last]
    if dated:
        days = sorted({p.first for p in dated})
        parts.append(describe_days(days))
    elif periods:
        first, last = max(p.first for p in periods), min(p.last for p in periods)
        if first <= last and first.year == last.year and (last - first).days > 300:
            parts.append(str(first.year))
    if any(e.running_total for e in events):
        parts.append("running totals")
    return " · ".join(parts)
