"""How much lower the multilingual encoder scores a sentence when it is in another language than the
question, and the map ``CROSS_LANGUAGE_MAPS`` (``index/embedding/base.py``) that puts such scores back
on the scale of same-language ones before the relevance floor.

Run: ``.venv/bin/python benchmarks/e5_language_gap.py``

``benchmarks/data/parallel_sentences.jsonl`` (written for sitrep, not taken from any source): 12
English questions, each with the English sentence that answers it and that sentence in Russian,
Ukrainian, Arabic and Armenian. The same question scored against the same sentence in English and in
translation: the difference is what the language alone costs (the words say the same). Each question
is also scored against the other questions' sentences (war reporting on other things: off-topic).
Printed: the gap per language, the map (the translated pairs' score quantiles sent to the English
pairs'), and how the 0.32 floor, after ``SIMILARITY_MAPS``, sorts the pairs in English, in
translation as scored, and in translation mapped.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from _common import header, read_jsonl, table

from index.embedding.base import comparable, query_vectors
from index.embedding.e5_encoder import MultilingualE5Embedder

PARALLEL = Path(__file__).with_name("data") / "parallel_sentences.jsonl"
LANGUAGES = ("ru", "uk", "ar", "hy")
FLOOR = 0.32  # answering/quotes.py MIN_SIMILARITY
POINTS = 11


def main() -> None:
    header("multilingual-e5-small: what a question loses when the answer is in another language")
    items = read_jsonl(PARALLEL)
    model = MultilingualE5Embedder()
    questions = query_vectors(model, [i["question"] for i in items])
    scores = {lang: questions @ model.embed([i[lang] for i in items]).T for lang in ("en", *LANGUAGES)}
    gold = np.eye(len(items), dtype=bool)
    gaps = {lang: np.diag(scores["en"]) - np.diag(scores[lang]) for lang in LANGUAGES}
    across = np.stack([scores[lang] for lang in LANGUAGES])
    # Not one constant: off-topic pairs lose less than gold ones (translation squeezes the scores
    # together), so the translated pairs' quantiles are sent to the English pairs' (the same questions
    # and sentences: the same share of gold), as SIMILARITY_MAPS sends e5's onto MiniLM's.
    qs = np.linspace(0, 1, POINTS)
    xs, ys = np.quantile(across, qs), np.quantile(scores["en"], qs)
    print(f"{len(items)} questions; gold pairs per language {len(items)}, off-topic {int((~gold).sum())}")
    rows = [["language", "gap median", "gap min", "gap max"]]
    rows += [[lang, f"{np.median(g):.3f}", f"{g.min():.3f}", f"{g.max():.3f}"] for lang, g in gaps.items()]
    table(rows)
    print(
        "CROSS_LANGUAGE_MAPS entry: ("
        + ", ".join(f"({x:.3f}, {y:.3f})" for x, y in zip(xs, ys, strict=True))
        + ")"
    )

    def sorted_by_floor(raw: np.ndarray, gold: np.ndarray) -> list[str]:
        mapped = comparable(raw.astype("float32"), model.name)
        return [f"{(mapped[gold] >= FLOOR).mean():.1%}", f"{(mapped[~gold] < FLOOR).mean():.1%}"]

    rows = [["pairs", "gold kept by the floor", "off-topic dropped"]]
    rows.append(["English question, English sentence", *sorted_by_floor(scores["en"], gold)])
    gold_across = np.broadcast_to(gold, across.shape)
    rows.append(["English question, translated sentence", *sorted_by_floor(across, gold_across)])
    rows.append(["the same, mapped", *sorted_by_floor(np.interp(across, xs, ys), gold_across)])
    for lang in LANGUAGES:
        rows.append([f"  {lang}, mapped", *sorted_by_floor(np.interp(scores[lang], xs, ys), gold)])
    table(rows)


if __name__ == "__main__":
    main()
