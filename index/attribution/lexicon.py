"""The words attribution rules read: speech verbs and their strengths, cue patterns, and the word
classes that tell a speaker's name from a clause (determiners, pronouns, organisations, titles…).

Data only, and the regular expressions compiled from it: ``phrases.py`` finds speaker phrases with
these, ``passes.py`` reads an article's sentences with both.
"""

from __future__ import annotations

import re
from typing import Literal

MAX_SPEAKER_WORDS = 12
"""Longer "subjects" are nearly always a clause the rules mis-cut, not a speaker."""
MAX_SENTENCE_CHARS = 3000  # past this a "sentence" is an unsplit wall of text; its cues are guesses

MASK = "\x00"
CLAUSE_MARKS = ";:[]—–\x00!?"
OPENERS = "“„«"
CLOSERS = "”»"


def word_set(text: str) -> frozenset[str]:
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
    "called (?:for|on)|calls (?:for|on)|pointed out|points out|spoke of|speaks of|"
    # A body's position in the third person: "the IAEA did not blame either side", "X disputed ...".
    "blame|disputed"
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
    r"arguing|accusing|urging|calling (?:for|on)|denying|predicting|promising|suggesting)|"
    # "Ukraine has rejected a Russian offer", "the Kremlin rejected the accusations".
    r"reject(?:ed|s) (?:(?:the|a|an|its|their|his|her|any|all|such|these|those) )?(?:[\w-]+ ){0,2}?"
    r"(?:claims?|accusations?|allegations?|reports?|characteri[sz]ation|assertions?|notion|idea|"
    r"suggestions?|offers?|proposals?|charges?|account|version|narrative|findings?|demands?|calls?)\b|"
    # "what President X called “a war crime”": naming a thing in quoted words is speech.
    r"call(?:ed|s)(?=\s+(?:[^\s\x00“\"]+\s+){0,5}?[\x00“\"])"
)
# A monitor's or a body's count: "the mission recorded 5,587 deaths", "the UN estimates there were".
_FIGURE_VERBS = "recorded|registered|documented|counted|verified|estimates|estimated"
_FIGURE_AFTER = r"(?=\s+(?:there\b|(?:at least|more than|nearly|almost|about|around|over|some)\s+\d|\d))"
# What a document found is what its issuer says: "the poll found", "the report also showed" (the
# subject then resolves to the pollster or the body that issued it, or to no one).
_FINDING_VERBS = "found|finds|showed|shows|concluded|concludes|suggested|suggests|indicated|indicates"
_FINDING = (
    # The lookahead first: the lookbehinds only run where one of the verbs starts.
    rf"(?=(?:{_FINDING_VERBS})\b)(?:"
    + "|".join(
        f"(?<={noun} {mid})"
        for noun in sorted(
            word_set("poll survey report study analysis assessment review audit investigation inquiry")
        )
        for mid in ("", "also ")
    )
    + rf")(?:{_FINDING_VERBS})"
    # "the statement read", "the letter reads": a document's words are its issuer's.
    + "|(?=reads?\\b)(?:"
    + "|".join(
        f"(?<={noun} )"
        for noun in sorted(word_set("statement letter message post release readout communique"))
    )
    + ")reads?"
)
ABBREVIATIONS = (
    r"Mr|Mrs|Ms|Dr|Gov|Sen|Sens|Rep|Reps|Gen|Col|Lt|Maj|Capt|Sgt|Adm|St|Jr|Sr|Prof|Rev|Hon|U\.S|U\.N|Ft|Mt"
)
AFTER_STOP_RE = re.compile(
    r"[.;:!?()\x00\"“”—–]|,|\s-\s|\s(?:in|on|at|during|when|while|who|which|that|adding|citing|as|"
    r"after|before|with|because|but|and said|told|to|last|this|earlier|late)\b"
)
INVERSION_TAIL_RE = re.compile(
    r"\s*(?:\([^()]*\)\s*)?"
    r"(?:\s(?:in|on|at|during|told|while|when|after|before|as|of|to|from|for|with|last|this|earlier|late)\b"
    r"[^,\x00]*)?"
    r"(?:,(?!\s*(?:he|she|it|they|i|we|you)\b)[^\x00]*)?[.!?”\"\x00]*\s*$"
)
_MEDIUM = (  # "noted on Twitter that"
    r"(?:\s+(?:on|in)\s+(?:Facebook|Twitter|Telegram|Instagram|X|a statement|an interview|his blog|her blog))?"
)
CUE_RE = re.compile(
    rf"(?<![\w-])(?:(?P<phrase>{_PHRASES})|(?P<verb>{_VERBS})"
    rf"|(?P<loose>{_LOOSE_VERBS})(?={_MEDIUM}\s*(?:that\b|,|:|;|\.|$|[\x00“\"]))"
    # Before a strict verb's comma, a noun's modifier ("the", "30", "Armenia's") is no valid subject.
    rf"|(?P<strict>{_STRICT_VERBS})(?=\s*(?:that\b|:|,|[\x00“\"]))"
    rf"|(?P<figure>{_FIGURE_VERBS}){_FIGURE_AFTER}|(?P<finding>{_FINDING}))(?![\w-])"
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
BROAD_CUE_RE = re.compile(
    rf"(?<![\w-])(?:(?P<phrase>{_PHRASES})|(?P<verb>{_VERBS}|{_STANCE_VERBS})"
    rf"|(?P<loose>{_LOOSE_VERBS})(?={_MEDIUM}\s*(?:that\b|,|:|;|\.|$|[\x00“\"]))"
    rf"|(?P<strict>{_STRICT_VERBS})(?=\s*(?:that\b|:|,|[\x00“\"]))"
    rf"|(?P<figure>{_FIGURE_VERBS}){_FIGURE_AFTER}|(?P<finding>{_FINDING}))(?![\w-])"
)
# Non-speech senses of otherwise good cues: "a man accused of", "an attack blamed on", "claimed
# the lives of", "a village described as", "said to be", "troops posted at".
NOT_SPEECH_RE = re.compile(
    r"(?:accused|accuses) of|(?:blamed|blames) on|(?:claimed|claims) (?:the )?lives?|"
    r"(?:described|describes) as|(?:said|says) to (?:be|have)|posted (?:at|in|along|near|to|on the)\b"
)
# A speech verb after a modal is no report of speech: "Putin may officially announce", "Kyiv will
# confirm" say what has not been said. Not "would" ("he said he would" is reported speech), "can" or
# "could" ("the Mission can confirm five fatalities" is the Mission's statement). Lower case only:
# "Theresa May said" is a name.
_MODAL_BEFORE = re.compile(r"\b(?:may|might|will|should|must)\s+(?:\w+ly\s+)?$")


def is_modal(text: str, cue_start: int) -> bool:
    """Whether the cue at ``cue_start`` follows a modal ("may officially announce"): no speech yet."""
    return _MODAL_BEFORE.search(text, max(0, cue_start - 40), cue_start) is not None


# Cues that are also nouns: after a determiner ("the Zeltran claim that a depot was hit is false")
# the word names someone else's claim, and the sentence's speaker is whoever rejects or reports it.
_NOUN_CUES = re.compile(r"(?:claims?|reports|estimates|states|notes|posts)\b")
_DETERMINER_BEFORE = re.compile(
    r"\b(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er|[Oo]ur|[Aa]ny|[Ss]uch)"
    r"\s+(?:[\w'’-]+\s+){0,2}$"
)


def is_noun(text: str, cue_start: int) -> bool:
    """Whether the cue at ``cue_start`` is a noun ("the Zeltran claim that ..."), not a verb of speech."""
    return _NOUN_CUES.match(text, cue_start) is not None and (
        _DETERMINER_BEFORE.search(text, max(0, cue_start - 60), cue_start) is not None
    )


INVERTIBLE = word_set(
    "said says added adds wrote writes explained continued noted stated asked replied insisted warned "
    "argued recalled declared concluded tweeted responded"
)
ACCORDING_RE = re.compile(r"(?<![\w-])[Aa]ccording to\s+")
BY_AGENT_RE = re.compile(
    r"(?<![\w-])(?:reported|announced|confirmed|stated|said|claimed|quoted|posted|published|released|"
    r"cited|issued|tweeted|shared|provided|compiled|given)\s+by\s+"
)
PARTICIPLE_RE = re.compile(
    r"(?:,\s+(?:while\s+|before\s+|after\s+|by\s+)?|\s+(?:while|before|after|by)\s+)"
    r"(?P<verb>saying|adding|claiming|noting|insisting|warning|arguing|stating|telling|explaining|"
    r"denying|alleging|accusing|declaring|stressing)\b"
)

SHARED_SUBJECT_RE = re.compile(r"(?:,\s*)?\b(?:and|but)\s+(?:(?:\w+ly|also|later|then)\s+)?$")
DETERMINERS = word_set("the a an")
PRONOUNS = word_set("he she it they")
UNKNOWABLE = word_set("i we you me us")  # the author or the reader: not a named claimant
NON_SPEAKERS = word_set(
    "this that these those there what which who whom whose where when why how nothing something "
    "anything everything here one it's others many some few several"
)
# No one in particular: "someone in the video says", "no Western country has said", "neither ministry".
NOBODY = word_set("someone somebody anyone anybody nobody no none neither nothing")
# Things that are reported, not reporters: "the figures confirmed by the mission add up to ...".
INANIMATE = word_set(
    "figures numbers data statistics record records results images footage photos pictures evidence"
)
AUX = word_set(
    "having has have had will would could should may might must can did does do not n't never also "
    "later earlier previously further then again publicly repeatedly officially separately once first "
    "initially subsequently immediately recently reportedly long often frequently already since just "
    "now today yesterday still even privately openly loudly quickly falsely explicitly specifically "
    "directly angrily flatly sharply ever both each soon"
)
VERBISH = word_set("is was are were has have had will would can could should may might must did does do")
ADVERBS = word_set("however meanwhile separately though too also instead still yet then")
CLAUSE_WORDS = word_set("what which who whom whose where when why how there here it's")
QUANTIFIERS = word_set(
    "his her its their both all many most some several other others few each either neither one another"
)
TIME_LEAD = word_set("last this next earlier later early late")
LY_NOUNS = word_set("family assembly rally supply anomaly monopoly belly bully jelly")
POSSESSIVES = word_set("his her its their our my your")
PASSIVE = word_set("was were is are be been being am")
STOP_BACK = word_set(
    "that which whose because but while when whenever after before although though since as if where whereas so "
    "unless until than whether or nor why how what whom"
)
PREPOSITIONS = word_set(
    "of for in on at by to from with about into over under during against between among via per and "
    "or outside inside beyond despite amid amidst like unlike across through within without toward "
    "towards upon near around behind besides following"
)
FUNCTION_WORDS = DETERMINERS | word_set("of for and on de al el der 's")
ORG_NOUNS = word_set(
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
PERSON_TITLES = word_set(
    "spokesman spokeswoman spokesperson minister president secretary commander general official mr "
    "mrs ms dr sen rep gov chief director head leader adviser advisor ambassador envoy governor mayor "
    "senator candidate analyst expert professor colonel lieutenant major captain sergeant col lt gen "
    "maj capt prime deputy aide correspondent reporter journalist resident witness doctor nurse "
    "soldier officer pastor imam bishop king queen prince sheikh father mother diplomat counterpart"
)
FEMALE = word_set(
    "mrs ms miss madam spokeswoman queen princess mother wife sister daughter woman congresswoman "
    "chairwoman businesswoman grandmother aunt"
)
MALE = word_set(
    "mr sir spokesman king prince sheikh father husband brother son man congressman chairman businessman "
    "grandfather uncle pope"
)
PLURAL_HINTS = word_set(
    "officials sources residents witnesses activists observers fighters rebels troops forces "
    "authorities militants analysts experts leaders members both"
)
# Words a speaker's description is made of, before a name: "former president", "rights group".
ROLE_WORDS = (
    ORG_NOUNS
    | PLURAL_HINTS
    | PERSON_TITLES
    | word_set("former senior top acting then late retired ex junior chief leading prominent local regional")
)
NP_CONTINUERS = (
    FUNCTION_WORDS | ORG_NOUNS | PLURAL_HINTS | PERSON_TITLES | word_set("de la von van del bin al")
)
TIME_WORDS = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|"
    r"july|august|september|october|november|december|today|yesterday|tonight|morning|afternoon|evening|"
    r"night|week|weekend|month|year|day|statement|interview|briefing|conference|facebook|twitter|"
    r"telegram|instagram|tv|television|radio|video|post|tweet|\d+)"
)
TRAILING_ADVERBIAL_RE = re.compile(
    rf"\s+(?:(?:late|early|earlier|later)\s+)?(?:on|in|at|during|last|this|late|earlier|later)\s+"
    rf"(?:\S+\s+){{0,3}}?{TIME_WORDS}\S*$",
    re.IGNORECASE,
)
LEADING_ADVERBIAL_RE = re.compile(
    r"^(?:(?:in|on|at|during|after|before|since|by|for|with|earlier|later|late|last|this|meanwhile|"
    r"separately|however|also|yesterday|today|now|then|still|instead|indeed|moreover|but|and|so|"
    rf"both|all|early)\s+(?:(?:the|a|an|its|his|her|their)\s+)?(?:\w+\s+){{0,2}}?{TIME_WORDS}\S*\s+|"
    r"(?:meanwhile|separately|however|also|yesterday|today|now|then|still|instead|indeed|moreover|"
    r"but|and|so|later|earlier)\s+|"
    r"(?:there|here)\s+(?=(?-i:[A-Z])))",  # "There Li, who chairs X, stressed"
    re.IGNORECASE,
)
HEADING_WORDS = word_set(
    "video photo photos watch read more related update updates see also source sources note editor's "
    "advertisement share tags comments follow image images map graph chart table subscribe listen "
    "transcript background context summary timeline contents sponsored"
)

Kind = Literal["male", "female", "person", "org", "plural", "unknown"]
ANTECEDENT_KINDS: dict[str, tuple[Kind, ...]] = {
    "he": ("male", "person", "unknown"),
    "she": ("female", "person", "unknown"),
    "it": ("org", "unknown"),
    "they": ("plural", "org", "unknown"),
}
