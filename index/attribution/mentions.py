"""Subjects that are not claimants, and the subject a sentence is about.

Reporting makes documents, figures and events the grammatical subject of a cue: "the statement
said", "the poll found", "preliminary figures show", "the attack killed". None of them can make a
claim; a document speaks for whoever issued it, and an event or a figure for nobody. This module
reads such a phrase (its head noun, an issuer named inside it: "the UK's Ministry of Defence's
latest assessment", "a report from the Center for X", "the Azov statement"; a possessive pronoun:
"his letter") and finds in a sentence the documents it names with their issuers, so that a later
"the statement said" resolves to the body that issued it, or to no one.

It also finds a sentence's grammatical subject ("As of August 22, the Office of X (OHCHR) recorded
..." -> "the Office of X"), the nearest antecedent for a pronoun later in the same sentence or in the
next one. Pure string work with ``re``, like the rest of the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.attribution.lexicon import (
    ADVERBS,
    AUX,
    DETERMINERS,
    FUNCTION_WORDS,
    LEADING_ADVERBIAL_RE,
    MASK,
    NOBODY,
    NON_SPEAKERS,
    ORG_NOUNS,
    PERSON_TITLES,
    PLURAL_HINTS,
    POSSESSIVES,
    PREPOSITIONS,
    PRONOUNS,
    STOP_BACK,
    TIME_LEAD,
    TIME_WORDS,
    UNKNOWABLE,
    VERBISH,
    word_set,
)

# Each document noun and the family a later reference to it may use ("the update" after "the
# assessment"): a statement is what a body says, a report what it publishes, a poll what it asks.
_FAMILIES = {
    "statement": "statement statements communique communiqué communiques release readout message post "
    "tweet notice",
    "report": "report reports assessment assessments analysis update memo memorandum bulletin study "
    "document documents letter review findings",
    "poll": "poll polls survey surveys",
    "figures": "figures figure data numbers number statistics estimate estimates tally toll count "
    "results records footage video videos images photos pictures",
}
DOCUMENT_FAMILY: dict[str, str] = {
    noun: family for family, nouns in _FAMILIES.items() for noun in nouns.split()
}
# Things that happen: they kill, damage and destroy, but they say nothing.
EVENT_NOUNS = word_set(
    "attack attacks strike strikes airstrike airstrikes shelling blast blasts explosion explosions "
    "bombardment bombing fighting war invasion offensive raid raids incident fire missile missiles "
    "rocket rockets drone drones shell shells assault barrage violence clashes"
)
_DOCUMENT_NOUNS = "|".join(sorted(DOCUMENT_FAMILY, key=len, reverse=True))
_NAME = r"[A-Z][\w.&’'-]*(?:\s+(?:(?:of|for|and|on|the|de)\s+)*[A-Z][\w.&’'-]*)*"
_TITLES = "|".join(sorted(PERSON_TITLES, key=len, reverse=True))
# An issuer after "by": "by Scott's family", "by Loyola Law School professor Justin Levitt", "from the 2014 X".
_AGENT = rf"(?:\d{{4}}\s+)?{_NAME}(?:(?<=’s|'s)\s+[a-z]+|\s+(?:{_TITLES})\s+{_NAME})?"
# "Britain's Ministry of Defence's latest assessment", "the UK's ... assessment".
_OWNED_RE = re.compile(
    rf"(?P<issuer>{_NAME})(?:’s|'s)\s+(?:[a-z][\w-]*\s+){{0,3}}?(?P<noun>{_DOCUMENT_NOUNS})\b"
)
# "a report last year from the Center for X", "a statement from the EU", "analysis by researchers from X".
# Between a document and "by"/"from": how it came out, and when ("released Friday by", "last year from").
_GAP = (
    r"(?P<gap>(?i:(?:released|issued|published|conducted|commissioned|compiled|prepared|out|new|last|this|"
    rf"earlier|early|late|{TIME_WORDS})\s+){{0,3}})"
)
_AFTER = (
    rf"\s+{_GAP}(?P<prep>from|by|of)\s+(?:the\s+)?"
    # "analysis by researchers from the Institute for the Study of War": the institute issued it.
    rf"(?:(?:researchers|analysts|experts|scientists|staff|a\s+team)\s+(?:from|at|of|with)\s+(?:the\s+)?)?"
    rf"(?P<issuer>{_AGENT})"
)
_FROM_RE = re.compile(rf"\b(?P<noun>{_DOCUMENT_NOUNS}){_AFTER}")
_AFTER_RE = re.compile(_AFTER)
# "a new Monmouth University poll", "An exclusive CNN poll", "The DHS analysis", "the Azov statement".
_NAMED_RE = re.compile(
    rf"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir)\s+(?:[a-z][\w-]*\s+){{0,2}}?(?P<issuer>{_NAME})\s+"
    rf"(?:[a-z][\w-]*\s+)?(?P<noun>{_DOCUMENT_NOUNS})\b"
)
_DEFINITE = word_set("the this that these those same its his her their")
_NOT_ISSUERS = re.compile(rf"(?:{TIME_WORDS}|the|a|an|this|that|[A-Z][a-z]+day)", re.IGNORECASE)


@dataclass(frozen=True)
class Document:
    """A subject phrase that names a document, a figure or an event (``family`` None) instead of an agent.

    Offsets are relative to the phrase as given.
    """

    family: str | None
    issuer: tuple[int, int] | None  # a name inside the phrase: "UK's Ministry of Defence"
    possessor: str | None  # "his", "its", "their": the issuer is that pronoun's antecedent
    modifiers: str  # lower-case words before the noun ("air force statement" -> "air force")
    definite: bool  # "the statement" points back; "a statement" does not


def document_phrase(phrase: str) -> Document | None:
    """Whether a speaker phrase names a document, a figure or an event; None when it may be an agent."""
    tokens = list(re.finditer(r"[^\s,]+", phrase))
    head = None
    for i, tok in enumerate(tokens):
        low = tok.group().lower().strip(".’'\"“”")
        inside_name = 0 < i < len(tokens) - 1 and all(
            t.group()[:1].isupper() for t in tokens[i - 1 : i + 2 : 2]
        )
        if low in PREPOSITIONS - {"and"} and i > 0 and not inside_name:
            break  # "figures for Ukraine's ministry": the head comes before any preposition
        # A capitalised "Post" or "Times" is a newspaper's name, unless it opens the phrase ("Polls show").
        if (low in DOCUMENT_FAMILY or low in EVENT_NOUNS) and (i == 0 or tok.group()[:1].islower()):
            head = i
    if head is None:
        return None
    for tok in tokens[head + 1 :]:
        low = tok.group().lower().strip(".’'\"“”")
        if low in PREPOSITIONS:
            break
        if low in _AGENT_NOUNS:
            return None  # "the statistics office", "a video journalist": the head is an agent
    noun = tokens[head].group().lower().strip(".’'\"“”")
    before = tokens[:head]
    if noun in EVENT_NOUNS:
        return Document(None, None, None, "", False)
    lows = [t.group().lower() for t in before]
    possessor = next((w for w in lows if w in POSSESSIVES), None)
    family = DOCUMENT_FAMILY[noun]
    issuer = _issuer_before(phrase, before) or _issuer_after(phrase, tokens[head].end(), family)
    modifiers = " ".join(w for w in lows if w.isalpha() and w not in _DEFINITE | DETERMINERS)
    if not set(modifiers.split()) & ORG_NOUNS:
        modifiers = ""  # "the air force statement" names a body; "the latest statement" does not
    definite = bool(lows) and lows[0] in _DEFINITE
    return Document(family, issuer, possessor, modifiers, definite)


def _issuer_before(phrase: str, before: list[re.Match[str]]) -> tuple[int, int] | None:
    """A name before the head noun: a possessive run ("X's latest assessment") or a capitalised modifier."""
    owned = [i for i, t in enumerate(before) if re.search(r"[’']s$", t.group()) and t.group()[:1].isupper()]
    if owned:
        last = owned[-1]
        first = last
        while first > 0 and (
            before[first - 1].group()[:1].isupper() or before[first - 1].group().lower() in FUNCTION_WORDS
        ):
            first -= 1
        while first < last and before[first].group().lower() in DETERMINERS:
            first += 1
        a, b = before[first].start(), before[last].end() - 2
        if not _NOT_ISSUERS.fullmatch(phrase[a:b]):
            return a, b
        return None
    caps = [t for t in before if t.group()[:1].isupper() and t.group().lower() not in DETERMINERS]
    if caps and caps[0] is before[0] and len(caps) == 1 and not caps[0].group().isupper():
        return None  # "Recent polls", "Instant polls": a capital that only opens the sentence
    if caps and not _NOT_ISSUERS.fullmatch(caps[0].group()):
        return caps[0].start(), caps[-1].end()
    return None


def _issuer_after(phrase: str, end: int, family: str) -> tuple[int, int] | None:
    m = _AFTER_RE.match(phrase, end)
    if m is None or not _issues(family, m):
        return None
    return m.start("issuer"), m.start("issuer") + len(_name_end(m.group("issuer")))


def _issues(family: str, m: re.Match[str]) -> bool:
    """Whether "<document> by/from/of <Name>" names who issued it.

    "a report of the UN mission" does, "a poll of Ukrainians" names whom it asked, and "images from
    Makariv" where they were taken: figures and pictures count only with "by".
    """
    if m.group("prep").lower() == "of":
        return not m.group("gap") and family in ("statement", "report")
    return family != "figures" or m.group("prep").lower() == "by"


def _name_end(issuer: str) -> str:
    """A name without what the pattern took past it: "the EU released Tuesday" and "Studies." end sooner."""
    issuer = re.split(rf"\s+(?=(?:{TIME_WORDS})\b)", issuer, maxsplit=1)[0]
    return re.sub(r"(?<=[a-z]{2})\.$", "", issuer)


def issued_documents(sentence: str) -> list[tuple[str, tuple[int, int]]]:
    """The documents a sentence names with their issuer: ``(family, issuer span)``, in text order."""
    found: list[tuple[int, int, str, tuple[int, int]]] = []
    for rank, rx in enumerate((_OWNED_RE, _NAMED_RE, _FROM_RE)):
        for m in rx.finditer(sentence):
            issuer, family = m.group("issuer"), DOCUMENT_FAMILY[m.group("noun").lower()]
            if (
                _NOT_ISSUERS.fullmatch(issuer)
                or MASK in issuer
                or (rx is _FROM_RE and not _issues(family, m))
            ):
                continue
            a = m.start("issuer")
            found.append((m.start("noun"), rank, family, (a, a + len(_name_end(issuer)))))
    # One issuer per document: one named before it ("the UK's ... assessment", "a CNN poll") first.
    kept: dict[int, tuple[str, tuple[int, int]]] = {}
    for at, _, family, span in sorted(found):
        kept.setdefault(at, (family, span))
    return [kept[at] for at in sorted(kept)]


def _verb_like(rest: str) -> bool:
    """Whether the word after a one-word subject reads as its verb: "Russia has", "Ukraine denied"."""
    m = re.match(r"\s+(?:\(\w[^()]{0,40}\)\s+)?([a-z]+)\b", rest)
    return m is not None and (m.group(1) in VERBISH | AUX or m.group(1).endswith(("ed", "s")))


_AGENT_NOUNS = (ORG_NOUNS - DOCUMENT_FAMILY.keys()) | PERSON_TITLES | PLURAL_HINTS
_NUMBERS = word_set(
    "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred "
    "hundreds thousand thousands million millions dozens dozen scores"
)
_DEMONYM_ENDS = ("ian", "ese", "ish", "ean")  # "Ukrainian", "Chinese", "British", "European"
_OPENERS = PREPOSITIONS | TIME_LEAD | ADVERBS | STOP_BACK | {"as"}  # "As of August 22, ..."
_NAME_WORDS = FUNCTION_WORDS | ORG_NOUNS | PERSON_TITLES | PLURAL_HINTS
_NO_NAMES = (
    PRONOUNS
    | UNKNOWABLE
    | NON_SPEAKERS
    | NOBODY
    | POSSESSIVES
    | ADVERBS
    | STOP_BACK
    | word_set("even now just more most much only also not every each all both no yes well so and")
)
_NOT_AFTER_SUBJECT = DOCUMENT_FAMILY.keys() | EVENT_NOUNS


def sentence_subject(masked: str) -> tuple[int, int] | None:
    """The named noun phrase a (masked) sentence opens with, after any leading adverbial.

    "As of August 22, the Office of the UN High Commissioner (OHCHR) recorded ..." -> "the Office of
    the UN High Commissioner". Only a phrase holding a capitalised word and followed by a lower-case
    word (its verb) counts: a sentence about "it" or "officials" has no named subject here.
    """
    start = 0
    lead = re.match(r"\s*([^,\x00]{1,60}),\s+", masked)
    if lead and lead.group(1).split()[0].lower() in _OPENERS:
        start = lead.end()
    adverbial = LEADING_ADVERBIAL_RE.match(masked, start)
    if adverbial:
        start = adverbial.end()
    # A subject is a few words long: reading the start of a long sentence is enough.
    tokens = list(re.finditer(r"\(\w[^()]{0,40}\)|[^\s]+", masked[start : start + 240]))
    end = None
    for i, tok in enumerate(tokens):
        word = tok.group()
        low = word.lower().strip(",.;:")
        if word.startswith("("):
            continue  # "(OHCHR)", "(D-Ga.)": an aside inside the name
        named = (
            word[:1].isupper()
            or low in _NAME_WORDS
            or (i > 0 and re.search(r"[’']s$", low) is not None)  # "the Ukrainian prosecutor's office"
        )
        if not named or (i == 0 and low in PREPOSITIONS) or re.search(r"[,;:]$", word):
            if re.search(r"[,;:]$", word) and named:
                end = tok.end() - 1
            break
        end = tok.end()
    else:
        return None
    if end is None:
        return None
    a, b = start + tokens[0].start(), start + end
    phrase = masked[a:b]
    while phrase.endswith(")") and "(" in phrase:
        phrase = phrase[: phrase.rindex("(")].rstrip()
    b = a + len(phrase)
    words = phrase.split()
    if not any(w[:1].isupper() and w.lower() not in DETERMINERS for w in words):
        return None
    first = words[0].lower()
    if first in _NO_NAMES or re.search(r"[’'](?:t|s|re|ll|d|ve)$", first) or re.fullmatch(TIME_WORDS, first):
        return None  # "It said", "Some 300 people", "Don't Republicans", "Friday": no name
    if len(words) == 1 and (not _verb_like(masked[b:]) or first in _NUMBERS or first.endswith(_DEMONYM_ENDS)):
        return None  # "Even at best", "Nine journalists", "Russian troops": a capital that opens the sentence
    if words[-1].lower() in DETERMINERS | FUNCTION_WORDS or len(words) > 10:
        return None
    following = masked[b:].split()[:1]
    if following and following[0].lower().strip(",.") in _NOT_AFTER_SUBJECT:
        return None  # "Three Russian | airstrikes caused": cut inside a phrase about an event
    if document_phrase(phrase) is not None:
        return None
    return a, b
