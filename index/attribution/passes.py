"""Who makes the claim in a sentence: the speaker of reported speech, found with rules.

A quote is only useful to a reader with its claimant attached: "the Azerbaijani Defense
Ministry said", not just the outlet that printed it. This module reads an article's sentences
left to right and names, for each one, whoever the text attributes it to:

- explicit cues: ``"...," the ministry said``, ``X told reporters that``, ``..., said X``,
  ``According to X, ...``, ``X accused Y of ...``, ``X issued a statement``, ``reported by X``;
- labels: a line ``The Defense Ministry:`` (or ``X: "..."``) introducing a quote;
- context: pronouns (``it reported``, ``She added``) and generic nouns (``the ministry said``)
  resolve to the nearest named speaker, or named sentence subject, that fits, and a sentence that
  is nothing but a quotation continues the speaker of the sentence before it;
- agents only: a document speaks for its issuer (``the statement said`` after ``X said in a
  statement``, ``the UK's Ministry of Defence's assessment``), an event or a figure for no one
  (``the attack killed``, ``preliminary figures show``), nor does ``no one`` or ``someone``.

The words it reads are in ``lexicon.py``, the phrase finding within one sentence in ``phrases.py``;
this module carries the pass from sentence to sentence, and ``context.py`` what the words it finds
resolve to (``mentions.py`` reads documents, events and sentence subjects for it). It is
deliberately rule-based and pure (stdlib ``re`` only): cheap enough for every sentence of every
article, and each rule is an auditable guess rather than a model's opinion. ``None`` means
the text does not say who is speaking (callers fall back to the outlet).
``benchmarks/attribution_polnear.py`` measures it against PolNeAR's hand-annotated attributions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from index.attribution.context import Context
from index.attribution.lexicon import (
    BROAD_CUE_RE,
    CUE_RE,
    MASK,
    MAX_SENTENCE_CHARS,
    NOT_SPEECH_RE,
    PARTICIPLE_RE,
    SHARED_SUBJECT_RE,
    is_modal,
    is_noun,
)
from index.attribution.names import Speaker, labelled_speaker
from index.attribution.phrases import find_np, mask_quotes, masked_regions, np_before

__all__ = ["SentenceAttribution", "attribute_sentences", "find_speaker", "is_speech_cue", "speakers_for"]

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
        or CUE_RE.fullmatch(cue) is not None
        or PARTICIPLE_RE.match(", " + cue) is not None
    )


def _spans(sentences: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    # A hashable copy for the cache; callers may pass lists of lists (e.g. straight from JSON).
    return tuple((int(start), int(end)) for start, end in sentences)


@lru_cache(maxsize=16)
def _attributions_cached(
    text: str, sentences: tuple[tuple[int, int], ...], broad: bool = False
) -> tuple[SentenceAttribution, ...]:
    return tuple(_Pass(text, BROAD_CUE_RE if broad else CUE_RE).run(sentences))


# --- The left-to-right pass ------------------------------------------------------------------


class _Pass:
    """State carried across an article's sentences: named speakers so far and quote context."""

    def __init__(self, text: str, cues: re.Pattern[str] = CUE_RE) -> None:
        self.text = text
        self.cues = cues
        self.broad = cues is not CUE_RE
        self.context = Context(text)

    def run(self, sentences: Sequence[tuple[int, int]]) -> list[SentenceAttribution]:
        n = len(sentences)
        out: list[Speaker | None] = [None] * n
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
        label: Speaker | None = None  # ... and it was a bare "X:" line naming X
        for i, (start, end) in enumerate(sentences):
            raw = self.text[start:end]
            new_para[i] = i == 0 or "\n" in self.text[prev_end:start]
            # News style reopens the quotation mark on every paragraph of a long quotation.
            masked, inside = mask_quotes(raw, inside and not new_para[i])
            open_at_end[i] = inside
            quotes[i] = tuple((start + a, start + b) for a, b in masked_regions(masked))
            pure[i] = MASK in masked and not re.search(r"\w", masked)
            colon = raw.rstrip().endswith(":")
            line_label: Speaker | None = None
            self.context.read_sentence(i, masked, start)
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
            elif colon and (found := labelled_speaker(masked.rstrip()[:-1], start)) is not None:
                # The label itself claims nothing; it names who speaks next and what "it" is.
                line_label = self.context.remember(found)
                out[i], mentions[i], roles[i] = line_label, (found.start, found.end), "label"
            elif found_np is not None:
                # A cue whose subject names no one we can cite ("I said", "he" with no antecedent).
                _, mentions[i], cues[i] = found_np
                roles[i] = "explicit"
            label = line_label
            prev_colon = colon
            prev_end = end
            self.context.after_sentence(out[i] if roles[i] == "explicit" else None)
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
    ) -> tuple[Speaker | None, tuple[int, int], tuple[int, int]] | None:
        """The speaker a sentence's own words name (resolved), the naming words and the cue, or None.

        A cue whose subject cannot be resolved ("I said", "he" with no antecedent) still comes back,
        with no speaker: the sentence then takes no speaker from context either.
        """
        if len(masked) > MAX_SENTENCE_CHARS:
            return None
        found = find_np(masked, self.cues)
        if found is None:
            return None
        (np_start, np_end), (cue_start, cue_end) = found
        a, b = offset + np_start, offset + np_end
        if not self.text[a:b].strip():
            return None
        cue = self.text[offset + cue_start : offset + cue_end]
        speaker = self.context.resolve(a, b, keep=not self.broad or _antecedent_worthy(self.text[a:b], cue))
        return speaker, (a, b), (offset + cue_start, offset + cue_end)

    def _later(
        self,
        masked: str,
        offset: int,
        first: tuple[Speaker | None, tuple[int, int], tuple[int, int]],
        quotes: tuple[tuple[int, int], ...],
    ) -> tuple[SentenceAttribution, ...]:
        """Attributions after the first one in a sentence, each with its own subject before its cue."""
        found: list[SentenceAttribution] = []
        pos = max(first[1][1], first[2][1]) - offset
        hits = sorted(
            [*self.cues.finditer(masked, pos), *PARTICIPLE_RE.finditer(masked, pos)], key=lambda m: m.start()
        )
        for m in hits:
            if m.start() < pos or NOT_SPEECH_RE.match(masked, m.start()):
                continue
            if is_modal(masked, m.start()) or is_noun(masked, m.start()):
                continue
            if m.re is PARTICIPLE_RE:
                # "X denied it, saying ...": the same speaker goes on.
                speaker, (a, b) = first[0], first[1]
                m_span = m.span("verb")
            elif SHARED_SUBJECT_RE.search(masked, pos, m.start()):
                # "He called the actions lawful, and said ...": the same subject speaks again.
                speaker, (a, b), m_span = first[0], first[1], m.span()
            else:
                span = np_before(masked, m.start())
                if span is None or span[0] < pos:
                    continue
                a, b = offset + span[0], offset + span[1]
                speaker = self.context.resolve(a, b, keep=_antecedent_worthy(self.text[a:b], m.group()))
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


def _antecedent_worthy(phrase: str, cue: str) -> bool:
    """Whether a claimant found by a claims-only cue may be what a later "he" refers to: a speaker, or a
    name ("Trump believes"), not "think tank" read as a verb ("director of the program at London-based")."""
    return is_speech_cue(cue) or phrase.lstrip('“"( ')[:1].isupper()
