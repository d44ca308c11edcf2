"""What an article has named so far, and what a speaker phrase resolves to against it.

``passes.py`` reads an article's sentences left to right and finds, in each, the words that name
its speaker; a ``Context`` turns those words into a claimant: a name as written ("Azerbaijani
Defense Ministry"), a pronoun's antecedent, a role noun's nearest fitting name ("the ministry",
"the President"), a document's issuer ("the statement said" after "X said in a statement"), or
``None`` where the text names no one who can make a claim (an event, a figure, "someone").
"""

from __future__ import annotations

import re
from dataclasses import replace

from index.attribution.lexicon import (
    ANTECEDENT_KINDS,
    NOBODY,
    PERSON_TITLES,
    PRONOUNS,
    TIME_WORDS,
    UNKNOWABLE,
)
from index.attribution.mentions import (
    DOCUMENT_FAMILY,
    Document,
    document_phrase,
    issued_documents,
    sentence_subject,
)
from index.attribution.names import (
    Speaker,
    is_generic,
    kind_of,
    named_mention,
    named_speaker,
    titled_mention,
)

__all__ = ["Context"]


class Context:
    """The speakers an article has named so far, the documents with their issuers, and each
    sentence's named subject (found when a pronoun or a role noun first needs it)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.history: list[Speaker] = []
        # Whether the speaker being resolved may be the antecedent of a later "he" or "the ministry":
        # claims also read stances, and "think tank" read as a verb must not become "he".
        self.keep = True
        self.index = 0  # the sentence being read
        self.read: list[tuple[str, int]] = []  # each sentence read so far: masked text, offset
        self.spoke: list[bool] = []  # ... and whether someone speaks in it
        self._subjects: dict[int, Speaker | None] = {}
        self.documents: dict[str, tuple[Speaker, int]] = {}  # document family -> issuer, sentence
        self.families: set[str] = set()  # the document families the sentence being read names

    def resolve(self, a: int, b: int, *, keep: bool = True) -> Speaker | None:
        """The claimant the words ``text[a:b]`` name, or None; ``keep=False``: no antecedent for later."""
        self.keep = keep
        try:
            return self._resolve(a, b)
        finally:
            self.keep = True

    def _resolve(self, a: int, b: int) -> Speaker | None:
        phrase = " ".join(self.text[a:b].split())
        words = phrase.split()
        low = [w.lower() for w in words]
        if (low[0] in UNKNOWABLE and len(words) == 1) or low[0] in NOBODY:
            return None  # "I said", "no Western country has said", "someone in the video says"
        if all(re.fullmatch(TIME_WORDS, w.strip(",.")) for w in low):
            return None  # "Friday said" is a cut gone wrong
        if re.fullmatch(_NUMBER, low[-1].strip(",.")):
            return None  # "Twelve percent said", "137 said": a share or a count, not a claimant
        if low[0] in PRONOUNS and len(words) == 1:
            return self._antecedent(low[0], a)
        document = document_phrase(self.text[a:b])
        if document is not None:
            return self._issuer(document, a)
        if is_generic(words) or (len(words) == 2 and low[0] == "the" and low[1] in PERSON_TITLES):
            return self._generic(phrase, a, b)  # "the ministry", "its spokesman", "the President"
        speaker = named_speaker(self.text, a, b)
        return self.remember(self._expand(speaker) or speaker)

    def remember(self, speaker: Speaker) -> Speaker:
        if self.keep:
            self.history.append(speaker)
        return speaker

    # -- what a sentence mentions besides its speaker ----------------------------------------------

    def read_sentence(self, i: int, masked: str, offset: int) -> None:
        """Before a sentence is attributed: the documents it names, with their issuers."""
        self.index = i
        self.read.append((masked, offset))
        self.families = {
            DOCUMENT_FAMILY[w] for w in re.findall(r"[a-z]+", masked.lower()) if w in DOCUMENT_FAMILY
        }
        if self.families:
            for family, (a, b) in issued_documents(masked):
                self.documents[family] = (named_speaker(self.text, offset + a, offset + b), i)

    def after_sentence(self, speaker: Speaker | None) -> None:
        """After it: "X said in a statement" makes X the issuer of "the statement" read next."""
        if speaker is not None:
            for family in self.families:
                if self.documents.get(family, (None, -1))[1] != self.index:
                    self.documents[family] = (speaker, self.index)
        self.spoke.append(speaker is not None)

    def _subject(self, i: int) -> Speaker | None:
        """The named subject of sentence ``i`` (read only when a pronoun or a role noun needs it)."""
        if i not in self._subjects:
            masked, offset = self.read[i]
            span = sentence_subject(masked)
            self._subjects[i] = (
                None if span is None else named_speaker(self.text, offset + span[0], offset + span[1])
            )
        return self._subjects[i]

    def _issuer(self, document: Document, a: int) -> Speaker | None:
        """Who speaks through a document: the issuer it names, else the one named for it before; events
        and figures nobody issued speak for no one."""
        if document.family is None:
            return None
        if document.issuer is not None:
            return self.remember(named_speaker(self.text, a + document.issuer[0], a + document.issuer[1]))
        if document.possessor is not None:
            # "his letter to Congress"; "our report" is the author's or the outlet's: no one to cite.
            pronoun = _POSSESSOR_PRONOUN.get(document.possessor)
            return None if pronoun is None else self._antecedent(pronoun, a)
        if document.modifiers:
            # "the air force statement" after "the Air Force Command said".
            mods = re.compile(rf"\b{re.escape(document.modifiers)}\b", re.IGNORECASE)
            for prior in reversed(self.history):
                if mods.search(prior.name):
                    return self.remember(prior)
        issued = self.documents.get(document.family)
        # "the statement" points back a few sentences; "a statement" only to one named in its sentence.
        window = _DOCUMENT_WINDOW if document.definite else 0
        if issued is not None and self.index - issued[1] <= window:
            return self.remember(issued[0])
        return None

    def _expand(self, speaker: Speaker) -> Speaker | None:
        # A bare surname after the full introduction ("Stepanyan said") reads better in full.
        phrase = speaker.name
        if " " in phrase or not phrase[:1].isupper() or phrase.lower().strip(".") in PERSON_TITLES:
            return None
        pattern = re.compile(rf"\b{re.escape(phrase)}\b")
        for prior in reversed(self.history):
            if prior.kind in ("person", "male", "female") and pattern.search(prior.name):
                return replace(prior, kind=speaker.kind)
        return None

    def _antecedent(self, pronoun: str, at: int) -> Speaker | None:
        # The named subject of this sentence before the pronoun ("Infantino ... in which he declares"),
        # else of the sentence before when nobody spoke in it ("The prosecutor's office has opened an
        # investigation. In a statement, it said"): nearer than any speaker before them.
        here = self._subject(self.index)
        before = self._subject(self.index - 1) if self.index > 0 and not self.spoke[self.index - 1] else None
        for subject in (here, before):
            if subject is not None and subject.end <= at and _fits(subject, pronoun):
                return self.remember(subject)
        for prior in reversed(self.history):
            if prior.kind in ANTECEDENT_KINDS[pronoun]:
                return self.remember(prior)  # mentioned again: now the most recent speaker
        # No fitting speaker yet: better no attribution than "he" pinned on a ministry.
        return None

    def _generic(self, phrase: str, a: int, b: int) -> Speaker:
        """Resolve "the ministry" to the nearest named speaker or sentence subject with that noun, else
        to an earlier mention ("the President" -> "President Joe Biden"); else it stays "ministry"."""
        head = phrase.split()[-1].lower()
        head_re = re.compile(rf"\b{re.escape(head)}\b", re.IGNORECASE)
        spoke = next((p for p in reversed(self.history) if head_re.search(p.name)), None)
        # A body named as a sentence's subject since ("The Ukrainian prosecutor's office has opened
        # ...") is nearer than a speaker before it.
        named = next(
            (
                subject
                for i in range(self.index, -1, -1)
                if head_re.search(self.read[i][0]) and (subject := self._subject(i)) is not None
                if subject.end <= a and head_re.search(subject.name)
            ),
            None,
        )
        if named is not None and len(named.name.split()) > 1 and (spoke is None or named.start > spoke.start):
            return self.remember(named)
        if spoke is not None:
            return self.remember(spoke)
        mention = titled_mention(self.text[:a], head) if head in PERSON_TITLES else None
        mention = mention or named_mention(self.text[:a], head)
        if mention is not None:
            return self.remember(named_speaker(self.text, *mention))
        return replace(named_speaker(self.text, a, b), kind=kind_of(phrase))


_NUMBER = (
    r"[\d.,%$]+|percent|per cent|%|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|dozen|dozens"
)
_POSSESSOR_PRONOUN = {"his": "he", "her": "she", "its": "it", "their": "they"}
_DOCUMENT_WINDOW = 8  # sentences a definite "the statement" may reach back to find who issued it


def _fits(subject: Speaker, pronoun: str) -> bool:
    """Whether a sentence's subject can be what a pronoun refers to: "he" a person, "it" a body."""
    if pronoun in ("he", "she"):
        return subject.kind in ("person", "male" if pronoun == "he" else "female")
    return subject.kind in ANTECEDENT_KINDS.get(pronoun, ())
