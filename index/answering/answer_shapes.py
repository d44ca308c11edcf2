"""What shape of answer a question asks for: a figure ("how many"), named claimants ("who reported"),
a cause ("why"), and what a count counts."""

from __future__ import annotations

import re

from index.answering.vocabulary import STOPWORDS

# "How much damage" asks how bad, not for a number.
COUNTING = re.compile(
    r"\bhow\s+many\b|\bhow\s+much\b(?!\s+(?:damage|destruction|harm))|\bnumber\s+of\b|\btolls?\b"
    r"|\bcasualty\s+figures?\b",
    re.I,
)
# "Who reported casualties …?": the answer is its claimants, each named.
CLAIMANTS_QUESTION = re.compile(r"\bwho (?:reported|said|says|claimed|denied|confirmed|announced)\b", re.I)
WHO_QUESTION = re.compile(rf"^\s*who\b|{CLAIMANTS_QUESTION.pattern}", re.I)
# "How many Ukrainian athletes and coaches have been killed", "how much damage did …": what is counted
# or measured, the words after "how many" up to the verb.
_HOW_MANY = re.compile(r"\bhow\s+(?:many|much)\s+((?:[\w'’-]+\s+){0,4}[\w'’-]+)", re.I)
_FOCUS_WORDS = 3
_ANYONE = frozenset(["people", "persons", "person", "times"])


def counted_words(question: str) -> tuple[str, ...]:
    """What a "how many / how much" question counts, its head nouns lower-cased: ("athletes",
    "coaches") for "How many Ukrainian athletes and coaches have been killed?"."""
    m = _HOW_MANY.search(question)
    if not m:
        return ()
    heads: list[str] = []  # the last word of each conjunct: "Starlink terminals" counts terminals
    for word in m.group(1).split():
        lowered = word.lower()
        if lowered in ("and", "or"):
            heads.append("")
        elif lowered in STOPWORDS or (lowered.endswith("ed") and heads):
            break  # the verb: "have been killed", "died"
        elif heads:
            heads[-1] = lowered
        else:
            heads.append(lowered)
    # "How many people": any casualty count counts people ("one person had been killed").
    return tuple(h for h in heads[:_FOCUS_WORDS] if h and h not in _ANYONE)


# "Why did Ukraine pull its troops out?": answered by a sentence that gives a cause or a purpose.
REASON_QUESTION = re.compile(r"^\W*why\b|\bwhat\s+(?:was|were|is|are)\s+the\s+reasons?\b", re.I)
