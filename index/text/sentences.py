"""Sentence boundaries as character spans into the stored text.

Quotes are cut verbatim from articles, so the splitter never rewrites text: it only reports
``(start, end)`` offsets. It is a rule-based scanner tuned for English news copy (abbreviations,
initials, quoted speech with attribution) that degrades gracefully on other languages.
"""

from __future__ import annotations

import re

# A line is everything up to the last non-space character before a line break; a newline always
# ends a sentence because headings, captions and "X said:" lead-ins are their own units.
_LINE = re.compile(r"[^\r\n]*\S")

# A candidate boundary: terminal punctuation, any closing quotes/brackets, then whitespace.
# Requiring whitespace after it keeps "3.5", "U.S.-backed" and "e.g.," from ever being candidates.
# Armenian "։" and the Arabic question mark end sentences as "." and "?" do; CJK full-width
# terminators need no following space.
_CANDIDATE = re.compile(
    r"(?P<term>[.!?…։؟]+)(?P<close>[\"'”’»)\]]*)(?=\s)"
    r"|(?P<cjk>[。！？]+[」』”’）)]*)(?=\S)"
)
_NEXT = re.compile(r"\S")
_WORD_BEFORE = re.compile(r"[^\s(\[\"“‘'«]+\Z")
_NEXT_WORD = re.compile(r"[^\W\d_]+")
_WORD_WINDOW = 64  # longer than any title or abbreviation the checks below look for


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Never sentence-final in news copy: titles and ranks precede a name.
_TITLES = _wordset(
    """mr mrs ms mme mlle messrs dr prof rev hon pres gen gens lt col maj capt cpt sgt cpl pvt adm brig
    cmdr cdr gov sen rep amb st ft mt vs v e.g i.e cf viz approx"""
)
# Followed by a number ("No. 5", "Aug. 11"); otherwise a sentence may end on them.
_BEFORE_NUMBER = _wordset("""no nos art vol fig pp jan feb mar apr jun jul aug sep sept oct nov dec""")
# Often mid-sentence ("U.S. forces") but can end one ("...imposed by the U.S. The ministry...").
_AMBIGUOUS = _wordset("""etc u.s u.k u.n e.u u.s.a a.m p.m inc ltd co corp jr sr""")
_DOTTED_ACRONYM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
# After an ambiguous abbreviation, only these words make us believe a new sentence starts.
_STARTERS = _wordset(
    """the a an this that these those it its he she they we i you there but however his her their our
    meanwhile according earlier later some many both"""
)
# '"Fire!" Ivanov shouted.' is one sentence: ?/! inside a closing quote followed by a speech verb.
_ATTRIBUTION = re.compile(
    r"(?:[^\W\d_][\w'’.-]*\s+){1,4}?"
    r"(?:said|says|asked|asks|added|adds|told|wrote|writes|shouted|yelled|stated|states|explained|"
    r"noted|declared|replied|insisted|warned|claimed|tweeted|posted|continued|recalled|cried|exclaimed)\b"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split text into sentences, returned as character spans.

    Every line break ends a sentence, so headings and lines without final punctuation are their
    own "sentence". Within a line, a boundary is terminal punctuation (plus closing quotes) followed
    by whitespace and a token that can start a sentence, unless the period belongs to an
    abbreviation, a title or an initial. Quoted speech followed by attribution stays whole:
    ``"We repelled the attack," the ministry said.`` is one sentence.

    Args:
        text: The text to split; it is not modified.

    Returns:
        ``(start, end)`` offsets in order, never empty, such that ``text[start:end]`` is a sentence
        without surrounding whitespace.
    """
    spans: list[tuple[int, int]] = []
    for line_match in _LINE.finditer(text):
        line = line_match.group()
        offset = line_match.start()
        start = len(line) - len(line.lstrip())
        # All-lower-case text (some archives are) has no capital to announce a new sentence.
        caseless = line.lower() == line
        for cand in _CANDIDATE.finditer(line, start):
            if cand.start() <= start:
                continue  # punctuation with no words before it ("... and then") starts no sentence
            nxt = _NEXT.search(line, cand.end())
            if nxt is None:
                break
            if cand["cjk"] is None and not _is_boundary(line, cand, nxt.start(), caseless, start):
                continue
            spans.append((offset + start, offset + cand.end()))
            start = nxt.start()
        spans.append((offset + start, offset + len(line)))
    return spans


def _is_boundary(line: str, cand: re.Match[str], next_pos: int, caseless: bool, start: int = 0) -> bool:
    """Whether a Latin-script candidate really ends a sentence (``start``: where the sentence it
    would end starts)."""
    next_char = line[next_pos]
    if next_char in ",;:)]}%" or (next_char.islower() and not caseless):
        return False
    term: str = cand["term"]
    if "!" in term or "?" in term:
        return not (cand["close"] and _ATTRIBUTION.match(line, next_pos))
    if term in ("…", "...") and not cand["close"]:
        # "“Ukraine is United … This is our victory.”": words left out of a quotation that goes on.
        said = line[start : cand.start()]
        if said.count("“") > said.count("”"):
            return False
    if len(term) > 1 or term == "…" or cand["close"]:
        # An ellipsis, or a period inside a closing quote, before a capital ends the sentence.
        return True
    # Only the last few characters can hold the word: searching from 0 would rescan the whole line
    # for every candidate (quadratic; minutes on a 1 MB one-line file).
    word_match = _WORD_BEFORE.search(line, max(0, cand.start() - _WORD_WINDOW), cand.start())
    if word_match is None:
        return True
    word = word_match.group().lower()
    if word in _TITLES:
        return False
    if word in _BEFORE_NUMBER:
        return not next_char.isdigit()
    if word in _AMBIGUOUS or _DOTTED_ACRONYM.fullmatch(word):
        next_word = _NEXT_WORD.match(line, next_pos)
        return next_word is not None and next_word.group().lower() in _STARTERS
    if len(word) == 1 and word.isalpha():
        # "J. Smith": an initial. In caseless text "j." is an initial too.
        return not (word_match.group().isupper() or caseless)
    return True
