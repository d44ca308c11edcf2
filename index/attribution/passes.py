"""Who makes the claim in a sentence: the speaker of reported speech, found with rules.

A quote is only useful to a reader with its claimant attached: "the Azerbaijani Defense
Ministry said", not just the outlet that printed it. This module reads an article's sentences
left to right and names, for each one, whoever the text attributes it to:

- explicit cues: ``"...," the ministry said``, ``X told reporters that``, ``..., said X``,
  ``According to X, ...``, ``X accused Y of ...``, ``X issued a statement``, ``reported by X``;
- labels: a line ``The Defense Ministry:`` (or ``X: "..."``) introducing a quote;
- context: pronouns (``it reported``, ``She added``) and generic nouns (``the ministry said``)
  resolve to the most recent named speaker that fits, and a sentence that is nothing but a
  quotation continues the speaker of the sentence before it.

It is deliberately rule-based and pure (stdlib ``re`` only): cheap enough for every sentence of
every article, and each rule is an auditable guess rather than a model's opinion. ``None`` means
the text does not say who is speaking (callers fall back to the outlet).
``benchmarks/attribution_polnear.py`` measures it against PolNeAR's hand-annotated attributions.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

__all__ = ["SentenceAttribution", "attribute_sentences", "find_speaker", "is_speech_cue", "speakers_for"]

MAX_SPEAKER_WORDS = 12
"""Longer "subjects" are nearly always a clause the rules mis-cut, not a speaker."""
_MAX_SENTENCE_CHARS = 3000  # past this a "sentence" is an unsplit wall of text; its cues are guesses

_MASK = "\x00"
_CLAUSE_MARKS = ";:[]—–\x00!?"
_OPENERS = "“„«"
_CLOSERS = "”»"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- Lexicons -------------------------------------------------------------------------------

# Speech and report verbs, never "killed" or "attacked". Three strengths: plain verbs count anywhere;
# loose ones ("continued", "posted") also have non-speech senses ("fighting continued") so they count
# only before "that", punctuation or a quote; strict ones are also common nouns ("the claims", "30
# states") and count only before "that", a comma, a colon or a quote.
_VERBS = (
    "said|says|say|told|tells|tell|stated|reported|claimed|claim|announced|announces|announce|added|"
    "confirmed|confirms|confirm|denied|denies|deny|insisted|insist|warned|warns|warn|alleged|"
    "alleges|allege|accused|accuses|accuse|wrote|writes|write|tweeted|tweet|estimated|explained|"
    "explains|explain|argued|argues|argue|asserted|asserts|assert|declared|declares|declare|"
    "acknowledged|acknowledges|acknowledge|admitted|admits|admit|stressed|emphasized|emphasised|"
    "emphasizes|emphasises|replied|replies|responded|recalled|recalls|remarked|commented|"
    "testified|asked|urged|urges|described|describes|promised|pledged|vowed|"
    "threatened|threatens|blamed|blames|predicted|predicts|revealed|reveals|disclosed|"
    "observed|countered|conceded|concedes|complained|complains|cautioned|cautions|"
    "called (?:for|on)|calls (?:for|on)|pointed out|points out|spoke of|speaks of"
)
_LOOSE_VERBS = (
    "noted|adds|posted|maintained|maintains|suggested|suggests|indicated|indicates|concluded|"
    "concludes|contended|contends|charged|speculated|believed|continued|agreed|thought"
)
_STRICT_VERBS = "claims|notes|reports|states|estimates|posts|charges|believes|thinks|continues|agrees|promises|pledges|vows"
_PHRASES = (
    r"(?:issued|released|published|put out|posted) (?:a|an|its|his|her|their) (?:\w+ )?"
    r"(?:statement|communiqu[ée]|report|video|message|update|notice|bulletin)|"
    r"put (?:the|its|their) (?:\w+ ){0,3}(?:toll|number|figure|count) at|"
    r"(?:was|were) quoted as saying|"
    r"(?:is|was|are|were|been|be) (?:also |now |still )?(?:saying|telling|claiming|insisting|warning|"
    r"arguing|accusing|urging|calling (?:for|on)|denying|predicting|promising|suggesting)"
)
_ABBREVIATIONS = (
    r"Mr|Mrs|Ms|Dr|Gov|Sen|Sens|Rep|Reps|Gen|Col|Lt|Maj|Capt|Sgt|Adm|St|Jr|Sr|Prof|Rev|Hon|U\.S|U\.N|Ft|Mt"
)
_AFTER_STOP_RE = re.compile(
    r"[.;:!?()\x00\"“”—–]|,|\s-\s|\s(?:in|on|at|during|when|while|who|which|that|adding|citing|as|"
    r"after|before|with|because|but|and said|told|to|last|this|earlier|late)\b"
)
_INVERSION_TAIL_RE = re.compile(
    r"\s*(?:\([^()]*\)\s*)?"
    r"(?:\s(?:in|on|at|during|told|while|when|after|before|as|of|to|from|for|with|last|this|earlier|late)\b"
    r"[^,\x00]*)?"
    r"(?:,(?!\s*(?:he|she|it|they|i|we|you)\b)[^\x00]*)?[.!?”\"\x00]*\s*$"
)
_MEDIUM = (  # "noted on Twitter that"
    r"(?:\s+(?:on|in)\s+(?:Facebook|Twitter|Telegram|Instagram|X|a statement|an interview|his blog|her blog))?"
)
_CUE_RE = re.compile(
    rf"(?<![\w-])(?:(?P<phrase>{_PHRASES})|(?P<verb>{_VERBS})"
    rf"|(?P<loose>{_LOOSE_VERBS})(?={_MEDIUM}\s*(?:that\b|,|:|;|\.|$|[\x00“\"]))"
    # Before a strict verb's comma, a noun's modifier ("the", "30", "Armenia's") is no valid subject.
    rf"|(?P<strict>{_STRICT_VERBS})(?=\s*(?:that\b|:|,|[\x00“\"])))(?![\w-])"
)
# Claims also count stances, beliefs, findings and intentions ("X believes", "polls show", "X
# criticized Y"): an attribution in PolNeAR's sense. They would mislabel who said a sentence, so
# the speaker pass (``speakers_for``) leaves them out and only ``broad=True`` reads them.
_STANCE_VERBS = (
    "believes?|believed|thinks?|want(?:s|ed)?|hope[sd]?|expect(?:s|ed)?|fear(?:s|ed)?|knows?|knew|"
    "feels?|felt|show(?:s|ed|n)?|found|finds?|suggest|criticiz(?:e|es|ed)|criticis(?:e|es|ed)|"
    "prais(?:e|es|ed)|called|calls|endors(?:e|es|ed)|supported|oppos(?:e|es|ed)|"
    "propos(?:e|es|ed)|defend(?:s|ed)?|reject(?:s|ed)?|question(?:s|ed)|cit(?:e|es|ed)|seem(?:s|ed)?|"
    "appear(?:s|ed)?|plan(?:s|ned)?|seeks?|sought|refus(?:e|es|ed)|declin(?:e|es|ed)|mock(?:s|ed)|"
    "slam(?:s|med)|blast(?:s|ed)|wonder(?:s|ed)|worr(?:y|ies|ied)|doubt(?:s|ed)|recogni[sz]ed|"
    "reali[sz]ed|mentioned|hinted|boasted|bragged|joked|quipped|shouted|yelled|intend(?:s|ed)?|"
    "demand(?:s|ed)|welcom(?:e|es|ed)|condemn(?:s|ed)|denounc(?:e|es|ed)|dismiss(?:es|ed)|tout(?:s|ed)|"
    "highlight(?:s|ed)|signal(?:s|ed|led)|made clear|makes clear|pointed to|points to|"
    # What someone talked about, asked for or warned of: the object is what is attributed.
    "(?:talk(?:s|ed)?|spoke|speaks|asked|complained|worried|boasted|bragged|joked|wondered) about|"
    "warn(?:s|ed)? of|focus(?:es|ed)? on|refer(?:s|red)? to|asked for|"
    "noted|suggested|indicated|concluded|maintained|agreed|contended|thought"
)
_BROAD_CUE_RE = re.compile(
    rf"(?<![\w-])(?:(?P<phrase>{_PHRASES})|(?P<verb>{_VERBS}|{_STANCE_VERBS})"
    rf"|(?P<loose>{_LOOSE_VERBS})(?={_MEDIUM}\s*(?:that\b|,|:|;|\.|$|[\x00“\"]))"
    rf"|(?P<strict>{_STRICT_VERBS})(?=\s*(?:that\b|:|,|[\x00“\"])))(?![\w-])"
)
# Non-speech senses of otherwise good cues: "a man accused of", "an attack blamed on", "claimed
# the lives of", "a village described as", "said to be", "troops posted at".
_NOT_SPEECH_RE = re.compile(
    r"(?:accused|accuses) of|(?:blamed|blames) on|(?:claimed|claims) (?:the )?lives?|"
    r"(?:described|describes) as|(?:said|says) to (?:be|have)|posted (?:at|in|along|near|to|on the)\b"
)
_INVERTIBLE = _words(
    "said says added adds wrote writes explained continued noted stated asked replied insisted warned "
    "argued recalled declared concluded tweeted responded"
)
_ACCORDING_RE = re.compile(r"(?<![\w-])[Aa]ccording to\s+")
_BY_AGENT_RE = re.compile(
    r"(?<![\w-])(?:reported|announced|confirmed|stated|said|claimed|quoted|posted|published|released|"
    r"cited|issued|tweeted|shared|provided|compiled|given)\s+by\s+"
)
_PARTICIPLE_RE = re.compile(
    r"(?:,\s+(?:while\s+|before\s+|after\s+|by\s+)?|\s+(?:while|before|after|by)\s+)"
    r"(?P<verb>saying|adding|claiming|noting|insisting|warning|arguing|stating|telling|explaining|"
    r"denying|alleging|accusing|declaring|stressing)\b"
)

_SHARED_SUBJECT_RE = re.compile(r"(?:,\s*)?\b(?:and|but)\s+(?:(?:\w+ly|also|later|then)\s+)?$")
_DETERMINERS = _words("the a an")
_PRONOUNS = _words("he she it they")
_UNKNOWABLE = _words("i we you me us")  # the author or the reader: not a named claimant
_NON_SPEAKERS = _words(
    "this that these those there what which who whom whose where when why how nothing something "
    "anything everything here one it's"
)
# Things that are reported, not reporters: "the figures confirmed by the mission add up to ...".
_INANIMATE = _words(
    "figures numbers data statistics record records results images footage photos pictures evidence"
)
_AUX = _words(
    "having has have had will would could should may might must can did does do not n't never also "
    "later earlier previously further then again publicly repeatedly officially separately once first "
    "initially subsequently immediately recently reportedly long often frequently already since just "
    "now today yesterday still even privately openly loudly quickly falsely explicitly specifically "
    "directly angrily flatly sharply ever both each soon"
)
_VERBISH = _words("is was are were has have had will would can could should may might must did does do")
_ADVERBS = _words("however meanwhile separately though too also instead still yet then")
_CLAUSE_WORDS = _words("what which who whom whose where when why how there here it's")
_QUANTIFIERS = _words(
    "his her its their both all many most some several other others few each either neither"
)
_TIME_LEAD = _words("last this next earlier later early late")
_LY_NOUNS = _words("family assembly rally supply anomaly monopoly belly bully jelly")
_POSSESSIVES = _words("his her its their our my your")
_PASSIVE = _words("was were is are be been being am")
_STOP_BACK = _words(
    "that which whose because but while when whenever after before although though since as if where whereas so "
    "unless until than whether or nor why how what whom"
)
_PREPOSITIONS = _words(
    "of for in on at by to from with about into over under during against between among via per and "
    "or outside inside beyond despite amid amidst like unlike across through within without toward "
    "towards upon near around behind besides following"
)
_FUNCTION_WORDS = _DETERMINERS | _words("of for and on de al el der 's")
_ORG_NOUNS = _words(
    "poll survey analysis study data figures count tally estimate letter memo document documents "
    "excerpts results returns records filing complaint lawsuit indictment transcript footage release "
    "ministry military army forces force government office agency command service council committee "
    "organization organisation group police observatory monitor company campaign administration "
    "embassy department unit authorities coalition alliance party movement union commission court "
    "parliament senate congress kremlin pentagon guard guards navy staff headquarters media outlet "
    "statement report center centre institute foundation network newspaper website channel "
    "republic state states brigade battalion regiment division corps militia fighters rebels troops "
    "officials sources residents witnesses activists observers spokesperson spokesman spokeswoman "
    "society association institution bank fund board bureau authority trust federation front "
    "council cabinet presidency watch initiative network mission"
)
_PERSON_TITLES = _words(
    "spokesman spokeswoman spokesperson minister president secretary commander general official mr "
    "mrs ms dr sen rep gov chief director head leader adviser advisor ambassador envoy governor mayor "
    "senator candidate analyst expert professor colonel lieutenant major captain sergeant col lt gen "
    "maj capt prime deputy aide correspondent reporter journalist resident witness doctor nurse "
    "soldier officer pastor imam bishop king queen prince sheikh father mother"
)
_FEMALE = _words(
    "mrs ms miss madam spokeswoman queen princess mother wife sister daughter woman congresswoman "
    "chairwoman businesswoman grandmother aunt"
)
_MALE = _words(
    "mr sir spokesman king prince sheikh father husband brother son man congressman chairman businessman "
    "grandfather uncle pope"
)
_PLURAL_HINTS = _words(
    "officials sources residents witnesses activists observers fighters rebels troops forces "
    "authorities militants analysts experts leaders members both"
)
_NP_CONTINUERS = (
    _FUNCTION_WORDS | _ORG_NOUNS | _PLURAL_HINTS | _PERSON_TITLES | _words("de la von van del bin al")
)
_TIME_WORDS = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|"
    r"july|august|september|october|november|december|today|yesterday|tonight|morning|afternoon|evening|"
    r"night|week|weekend|month|year|day|statement|interview|briefing|conference|facebook|twitter|"
    r"telegram|instagram|tv|television|radio|video|post|tweet|\d+)"
)
_TRAILING_ADVERBIAL_RE = re.compile(
    rf"\s+(?:(?:late|early|earlier|later)\s+)?(?:on|in|at|during|last|this|late|earlier|later)\s+"
    rf"(?:\S+\s+){{0,3}}?{_TIME_WORDS}\S*$",
    re.IGNORECASE,
)
_LEADING_ADVERBIAL_RE = re.compile(
    r"^(?:(?:in|on|at|during|after|before|since|by|for|with|earlier|later|late|last|this|meanwhile|"
    r"separately|however|also|yesterday|today|now|then|still|instead|indeed|moreover|but|and|so|"
    rf"both|all|early)\s+(?:(?:the|a|an|its|his|her|their)\s+)?(?:\w+\s+){{0,2}}?{_TIME_WORDS}\S*\s+|"
    r"(?:meanwhile|separately|however|also|yesterday|today|now|then|still|instead|indeed|moreover|"
    r"but|and|so|later|earlier)\s+)",
    re.IGNORECASE,
)
_HEADING_WORDS = _words(
    "video photo photos watch read more related update updates see also source sources note editor's "
    "advertisement share tags comments follow image images map graph chart table subscribe listen "
    "transcript background context summary timeline contents sponsored"
)

_Kind = Literal["male", "female", "person", "org", "plural", "unknown"]
_ANTECEDENT_KINDS: dict[str, tuple[_Kind, ...]] = {
    "he": ("male", "person", "unknown"),
    "she": ("female", "person", "unknown"),
    "it": ("org", "unknown"),
    "they": ("plural", "org", "unknown"),
}


@dataclass(frozen=True)
class _Speaker:
    """A resolved speaker, the pronouns it can be the antecedent of, and where it is named."""

    name: str
    kind: _Kind
    start: int  # the name as written in the article: text[start:end]
    end: int


Role = Literal["explicit", "label", "continues", "leads", "none"]


@dataclass(frozen=True)
class SentenceAttribution:
    """What the left-to-right pass found in one sentence; all offsets index the article text.

    ``role`` says how the speaker was found: ``explicit`` (a cue in this sentence), ``label``
    (a bare ``X:`` line naming who speaks next; it claims nothing itself), ``continues`` (a bare
    quotation carrying on the sentence before), ``leads`` (a bare quotation whose attribution is
    in the next sentence) or ``none``.
    """

    speaker: str | None
    speaker_span: tuple[int, int] | None  # where the resolved name is written (maybe an earlier sentence)
    mention: tuple[int, int] | None  # the words in this sentence naming the speaker ("he", "the ministry")
    cue: tuple[int, int] | None  # the cue words ("said", "according to")
    quotes: tuple[tuple[int, int], ...]  # quoted passages, quote marks included
    role: Role
    # Later attributions in the same sentence ("X said A, while Y argued B"); only with ``broad``.
    others: tuple[SentenceAttribution, ...] = ()


# --- Public API ------------------------------------------------------------------------------


def find_speaker(text: str, sentences: Sequence[tuple[int, int]], index: int) -> str | None:
    """Return who makes the claim in one sentence of an article.

    Context matters (``She added ...`` needs the sentences before it), so this runs the whole
    left-to-right pass; the result is cached per article, so asking for every sentence of the
    same article in turn stays linear.

    Args:
        text: the article's clean text.
        sentences: its sentence spans ``(start, end)``, in order.
        index: which sentence to attribute.

    Returns:
        The speaker as written in the article, without a leading determiner (for example
        ``"Azerbaijani Defense Ministry"``), or ``None`` when the text does not attribute it.

    Raises:
        IndexError: if ``index`` is not a valid sentence index.
    """
    return _attributions_cached(text, _spans(sentences))[index].speaker


def speakers_for(text: str, sentences: Sequence[tuple[int, int]]) -> list[str | None]:
    """Return the speaker of every sentence of an article, one entry per sentence span.

    Sentences are read left to right so that pronouns, generic nouns ("the ministry") and
    quote paragraphs resolve against the speakers named before them.

    Args:
        text: the article's clean text.
        sentences: its sentence spans ``(start, end)``, in order.

    Returns:
        A list as long as ``sentences``; each entry is a speaker or ``None``.
    """
    return [a.speaker for a in _attributions_cached(text, _spans(sentences))]


def attribute_sentences(
    text: str, sentences: Sequence[tuple[int, int]], *, broad: bool = False
) -> list[SentenceAttribution]:
    """Return, per sentence, the speaker with where it is named, the cue and the quoted passages.

    The same pass as ``speakers_for``, with offsets kept: ``index.attribution.claims`` cuts claims from it.

    Args:
        text: the article's clean text.
        sentences: its sentence spans ``(start, end)``, in order.
        broad: also read stance, belief and finding verbs ("believes", "polls show") as cues.

    Returns:
        A list as long as ``sentences``.
    """
    return list(_attributions_cached(text, _spans(sentences), broad))


def is_speech_cue(cue: str) -> bool:
    """Whether a cue reports speech ("said", "according to", a label's ":"), not a stance ("wants")."""
    cue = " ".join(cue.split())
    return (
        cue == ":"
        or cue.lower() == "according to"
        or _CUE_RE.fullmatch(cue) is not None
        or _PARTICIPLE_RE.match(", " + cue) is not None
    )


def _spans(sentences: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    # A hashable copy for the cache; callers may pass lists of lists (e.g. straight from JSON).
    return tuple((int(start), int(end)) for start, end in sentences)


@lru_cache(maxsize=16)
def _attributions_cached(
    text: str, sentences: tuple[tuple[int, int], ...], broad: bool = False
) -> tuple[SentenceAttribution, ...]:
    return tuple(_Pass(text, _BROAD_CUE_RE if broad else _CUE_RE).run(sentences))


# --- The left-to-right pass ------------------------------------------------------------------


class _Pass:
    """State carried across an article's sentences: named speakers so far and quote context."""

    def __init__(self, text: str, cues: re.Pattern[str] = _CUE_RE) -> None:
        self.text = text
        self.cues = cues
        self.broad = cues is not _CUE_RE
        self.history: list[_Speaker] = []

    def run(self, sentences: Sequence[tuple[int, int]]) -> list[SentenceAttribution]:
        n = len(sentences)
        out: list[_Speaker | None] = [None] * n
        roles: list[Role] = ["none"] * n
        mentions: list[tuple[int, int] | None] = [None] * n
        cues: list[tuple[int, int] | None] = [None] * n
        quotes: list[tuple[tuple[int, int], ...]] = [()] * n
        others: list[tuple[SentenceAttribution, ...]] = [()] * n
        pure = [False] * n  # nothing but quotation: no words of the reporter's own
        open_at_end = [False] * n  # ends inside a quotation that goes on
        new_para = [True] * n
        inside = False
        prev_end = 0
        prev_colon = False  # the sentence before ends with ":" ("X said:", "The ministry:")
        label: _Speaker | None = None  # ... and it was a bare "X:" line naming X
        for i, (start, end) in enumerate(sentences):
            raw = self.text[start:end]
            new_para[i] = i == 0 or "\n" in self.text[prev_end:start]
            # News style reopens the quotation mark on every paragraph of a long quotation.
            masked, inside = _mask_quotes(raw, inside and not new_para[i])
            open_at_end[i] = inside
            quotes[i] = tuple((start + a, start + b) for a, b in _masked_regions(masked))
            pure[i] = _MASK in masked and not re.search(r"\w", masked)
            colon = raw.rstrip().endswith(":")
            line_label: _Speaker | None = None
            if pure[i]:
                # A bare quotation continues the speaker just before it: in the same paragraph,
                # after an "X:" / "X said:" line, or inside a quotation running on from the last paragraph.
                if i > 0 and (not new_para[i] or prev_colon or open_at_end[i - 1]):
                    out[i] = out[i - 1] or (label if prev_colon else None)
                    # An unnamed speaker ("I said") still has a quotation that goes on.
                    carried = out[i] is not None or roles[i - 1] in ("explicit", "continues")
                    roles[i] = "continues" if carried else "none"
            elif (found_np := self._explicit(masked, start)) is not None and found_np[0] is not None:
                out[i], mentions[i], cues[i] = found_np
                roles[i] = "explicit"
                if self.broad:
                    others[i] = self._later(masked, start, found_np, quotes[i])
            elif colon and (found := _label(masked.rstrip()[:-1], start)) is not None:
                # The label itself claims nothing; it names who speaks next and what "it" is.
                line_label = self._remember(found)
                out[i], mentions[i], roles[i] = line_label, (found.start, found.end), "label"
            elif found_np is not None:
                # A cue whose subject names no one we can cite ("I said", "he" with no antecedent).
                _, mentions[i], cues[i] = found_np
                roles[i] = "explicit"
            label = line_label
            prev_colon = colon
            prev_end = end
        # A quotation whose attribution comes in a later sentence: "“One. Two,” she said."
        for i in range(n - 2, -1, -1):
            if out[i] is None and pure[i] and open_at_end[i] and not new_para[i + 1]:
                out[i] = out[i + 1]
                roles[i] = "leads" if out[i] is not None else "none"
        return [
            SentenceAttribution(
                speaker=None if roles[i] == "label" or s is None else s.name,
                speaker_span=None if s is None else (s.start, s.end),
                mention=mentions[i],
                cue=cues[i],
                quotes=quotes[i],
                role=roles[i],
                others=others[i],
            )
            for i, s in enumerate(out)
        ]

    def _explicit(
        self, masked: str, offset: int
    ) -> tuple[_Speaker | None, tuple[int, int], tuple[int, int]] | None:
        """The speaker a sentence's own words name (resolved), the naming words and the cue, or None.

        A cue whose subject cannot be resolved ("I said", "he" with no antecedent) still comes back,
        with no speaker: the sentence then takes no speaker from context either.
        """
        if len(masked) > _MAX_SENTENCE_CHARS:
            return None
        found = _find_np(masked, self.cues)
        if found is None:
            return None
        (np_start, np_end), (cue_start, cue_end) = found
        a, b = offset + np_start, offset + np_end
        if not self.text[a:b].strip():
            return None
        return self._resolve(a, b), (a, b), (offset + cue_start, offset + cue_end)

    def _later(
        self,
        masked: str,
        offset: int,
        first: tuple[_Speaker | None, tuple[int, int], tuple[int, int]],
        quotes: tuple[tuple[int, int], ...],
    ) -> tuple[SentenceAttribution, ...]:
        """Attributions after the first one in a sentence, each with its own subject before its cue."""
        found: list[SentenceAttribution] = []
        pos = max(first[1][1], first[2][1]) - offset
        hits = sorted(
            [*self.cues.finditer(masked, pos), *_PARTICIPLE_RE.finditer(masked, pos)], key=lambda m: m.start()
        )
        for m in hits:
            if m.start() < pos or _NOT_SPEECH_RE.match(masked, m.start()):
                continue
            if m.re is _PARTICIPLE_RE:
                # "X denied it, saying ...": the same speaker goes on.
                speaker, (a, b) = first[0], first[1]
                m_span = m.span("verb")
            elif _SHARED_SUBJECT_RE.search(masked, pos, m.start()):
                # "He called the actions lawful, and said ...": the same subject speaks again.
                speaker, (a, b), m_span = first[0], first[1], m.span()
            else:
                span = _np_before(masked, m.start())
                if span is None or span[0] < pos:
                    continue
                a, b = offset + span[0], offset + span[1]
                speaker = self._resolve(a, b)
                m_span = m.span()
            found.append(
                SentenceAttribution(
                    speaker=None if speaker is None else speaker.name,
                    speaker_span=None if speaker is None else (speaker.start, speaker.end),
                    mention=(a, b),
                    cue=(offset + m_span[0], offset + m_span[1]),
                    quotes=quotes,
                    role="explicit",
                )
            )
            pos = m.end()
        return tuple(found)

    def _resolve(self, a: int, b: int) -> _Speaker | None:
        phrase = " ".join(self.text[a:b].split())
        words = phrase.split()
        low = [w.lower() for w in words]
        if low[0] in _UNKNOWABLE and len(words) == 1:
            return None
        if low[0] in _PRONOUNS and len(words) == 1:
            return self._antecedent(low[0])
        if _is_generic(words):
            return self._generic(phrase, a, b)
        speaker = _named(self.text, a, b)
        return self._remember(self._expand(speaker) or speaker)

    def _remember(self, speaker: _Speaker) -> _Speaker:
        self.history.append(speaker)
        return speaker

    def _expand(self, speaker: _Speaker) -> _Speaker | None:
        # A bare surname after the full introduction ("Stepanyan said") reads better in full.
        phrase = speaker.name
        if " " in phrase or not phrase[:1].isupper() or phrase.lower().strip(".") in _PERSON_TITLES:
            return None
        pattern = re.compile(rf"\b{re.escape(phrase)}\b")
        for prior in reversed(self.history):
            if prior.kind in ("person", "male", "female") and pattern.search(prior.name):
                return replace(prior, kind=speaker.kind)
        return None

    def _antecedent(self, pronoun: str) -> _Speaker | None:
        for prior in reversed(self.history):
            if prior.kind in _ANTECEDENT_KINDS[pronoun]:
                return self._remember(prior)  # mentioned again: now the most recent speaker
        # No fitting speaker yet: better no attribution than "he" pinned on a ministry.
        return None

    def _generic(self, phrase: str, a: int, b: int) -> _Speaker:
        """Resolve "the ministry" to the latest named speaker, or earlier mention, with that noun."""
        head = phrase.split()[-1].lower()
        head_re = re.compile(rf"\b{re.escape(head)}\b", re.IGNORECASE)
        for prior in reversed(self.history):
            if head_re.search(prior.name):
                return self._remember(prior)
        mention = _named_mention(self.text[:a], head)
        if mention is not None:
            return self._remember(_named(self.text, *mention))
        return replace(_named(self.text, a, b), kind=_kind(phrase))


# --- Finding the speaker phrase inside one sentence ------------------------------------------


def _mask_quotes(s: str, inside: bool) -> tuple[str, bool]:
    """Blank out quoted passages (same length) so cues inside quotations are not read as ours.

    ``inside`` says the sentence starts within a quotation opened earlier; the second result says
    whether it ends within one. Short quotes without punctuation ("the “NO WAY” banners") are
    names or scare quotes, not speech, and stay readable.
    """
    # Some archives (the NYT's) write a double quote as two apostrophes.
    s2 = s.replace("''", '"\x01')
    regions: list[tuple[int, int]] = []
    start: int | None = 0 if inside else None
    for i, c in enumerate(s2):
        if c in _OPENERS:
            if start is None:
                start = i
        elif c in _CLOSERS:
            regions.append((0 if start is None else start, i + 1))
            start = None
        elif c == '"':
            end = i + 2 if s2[i + 1 : i + 2] == "\x01" else i + 1
            if start is not None:
                regions.append((start, end))
                start = None
            elif i > 0 and s2[i - 1] in ",.!?" and (end == len(s2) or s2[end].isspace()) and not regions:
                # A straight quote after punctuation closes a quotation from an earlier sentence.
                regions.append((0, end))
            else:
                start = i
    ends_inside = start is not None
    if start is not None:
        regions.append((start, len(s)))
    chars = list(s)
    for a, b in regions:
        body = s[a:b]
        whole = a == 0 and b == len(s)
        if not whole and len(body.split()) <= 4 and not re.search(r"[.,!?;:]", body):
            continue
        chars[a:b] = _MASK * (b - a)
    return "".join(chars), ends_inside


def _masked_regions(masked: str) -> list[tuple[int, int]]:
    """The runs of masked (quoted) characters in a sentence."""
    return [m.span() for m in re.finditer(f"{_MASK}+", masked)]


def _find_np(masked: str, cues: re.Pattern[str] = _CUE_RE) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The speaker phrase and the cue in a masked sentence, as ``(start, end)`` pairs, from its best cue.

    The leftmost cue wins, except that cues inside an opening subordinate clause ("When the
    moderator pointed out ..., the candidate said") rank after those of the main clause.
    """
    lead = re.match(
        r"\s*(?:when|after|as|while|if|before|although|though|since|because|once|until|unless|whether)\b"
        r"[^,\x00]*,",
        masked,
        re.IGNORECASE,
    )
    sub_end = lead.end() if lead else 0
    candidates: list[tuple[bool, int, tuple[int, int], tuple[int, int]]] = []
    for m in cues.finditer(masked):
        if _NOT_SPEECH_RE.match(masked, m.start()):
            continue
        prefix = masked[: m.start()]
        invertible = (m.group("verb") or m.group("loose") or "") in _INVERTIBLE
        span: tuple[int, int] | None = None
        if invertible and re.search(r"(?:^|[\x00”\"])\s*$", prefix):
            # Inversion right after the quote it reports: "“...,” said X".
            span = _np_after(masked, m.end(), inverted=True)
        elif invertible and prefix.rstrip().endswith(","):
            # "Jane Roe, a student, said ..." unless the comma ends a reported clause: "..., said X."
            span = _np_before(masked, m.start(), strict=True)
            after = _np_after(masked, m.end(), inverted=True)
            named_after = after is not None and _names_someone(masked[after[0] : after[1]])
            ahead = masked[: span[0]].strip(" \x00\"“”'") if span is not None else ""
            if span is None or (
                named_after and (ahead or _VERBISH & _words(masked[span[1] : m.start()].lower()))
            ):
                # "Even if X existed, its functions would be done by others, said DeSantis" and "gusts
                # reached 78mph in Orlock Head, Northern Ireland, said the BBC": what comes before the
                # comma is the reported clause, not a subject heading the sentence.
                span = after
        span = span or _np_before(masked, m.start())
        if span is not None:
            # A base form after a modal ("few would ever admit") is hypothetical: rank it last.
            hypothetical = re.search(
                r"\b(?:would|could|might|should|may|can|to)\s+(?:\w+ly\s+|ever\s+)*$", prefix
            )
            candidates.append((m.start() < sub_end or hypothetical is not None, m.start(), span, m.span()))
    broad = cues is not _CUE_RE
    for m in _ACCORDING_RE.finditer(masked):
        span = _np_after(masked, m.end())
        if span is None and broad:
            # Claims keep a long source whole: "according to early results of exit polls conducted for X".
            phrase = re.match(r"[^,;:()\x00]+", masked[m.end() :])
            words = phrase.group().split() if phrase else []
            if phrase and 0 < len(words) <= 2 * MAX_SPEAKER_WORDS:
                span = (m.end(), m.end() + len(phrase.group().rstrip(" .!?")))
        if span is not None:
            cue = (m.start(), m.start() + len(m.group().rstrip()))
            candidates.append((m.start() < sub_end, m.start(), span, cue))
            break
    if candidates:
        best = min(candidates)
        return best[2], best[3]
    # Weaker signals, used only when no speech verb or "according to" names anyone.
    for m in _BY_AGENT_RE.finditer(masked):
        # "figures released by the ministry"
        if (span := _np_after(masked, m.end())) is not None:
            return span, (m.start(), m.start() + len(m.group().rstrip()))
    # "Jane Roe: “...”"; for claims also a transcript or headline line, "ROE: We will win."
    inline = re.match(
        r"\s*([^\x00:]{1,80}):\s*(?:\x00|(?=\w))" if broad else r"\s*([^\x00:]{2,80}):\s*\x00", masked
    )
    if inline and _label(inline.group(1), 0) is not None:
        return inline.span(1), (inline.end(1), inline.end(1) + 1)
    participle = _PARTICIPLE_RE.search(masked)
    if participle is not None:
        # "Russia rejected the claims, saying ...": the clause's subject says it.
        span = _clause_subject(masked, _clause_start(masked, participle.start()), participle.start())
        return (span, participle.span("verb")) if span is not None else None
    return None


def _clause_start(masked: str, end: int) -> int:
    """Where the clause holding ``end`` starts: after punctuation that no subject spans."""
    head = masked[:end]
    start = max(head.rfind(c) for c in _CLAUSE_MARKS) + 1
    dash = head.rfind(" - ")
    start = max(start, dash + 3 if dash >= 0 else 0)
    # A closed parenthesis is an aside inside the subject ("Jane Roe (D-Ga.)"); an open one is a boundary.
    depth = 0
    for i in range(len(head) - 1, start - 1, -1):
        if head[i] == ")":
            depth += 1
        elif head[i] == "(":
            if depth == 0:
                return i + 1
            depth -= 1
    return start


def _comma_segments(masked: str, a: int, b: int) -> list[tuple[int, int]]:
    cuts = [a - 1, *(i for i in range(a, b) if masked[i] == ","), b]
    return [(x + 1, y) for x, y in itertools.pairwise(cuts)]


def _clause_subject(masked: str, start: int, limit: int) -> tuple[int, int] | None:
    """The noun phrase opening the clause that ends at ``limit`` ("..., and when Roe thanked X")."""
    for a, b in reversed(_comma_segments(masked, start, limit)):
        words = list(re.finditer(r"\S+", masked[a:b]))
        # The nearest clause: after the last subordinator ("the crowd cheered when Roe spotted ...").
        inner = [i for i, w in enumerate(words) if w.group().lower() in _STOP_BACK - {"that"}]
        if inner:
            words = words[inner[-1] + 1 :]
        while words and (
            not re.search(r"\w", words[0].group())
            or words[0].group().lower() in _STOP_BACK | _ADVERBS | {"and"}
        ):
            words.pop(0)  # "(Reuters) - Jane Roe ..." leaves a dash; "and when Roe ..." a conjunction
        if not words:
            continue
        first = words[0].group().lower()
        if first in _PREPOSITIONS or first in _TIME_LEAD or re.fullmatch(_TIME_WORDS, first):
            continue
        end = a
        for w in words:
            token, low = w.group(), w.group().strip(".;:").lower()
            if not (
                token[:1].isupper()
                or token[:1].isdigit()
                or low in _FUNCTION_WORDS | _ORG_NOUNS | _PLURAL_HINTS
            ):
                break
            end = a + w.end()
        span = _trim_back(masked, a + words[0].start(), end) if end > a else None
        if span is not None:
            return span
    return None


def _skip_aside(masked: str, end: int) -> int:
    """Step back over a parenthesis or dashed aside just before a verb: "Roe (D-Ga.) said"."""
    for _ in range(2):
        tail = masked[:end].rstrip()
        if tail.endswith(")") and "(" in tail:
            end = tail.rindex("(")
        elif tail.endswith(("—", "–", " -", "--")) and re.search(r"(?:—|–| -|--)\s*\S", tail[:-1]):
            end = max(tail.rfind(d, 0, len(tail) - 2) for d in ("—", "–", " -", "--"))
        else:
            break
    return end


def _np_before(masked: str, cue: int, *, strict: bool = False) -> tuple[int, int] | None:
    """The subject just before a cue: "..., the ministry said" -> "the ministry".

    With ``strict``, only a name heading a comma chain ("Jane Roe, 21, said") is accepted.
    """
    end = _skip_aside(masked, cue)
    words = list(re.finditer(r"\S+", masked[:end]))
    # Skip auxiliaries and adverbs between subject and verb ("has also said"); a passive
    # auxiliary ("it was said") means there is no subject speaking.
    skipped: set[str] = set()
    while words and (words[-1].group().lower() in _AUX or _is_adverb(words[-1].group())):
        skipped.add(words.pop().group().lower())
    if words and skipped:
        words = list(re.finditer(r"\S+", masked[: _skip_aside(masked, words[-1].end())]))
    if not words or words[-1].group().lower() in _PASSIVE:
        return None
    end = words[-1].end()
    clause = _clause_start(masked, end)
    last = words[-1].group().lower()
    if last.strip(",") in ("and", "but") or (last.endswith(",") and skipped & {"then", "later"}):
        # "Wilson praised Rubio and said ...": the verb shares the clause's subject.
        return _clause_subject(masked, clause, words[-1].start())
    if end <= clause or (strict and not masked[:end].endswith(",")):
        return None
    segments = _comma_segments(masked, clause, end)
    if masked[:end].endswith(","):
        # "Jane Roe, 21, a student, said": the name heading the comma chain speaks.
        return _chain_head(masked, segments[:-1], strict=strict)
    seg_a, seg_b = segments[-1]
    span = _trim_back(masked, seg_a, seg_b)
    if span is not None and seg_a > clause:
        merged = _with_name_before(masked, seg_a - 1, span)
        if merged is not None:
            return merged
    return span


def _chain_head(
    masked: str, segments: list[tuple[int, int]], *, strict: bool = False
) -> tuple[int, int] | None:
    """The name in "Jane Roe, 21, a student from Blorg, who was there," (introductions skipped)."""
    heads = [masked[a:b].split()[:1] for a, b in segments]
    relative = next((i for i, h in enumerate(heads) if h and h[0].lower() in ("who", "whose", "which")), None)
    chain = list(range(len(segments) if relative is None else relative))
    fallback: int | None = None
    for i in chain:
        if not heads[i]:
            continue
        word = heads[i][0]
        low = word.lower().strip(".,")
        if low in _PREPOSITIONS | _STOP_BACK | _ADVERBS or re.fullmatch(_TIME_WORDS, low):
            continue
        if word[:1].isupper() and low not in _DETERMINERS:
            role = _trim_back(masked, *segments[i + 1]) if i + 1 in chain else None
            merged = _with_name_before(masked, segments[i][1], role) if role else None
            return merged or _trim_back(masked, *segments[i])
        if fallback is None:
            fallback = i
    return _trim_back(masked, *segments[fallback]) if fallback is not None and not strict else None


def _with_name_before(masked: str, comma: int, span: tuple[int, int]) -> tuple[int, int] | None:
    """Join "John Doe, a spokesman for X," into one speaker when the part after the comma is a role."""
    role = [w.lower().strip(",.’'") for w in masked[span[0] : span[1]].split()]
    if role and role[0] in ("a", "an", "the", "his", "her", "its", "their"):
        role = role[1:]
    if not set(role[:3]) & _PERSON_TITLES:
        return None
    before = max(masked.rfind(c, 0, comma) for c in ",;:()\x00")
    name = masked[before + 1 : comma].split()
    if not name or len(name) > 4 or not all(w[:1].isupper() for w in name):
        return None
    if re.search(rf"\b{_TIME_WORDS}\b", " ".join(name), re.IGNORECASE) or name[0].lower() in _PREPOSITIONS:
        return None
    return masked.index(name[0], before + 1), span[1]


def _trim_back(masked: str, seg_start: int, end: int) -> tuple[int, int] | None:
    """Cut a subject out of the text between a clause boundary and the verb."""
    words = list(re.finditer(r"\S+", masked[seg_start:end]))
    keep: list[re.Match[str]] = []
    for i in range(len(words) - 1, -1, -1):
        low = words[i].group().lower()
        if low in _STOP_BACK:
            break
        if low == "and" and not (i > 0 and words[i - 1].group()[:1].isupper() and len(keep) <= 3):
            # "Armenia and Azerbaijan said" is one subject; "... resumed and the army said" is not.
            break
        keep.append(words[i])
    if not keep:
        return None
    keep.reverse()
    a, b = seg_start + keep[0].start(), seg_start + keep[-1].end()
    phrase = masked[a:b]
    cut = re.search(r"\s+who\b", phrase, re.IGNORECASE)
    if cut:
        # "officials who spoke on condition of anonymity said": the antecedent speaks.
        b = a + cut.start()
        phrase = masked[a:b]
    lead = _LEADING_ADVERBIAL_RE.match(phrase)
    while lead and lead.end() < len(phrase):
        a += lead.end()
        phrase = masked[a:b]
        lead = _LEADING_ADVERBIAL_RE.match(phrase)
    trail = _TRAILING_ADVERBIAL_RE.search(phrase)
    if trail and trail.start() > 0:
        b = a + trail.start()
    return _validate(masked, a, b)


def _np_after(masked: str, start: int, *, inverted: bool = False) -> tuple[int, int] | None:
    """The phrase after an inverted cue or "according to": ``..., said X, the spokesman for Y.``"""
    rest = masked[start:]
    stop = None
    for m in _AFTER_STOP_RE.finditer(rest):
        # "said Mr. Nevins" / "said J. J. Price": an abbreviation's or initial's period goes on.
        if m.group() == "." and re.search(rf"(?:\b[A-Z]|\b(?:{_ABBREVIATIONS}))$", rest[: m.start()]):
            continue
        stop = m
        break
    b = start + (stop.start() if stop else len(rest))
    # A plain lowercase word after a name, with no name after it, starts a clause: "by the Varna
    # Office show 30 injured" (but "pollster Stan Greenberg" and "Lazar's plea agreement" go on).
    tokens = list(re.finditer(r"\S+", masked[start:b]))
    for i in range(1, len(tokens)):
        prev, word = tokens[i - 1].group(), tokens[i].group()
        if not prev[:1].isupper() or not word[:1].islower() or re.search(r"[’']s$", prev):
            continue
        later = tokens[i + 1 :]
        # ... unless a head noun follows: "the Varna health office".
        if (
            word.lower() not in _NP_CONTINUERS
            and not any(t.group()[:1].isupper() for t in later)
            and not any(t.group().lower().strip(".,") in _ORG_NOUNS | _PERSON_TITLES for t in later)
        ):
            b = start + tokens[i - 1].end()
            break
    lead = len(rest) - len(rest.lstrip())
    span = _validate(masked, start + lead, b)
    if span is not None and inverted and stop and rest[stop.start()] == ",":
        role = re.match(r",\s+(?:(?:the|a|an)\s+)?(?:\w+\s+){0,2}?(\w+)[^,.;:\x00]*", rest[stop.start() :])
        if role and role.group(1).lower() in _PERSON_TITLES:
            # "said Jane Roe, the spokeswoman for X": keep the role when it still reads as one speaker.
            span = _validate(masked, start + lead, start + stop.start() + role.end()) or span
    if span is not None and inverted:
        words = [w.lower() for w in masked[span[0] : span[1]].split()]
        tail = masked[span[1] :]
        # "said she turned out" / "said the senator can win" are a subject-verb clause, not "said X";
        # a true inversion ends the sentence, give or take an aside or a prepositional phrase.
        if (words[0] in _PRONOUNS | _UNKNOWABLE and len(words) > 1) or set(words) & _VERBISH:
            return None
        if not _INVERSION_TAIL_RE.match(tail):
            return None
        if set(tail.split(",")[0].lower().split()) & (_VERBISH | {"that"}):
            return None
    return span


def _validate(masked: str, a: int, b: int) -> tuple[int, int] | None:
    """Reject phrases that are not plausibly a speaker."""
    phrase = masked[a:b].strip(" ,;:'’\"“”-–—")
    a += masked[a:b].find(phrase) if phrase else 0
    b = a + len(phrase)
    words = phrase.split()
    if not words or len(words) > MAX_SPEAKER_WORDS or _MASK in phrase:
        return None
    low = [w.lower().strip(",.") for w in words]
    if low[0] in _NON_SPEAKERS and (len(words) == 1 or low[0] in _CLAUSE_WORDS):
        return None
    if low[-1] in _DETERMINERS | _PREPOSITIONS | _AUX | _PASSIVE | _STOP_BACK | _VERBISH | _POSSESSIVES:
        return None
    if low[-1] in _INANIMATE:
        return None
    if re.fullmatch(r"[\d.,%$]+", low[-1]) or _is_adverb(words[-1]) or re.search(r"[’']s$", low[-1]):
        return None  # "Clinton leads Sanders by 271 [pledged]", "deeply [reported]"
    if any(w in _VERBISH | {"also", "not", "never", "n't"} for w in words[1:]):
        return None  # "The coalition also includes individuals": a clause, not a noun phrase
    if (low[0] in _PREPOSITIONS and low[0] not in ("at", "and")) or low[0] in _VERBISH:
        return None  # "of the Clintons", "have both": not a subject
    if low[0].endswith("ing") and len(words) > 1 and words[1][:1].islower():
        return None  # a gerund phrase: "Rattling off promises"
    if re.fullmatch(r"(?:he|she|it|they|i|we|you)[’'](?:s|re|ve|d|ll|m)", low[0]):
        return None
    if not re.search(r"[A-Za-z]", phrase):
        return None
    if not (phrase[0].isupper() or low[0] in _DETERMINERS | _PRONOUNS | _UNKNOWABLE):
        # A lowercase start is often a clause fragment ("killed five"); let it through when it
        # names someone ("former president Bill Clinton") or is a plural group ("aviation experts").
        head = low[-1]
        named = any(w[:1].isupper() for w in words[1:])
        known = head in _ORG_NOUNS | _PLURAL_HINTS | _PERSON_TITLES or low[0] in _QUANTIFIERS
        if not (named or known or (head.endswith("s") and not head.endswith("ss"))) or len(words) > 8:
            return None
    return a, b


def _label(body: str, offset: int) -> _Speaker | None:
    """``The Azerbaijani Defense Ministry`` from a line ``The Azerbaijani Defense Ministry:``.

    ``offset`` is where ``body`` starts in the article, for the speaker's span.
    """
    phrase = _clean(body)
    words = phrase.split()
    if not words or len(words) > 8 or not phrase[0].isupper() or _MASK in body:
        return None
    if words[0].lower().strip(":") in _HEADING_WORDS or re.search(r"\d", phrase):
        return None
    for w in words:
        low = w.lower().strip(",.’'")
        if not (w[:1].isupper() or low in _FUNCTION_WORDS or low in _ORG_NOUNS or low in _PERSON_TITLES):
            return None
    a, b = _name_bounds(body, 0, len(body))
    return _Speaker(phrase, _kind(phrase), offset + a, offset + b)


# --- Small helpers ---------------------------------------------------------------------------


def _names_someone(phrase: str) -> bool:
    """Whether a phrase is a name, as in "said Dan Gerstein" or "said the BBC", not "tweeted a warning"."""
    words = phrase.split()
    if words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    return bool(words) and words[0][:1].isupper() and not re.fullmatch(_TIME_WORDS, words[0].lower())


def _is_adverb(word: str) -> bool:
    # "justifiably said", "angrily denied"; not "family", "ally" or a capitalised "Kelly".
    return word.endswith("ly") and word.islower() and len(word) > 4 and word not in _LY_NOUNS


_EDGE = " ,;:'’\"“”"


def _name_bounds(text: str, a: int, b: int) -> tuple[int, int]:
    """Narrow ``text[a:b]`` to a name as ``_clean`` reads it: edge punctuation and one determiner off."""
    while a < b and (text[a].isspace() or text[a] in _EDGE):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in _EDGE):
        b -= 1
    lead = re.match(r"(?:the|a|an)\s+(?=\S)", text[a:b], re.IGNORECASE)
    if lead:
        a += lead.end()
    return a, b


def _named(text: str, a: int, b: int) -> _Speaker:
    """A speaker named by the words ``text[a:b]`` (determiner dropped), with their span."""
    a, b = _name_bounds(text, a, b)
    name = " ".join(text[a:b].split())
    return _Speaker(name, _kind(name), a, b)


def _clean(phrase: str) -> str:
    """Whitespace collapsed, edge punctuation and a leading determiner dropped."""
    phrase = " ".join(phrase.split()).strip(" ,;:'’\"“”")
    return _strip_determiner(phrase)


def _strip_determiner(phrase: str) -> str:
    """Drop one leading "the"/"a"/"an": "Azerbaijani Defense Ministry" reads better in a citation."""
    words = phrase.split()
    if len(words) > 1 and words[0].lower() in _DETERMINERS:
        return " ".join(words[1:])
    return phrase


def _is_generic(words: list[str]) -> bool:
    """Whether a subject is a role ("the ministry", "its spokesman") that refers back to a name."""
    if len(words) < 2 or len(words) > 3:
        return False
    if words[0].lower() not in ("the", "this", "that", "its", "his", "her", "their"):
        return False
    return all(w[:1].islower() for w in words[1:])


def _kind(phrase: str) -> _Kind:
    """Which pronouns can refer back to a speaker: from titles, group nouns and capitalisation."""
    words = [w.lower().strip(".,’'") for w in phrase.split()]
    low = (
        set(words)
        | {w.removesuffix("s") for w in words}
        | {w.removesuffix("’s").removesuffix("'s") for w in words}
    )
    if low & _FEMALE:
        return "female"
    if low & _MALE:
        return "male"
    if low & _PERSON_TITLES:
        return "person"
    if low & _PLURAL_HINTS or "and" in low:
        return "plural"
    if low & _ORG_NOUNS:
        return "org"
    caps = [w for w in phrase.split() if w[:1].isupper()]
    if len(caps) >= 2 and len(caps) == len(words):
        return "person"
    return "unknown"


def _named_mention(before: str, head: str) -> tuple[int, int] | None:
    """Where the last capitalised name built on ``head`` is in earlier text ("Ministry of Defence of X")."""
    cap = head[:1].upper() + head[1:]
    for m in reversed(list(re.finditer(rf"\b{re.escape(cap)}\b", before))):
        # Windows keep this linear on long runs of capitalised words.
        left = re.search(
            r"(?:[A-Z][\w’'-]*\s+(?:of\s+(?:the\s+)?)?){1,5}$", before[max(0, m.start() - 80) : m.start()]
        )
        right = re.match(r"(?:\s+of(?:\s+the)?(?:\s+[A-Z][\w-]*){1,4}){0,2}", before[m.end() : m.end() + 80])
        a = m.start() - (len(left.group()) if left else 0)
        b = m.end() + (len(right.group()) if right else 0)
        if len(before[a:b].split()) >= 2:
            return a, b
    return None
