"""Finding the speaker phrase inside one sentence: quotations masked, then the noun phrase before
or after a cue, cut at clause boundaries and asides.

Pure string work on one sentence at a time; ``names.py`` reads what a phrase names, and
``passes.py`` carries context across sentences.
"""

from __future__ import annotations

import itertools
import re

from index.attribution.lexicon import (
    ABBREVIATIONS,
    ACCORDING_RE,
    ADVERBS,
    AFTER_STOP_RE,
    AUX,
    BY_AGENT_RE,
    CLAUSE_MARKS,
    CLAUSE_WORDS,
    CLOSERS,
    CUE_RE,
    DETERMINERS,
    FUNCTION_WORDS,
    INANIMATE,
    INVERSION_TAIL_RE,
    INVERTIBLE,
    LEADING_ADVERBIAL_RE,
    MASK,
    MAX_SPEAKER_WORDS,
    NOBODY,
    NON_SPEAKERS,
    NOT_SPEECH_RE,
    NP_CONTINUERS,
    OPENERS,
    ORG_NOUNS,
    PARTICIPLE_RE,
    PASSIVE,
    PERSON_TITLES,
    PLURAL_HINTS,
    POSSESSIVES,
    PREPOSITIONS,
    PRONOUNS,
    QUANTIFIERS,
    ROLE_WORDS,
    STOP_BACK,
    TIME_LEAD,
    TIME_WORDS,
    TRAILING_ADVERBIAL_RE,
    UNKNOWABLE,
    VERBISH,
    is_modal,
    is_noun,
    word_set,
)
from index.attribution.mentions import document_phrase
from index.attribution.names import (
    is_adverb,
    labelled_speaker,
    names_someone,
)


def mask_quotes(s: str, inside: bool) -> tuple[str, bool]:
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
        if c in OPENERS:
            if start is None:
                start = i
        elif c in CLOSERS:
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
        chars[a:b] = MASK * (b - a)
    return "".join(chars), ends_inside


def masked_regions(masked: str) -> list[tuple[int, int]]:
    """The runs of masked (quoted) characters in a sentence."""
    return [m.span() for m in re.finditer(f"{MASK}+", masked)]


def find_np(masked: str, cues: re.Pattern[str] = CUE_RE) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The speaker phrase and the cue in a masked sentence, as ``(start, end)`` pairs, from its best cue.

    The leftmost cue wins, except that an attribution closing the sentence ("He also said A, the
    official said.") ranks first, and cues inside an opening subordinate clause ("When the
    moderator pointed out ..., the candidate said") rank after those of the main clause.
    """
    lead = re.match(
        r"\s*(?:when|after|as|while|if|before|although|though|since|because|once|until|unless|whether)\b"
        r"[^,\x00]*,",
        masked,
        re.IGNORECASE,
    )
    sub_end = lead.end() if lead else 0
    candidates: list[tuple[bool, bool, int, tuple[int, int], tuple[int, int]]] = []
    for m in cues.finditer(masked):
        if (
            NOT_SPEECH_RE.match(masked, m.start())
            or is_modal(masked, m.start())
            or is_noun(masked, m.start())
        ):
            continue
        prefix = masked[: m.start()]
        invertible = (m.group("verb") or m.group("loose") or "") in INVERTIBLE
        span: tuple[int, int] | None = None
        if invertible and re.search(r"(?:^|[\x00”\"])\s*$", prefix):
            # Inversion right after the quote it reports: "“...,” said X".
            span = _np_after(masked, m.end(), inverted=True)
        elif invertible and prefix.rstrip().endswith(","):
            # "Jane Roe, a student, said ..." unless the comma ends a reported clause: "..., said X."
            span = np_before(masked, m.start(), strict=True)
            after = _np_after(masked, m.end(), inverted=True)
            named_after = after is not None and names_someone(masked[after[0] : after[1]])
            ahead = masked[: span[0]].strip(" \x00\"“”'") if span is not None else ""
            if span is None or (
                named_after and (ahead or VERBISH & word_set(masked[span[1] : m.start()].lower()))
            ):
                # "Even if X existed, its functions would be done by others, said DeSantis" and "gusts
                # reached 78mph in Orlock Head, Northern Ireland, said the BBC": what comes before the
                # comma is the reported clause, not a subject heading the sentence.
                span = after
        span = span or np_before(masked, m.start())
        if span is not None:
            # A base form after a modal ("few would ever admit") is hypothetical: rank it last.
            hypothetical = re.search(
                r"\b(?:would|could|might|should|may|can|to)\s+(?:\w+ly\s+|ever\s+)*$", prefix
            )
            last = m.start() < sub_end or hypothetical is not None
            candidates.append((last, not _closes(masked, m, span), m.start(), span, m.span()))
    broad = cues is not CUE_RE
    for m in ACCORDING_RE.finditer(masked):
        span = _np_after(masked, m.end())
        if span is None and broad:
            # Claims keep a long source whole: "according to early results of exit polls conducted for X".
            phrase = re.match(r"[^,;:()\x00]+", masked[m.end() :])
            words = phrase.group().split() if phrase else []
            if phrase and 0 < len(words) <= 2 * MAX_SPEAKER_WORDS:
                span = (m.end(), m.end() + len(phrase.group().rstrip(" .!?")))
        if span is not None:
            cue = (m.start(), m.start() + len(m.group().rstrip()))
            candidates.append((m.start() < sub_end, True, m.start(), span, cue))
            break
    if candidates:
        best = min(candidates)
        return best[3], best[4]
    # Weaker signals, used only when no speech verb or "according to" names anyone.
    for m in BY_AGENT_RE.finditer(masked):
        # "figures released by the ministry"
        if (span := _np_after(masked, m.end())) is not None:
            return span, (m.start(), m.start() + len(m.group().rstrip()))
    # "Jane Roe: “...”"; for claims also a transcript or headline line, "ROE: We will win."
    inline = re.match(
        r"\s*([^\x00:]{1,80}):\s*(?:\x00|(?=\w))" if broad else r"\s*([^\x00:]{2,80}):\s*\x00", masked
    )
    if inline and labelled_speaker(inline.group(1), 0) is not None:
        return inline.span(1), (inline.end(1), inline.end(1) + 1)
    participle = PARTICIPLE_RE.search(masked)
    if participle is not None:
        # "Russia rejected the claims, saying ...": the clause's subject says it.
        span = _clause_subject(masked, _clause_start(masked, participle.start()), participle.start())
        return (span, participle.span("verb")) if span is not None else None
    return None


def _closes(masked: str, cue: re.Match[str], span: tuple[int, int]) -> bool:
    """Whether an attribution closes its sentence: "He said A, the official said." / "..., said X."

    The closing one is the reporter's source for all that comes before it, cues included ("He also
    said ...", "According to preliminary figures, ..."), so it outranks them.
    """
    if not (cue.group("verb") or cue.group("loose") or cue.group("strict")):
        return False
    if span[1] <= cue.start():
        before, after = masked[: span[0]], masked[cue.end() :]
    else:
        before, after = masked[: cue.start()], masked[span[1] :]
    before = before.rstrip()
    # After a quotation ('X said A. “B,” he said.') it attributes the quotation alone.
    if not before.endswith(",") or before[:-1].rstrip().endswith((MASK, '"', "”")):
        return False
    return INVERSION_TAIL_RE.match(after) is not None


def _clause_start(masked: str, end: int) -> int:
    """Where the clause holding ``end`` starts: after punctuation that no subject spans."""
    head = masked[:end]
    start = max(head.rfind(c) for c in CLAUSE_MARKS) + 1
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
        inner = [i for i, w in enumerate(words) if w.group().lower() in STOP_BACK - {"that"}]
        if inner:
            words = words[inner[-1] + 1 :]
        while words and (
            not re.search(r"\w", words[0].group())
            or words[0].group().lower() in STOP_BACK | ADVERBS | {"and"}
        ):
            words.pop(0)  # "(Reuters) - Jane Roe ..." leaves a dash; "and when Roe ..." a conjunction
        if not words:
            continue
        first = words[0].group().lower()
        if first in PREPOSITIONS or first in TIME_LEAD or re.fullmatch(TIME_WORDS, first):
            continue
        end = a
        for w in words:
            token, low = w.group(), w.group().strip(".;:").lower()
            if not (
                token[:1].isupper() or token[:1].isdigit() or low in FUNCTION_WORDS | ORG_NOUNS | PLURAL_HINTS
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


def np_before(masked: str, cue: int, *, strict: bool = False) -> tuple[int, int] | None:
    """The subject just before a cue: "..., the ministry said" -> "the ministry".

    With ``strict``, only a name heading a comma chain ("Jane Roe, 21, said") is accepted.
    """
    end = _skip_aside(masked, cue)
    words = list(re.finditer(r"\S+", masked[:end]))
    # Skip auxiliaries and adverbs between subject and verb ("has also said"); a passive
    # auxiliary ("it was said") means there is no subject speaking.
    skipped: set[str] = set()
    while words and (words[-1].group().lower() in AUX or is_adverb(words[-1].group())):
        if _surname(words):
            break  # "Theresa May said": a name, not the modal
        skipped.add(words.pop().group().lower())
    if words and skipped:
        words = list(re.finditer(r"\S+", masked[: _skip_aside(masked, words[-1].end())]))
    if not words or words[-1].group().lower() in PASSIVE:
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


def _surname(words: list[re.Match[str]]) -> bool:
    """Whether the last word is a capitalised auxiliary after a capitalised word ("Theresa May")."""
    return len(words) >= 2 and words[-1].group()[:1].isupper() and words[-2].group()[:1].isupper()


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
        if (
            low in PREPOSITIONS | STOP_BACK | ADVERBS
            or re.fullmatch(TIME_WORDS, low)
            or _setting(masked, *segments[i])
        ):
            continue
        if (
            i + 1 in chain
            and _is_role(masked[slice(*segments[i])])
            and _is_name(masked[slice(*segments[i + 1])])
        ):
            # "Its spokesperson, Major General Oren Castavy, denied": the name after the role speaks.
            return _trim_back(masked, *segments[i + 1])
        if word[:1].isupper() and low not in DETERMINERS:
            role = _trim_back(masked, *segments[i + 1]) if i + 1 in chain else None
            merged = _with_name_before(masked, segments[i][1], role) if role else None
            name = merged or _trim_back(masked, *segments[i])
            if name and i > 0 and fallback == i - 1:
                # "the chairman of Ukraine's state nuclear power company, Petro Kotin, said": whose
                # chairman tells which side he speaks for.
                start, end = segments[i - 1]
                before = masked[start:end]
                if _whose_role(before):
                    return start + len(before) - len(before.lstrip()), name[1]
            return name
        if fallback is None:
            fallback = i
    return _trim_back(masked, *segments[fallback]) if fallback is not None and not strict else None


# "Speaking to CNN on Tuesday, Ian Bremmer, president of Eurasia Group, claimed": the scene, not a name.
# A participle and its preposition, so "Reed and Smith, the senators, said" keeps its names.
_PARTICIPLE_LEAD = re.compile(
    r"[A-Z][a-z]+(?:ing|ed)\s+(?:to|with|about|at|in|on|by|from|after|before|during|for|over|into)\b"
)


def _setting(masked: str, a: int, b: int) -> bool:
    """Whether a comma segment is a participial phrase setting the scene ("Speaking to CNN on
    Tuesday", "Asked about the talks"), never the speaker's name."""
    return bool(_PARTICIPLE_LEAD.match(masked[a:b].lstrip()))


_WHOSE_ROLE = re.compile(
    r"(?i:the|a|an)\s+(?:[a-z-]+\s+){0,2}?(?P<title>[a-z]+)\s+(?:of|for|at)\s+(?:the\s+)?\S*[A-Z]"
)


_BODY_ROLES = PERSON_TITLES | {"chairman", "chair", "deputy", "ceo"}


def _whose_role(phrase: str) -> bool:
    """A role of a named body before a name: "the chairman of Ukraine's state nuclear power company",
    "the head of the Kharkiv regional administration" (not "a student", not "its spokesperson")."""
    m = _WHOSE_ROLE.match(phrase.strip())
    return m is not None and m.group("title") in _BODY_ROLES


def _is_role(phrase: str) -> bool:
    """A role with no name in it: "Its spokesperson", "Australian Foreign Affairs Minister", "Her counterpart"."""
    words = [w.strip(".,’'") for w in phrase.split()]
    if not words or len(words) > 6 or words[-1].lower() not in PERSON_TITLES:
        return False
    # Capitalised words qualify the role ("Zeltran", "Foreign Affairs"); a name would end it.
    return all(w.lower() in POSSESSIVES | ROLE_WORDS | FUNCTION_WORDS or w[:1].isupper() for w in words[:-1])


def _is_name(phrase: str) -> bool:
    """A person's name, maybe with a rank: "Major General Oren Castavy", "Penny Wong"."""
    words = phrase.split()
    if not 2 <= len(words) <= 6 or not all(w[:1].isupper() for w in words):
        return False
    bare = [w for w in words if w.lower().strip(".") not in PERSON_TITLES]
    return 2 <= len(bare) <= 4 and not {w.lower() for w in bare} & (ORG_NOUNS | PLURAL_HINTS)


def _with_name_before(masked: str, comma: int, span: tuple[int, int]) -> tuple[int, int] | None:
    """Join "John Doe, a spokesman for X," into one speaker when the part after the comma is a role."""
    role = [w.lower().strip(",.’'") for w in masked[span[0] : span[1]].split()]
    if role and role[0] in ("a", "an", "the", "his", "her", "its", "their"):
        role = role[1:]
    if not set(role[:3]) & PERSON_TITLES:
        return None
    before = max(masked.rfind(c, 0, comma) for c in ",;:()\x00")
    name = masked[before + 1 : comma].split()
    if not name or len(name) > 4 or not all(w[:1].isupper() for w in name):
        return None
    if re.search(rf"\b{TIME_WORDS}\b", " ".join(name), re.IGNORECASE) or name[0].lower() in PREPOSITIONS:
        return None
    return masked.index(name[0], before + 1), span[1]


# Who the writer met: the people after these words are the ones a "who said" clause has speak.
_MET_BEFORE = re.compile(
    r"\b(?:(?:spoke|speaking|talked|talking)\s+(?:to|with)|interviewed|met|questioned|visited|surveyed|quoted)\s+"
)


def _trim_back(masked: str, seg_start: int, end: int) -> tuple[int, int] | None:
    """Cut a subject out of the text between a clause boundary and the verb."""
    words = list(re.finditer(r"\S+", masked[seg_start:end]))
    keep: list[re.Match[str]] = []
    for i in range(len(words) - 1, -1, -1):
        low = words[i].group().lower()
        if low in STOP_BACK:
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
        # "officials who spoke on condition of anonymity said": the antecedent speaks; in "the Mission
        # spoke to residents who said", only the people spoken to ("residents").
        b = a + cut.start()
        phrase = masked[a:b]
        met = list(_MET_BEFORE.finditer(phrase))
        if met and met[-1].end() < len(phrase):
            a += met[-1].end()
            phrase = masked[a:b]
    lead = LEADING_ADVERBIAL_RE.match(phrase)
    while lead and lead.end() < len(phrase):
        a += lead.end()
        phrase = masked[a:b]
        lead = LEADING_ADVERBIAL_RE.match(phrase)
    trail = TRAILING_ADVERBIAL_RE.search(phrase)
    if trail and trail.start() > 0:
        b = a + trail.start()
    return _validate(masked, a, b)


def _np_after(masked: str, start: int, *, inverted: bool = False) -> tuple[int, int] | None:
    """The phrase after an inverted cue or "according to": ``..., said X, the spokesman for Y.``"""
    rest = masked[start:]
    stop = None
    for m in AFTER_STOP_RE.finditer(rest):
        # "said Mr. Nevins" / "said J. J. Price": an abbreviation's or initial's period goes on.
        if m.group() == "." and re.search(rf"(?:\b[A-Z]|\b(?:{ABBREVIATIONS}))$", rest[: m.start()]):
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
            word.lower() not in NP_CONTINUERS
            and not any(t.group()[:1].isupper() for t in later)
            and not any(_singular(t.group().lower().strip(".,")) in ORG_NOUNS | PERSON_TITLES for t in later)
        ):
            b = start + tokens[i - 1].end()
            break
    lead = len(rest) - len(rest.lstrip())
    span = _validate(masked, start + lead, b)
    if span is not None and inverted and stop and rest[stop.start()] == ",":
        role = re.match(r",\s+(?:(?:the|a|an)\s+)?(?:\w+\s+){0,2}?(\w+)[^,.;:\x00]*", rest[stop.start() :])
        if role and role.group(1).lower() in PERSON_TITLES:
            # "said Jane Roe, the spokeswoman for X": keep the role when it still reads as one speaker.
            span = _validate(masked, start + lead, start + stop.start() + role.end()) or span
    if span is not None and inverted:
        words = [w.lower() for w in masked[span[0] : span[1]].split()]
        tail = masked[span[1] :]
        # "said she turned out" / "said the senator can win" are a subject-verb clause, not "said X";
        # a true inversion ends the sentence, give or take an aside or a prepositional phrase.
        if (words[0] in PRONOUNS | UNKNOWABLE and len(words) > 1) or set(words) & VERBISH:
            return None
        if not INVERSION_TAIL_RE.match(tail):
            return None
        if set(tail.split(",")[0].lower().split()) & (VERBISH | {"that"}):
            return None
    return span


def _singular(word: str) -> str:
    """A plural noun's singular, roughly ("agencies" -> "agency", "outlets" -> "outlet")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


_NOT_STRAY = (
    ROLE_WORDS
    | QUANTIFIERS
    | PRONOUNS
    | UNKNOWABLE
    | POSSESSIVES
    | PREPOSITIONS
    | STOP_BACK
    | AUX
    | VERBISH
    | NOBODY
)


def _stray_lead(words: list[str]) -> int:
    """How many words before a capitalised name are not part of it: 2 in "an act President X".

    One or two lower-case words that are no role, group or title ("act", "think tank") before a
    capitalised word are the end of the clause the cut left behind; "former president Bill Clinton",
    "rights group Amnesty International" and "aviation experts" keep their words.
    """
    i = 1 if words and words[0].lower() in DETERMINERS else 0
    start = i
    while i < len(words) and words[i][:1].islower():
        low = words[i].lower().strip(",.’'")
        if low in _NOT_STRAY or not low.isalpha() or is_adverb(low):
            return 0  # "on Friday", "when Putin", "former president": the words belong where they are
        i += 1
    if i == start or i - start > 2 or i >= len(words) or words[i][:1] in '("“':
        return 0
    return i


def _validate(masked: str, a: int, b: int) -> tuple[int, int] | None:
    """Reject phrases that are not plausibly a speaker."""
    phrase = masked[a:b].strip(" ,;:'’\"“”-–—")
    a += masked[a:b].find(phrase) if phrase else 0
    b = a + len(phrase)
    words = phrase.split()
    if not words or len(words) > MAX_SPEAKER_WORDS or MASK in phrase:
        return None
    low = [w.lower().strip(",.") for w in words]
    if low[0] in NON_SPEAKERS and (len(words) == 1 or low[0] in CLAUSE_WORDS):
        return None
    stray = _stray_lead(words)
    if stray:
        # "an act President Volodymyr Zelenskyy called": the name starts at its title.
        a += list(re.finditer(r"\S+", phrase))[stray].start()
        phrase = masked[a:b]
        words, low = words[stray:], low[stray:]
    surname = len(words) >= 2 and words[-1][:1].isupper() and words[-2][:1].isupper()  # "Theresa May"
    if (
        low[-1] in DETERMINERS | PREPOSITIONS | AUX | PASSIVE | STOP_BACK | VERBISH | POSSESSIVES
        and not surname
    ):
        return None
    if low[-1] in INANIMATE:
        return None
    if re.fullmatch(r"[\d.,%$]+", low[-1]) or is_adverb(words[-1]) or re.search(r"[’']s$", low[-1]):
        return None  # "Clinton leads Sanders by 271 [pledged]", "deeply [reported]"
    if any(w in VERBISH | {"also", "not", "never", "n't"} for w in words[1:]):
        return None  # "The coalition also includes individuals": a clause, not a noun phrase
    if (low[0] in PREPOSITIONS and low[0] not in ("at", "and")) or low[0] in VERBISH:
        return None  # "of the Clintons", "have both": not a subject
    if low[0].endswith("ing") and len(words) > 1 and words[1][:1].islower():
        return None  # a gerund phrase: "Rattling off promises"
    if re.fullmatch(r"(?:he|she|it|they|i|we|you)[’'](?:s|re|ve|d|ll|m)", low[0]):
        return None
    if not re.search(r"[A-Za-z]", phrase):
        return None
    if not (phrase[0].isupper() or low[0] in DETERMINERS | PRONOUNS | UNKNOWABLE):
        # A lowercase start is often a clause fragment ("killed five"); let it through when it
        # names someone ("former president Bill Clinton") or is a plural group ("aviation experts").
        head = low[-1]
        named = any(w[:1].isupper() for w in words[1:])
        known = head in ORG_NOUNS | PLURAL_HINTS | PERSON_TITLES or low[0] in QUANTIFIERS
        if not (named or known or (head.endswith("s") and not head.endswith("ss"))):
            return None
        if len(words) > 8 and not ((doc := document_phrase(phrase)) is not None and doc.issuer is not None):
            return None  # long, unless a document with its issuer: "analysis by researchers from X"
    return a, b
