"""Speaker accuracy on realistic quotes: the hand-labelled realtimeqa war sentences, before and after.

Run: ``.venv/bin/python benchmarks/speakers.py [--before REV] [--errors]``

The dev set ``index/evaluation/speaker_devset.jsonl`` holds 258 sentences of 2022 CNN / USA Today /
The Week articles about the Russia–Ukraine war (``../shared/data/realtimeqa``), each as article id,
character span and a SHA-1 prefix of the span's text (never the text), with a hand label: the
claimant as the article names it (``speaker``; ``null`` where nobody makes the claim, the sentence is
a caption or credit, or the text does not say who), the normalised head words that identify it
(``head``, alternatives), where the name was given in an earlier sentence (``named_earlier``) and the
shape of the sentence (``kind``: ``q`` a direct quote with its cue, ``cont`` a pronoun or continued
quotation, ``said``/``told`` indirect speech, ``acc`` "according to", ``gen`` a generic noun such as
"the official", ``third`` a body's position in the third person, ``doc`` a document noun as subject,
``evt`` an event or a number as subject, ``cap`` a caption, credit or heading, ``none`` no claimant).

Two speakers are scored per sentence, each as the library produces them for the article's own text
split by ``index.text.sentences.split_sentences``:

- ``pass``: ``index.attribution.passes.speakers_for``, the sentence's speaker;
- ``quote``: what an answer shows for the sentence (``index.answering.retrieval``): the speaker of the
  stored claim covering it (``claims.speaker_at``), else the sentence's speaker.

A prediction is **right** when every head word of one of the gold alternatives is among its own
normalised words (lower-cased, accents and possessives dropped, plurals singular, demonyms mapped to
the country: "Ukrainian Defense Ministry" holds "ukraine defense ministry"), or when both are
``None``; **missing** when gold names a claimant and the prediction is ``None`` (the UI shows
"unattributed"); **wrong** otherwise, including a speaker given to a sentence nobody claims.
"untrimmed" counts predicted names starting with a stray lower-case word ("act President X").

"Before" runs the same predictor in a ``git worktree`` of ``--before`` (default: where this branch
left ``origin/main``), in its own process, so both columns come from one run on the same data.

``--polnear [SPLIT]`` adds PolNeAR's claims' speaker accuracy (``index.evaluation.polnear``'s
matching and word-overlap rule) before and after, split by the kind of gold source: PolNeAR counts
documents as sources ("the poll", "a report"), which sitrep by design resolves to their issuer or
to no one, so agents and documents are shown apart.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for --polnear, which reads gold sources with this tree's mentions.py
DATA = ROOT.parent / "shared" / "data" / "realtimeqa" / "docs_conflict_subset.jsonl"
SETS = {
    "dev": ROOT / "index" / "evaluation" / "speaker_devset.jsonl",
    # Labelled after the rules were written, from articles the dev set does not use; never tuned on.
    "heldout": ROOT / "index" / "evaluation" / "speaker_heldout.jsonl",
}

# Runs in a child process whose sys.path starts at the tree being measured (this one or the old one).
PREDICTOR = """
import json, sys
from index.attribution.claims import extract_claims, speaker_at
from index.attribution.passes import speakers_for
from index.text.sentences import split_sentences
job = json.load(open(sys.argv[1]))
out = []
for art in job:
    text = art["text"]
    sentences = split_sentences(text)
    speakers = speakers_for(text, sentences)
    claims = extract_claims(text, sentences)
    for start, end in art["spans"]:
        overlap = [min(end, e) - max(start, s) for s, e in sentences]
        i = max(range(len(sentences)), key=overlap.__getitem__)
        s, e = sentences[i]
        out.append([speakers[i], speaker_at(claims, s, e) or speakers[i]])
json.dump(out, sys.stdout)
"""

_DEMONYMS = {
    "ukrainian": "ukraine",
    "russian": "russia",
    "british": "uk",
    "britain": "uk",
    "american": "us",
    "chinese": "china",
    "iranian": "iran",
    "polish": "poland",
    "defence": "defense",
    "zelenskyy": "zelensky",
}
_PHRASES = (("united kingdom", "uk"), ("united states", "us"), ("united nations", "un"))


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP = _word_set("the a an of for and in to")
_ROLE_OK = _word_set(
    "spokesperson spokesman spokeswoman president minister secretary chief head official officials "
    "senior former deputy prime foreign defense interior state regional local one another some "
    "governor mayor ambassador adviser advisor commander general director leader lawyer analysts "
    "experts forecasters families prosecutors residents witnesses sources source"
)


def words(name: str) -> frozenset[str]:
    """A name's normalised words: "Ukraine's Defence Ministry" -> {ukraine, defense, ministry}."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"'s\b", "", text).replace("u.s.", "us").replace("u.k.", "uk").replace("u.n.", "un")
    for phrase, short in _PHRASES:
        text = text.replace(phrase, short)
    out = set()
    for w in re.findall(r"[a-z0-9]+", text):
        w = _DEMONYMS.get(w, w)
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        if w not in _STOP:
            out.add(w)
    return frozenset(out)


def verdict(gold: dict[str, Any], predicted: str | None) -> str:
    """``right``, ``wrong`` or ``missing`` for one labelled sentence."""
    if predicted is None:
        return "right" if gold["speaker"] is None else "missing"
    if gold["speaker"] is None:
        return "wrong"
    have = words(predicted)
    return "right" if any(words(h) <= have for h in gold["head"]) else "wrong"


def untrimmed(predicted: str | None) -> bool:
    """A stray lower-case word before a name: "act President X", "statement from the EU"."""
    first, *rest = (predicted or "-").split()
    return (
        first.islower() and first.strip(",.") not in _ROLE_OK | _STOP and any(w[:1].isupper() for w in rest)
    )


def load(which: str = "dev") -> tuple[list[dict[str, Any]], dict[str, str]]:
    """A labelled set and the texts of its articles; every span's hash is checked against the data."""
    lines = SETS[which].read_text(encoding="utf-8").splitlines()
    gold = [json.loads(line) for line in lines if line.strip()]
    wanted = {g["article"] for g in gold}
    texts: dict[str, str] = {}
    with DATA.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["id"] in wanted:
                texts[rec["id"]] = rec["text"]
    for g in gold:
        span = texts[g["article"]][g["start"] : g["end"]]
        if hashlib.sha1(span.encode()).hexdigest()[:12] != g["sha1"]:
            raise SystemExit(f"dev set span {g['article']}:{g['start']} does not match the data")
    return gold, texts


def predict(tree: Path, gold: list[dict[str, Any]], texts: dict[str, str]) -> list[list[str | None]]:
    """Run the predictor with ``tree``'s library; one ``[pass, quote]`` pair per dev set row."""
    order = list(dict.fromkeys(g["article"] for g in gold))
    job = [
        {"text": texts[a], "spans": [[g["start"], g["end"]] for g in gold if g["article"] == a]}
        for a in order
    ]
    by_article = iter(run_in(tree, PREDICTOR, job))
    preds: dict[tuple[str, int], list[str | None]] = {}
    for a in order:
        for g in (g for g in gold if g["article"] == a):
            preds[(a, g["start"])] = next(by_article)
    return [preds[(g["article"], g["start"])] for g in gold]


def score(gold: list[dict[str, Any]], preds: list[str | None]) -> dict[str, float]:
    counts = Counter(verdict(g, p) for g, p in zip(gold, preds, strict=True))
    named = [(g, p) for g, p in zip(gold, preds, strict=True) if g["speaker"] is not None]
    n = len(gold)
    return {
        "accuracy": counts["right"] / n,
        "wrong": counts["wrong"] / n,
        "missing": counts["missing"] / n,
        "right when gold names one": sum(verdict(g, p) == "right" for g, p in named) / len(named),
        "wrong speaker on unclaimed": sum(
            p is not None for g, p in zip(gold, preds, strict=True) if g["speaker"] is None
        )
        / max(1, n - len(named)),
        "untrimmed names": float(sum(untrimmed(p) for p in preds)),
    }


# PolNeAR's claims with the same tree's extractor: (start, end, speaker) per article.
CLAIMS_PREDICTOR = """
import json, sys
from index.attribution.claims import extract_claims
from index.text.sentences import split_sentences
texts = json.load(open(sys.argv[1]))
out = {}
for key, text in texts.items():
    out[key] = [[c.start, c.end, c.speaker] for c in extract_claims(text, split_sentences(text))]
json.dump(out, sys.stdout)
"""


def run_in(tree: Path, code: str, payload: Any) -> Any:
    """Run ``code`` with ``tree``'s library in a child process; ``payload`` goes in as a JSON file."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as fh:
        json.dump(payload, fh)
        fh.flush()
        done = subprocess.run(
            [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tree)!r})\n{code}", fh.name],
            capture_output=True,
            text=True,
            check=True,
            cwd=tree,
        )
    return json.loads(done.stdout)


def polnear_by_source(trees: list[tuple[str, Path]], split: str) -> None:
    """PolNeAR claims' speaker accuracy (its matching and its rule), split by the kind of gold source.

    PolNeAR annotates documents as sources ("the poll", "a report"); sitrep names their issuer or no
    one, so those are counted apart from agents (people, bodies, outlets, groups). The kind is read
    with this tree's ``index.attribution.mentions.document_phrase``.
    """
    from index.attribution.mentions import document_phrase

    base = DATA.parents[1] / "polnear"
    lines = (base / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    articles = [a for a in (json.loads(x) for x in lines if x.strip()) if a["split"] == split]
    relations: dict[str, list[dict[str, Any]]] = {a["id"]: [] for a in articles}
    with (base / "attributions.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rel = json.loads(line)
            if rel["article_id"] in relations:
                relations[rel["article_id"]].append(rel)
    texts = {a["id"]: a["text"] for a in articles}
    tallies: dict[str, dict[str, list[int]]] = {}
    for name, tree in trees:
        claims = run_in(tree, CLAIMS_PREDICTOR, texts)
        tally = tallies[name] = {"all": [0, 0], "agent": [0, 0], "document": [0, 0]}
        for art in articles:
            gold = _first_annotator(relations[art["id"]], art.get("annotators") or [])
            for rel, speaker in _matched(gold, claims[art["id"]]):
                target = _proxy(rel, gold)
                if target is None:
                    continue
                kind = "document" if document_phrase(target) is not None else "agent"
                right = speaker is not None and bool(_pn_tokens(speaker) & _pn_tokens(target))
                for key in ("all", kind):
                    tally[key][0] += right
                    tally[key][1] += 1
    print(f"\nPolNeAR {split}: claims' speaker accuracy on matched claims, by the kind of gold source")
    print(f"{'':32}" + "".join(f"{name:>18}" for name in tallies))
    for key in ("all", "agent", "document"):
        n = next(iter(tallies.values()))[key][1]
        cells = "".join(f"{t[key][0] / max(1, t[key][1]):>18.1%}" for t in tallies.values())
        print(f"{f'{key} (n={n})':32}{cells}")


_PN_PRONOUNS = _word_set(
    "he she it they i we you who which that his her its their him them me us our my whom your"
)
_PN_IGNORED = _word_set("the a an of 's mr mrs ms dr and for in on to at by")


def _pn_tokens(phrase: str) -> set[str]:
    found = re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", phrase.lower().replace("’", "'"))
    return {w.removesuffix("'s") for w in found} - _PN_IGNORED


def _first_annotator(rels: list[dict[str, Any]], order: list[str]) -> list[dict[str, Any]]:
    for who in order:
        mine = [r for r in rels if r["annotator"] == who]
        if mine:
            return [r for r in mine if r["content"]]
    return [r for r in rels if r["content"]]


def _proxy(rel: dict[str, Any], gold: list[dict[str, Any]]) -> str | None:
    """A pronoun source stands for the nearest named gold source before it, as PolNeAR's scorer has it."""
    source = rel["source"]["text"]
    if source.strip().lower() not in _PN_PRONOUNS:
        return str(source)
    at = rel["source"]["spans"][0][0]
    named = sorted(
        (r["source"]["spans"][0][0], r["source"]["text"])
        for r in gold
        if r["source"] and r["source"]["text"].strip().lower() not in _PN_PRONOUNS
    )
    return next((str(t) for s, t in reversed(named) if s < at), None)


def _matched(gold: list[dict[str, Any]], claims: list[list[Any]]) -> list[tuple[dict[str, Any], str | None]]:
    """Gold relations with a source, each with the speaker of the claim matched to it (>= half of both)."""
    pairs = []
    for gi, rel in enumerate(gold):
        spans = [(int(a), int(b)) for a, b in rel["content"]["spans"]]
        size = sum(b - a for a, b in spans)
        for ci, (start, end, _) in enumerate(claims):
            overlap = sum(max(0, min(b, end) - max(a, start)) for a, b in spans)
            if overlap and 2 * overlap >= size and 2 * overlap >= end - start:
                pairs.append((overlap / max(size, end - start), gi, ci))
    used_gold: set[int] = set()
    used_claims: set[int] = set()
    out = []
    for _, gi, ci in sorted(pairs, reverse=True):
        if gi in used_gold or ci in used_claims:
            continue
        used_gold.add(gi)
        used_claims.add(ci)
        if gold[gi]["source"]:
            out.append((gold[gi], claims[ci][2]))
    return out


def _worktree(rev: str, where: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(where), rev], check=True)
    return where


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--before", default=None, help="revision to compare with (default: merge-base with origin/main)"
    )
    parser.add_argument("--no-before", action="store_true", help="score this tree only")
    parser.add_argument("--set", choices=sorted(SETS), default="dev", help="which labelled sentences")
    parser.add_argument("--errors", action="store_true", help="print every sentence scored wrong or missing")
    parser.add_argument(
        "--polnear", nargs="?", const="dev", default=None, help="also PolNeAR claims' speakers by source kind"
    )
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: ../shared/data is absent ({DATA} not found)")
        return 0
    gold, texts = load(args.set)
    after = predict(ROOT, gold, texts)
    trees: list[tuple[str, Path]] = []
    with tempfile.TemporaryDirectory(prefix="sitrep-speakers-") as tmp:
        if not args.no_before:
            rev = (
                args.before
                or subprocess.run(
                    ["git", "-C", str(ROOT), "merge-base", "HEAD", "origin/main"],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.strip()
            )
            tree = _worktree(rev, Path(tmp) / "before")
            trees.append((f"before {rev[:8]}", tree))
        trees.append(("after", ROOT))
        try:
            columns = [(name, after if tree == ROOT else predict(tree, gold, texts)) for name, tree in trees]
            report(gold, texts, columns, errors=args.errors)
            if args.polnear:
                polnear_by_source(trees, args.polnear)
        finally:
            for _, tree in trees:
                if tree != ROOT:
                    subprocess.run(
                        ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True
                    )
    return 0


def report(
    gold: list[dict[str, Any]],
    texts: dict[str, str],
    columns: list[tuple[str, list[list[str | None]]]],
    *,
    errors: bool,
) -> None:
    """The dev set table: each metric and each kind of sentence, one column per tree."""
    after = columns[-1][1]
    kinds = Counter(g["kind"] for g in gold)
    print(
        f"speaker labels: {len(gold)} sentences from {len(texts)} articles; "
        f"{sum(g['speaker'] is None for g in gold)} with no claimant; kinds "
        + ", ".join(f"{k} {v}" for k, v in kinds.most_common())
    )
    for which, col in (("pass (speakers_for)", 0), ("quote (claim, else pass)", 1)):
        scores = [(name, score(gold, [p[col] for p in preds])) for name, preds in columns]
        print(f"\n{which}")
        print(f"{'':32}" + "".join(f"{name:>18}" for name, _ in scores))
        for metric in scores[0][1]:
            cells = "".join(
                f"{s[metric]:>18.0f}" if metric.startswith("untrimmed") else f"{s[metric]:>18.1%}"
                for _, s in scores
            )
            print(f"{metric:32}{cells}")
        print("accuracy by kind:")
        for kind, _ in kinds.most_common():
            rows = [i for i, g in enumerate(gold) if g["kind"] == kind]
            cells = "".join(
                f"{sum(verdict(gold[i], preds[i][col]) == 'right' for i in rows) / len(rows):>18.1%}"
                for _, preds in columns
            )
            print(f"  {kind:30}{cells}")
    if errors:
        print("\nerrors (quote speaker, this tree):")
        for g, p in zip(gold, after, strict=True):
            v = verdict(g, p[1])
            if v != "right" or untrimmed(p[1]):
                span = " ".join(texts[g["article"]][g["start"] : g["end"]].split())
                print(
                    f"- [{v}/{g['kind']}] {g['article']}:{g['start']} gold={g['speaker']!r} pass={p[0]!r} quote={p[1]!r}"
                )
                print(f"    {span[:220]}")


if __name__ == "__main__":
    sys.exit(main())
