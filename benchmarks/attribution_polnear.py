"""Speaker attribution measured against PolNeAR's gold source/cue/content annotations.

Run: ``.venv/bin/python benchmarks/attribution_polnear.py [--limit N] [--split dev]``

Each article is split into sentences and ``index.attribution.passes.speakers_for`` names a speaker per
sentence. Every gold attribution with a source and a content is then checked at the sentence its
content starts in (the one holding the cue, when the content spans several): the predicted
speaker counts as a match when it shares a content word with the gold source. Continuation
sentences of multi-sentence contents are scored on their own line.

Gold sources that are pronouns ("he", "who") cannot be matched by text, because the library
resolves pronouns to names. They are scored against a proxy antecedent: the closest named gold
source before them in the same article, which is what "he said" refers to in most news prose.

A naive baseline runs in the same pass so the two are compared on identical sentences: the few
words next to the first "said"/"says"/"told", with no quote handling and no context.

Then claims (``index.attribution.claims``): content-span precision/recall/F1 and speaker accuracy on matched
claims, per split (train and dev, or the one given), next to a naive baseline measured in the same
run; ``index.evaluation.polnear`` defines the matching.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.attribution.passes import speakers_for  # noqa: E402
from index.evaluation.polnear import evaluate_polnear  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "polnear"


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PRONOUNS = words("he she it they i we you who which that his her its their him them me us our my whom your")
IGNORED_TOKENS = words("the a an of 's mr mrs ms dr and for in on to at by")
SPEECH_CUES = words(
    "said says say told tells according wrote writes added adding saying reported announced noted "
    "tweeted claimed stated insisted warned denied confirmed accused explained argued declared"
)


def fallback_split(text: str) -> list[tuple[int, int]]:
    """Lines, then sentence-final punctuation before a capital or a quote (for when no splitter exists)."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        base, body, pos = line.start(), line.group(), 0
        for m in re.finditer(r"[.!?][”\"’)]*(?=\s+[“\"A-Z0-9])", body):
            if re.search(
                r"\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Sen|Rep|Gov|Jr|U\.S|U\.N)\.$", body[pos : m.end()]
            ):
                continue
            if body[pos : m.end()].strip():
                lead = len(body[pos:]) - len(body[pos:].lstrip())
                spans.append((base + pos + lead, base + m.end()))
            pos = m.end()
        if body[pos:].strip():
            lead = len(body[pos:]) - len(body[pos:].lstrip())
            spans.append((base + pos + lead, base + len(body.rstrip())))
    return spans


def load_splitter() -> tuple[Callable[[str], list[tuple[int, int]]], str]:
    try:
        from index.text.sentences import split_sentences
    except ImportError:
        return fallback_split, "fallback regex splitter"
    return split_sentences, "index.text.sentences.split_sentences"


def naive_speakers(text: str, sentences: Sequence[tuple[int, int]]) -> list[str | None]:
    """Baseline: up to three words before the first said/says/told, else up to three after it."""
    out: list[str | None] = []
    for start, end in sentences:
        s = text[start:end]
        m = re.search(r"\b(?:said|says|told)\b", s)
        if m is None:
            out.append(None)
            continue
        before = re.split(r"[,;:”\"]", s[: m.start()])[-1].split()[-3:]
        after = re.split(r"[,.;:]", s[m.end() :])[0].split()[:3]
        words = before or after
        out.append(" ".join(words) if words else None)
    return out


def tokens(phrase: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", phrase.lower().replace("’", "'"))
    return {w.removesuffix("'s") for w in words} - IGNORED_TOKENS


def matches(pred: str | None, gold: str | None) -> bool:
    return pred is not None and gold is not None and bool(tokens(pred) & tokens(gold))


@dataclass
class Tally:
    """Counts for one group of gold attributions, for the library and the baseline side by side."""

    n: int = 0
    predicted: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    correct: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, system: str, pred: str | None, ok: bool) -> None:
        self.predicted[system] += pred is not None
        self.correct[system] += ok

    def row(self, name: str, systems: Sequence[str]) -> str:
        cells = [f"{name:<34}{self.n:>7}"]
        for s in systems:
            p, c = self.predicted[s], self.correct[s]
            cov = p / self.n if self.n else 0.0
            acc = c / self.n if self.n else 0.0
            prec = c / p if p else 0.0
            cells.append(f"{cov:>8.1%}{acc:>8.1%}{prec:>8.1%}")
        return " |".join(cells)


def pick_annotator(rels: list[dict], order: list[str]) -> list[dict]:
    """Articles annotated several times count once: keep the first listed annotator's relations."""
    for who in order:
        mine = [r for r in rels if r["annotator"] == who]
        if mine:
            return mine
    return rels


@dataclass
class Scores:
    """Everything one run accumulates over the articles."""

    groups: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    spurious: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    quiet_sentences: int = 0
    misses: list[str] = field(default_factory=list)


def score_article(
    text: str,
    sentences: Sequence[tuple[int, int]],
    preds: dict[str, list[str | None]],
    rels: list[dict],
    scores: Scores,
    *,
    show: int = 0,
    show_pronouns: bool = False,
) -> None:
    """Score every system's speakers for one article against its gold relations."""
    # Proxy antecedents for pronoun sources: named gold sources in text order.
    named = sorted(
        (r["source"]["spans"][0][0], r["source"]["text"])
        for r in rels
        if r["source"] and r["source"]["text"].strip().lower() not in PRONOUNS
    )
    covered: set[int] = set()
    for rel in rels:
        if not rel["content"]:
            continue
        hit = [
            i
            for i, (a, b) in enumerate(sentences)
            if any(s < b and a < e for s, e in rel["content"]["spans"])
        ]
        covered.update(hit)
        if not rel["source"] or not hit:
            continue
        cue = rel["cue"]["spans"][0][0] if rel["cue"] else -1
        primary = next((i for i in hit if sentences[i][0] <= cue < sentences[i][1]), hit[0])
        gold = rel["source"]["text"].strip()
        pronoun = gold.lower() in PRONOUNS
        if pronoun:
            src = rel["source"]["spans"][0][0]
            target = next((t for s, t in reversed(named) if s < src), None)
        else:
            target = gold
        cue_word = (rel["cue"]["text"].split() or [""])[0].lower() if rel["cue"] else ""
        keys = [
            "all",
            "pronoun source (proxy antecedent)" if pronoun else "named source",
            "speech cue (said/told/...)" if cue_word in SPEECH_CUES else "other cue (think/want/...)",
        ]
        for key in keys:
            scores.groups[key].n += 1
        for name, pred in preds.items():
            ok = matches(pred[primary], target)
            for key in keys:
                scores.groups[key].add(name, pred[primary], ok)
            if name == "sitrep" and not ok and len(scores.misses) < show and pronoun == show_pronouns:
                a, b = sentences[primary]
                cue_text = rel["cue"]["text"] if rel["cue"] else None
                scores.misses.append(
                    f"gold={gold!r} (~{target!r}) cue={cue_text!r} pred={pred[primary]!r}\n"
                    f"    {text[a:b][:300]!r}"
                )
        continuation = scores.groups["continuation sentences"]
        for i in hit:
            if i != primary:
                continuation.n += 1
                for name, pred in preds.items():
                    continuation.add(name, pred[i], matches(pred[i], target))
    for i in range(len(sentences)):
        if i not in covered:
            scores.quiet_sentences += 1
            for name, pred in preds.items():
                scores.spurious[name] += pred[i] is not None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=DATA, help="folder with articles.jsonl, attributions.jsonl"
    )
    parser.add_argument("--limit", type=int, default=None, help="evaluate only the first N articles")
    parser.add_argument("--split", default=None, help="only articles of this split (train, dev, ...)")
    parser.add_argument("--show", type=int, default=0, help="print N misses of the library for inspection")
    parser.add_argument(
        "--show-pronouns", action="store_true", help="with --show, print pronoun-source misses"
    )
    args = parser.parse_args()

    if not (args.data / "articles.jsonl").exists() or not (args.data / "attributions.jsonl").exists():
        print(f"skipped: PolNeAR data not found under {args.data}")
        return 0

    split, split_name = load_splitter()
    articles = [json.loads(line) for line in (args.data / "articles.jsonl").open(encoding="utf-8")]
    if args.split:
        articles = [a for a in articles if a["split"] == args.split]
    articles = articles[: args.limit] if args.limit else articles
    by_article: dict[str, list[dict]] = defaultdict(list)
    for line in (args.data / "attributions.jsonl").open(encoding="utf-8"):
        rel = json.loads(line)
        by_article[rel["article_id"]].append(rel)

    systems = {"sitrep": speakers_for, "naive": naive_speakers}
    scores = Scores()
    started = time.perf_counter()
    for art in articles:
        text = art["text"]
        sentences = split(text)
        preds = {name: fn(text, sentences) for name, fn in systems.items()}
        rels = pick_annotator(by_article.get(art["id"], []), art.get("annotators") or [])
        score_article(text, sentences, preds, rels, scores, show=args.show, show_pronouns=args.show_pronouns)
    elapsed = time.perf_counter() - started

    names = list(systems)
    print(f"PolNeAR speaker attribution: {len(articles)} articles, {split_name}, {elapsed:.1f}s")
    print("coverage = predicted a speaker; accuracy = matched gold / all; precision = matched / predicted")
    print(f"{'group':<34}{'n':>7}" + "".join(f" |{n:>24}" for n in names))
    print(f"{'':<41}" + "".join(" |    cov     acc    prec" for _ in names))
    order = [
        "all",
        "named source",
        "pronoun source (proxy antecedent)",
        "speech cue (said/told/...)",
        "other cue (think/want/...)",
        "continuation sentences",
    ]
    for key in order:
        if key in scores.groups:
            print(scores.groups[key].row(key, names))
    quiet = scores.quiet_sentences
    rates = "  ".join(f"{n}={scores.spurious[n] / quiet:.1%}" if quiet else f"{n}=n/a" for n in names)
    print(f"speaker given to sentences with no gold attribution ({quiet}): {rates}")
    for miss in scores.misses:
        print(miss)
    print_claims(args.data, [args.split] if args.split else ["train", "dev"], args.limit)
    return 0


def print_claims(data: Path, splits: Sequence[str], limit: int | None) -> None:
    """Claims content-span P/R/F1 and speaker accuracy, sitrep next to the naive baseline."""
    print()
    print("Claims (content span overlap >= 50% of both spans; speaker accuracy on matched claims)")
    print(
        f"{'split':<8}{'system':<10}{'articles':>9}{'gold':>7}{'pred':>7}{'P':>7}{'R':>7}{'F1':>7}{'spk acc':>9}"
    )
    for split in splits:
        r = evaluate_polnear(data, split, limit)
        for name, prefix in (("sitrep", ""), ("naive", "baseline_")):
            print(
                f"{split:<8}{name:<10}{r['articles']:>9}{r[prefix + 'gold']:>7}{r[prefix + 'predicted']:>7}"
                f"{r[prefix + 'precision']:>7.3f}{r[prefix + 'recall']:>7.3f}{r[prefix + 'f1']:>7.3f}"
                f"{r[prefix + 'speaker_accuracy']:>9.3f}"
            )
        print(f"{'':<8}sitrep claims extracted in {r['seconds']:.1f}s")


if __name__ == "__main__":
    raise SystemExit(main())
