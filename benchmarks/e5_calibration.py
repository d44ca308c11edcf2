"""Fit the multilingual encoder's similarity map onto MiniLM's scale, on the trust dev set.

Run: ``.venv/bin/python benchmarks/e5_calibration.py [--others N] [--points N]``

sitrep's relevance thresholds (``answering/quotes.py``: the 0.32 floor, "good enough", the relative
cut) are MiniLM cosines, fitted on the trust dev set. multilingual-e5-small puts every pair of texts
much closer (its cosines live between ~0.7 and ~0.95), so those numbers mean nothing to it. Rather
than fit every threshold again, its similarities are mapped onto MiniLM's by quantile matching: the
same (question, sentence) pairs, each question with its gold sentences and ``--others`` gold
sentences of other questions (off-topic reporting from the same archive), are scored by both models;
the map sends each e5 quantile to the MiniLM quantile of the same rank. The fitted points print as
the table ``index/embedding/base.py`` keeps (``SIMILARITY_MAPS``), with how the floor then sorts the
pairs under each model: the share of gold pairs kept and of off-topic pairs dropped.
"""

from __future__ import annotations

import argparse
import random

import numpy as np
from _common import DATA, header, table

from index.embedding.e5_encoder import MultilingualE5Embedder
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.evaluation.trust_data import load_archive, load_questions

FLOOR = 0.32  # answering/quotes.py MIN_SIMILARITY


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--others", type=int, default=4)
    parser.add_argument("--points", type=int, default=11)
    args = parser.parse_args()
    header("multilingual-e5-small similarities mapped onto all-MiniLM-L6-v2's, on the trust dev set")
    texts = {d["id"]: d["text"] for d in load_archive(DATA)}
    questions = [q for q in load_questions() if q.gold]
    golds = {
        q.id: [texts[g.article][g.start : g.end] for g in q.gold if g.article in texts] for q in questions
    }
    sentences = sorted({s for spans in golds.values() for s in spans})
    rng = random.Random(20261206)
    pairs: list[tuple[str, str, bool]] = []
    for q in questions:
        own = set(golds[q.id])
        pairs += [(q.question, s, True) for s in own]
        pairs += [
            (q.question, s, False) for s in rng.sample([s for s in sentences if s not in own], args.others)
        ]
    asked = sorted({p[0] for p in pairs})
    scores = {}
    for name, model in (
        ("minilm", SentenceTransformerEmbedder("all-MiniLM-L6-v2")),
        ("e5", MultilingualE5Embedder()),
    ):
        query = getattr(model, "embed_query", model.embed)
        qv = dict(zip(asked, query(asked), strict=True))
        sv = dict(
            zip(
                sentences,
                np.vstack([model.embed(sentences[i : i + 16]) for i in range(0, len(sentences), 16)]),
                strict=True,
            )
        )
        scores[name] = np.array([float(qv[q] @ sv[s]) for q, s, _ in pairs])
    gold = np.array([g for _, _, g in pairs])
    qs = np.linspace(0, 1, args.points)
    xs, ys = np.quantile(scores["e5"], qs), np.quantile(scores["minilm"], qs)
    print(f"{len(questions)} questions, {int(gold.sum())} gold pairs, {int((~gold).sum())} off-topic pairs")
    print(
        "SIMILARITY_MAPS entry: ("
        + ", ".join(f"({x:.3f}, {y:.3f})" for x, y in zip(xs, ys, strict=True))
        + ")"
    )
    mapped = np.interp(scores["e5"], xs, ys)
    rows = [["scores", "gold kept by the 0.32 floor", "off-topic dropped", "gold mean", "off-topic mean"]]
    for label, values in (("MiniLM", scores["minilm"]), ("e5 raw", scores["e5"]), ("e5 mapped", mapped)):
        rows.append(
            [
                label,
                f"{(values[gold] >= FLOOR).mean():.1%}",
                f"{(values[~gold] < FLOOR).mean():.1%}",
                f"{values[gold].mean():.3f}",
                f"{values[~gold].mean():.3f}",
            ]
        )
    table(rows)


if __name__ == "__main__":
    main()
