"""Claims measured against PolNeAR's gold attributions: content-span P/R/F1 and speaker accuracy.

PolNeAR (Newell et al., LREC 2018) annotates every attribution in 928 US political news articles
with a ``source``, a ``cue`` and a ``content``, each as character spans into the article text. It
annotates far more than speech ("showed", "wants", "plans"), so recall here is a hard ceiling:
a speech-attribution extractor is not expected to find beliefs and intentions.

Definitions (all stated here so the numbers can be read):

- Gold set: per article, the relations of one annotator (the first listed in ``annotators``;
  articles annotated several times count once), keeping those with a content.
- A gold content is the union ``G`` of its spans (a quotation interrupted by "he said" has two);
  a predicted claim is its span ``P = [start, end)``.
- They match when the overlap covers at least half of both: ``|P ∩ G| >= 0.5 * |G|`` and
  ``|P ∩ G| >= 0.5 * |P|``. Pairs are matched one to one, greedily by decreasing
  ``|P ∩ G| / max(|P|, |G|)``.
- Precision = matched / predicted, recall = matched / gold, F1 their harmonic mean.
- Speaker accuracy, over matched pairs whose gold relation has a source: the predicted speaker
  shares a content word (lower-cased, possessive "'s" and "the/of/mr/..." ignored) with the gold
  source. Gold sources that are pronouns ("he", "it", "who") are replaced by a proxy antecedent,
  the nearest named gold source before them in the article, because the extractor resolves
  pronouns to names. A claim with no speaker counts as wrong.

The naive baseline, run on the same sentences: every sentence with "said", "says", "told" or
"according to" is a claim spanning the whole sentence, its speaker the nearest run of
capitalised words before the cue (else after it).
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.attribution.claims import extract_claims
from index.attribution.mentions import document_phrase
from index.models import Claim
from index.text.sentences import split_sentences

__all__ = ["evaluate_polnear", "naive_claims"]


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_PRONOUNS = _word_set(
    "he she it they i we you who which that his her its their him them me us our my whom your"
)
_IGNORED = _word_set("the a an of 's mr mrs ms dr and for in on to at by")
_NAIVE_CUE = re.compile(r"\b(?:said|says|told|according to)\b", re.IGNORECASE)
_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w.’'-]*)(?:\s+(?:of\s+|the\s+)?[A-Z][\w.’'-]*)*")

Extractor = Callable[[str, Sequence[tuple[int, int]]], list[Claim]]


def naive_claims(text: str, sentences: Sequence[tuple[int, int]]) -> list[Claim]:
    """The baseline: a sentence with a speech cue is a claim; the speaker is the nearest capitalised run."""
    out: list[Claim] = []
    for s, e in sentences:
        cue = _NAIVE_CUE.search(text, s, e)
        if cue is None:
            continue
        before = list(_CAPITALISED_RUN.finditer(text, s, cue.start()))
        after = _CAPITALISED_RUN.search(text, cue.end(), e)
        name = before[-1] if before else after
        out.append(
            Claim(
                speaker=name.group() if name else None,
                speaker_start=name.start() if name else None,
                speaker_end=name.end() if name else None,
                cue=cue.group(),
                text=text[s:e],
                start=s,
                end=e,
            )
        )
    return out


# A share or a count as a "source" ("Twelve percent said", "137 said", "Most Americans" stays an agent).
_FIGURE = re.compile(r"^(?:\d[\d,.]*|[A-Z]?[a-z]+)\s+(?:percent|per cent|%)|^\d[\d,.]*$", re.IGNORECASE)


@dataclass
class _Tally:
    predicted: int = 0
    gold: int = 0
    matched: int = 0
    speaker_scored: int = 0
    speaker_correct: int = 0
    non_agent_scored: int = 0  # gold sources that are documents or figures ("the poll", "Twelve percent")
    non_agent_correct: int = 0

    def scores(self) -> dict[str, float | int]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        return {
            "precision": p,
            "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "speaker_accuracy": self.speaker_correct / self.speaker_scored if self.speaker_scored else 0.0,
            "speaker_accuracy_all_sources": (self.speaker_correct + self.non_agent_correct)
            / max(1, self.speaker_scored + self.non_agent_scored),
            "non_agent_sources": self.non_agent_scored,
            "predicted": self.predicted,
            "gold": self.gold,
            "matched": self.matched,
            "speaker_scored": self.speaker_scored,
        }


def evaluate_polnear(data_dir: Path, split: str = "dev", limit: int | None = None) -> dict[str, Any]:
    """Score ``index.attribution.claims.extract_claims`` and the naive baseline on one PolNeAR split.

    Args:
        data_dir: the folder with ``articles.jsonl`` and ``attributions.jsonl``.
        split: ``train``, ``dev`` or ``annotator-training``.
        limit: only the first N articles of the split (in file order).

    Returns:
        ``precision``, ``recall``, ``f1``, ``speaker_accuracy`` and the counts ``predicted``,
        ``gold``, ``matched``, ``speaker_scored`` for the extractor; the same keys prefixed
        ``baseline_`` for the naive baseline; ``articles``, ``split`` and ``seconds`` (the
        extractor's time alone).

    Raises:
        FileNotFoundError: the data files are not there.
    """
    articles = [a for a in _read_jsonl(data_dir / "articles.jsonl") if a["split"] == split]
    articles = articles[:limit] if limit is not None else articles
    wanted = {a["id"] for a in articles}
    relations: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rel in _read_jsonl(data_dir / "attributions.jsonl"):
        if rel["article_id"] in wanted:
            relations[rel["article_id"]].append(rel)

    tallies = {"claims": _Tally(), "baseline": _Tally()}
    seconds = 0.0
    for art in articles:
        text = art["text"]
        gold = _one_annotator(relations.get(art["id"], []), art.get("annotators") or [])
        sentences = split_sentences(text)
        started = time.perf_counter()
        mine = extract_claims(text, sentences)
        seconds += time.perf_counter() - started
        _score(mine, gold, tallies["claims"])
        _score(naive_claims(text, sentences), gold, tallies["baseline"])

    result: dict[str, Any] = {"split": split, "articles": len(articles), "seconds": round(seconds, 2)}
    result.update(tallies["claims"].scores())
    result.update({f"baseline_{k}": v for k, v in tallies["baseline"].scores().items()})
    return result


def _read_jsonl(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _one_annotator(rels: list[dict[str, Any]], order: list[str]) -> list[dict[str, Any]]:
    """Articles annotated several times count once: the first listed annotator's relations."""
    for who in order:
        mine = [r for r in rels if r["annotator"] == who]
        if mine:
            return [r for r in mine if r["content"]]
    return [r for r in rels if r["content"]]


def _score(claims: list[Claim], gold: list[dict[str, Any]], tally: _Tally) -> None:
    tally.predicted += len(claims)
    tally.gold += len(gold)
    named = sorted(
        (r["source"]["spans"][0][0], r["source"]["text"])
        for r in gold
        if r["source"] and r["source"]["text"].strip().lower() not in _PRONOUNS
    )
    pairs: list[tuple[float, int, int]] = []
    for gi, rel in enumerate(gold):
        spans = [(int(a), int(b)) for a, b in rel["content"]["spans"]]
        size = sum(b - a for a, b in spans)
        for ci, claim in enumerate(claims):
            overlap = sum(max(0, min(b, claim.end) - max(a, claim.start)) for a, b in spans)
            length = claim.end - claim.start
            if overlap and 2 * overlap >= size and 2 * overlap >= length:
                pairs.append((overlap / max(size, length), gi, ci))
    used_gold: set[int] = set()
    used_claims: set[int] = set()
    for _, gi, ci in sorted(pairs, reverse=True):
        if gi in used_gold or ci in used_claims:
            continue
        used_gold.add(gi)
        used_claims.add(ci)
        tally.matched += 1
        source = gold[gi]["source"]
        if not source:
            continue
        target: str | None = source["text"]
        if source["text"].strip().lower() in _PRONOUNS:
            at = source["spans"][0][0]
            target = next((t for s, t in reversed(named) if s < at), None)
        right = _same_speaker(claims[ci].speaker, target)
        # PolNeAR counts documents and figures as sources; sitrep names their issuer or no one (a
        # speaker is an agent), so speaker accuracy is scored on agent sources and the rest reported.
        if target is not None and (document_phrase(target) is not None or _FIGURE.match(target.strip())):
            tally.non_agent_scored += 1
            tally.non_agent_correct += right
            continue
        tally.speaker_scored += 1
        tally.speaker_correct += right


def _tokens(phrase: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", phrase.lower().replace("’", "'"))
    return {w.removesuffix("'s") for w in words} - _IGNORED


def _same_speaker(predicted: str | None, gold: str | None) -> bool:
    return predicted is not None and gold is not None and bool(_tokens(predicted) & _tokens(gold))
