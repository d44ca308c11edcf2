"""Claims: who said what in an article, as verbatim spans with their claimant and cue.

A claim is the content of an attributed statement (a direct quotation, indirect speech after
"said that", the clause before "according to X"), the speaker it is attributed to and the cue
that attributes it. Offsets index the text exactly as given, so ``text[claim.start:claim.end]``
is the claim and ``text[claim.speaker_start:claim.speaker_end]`` the speaker's name.

The speaker comes from ``index.attribution.passes``'s left-to-right pass (one attribution engine for
answers and claims): pronouns and role nouns ("he", "the ministry") resolve to the nearest named
claimant that fits, and the speaker span then points at that earlier mention. This module only
decides which part of each attributed sentence is the content, and joins quotations that run on
over several sentences or paragraphs into one claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from index.attribution.passes import SentenceAttribution, attribute_sentences, is_speech_cue
from index.models import Claim
from index.text.sentences import split_sentences

__all__ = ["CLAIMS_VERSION", "Claim", "claim_at", "extract_claims", "speaker_at"]

CLAIMS_VERSION = "2"  # 2: speakers are agents (documents speak for their issuer, events for no one)
"""Bumped when extraction changes, so stores re-extract the claims of articles they already hold."""

# Between a cue and its content: a medium, a time or a recipient ("said in a statement on Sunday
# that", "told reporters that", "wrote on Facebook:"). Cut off so the content starts at its words.
_TIME = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|"
    r"(?:this|last|on|late|early|earlier)\s+(?:\w+\s+){0,2}?(?:morning|afternoon|evening|night|week|"
    r"weekend|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"on\s+(?:\w+\s+)?\d{1,2}(?:st|nd|rd|th)?|in\s+(?:a|an|his|her|its|their)\s+(?:\w+\s+){0,2}?"
    r"(?:statement|interview|post|tweet|letter|speech|briefing|video|message|address|report)|"
    r"on\s+(?:facebook|twitter|telegram|instagram|x|television|tv|radio|friday))"
)
_LEAD_RE = re.compile(
    rf"(?:[\s,]+(?:{_TIME}|at\s+the\s+time|however|also|though|meanwhile|instead|too)\b)+", re.IGNORECASE
)
# Words that end a content only by accident of where the cut fell: "it and", "... on Twitter".
_TRAILING_RE = re.compile(
    r"(?:\s+(?:and|or|but|as|that)|\s+(?:on|in)\s+(?:twitter|facebook|telegram|a statement|an interview))+$",
    re.IGNORECASE,
)
_RECIPIENT_CUES = re.compile(
    r"(?:told|tells|telling|tell|asked|asks|urged|urges|warned|warns|assured|informed)$"
)
_RECIPIENT_RE = re.compile(
    r"\s+(?:(?:reporters|journalists|supporters|lawmakers|me|us|him|her|them|the\s+\w+|"
    r"(?:the\s+)?(?:[A-Z][\w.’'&-]*\s+){1,4}?(?=that\b|[,:“\"]))(?:\s+(?:on|in|at)\s+\w+)?)(?=[\s,:])"
)
_CLAUSE_END_RE = re.compile(
    r"(?:,|(?<=[”\"]))\s+(?:while|whereas|although|though|even as|according to|citing|before|after)\b"
    r"|,\s+(?:but|saying|adding|noting|arguing|stating|calling|describing|explaining|insisting|warning|"
    r"claiming|suggesting|chiding|accusing|urging|promising|pointing|echoing|speaking|referring|responding|"
    r"compared|with similar)\b"
    r"|\s(?:before|after)\s+(?:claiming|saying|adding|arguing|insisting|calling)\b"
    r"|;\s"
    r"|,?\s+(?:and|but)\s+(?:(?:he|she|it|they|then|also|later)\s+)?"
    r"(?:said|says|added|predicted|vowed|argued|warned|noted|called|urged|told|promised|insisted|accused|"
    r"denied|claimed|stressed|declared|announced|tells|adds|says|mentions|mentioned)\b"
)
_DATELINE_RE = re.compile(
    r"(?:[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][A-Za-z.'-]*){0,3}\s*)?(?:\([^()\n]{1,40}\)\s*)?[—–-]+\s+"
)
_ABBREVIATION_END_RE = re.compile(r"(?:\b[A-Za-z]\.[A-Za-z]|\b(?:Jr|Sr|Inc|Ltd|Corp|Co|St|etc|No))$")
_CLAUSE_BREAK_RE = re.compile(r"[,;]|\s(?:and|but|while|whereas)\s")
_THAT_AFTER_RE = re.compile(r"(?:\s+[^\s,.;:“”\"]+){1,12}?\s+(?=that\s)")
# A "that" further on starts the content only after a setting: "said in an interview with X last week that".
_SETTING_RE = re.compile(r"(?:in|on|at|during|after|before|last|this|earlier)\b", re.IGNORECASE)
_EDGE_CHARS = " \t\r\n\u00a0,;:-–—"
_END_CHARS = ".,;:!?"
_CLOSERS = "”\"’'»"
_OPENERS = "“\"‘'«„"
_MIN_WORDS = 2  # a "content" of one word ("he said so") is no claim to quote


def extract_claims(text: str, sentences: Sequence[tuple[int, int]] | None = None) -> list[Claim]:
    """Find the attributed statements in an article.

    Args:
        text: the article text; offsets in the result index it exactly as given.
        sentences: its sentence spans, in order (default: ``index.text.sentences.split_sentences``).

    Returns:
        Claims in text order. A quotation that runs over several sentences or paragraphs is
        one claim from its opening to its closing quote mark.
    """
    spans = list(sentences) if sentences is not None else split_sentences(text)
    found = attribute_sentences(text, spans, broad=True)
    claims: list[Claim] = []
    owner = -1  # index of the sentence the last claim was cut from (or extended into)
    lead: int | None = None  # start of a bare quotation whose attribution comes next
    # A bare quotation taken as a continuation may instead open the quote of the next sentence's own
    # attribution ('X said A. “B. | C,” he said.'): where it opens, and the claims before it was taken.
    opened: tuple[int, list[Claim]] | None = None
    for i, ((s, e), att) in enumerate(zip(spans, found, strict=True)):
        if att.role == "leads":
            if lead is None and (bounds := _content_bounds(text, s, e)) is not None:
                lead = bounds[0]
            continue
        claim: Claim | None = None
        if att.role == "continues":
            bounds = _content_bounds(text, s, e)
            runs_on = (
                bounds is not None and text[bounds[0]] in _OPENERS and text[bounds[1] - 1] not in _CLOSERS
            )
            opened = (bounds[0], list(claims)) if runs_on and bounds is not None else None
            if (
                claims
                and owner == i - 1
                and bounds is not None
                and _joins(claims[-1].start, claims[-1].end, *bounds)
            ):
                claims[-1] = _extend(text, claims[-1], bounds[1])
                owner = i
            elif bounds is not None:
                claim = _claim(text, att, bounds, _carried_cue(text, found[i - 1]))
        elif att.role == "explicit" and not _by_agent(text, att):
            found_here = _sentence_claims(text, s, e, att)
            if found_here and att.quotes and found_here[0].start == att.quotes[0][0] == s:
                # "“One. | Two,” she said.": the quotation opened in an earlier sentence.
                if lead is None and opened is not None and text[s] not in _OPENERS:
                    lead, claims = opened[0], opened[1]  # undo taking it as a continuation
                if lead is not None:
                    found_here[0] = replace(found_here[0], start=lead, text=text[lead : found_here[0].end])
            claims.extend(found_here[:-1])
            claim = found_here[-1] if found_here else None
        lead = None
        if att.role != "continues":
            opened = None
        if claim is not None:
            claims.append(claim)
            owner = i
    # Only now: a quotation's first sentence may be a word long ("X said: “Yes. ...").
    return [c for c in claims if _words(c.text) >= _MIN_WORDS]


def claim_at(claims: Sequence[Claim], start: int, end: int) -> Claim | None:
    """The claim that overlaps ``[start, end)`` most, if it covers half of that span or lies half inside it.

    Answers quote sentences; this finds the claim a quoted passage belongs to, so the quote's
    speaker is the claim's: a sentence "X said that Y" holds its claim "that Y", and one sentence
    of a long quotation lies inside its claim.
    """
    best: Claim | None = None
    best_overlap = 0
    for claim in claims:
        overlap = min(end, claim.end) - max(start, claim.start)
        if overlap > best_overlap:
            best, best_overlap = claim, overlap
    if best is None:
        return None
    return best if 2 * best_overlap >= min(end - start, best.end - best.start) else None


def speaker_at(claims: Sequence[Claim], start: int, end: int) -> str | None:
    """Who says the text ``[start, end)``: the speaker of the claim covering it, if it reports speech.

    Claims of stance or intention ("X wants ...") are left out: they say what the outlet reports
    about X, not what X said. Whitespace in the name is collapsed for display.
    """
    claim = claim_at(claims, start, end)
    if claim is None or claim.speaker is None or claim.cue is None or not is_speech_cue(claim.cue):
        return None
    return " ".join(claim.speaker.split())


# --- Cutting the content out of one sentence ----------------------------------------------------


def _explicit_content(text: str, s: int, e: int, att: SentenceAttribution) -> tuple[int, int] | None:
    """The content of a sentence whose own cue attributes it, as ``(start, end)``."""
    assert att.cue is not None and att.mention is not None
    (ca, cb), (ma, mb) = att.cue, att.mention
    if text[ca:cb] == ":" and not att.quotes:
        # "ROE: We will win. We always have." speaks to the end of the line.
        line_end = text.find("\n", cb)
        return _content_bounds(text, cb, len(text) if line_end < 0 else line_end)
    if text[ca:cb].lower().startswith("according to"):
        # "According to X, <content>." or "<content>, according to X."
        comma = re.match(r"[^\S\n]*,", text[mb:e])
        if mb < e and comma:
            after = _content_bounds(
                text, mb + comma.end(), _clause_end(text, mb + comma.end(), e, att.quotes)
            )
            if after is not None:
                return after
        return _content_bounds(text, _clause_start(text, s, ca), ca)
    if ma >= cb:
        # Inverted: "<content>, said X." / "“A,” said X, “B.”"
        before = _content_bounds(text, _clause_start(text, s, ca), ca)
        resumed = [q for q in att.quotes if q[0] >= mb]
        if before and resumed and _joins(*before, resumed[0][0], resumed[-1][1]):
            return before[0], resumed[-1][1]
        return before
    after_start = _skip_lead(text, cb, e, text[ca:cb])
    quoted_after = [q for q in att.quotes if q[0] >= cb]  # may run on: "X said: “Yes. | ..."
    lead = _content_bounds(text, _clause_start(text, s, ma), ma) if ma > s else None
    if lead is not None and any(q[1] <= ma and _words(text[q[1] : ma]) <= 1 for q in att.quotes):
        # "“A,” he said, “B.”" joins both parts; "“A,” he said, smiling." is only the quotation.
        if quoted_after and _joins(*lead, quoted_after[0][0], quoted_after[-1][1]):
            return lead[0], quoted_after[-1][1]
        return lead
    after = _content_bounds(text, after_start, _clause_end(text, after_start, e, att.quotes))
    if after is not None and (quoted_after or _words(text[after[0] : after[1]]) >= _MIN_WORDS):
        if lead is not None and text[lead[1] : ma].strip() == "," and text[cb : after[0]].strip() == ",":
            return lead[0], after[1]  # "Many of the closures, he said, have involved ..."
        return after
    # "<content>, the ministry said on Sunday."
    return lead


def _joins(a: int, b: int, c: int, d: int) -> bool:
    """Whether the parts ``[a, b)`` and ``[c, d)`` of one quotation make one claim: only while the
    attribution between them ("he said in an interview with ...") is no longer than they are."""
    return c - b <= (b - a) + (d - c)


def _sentence_claims(text: str, s: int, e: int, att: SentenceAttribution) -> list[Claim]:
    """The claims of a sentence with its own cue: its first attribution and any later ones.

    A later attribution in a new clause ends the content before it ("X said A, while Y argued
    B"; "X denied it, saying B"); one inside the content is nested ("X said that Y wants Z") and
    both claims stand.
    """
    parts = [att, *att.others]
    out: list[Claim] = []
    begin = s
    for j, part in enumerate(parts):
        if part.cue is None or part.mention is None:
            continue
        limit, cut = e, False
        for later in parts[j + 1 :]:
            assert later.cue is not None and later.mention is not None
            if later.mention == part.mention:  # ", saying ...": same speaker, new cue
                limit, cut = later.cue[0], True
                break
            if _CLAUSE_BREAK_RE.search(text, part.cue[1], later.mention[0]):
                # '..., "B," he said' starts at its quotation, not at "he".
                quoted = [
                    q
                    for q in later.quotes
                    if part.cue[1] <= q[0] and _words(text[q[1] : later.mention[0]]) == 0
                ]
                limit, cut = (quoted[-1][0] if quoted else later.mention[0]), True
                break
        bounds = _explicit_content(text, begin, limit, part)
        if bounds is not None and all((c.start, c.end) != bounds for c in out):
            out.append(_claim(text, part, bounds, text[part.cue[0] : part.cue[1]]))
        begin = limit if cut else s
    return out


def _by_agent(text: str, att: SentenceAttribution) -> bool:
    """ "emails released by the State Department": names a source, but attributes no statement."""
    return att.cue is not None and text[att.cue[0] : att.cue[1]].lower().endswith(" by")


def _clause_start(text: str, s: int, cue: int) -> int:
    """Where content before a cue starts: after an open parenthesis or a semicolon, if one comes first.

    "(the actual number is closer to 15 percent, according to Factcheck.org)"
    """
    cut = max(text.rfind("(", s, cue), text.rfind("; ", s, cue))
    if cut >= 0 and text.find(")", cut, cue) < 0:
        return cut + 1
    dateline = _DATELINE_RE.match(text, s, cue)  # "TOLVIK — Four civilians ..., the ministry said."
    return dateline.end() if dateline else s


def _clause_end(text: str, a: int, e: int, quotes: Sequence[tuple[int, int]]) -> int:
    """Where reported content stops: before "but", "while", "; ", ", saying", "and said", outside quotes."""
    for m in _CLAUSE_END_RE.finditer(text, a, e):
        if not any(qa <= m.start() < qb for qa, qb in quotes):
            return m.start()
    return e


def _skip_lead(text: str, start: int, end: int, cue: str) -> int:
    """Step over a medium, time or recipient between a cue and its content."""
    for _ in range(3):
        moved = start
        if lead := _LEAD_RE.match(text, start, end):
            start = lead.end()
        if _RECIPIENT_CUES.search(cue.lower()) and (rec := _RECIPIENT_RE.match(text, start, end)):
            start = rec.end()
        if start == moved:
            break
    # "told a Wall Street Journal lunch group that", "said in an interview with X last week that"
    gap = _THAT_AFTER_RE.match(text, start, end)
    if gap and (_RECIPIENT_CUES.search(cue.lower()) or _SETTING_RE.match(gap.group().lstrip())):
        start = gap.end()
    return start


def _quotes_span(quotes: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """From the first quotation's opening to the last one's close."""
    return (quotes[0][0], quotes[-1][1]) if quotes else None


def _content_bounds(text: str, a: int, b: int) -> tuple[int, int] | None:
    """``text[a:b]`` without edge spaces and punctuation; a closing quote keeps what it closes."""
    while a < b and text[a] in _EDGE_CHARS:
        a += 1
    while b > a:
        last = text[b - 1]
        if last in _CLOSERS and _opened_before(text, a, b - 1, last):
            break
        if last == "." and _ABBREVIATION_END_RE.search(text, a, b - 1):
            break  # "by 10 a.m." and "the U.S." keep their period
        if last in _EDGE_CHARS or last in _END_CHARS or last in _CLOSERS:
            b -= 1
            continue
        trailing = _TRAILING_RE.search(text, a, b)
        if trailing is None or trailing.start() == a:
            break
        b = trailing.start()
    return (a, b) if b > a else None


def _opened_before(text: str, a: int, close: int, closer: str) -> bool:
    """Whether the quote mark at ``close`` closes a quotation (not an apostrophe or a stray mark)."""
    if closer in "’'":
        return close == a or not text[close - 1].isalpha()  # "the ministers’" is a possessive
    return True


def _claim(text: str, att: SentenceAttribution, bounds: tuple[int, int], cue: str | None) -> Claim:
    a, b = bounds
    speaker_start, speaker_end = (
        att.speaker_span if att.speaker is not None and att.speaker_span else (None, None)
    )
    return Claim(
        speaker=text[speaker_start:speaker_end] if speaker_start is not None else None,
        speaker_start=speaker_start,
        speaker_end=speaker_end,
        cue=cue,
        text=text[a:b],
        start=a,
        end=b,
    )


def _carried_cue(text: str, before: SentenceAttribution) -> str | None:
    """The cue of the sentence a bare quotation continues: its verb, or ":" after a label line."""
    if before.role == "label":
        return ":"
    return text[before.cue[0] : before.cue[1]] if before.cue else None


def _extend(text: str, claim: Claim, end: int) -> Claim:
    return replace(claim, text=text[claim.start : end], end=end)


def _words(phrase: str) -> int:
    return len(re.findall(r"\w+", phrase))
