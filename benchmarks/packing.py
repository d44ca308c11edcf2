"""Short texts packed several to a row (``index/embedding/packing.py``) against one row each, in one run.

Run: ``.venv/bin/python benchmarks/packing.py [--articles N] [--rounds R]``

The texts are what an ingest embeds for the stored sentence vectors: the quote windows
(``sentence_vectors.quote_windows``) of ``--articles`` realtimeqa conflict articles (../shared/data).
Each round, alternating the order: sentence-transformers' own ``encode`` (a row per text, batches of
64, padded to the longest), the packed encoder on the same texts, and, for scale, the articles' text
in 200-word windows through ``encode`` (what ``ingest_whole.py``'s bare encoder runs). Prints seconds,
tokens/s (tokens as the model counts them, after its 256-token cut) and the ratios, and how close the
packed vectors are to ``encode``'s (cosine).
"""

from __future__ import annotations

import time

import numpy as np
from _common import articles_run, ratio, table

from index.answering.sentence_vectors import quote_windows
from index.embedding.packing import encode_packed
from index.embedding.torch_encoder import SentenceTransformerEmbedder


def main() -> int:
    run = articles_run(__doc__, 40, "packed short texts vs a row each, quote windows of {n} articles")
    if run is None:
        return 0
    args, docs = run
    texts = [d["text"] for d in docs]
    sentences = [t[s:e] for t in texts for s, e in quote_windows(t)]
    windows = []
    for t in texts:
        words = t.split()
        windows += [" ".join(words[i : i + 200]) for i in range(0, len(words), 200)]
    embedder = SentenceTransformerEmbedder()
    model = embedder._model
    cut = int(model[0].max_seq_length)

    def tokens(xs: list[str]) -> int:
        ids = model.tokenizer(xs, truncation=True, max_length=cut)["input_ids"]
        return sum(len(i) for i in ids)

    counts = {"sentences": tokens(sentences), "windows": tokens(windows)}
    runs = {
        "sentences, a row each": ("sentences", lambda: model.encode(sentences, batch_size=64)),
        "sentences, packed": ("sentences", lambda: encode_packed(model, sentences)),
        "200-word windows, a row each": ("windows", lambda: model.encode(windows, batch_size=64)),
    }
    encode_packed(model, sentences[:8])  # warm both paths
    model.encode(sentences[:8])
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for r in range(args.rounds):
        for name in list(runs) if r % 2 == 0 else list(runs)[::-1]:
            started = time.perf_counter()
            runs[name][1]()
            seconds[name].append(time.perf_counter() - started)
    alone = model.encode(sentences, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    cosine = np.sum(alone * encode_packed(model, sentences), axis=1)
    print(
        f"{len(sentences):,} quote windows ({counts['sentences']:,} tokens), {len(windows):,} 200-word"
        f" windows ({counts['windows']:,} tokens after the {cut}-token cut)"
    )
    rows = [["texts", "seconds (best)", "tokens/s", "vs a row each"]]
    base = min(seconds["sentences, a row each"])
    for name, (kind, _) in runs.items():
        best = min(seconds[name])
        rows.append([name, f"{best:.1f}", f"{counts[kind] / best:,.0f}", ratio(base, best)])
    table(rows)
    print(f"packed vs a row each, cosine: min {cosine.min():.6f}, mean {cosine.mean():.6f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
