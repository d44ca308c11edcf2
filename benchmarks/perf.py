"""Performance: ingest overhead, encoder backends, ask latency by corpus size, index memory, ask under load.

Run: ``.venv/bin/python benchmarks/perf.py [--smoke] [--sizes 10000,100000,1000000] [--out FILE]``

Every speed figure is a ratio of two things measured side by side in this run, printed with the
absolute numbers beside it. Sections (keys of the JSON written to ``benchmarks/results/``):

1. ``ingest``: the engine's full ingest of a slice of IndiaPoliceEvents vs a bare
   ``SentenceTransformer.encode`` of the same chunk texts → overhead ratio, tokens/s, articles/s.
2. ``encoders``: torch fp32 vs onnx-int8 on those chunk texts → speedup, per-chunk cosine, and top-10
   chunk agreement over the dev questions (IndiaPoliceEvents + realtimeqa questions).
3. ``latency``: the whole in-process ``ask`` (warm engine, a different question each time) at each
   size. The real ingested chunks are replicated (new article ids, the same text) with perturbed
   vectors (Gaussian noise, cosine ≈ 0.96 to the original) up to the size: stated as such.
4. ``index``: for each size, the FAISS type chosen, its resident memory scaled to 1M chunks, the
   rebuild from stored vectors vs re-embedding every chunk (extrapolated from section 1's encoder
   rate), and recall@10 of the chosen index against exact flat search on the dev questions.
5. ``load``: ask p95 while ``engine.rebuild()`` runs in the same process, and while an ingest runs,
   vs idle, on the largest size up to 100k.

``--smoke`` (the CI test, tests/benchmarks/test_perf_smoke.py) runs everything tiny in under a minute;
the replicated stores are built under ``--work`` (default /tmp/sitrep-bench) and reused across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import sys
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from _common import (
    DATA,
    TimedEmbedder,
    clear_answer_caches,
    percentile,
    read_jsonl,
    result_header,
    run_in_work,
    timed,
    timed_async,
    write_articles,
    write_result,
)
from ingest_and_latency import ipe_records, latency_questions

NOISE = 0.015  # per-dimension noise on replicated vectors: cosine to the original ≈ 0.96
MAX_TOKENS = 256  # the model truncates here; token counts use the same limit


def rss_bytes() -> int:
    """Current resident set size of this process."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def count_tokens(texts: list[str]) -> int:
    """Tokens the model sees for ``texts`` (with its special tokens, truncated like it truncates)."""
    from transformers import AutoTokenizer

    from index.embedding.base import DEFAULT_MODEL, resolve_model

    tok = AutoTokenizer.from_pretrained(resolve_model(DEFAULT_MODEL))
    return sum(min(MAX_TOKENS, len(ids)) for ids in tok(texts)["input_ids"])


def dev_questions(n: int) -> list[str]:
    """IndiaPoliceEvents' event questions, then realtimeqa's conflict questions: n in all."""
    ipe = [q["question"] for q in read_jsonl(DATA / "india_police_events" / "questions.jsonl")]
    rtqa = [q["question"] for q in read_jsonl(DATA / "realtimeqa" / "questions.jsonl")]
    return (ipe + rtqa[:: max(1, len(rtqa) // n)])[:n]


def top_k_overlap(a: np.ndarray, b: np.ndarray, qa: np.ndarray, qb: np.ndarray, k: int = 10) -> float:
    """Mean share of the top-k chunk ids two encoders agree on, over the questions."""
    shared = []
    for i in range(len(qa)):
        ta = set(np.argsort(-(a @ qa[i]))[:k].tolist())
        tb = set(np.argsort(-(b @ qb[i]))[:k].tolist())
        shared.append(len(ta & tb) / k)
    return float(np.mean(shared))


# -- 1 and 2: ingest and encoders -----------------------------------------------------------------------


async def ingest_section(work: Path, n_articles: int, embedder: TimedEmbedder) -> tuple[dict[str, Any], Path]:
    """Ingest a slice through the engine, then bare-encode the same chunk texts; returns the base store."""
    from index.engine import Engine

    records = ipe_records(read_jsonl(DATA / "india_police_events" / "articles.jsonl"))[:n_articles]
    base = work / f"base-{n_articles}"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    corpus = base / "slice.jsonl"
    write_articles(records, corpus)
    texts_before = corpus_chunk_texts(corpus)
    st = embedder.inner._model  # the bare SentenceTransformer the engine's embedder wraps
    bare_before = timed(lambda: st.encode(texts_before, batch_size=64, normalize_embeddings=True))[1]
    async with await Engine.open(base / "data", embedder=embedder) as engine:
        report, ingest_s = await timed_async(engine.ingest([str(corpus)]))
    corpus.unlink()
    texts = chunk_texts(base / "data")
    if texts != texts_before:
        raise SystemExit("the engine stored other chunk texts than the corpus yields; fix corpus_chunk_texts")
    # Bare encodes before and after the ingest; the faster one counts (the conservative ratio).
    bare_s = min(
        bare_before,
        timed(lambda: st.encode(texts, batch_size=64, normalize_embeddings=True))[1],
    )
    tokens = count_tokens(texts)
    return {
        "articles": report.added,
        "chunks": len(texts),
        "tokens": tokens,
        "pipeline_s": ingest_s,
        "bare_encode_s": bare_s,
        "pipeline_tokens_per_s": tokens / ingest_s,
        "bare_tokens_per_s": tokens / bare_s,
        "articles_per_s": report.added / ingest_s,
        "throughput_ratio": bare_s / ingest_s,  # pipeline throughput as a share of the bare encoder's
    }, base / "data"


def corpus_chunk_texts(corpus: Path) -> list[str]:
    """The chunk texts the engine's ingest will embed for ``corpus`` (read, cleaned, chunked the same way)."""
    from index.ingest.collect import read_file
    from index.ingest.prepare import prepare
    from index.ingest.readers import TextMeta

    collected = read_file(corpus, TextMeta())
    return [c.text for raw, source in collected.articles if (p := prepare(raw, source)) for c in p.chunks]


def chunk_texts(data_dir: Path) -> list[str]:
    """Every stored chunk text, by chunk id."""
    with closing(sqlite3.connect(data_dir / "sitrep.db")) as db:
        return [r[0] for r in db.execute("SELECT text FROM chunks ORDER BY id")]


def encoder_section(
    texts: list[str], torch_embedder: Any, work: Path, n_questions: int
) -> tuple[dict[str, Any], Any, np.ndarray]:
    """torch fp32 vs onnx-int8 on the same chunk texts: speed (best of two, alternating) and agreement.

    Also returns the onnx-int8 embedder and its chunk vectors (stored beside torch's for section 3).
    """
    from index.embedding.onnx_encoder import OnnxInt8Embedder

    onnx, load_s = timed(lambda: OnnxInt8Embedder(cache_dir=work / "models"))
    onnx.embed(texts[:8])
    runs: dict[str, list[float]] = {"torch": [], "onnx-int8": []}
    vecs: dict[str, np.ndarray] = {}
    for _ in range(2):  # alternate so neither gets the machine's quiet moment alone
        for name, enc in (("torch", torch_embedder), ("onnx-int8", onnx)):
            vecs[name], s = timed(enc.embed, texts)
            runs[name].append(s)
    tokens = count_tokens(texts)
    questions = dev_questions(n_questions)
    qt, qo = torch_embedder.embed(questions), onnx.embed(questions)
    cosines = (vecs["torch"] * vecs["onnx-int8"]).sum(axis=1)
    torch_s, onnx_s = min(runs["torch"]), min(runs["onnx-int8"])
    return (
        {
            "chunks": len(texts),
            "questions": len(questions),
            "onnx_load_or_export_s": load_s,
            "torch_tokens_per_s": tokens / torch_s,
            "onnx_int8_tokens_per_s": tokens / onnx_s,
            "speedup": torch_s / onnx_s,
            "cosine_mean": float(cosines.mean()),
            "cosine_min": float(cosines.min()),
            "top10_agreement": top_k_overlap(vecs["torch"], vecs["onnx-int8"], qt, qo),
        },
        onnx,
        vecs["onnx-int8"],
    )


async def sentence_section(base: Path, embedders: dict[str, Any], ingest: dict[str, Any]) -> dict[str, Any]:
    """Fill the base store's sentence vectors for each backend (what the engine does in the
    background after an ingest): its time against the ingest's, and its size per chunk."""
    from index.engine import Engine

    out: dict[str, Any] = {}
    for backend, enc in embedders.items():
        async with await Engine.open(base, embedder=enc) as engine:
            stored, seconds = await timed_async(engine.fill_sentence_vectors())
        out[f"{backend}_fill_s"] = seconds
        out[f"{backend}_sentences"] = stored
    with closing(sqlite3.connect(base / "sitrep.db")) as db:
        rows, vec_bytes = db.execute("SELECT count(*), sum(length(vec)) FROM sentence_vectors").fetchone()
    out["fill_vs_ingest"] = out["torch_fill_s"] / ingest["pipeline_s"]
    # Per backend: the vector bytes plus ~20 bytes of key per row (rowid, model, start, end).
    out["bytes_per_chunk"] = (vec_bytes + 20 * rows) / len(embedders) / ingest["chunks"]
    return out


# -- 3 and 4: replicated stores, latency, index -----------------------------------------------------------


def replicate(base: Path, target: Path, chunks: int) -> None:
    """Copy the base store to ``target`` and replicate its articles until it holds ``chunks`` chunks.

    Copies keep the text (so BM25 and sentence work are real), its claims, dates and sentence vectors
    under new ids and content hashes; their vectors are the originals plus Gaussian noise (``NOISE``),
    renormalised. Built once per size.
    """
    done = target / "done"
    if done.exists():
        return
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    with (
        closing(sqlite3.connect(base / "sitrep.db")) as src,
        closing(sqlite3.connect(target / "sitrep.db")) as dst,
    ):
        src.backup(dst)  # a copy that includes what is still in the source's WAL file
    rng = np.random.default_rng(0)
    with closing(sqlite3.connect(target / "sitrep.db")) as db:
        a_cols = [r[1] for r in db.execute("PRAGMA table_info(articles)") if r[1] != "rowid"]
        n_articles, max_rowid = db.execute("SELECT count(*), max(rowid) FROM articles").fetchone()
        n_chunks, max_chunk = db.execute("SELECT count(*), max(id) FROM chunks").fetchone()
        if (n_articles, n_chunks) != (max_rowid, max_chunk):
            raise SystemExit("the base store's row ids are not contiguous; rebuild it")
        models = [r[0] for r in db.execute("SELECT DISTINCT model FROM vectors")]
        base_vecs = {
            model: np.vstack(
                [
                    np.frombuffer(r[0], dtype="float32")
                    for r in db.execute("SELECT vec FROM vectors WHERE model = ? ORDER BY chunk_id", (model,))
                ]
            )
            for model in models
        }
        copy = 0
        while n_chunks * (copy + 1) < chunks:
            copy += 1
            room = chunks - n_chunks * copy
            a_off, c_off = n_articles * copy, n_chunks * copy
            cols = ", ".join(a_cols)
            renamed = ", ".join(f"{c} || '~{copy}'" if c in ("id", "content_hash") else c for c in a_cols)
            db.execute(
                f"INSERT INTO articles (rowid, {cols}) SELECT rowid + ?, {renamed} FROM articles"
                " WHERE rowid <= ? ORDER BY rowid",
                (a_off, n_articles),
            )
            db.execute(
                "INSERT INTO article_dates (article_rowid, year, month, day) SELECT article_rowid + ?,"
                " year, month, day FROM article_dates WHERE article_rowid <= ?",
                (a_off, n_articles),
            )
            db.execute(
                'INSERT INTO sentence_vectors (article_rowid, model, start, "end", vec) SELECT article_rowid + ?,'
                ' model, start, "end", vec FROM sentence_vectors WHERE article_rowid <= ?',
                (a_off, n_articles),
            )
            db.execute(
                'INSERT INTO chunks (id, article_rowid, seq, start, "end", text) SELECT id + ?,'
                ' article_rowid + ?, seq, start, "end", text FROM chunks WHERE id <= ? ORDER BY id',
                (c_off, a_off, min(n_chunks, room)),
            )
            take = min(n_chunks, room)
            # What answers read beside the text: claims (speakers) and the days chunks speak of.
            db.execute(
                'INSERT INTO claims (article_rowid, start, "end", speaker, speaker_start, speaker_end, cue)'
                ' SELECT article_rowid + ?, start, "end", speaker, speaker_start, speaker_end, cue FROM claims'
                " WHERE article_rowid <= ?",
                (a_off, n_articles),
            )
            db.execute(
                "INSERT INTO chunk_dates (chunk_id, day) SELECT chunk_id + ?, day FROM chunk_dates WHERE chunk_id <= ?",
                (c_off, take),
            )
            noise = NOISE * rng.standard_normal(
                (take, next(iter(base_vecs.values())).shape[1]), dtype="float32"
            )
            for model, vecs in base_vecs.items():  # the same noise for every model's copy of a chunk
                noisy = vecs[:take] + noise
                noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
                db.executemany(
                    "INSERT INTO vectors (chunk_id, model, vec) VALUES (?, ?, ?)",
                    ((c_off + i + 1, model, noisy[i].tobytes()) for i in range(take)),
                )
            db.commit()
        # A new data version: the engine sees the saved index as stale and rebuilds it on open.
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1000 WHERE key = 'version'")
        db.commit()
    done.touch()


async def cold_asks(
    engine: Any,
    questions: list[str],
    until: asyncio.Task[Any] | None = None,
    answers: list[Any] | None = None,
) -> list[float]:
    """Seconds per ``ask``, each with the sentence caches emptied first (so no question reuses another's
    sentence vectors); stops early once ``until`` is done (at least one ask runs). The answers are
    appended to ``answers`` when it is given."""
    out = []
    for q in questions:
        clear_answer_caches(engine)
        answer, seconds = await timed_async(engine.ask(q))
        out.append(seconds)
        if answers is not None:
            answers.append(answer)
        if until is not None and until.done():
            break
    return out


async def size_section(
    data_dir: Path, questions: list[str], embedder: Any, chunks_per_s: float
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Open a replicated store (the index is rebuilt from stored vectors), then time asks; index facts."""
    from index.engine import Engine
    from index.models import GLOBAL_SCOPE
    from index.storage.records import ArticleFilter
    from index.storage.sqlite.vector_index import VectorIndex

    (data_dir / "vectors.faiss").unlink(missing_ok=True)
    timed_embedder = embedder if isinstance(embedder, TimedEmbedder) else TimedEmbedder(embedder)
    engine, open_s = await timed_async(Engine.open(data_dir, embedder=timed_embedder))
    async with engine:
        stats = await engine.stats()
        for q in questions[:3]:
            await engine.ask(q)  # warm: sentence splitter, SQLite pages, FAISS
        timed_embedder.reset()
        latencies = await cold_asks(engine, questions)
        latency = {
            "chunks": stats.chunks,
            "asks": len(latencies),
            "p50_ms": 1000 * percentile(latencies, 50),
            "p95_ms": 1000 * percentile(latencies, 95),
            "p99_ms": 1000 * percentile(latencies, 99),
            "mean_ms": 1000 * sum(latencies) / len(latencies),
            # The question's and its candidate sentences' embedding, per ask: the encoder's share.
            "embed_ms_per_ask": 1000 * timed_embedder.seconds / len(latencies),
            "texts_embedded_per_ask": timed_embedder.texts / len(latencies),
        }
        qv = embedder.embed(questions)
        batches = await engine.store.embeddings.iter_vectors(embedder.name)
        before = rss_bytes()
        live = engine.vectors.index  # the FAISS index behind the embedded store's vector search
        built, build_s = timed(VectorIndex.build, live.dim, batches)
        index_rss = rss_bytes() - before
        del built
        exact = VectorIndex(live.dim)
        for ids, vecs in batches:
            exact.add(ids, vecs)
        everything = ArticleFilter(scopes=(GLOBAL_SCOPE,))  # not applied: the search is unrestricted
        recall, recall_ivf = [], []
        for v in qv:
            truth = {i for i, _ in exact.search(v, 10)}
            # What questions get (IVF hits scored again exactly), and the IVF index's own top 10.
            served = await engine.vectors.search(v, 10, everything, False)
            recall.append(len({i for i, _ in served} & truth) / 10)
            recall_ivf.append(len({i for i, _ in live.search(v, 10)} & truth) / 10)
        index = {
            "chunks": stats.chunks,
            "index_type": stats.index_type,
            "rebuild_on_open_s": open_s,  # store read + FAISS build (IVF: train + add) + save
            "build_from_vectors_s": build_s,  # FAISS build alone
            "reembed_estimate_s": stats.chunks / chunks_per_s,
            "rebuild_vs_reembed": open_s / (stats.chunks / chunks_per_s),
            "file_bytes": stats.index_bytes,
            "rss_per_1m_chunks_mb": max(index_rss, 0) / stats.chunks * 1e6 / 2**20,
            "file_per_1m_chunks_mb": stats.index_bytes / stats.chunks * 1e6 / 2**20,
            "recall_at_10_vs_flat": float(np.mean(recall)),
            "recall_at_10_index_alone": float(np.mean(recall_ivf)),
        }
    return latency, index


async def load_section(data_dir: Path, questions: list[str], embedder: Any, extra: Path) -> dict[str, Any]:
    """Ask p95 idle, during ``engine.rebuild()``, and during an ingest, in one process."""
    from index.engine import Engine

    async with await Engine.open(data_dir, embedder=embedder, sentence_vectors=True) as engine:
        if engine.sentences.filling is not None:
            await engine.sentences.filling  # the replicas' sentence vectors are stored: nothing to fill
        for q in questions[:3]:
            await engine.ask(q)
        idle = await cold_asks(engine, questions)
        # One rebuild of 100k chunks outlasts only a few asks: rebuild again until half as many asks
        # as idle ran during one, so the p95 is not just the slowest of three.
        during_rebuild: list[float] = []
        rebuilds = 0
        while len(during_rebuild) < max(1, len(questions) // 2):
            rebuild = asyncio.create_task(engine.rebuild())
            turn = len(during_rebuild) % len(questions)  # go on through the questions
            during_rebuild += await cold_asks(engine, questions[turn:] + questions[:turn], rebuild)
            await rebuild
            rebuilds += 1
        ingest = asyncio.create_task(engine.ingest([str(extra)]))
        during_ingest = await cold_asks(engine, questions, ingest)
        await ingest
        # The ingest started filling its articles' sentence vectors in the background, as the bot's does.
        filling = engine.sentences.filling
        during_fill = await cold_asks(engine, questions, filling) if filling and not filling.done() else []
        if filling is not None:
            await filling
    p95 = {
        name: 1000 * percentile(v, 95)
        for name, v in [
            ("idle", idle),
            ("rebuild", during_rebuild),
            ("ingest", during_ingest),
            ("fill", during_fill),
        ]
        if v
    }
    return {
        "chunks": _chunk_count(data_dir),
        "idle_p95_ms": p95["idle"],
        "rebuild_p95_ms": p95["rebuild"],
        "ingest_p95_ms": p95["ingest"],
        "rebuild_ratio": p95["rebuild"] / p95["idle"],
        "ingest_ratio": p95["ingest"] / p95["idle"],
        "asks_during_rebuild": len(during_rebuild),
        "rebuilds": rebuilds,
        "asks_during_ingest": len(during_ingest),
        "fill_p95_ms": p95.get("fill"),
        "fill_ratio": p95["fill"] / p95["idle"] if "fill" in p95 else None,
        "asks_during_fill": len(during_fill),
    }


def _chunk_count(data_dir: Path) -> int:
    with closing(sqlite3.connect(data_dir / "sitrep.db")) as db:
        return int(db.execute("SELECT count(*) FROM chunks").fetchone()[0])


# -- run, table ---------------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """All five sections; returns the JSON document."""
    from _common import load_embedder

    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    embedder, _ = load_embedder()
    out: dict[str, Any] = {
        **result_header(smoke=args.smoke, sizes=args.sizes, articles=args.articles, questions=args.questions),
        "replicated_vectors": f"copies of the real chunks, vectors + N(0, {NOISE}^2) noise, renormalised",
    }
    out["ingest"], base = await ingest_section(work, args.articles, embedder)
    progress("ingest", out["ingest"])
    texts = chunk_texts(base)
    out["encoders"], onnx, onnx_vecs = encoder_section(texts, embedder.inner, work, args.questions)
    with closing(sqlite3.connect(base / "sitrep.db")) as db:  # the base store gets both backends' vectors
        db.executemany(
            "INSERT OR REPLACE INTO vectors (chunk_id, model, vec) VALUES (?, ?, ?)",
            ((i + 1, onnx.name, v.tobytes()) for i, v in enumerate(onnx_vecs)),
        )
        db.commit()
    progress("encoders", out["encoders"])
    out["sentences"] = await sentence_section(base, {"torch": embedder, "onnx-int8": onnx}, out["ingest"])
    progress("sentences", out["sentences"])
    chunks_per_s = out["ingest"]["chunks"] / out["ingest"]["bare_encode_s"]
    records = ipe_records(read_jsonl(DATA / "india_police_events" / "articles.jsonl"))
    ipe_questions = [q["question"] for q in read_jsonl(DATA / "india_police_events" / "questions.jsonl")]
    questions = latency_questions(records[: args.articles], ipe_questions, args.questions)
    out["latency"], out["index"] = [], []
    for size in args.sizes:
        target = work / f"store-{args.articles}-{size}"
        replicate(base, target, size)
        for backend, enc in (("torch", embedder), ("onnx-int8", onnx)):
            latency, index = await size_section(target, questions, enc, chunks_per_s)
            out["latency"].append({"backend": backend, **latency})
            out["index"].append({"backend": backend, **index})
            progress("latency", out["latency"][-1])
            progress("index", out["index"][-1])
    load_size = max((s for s in args.sizes if s <= 100_000), default=min(args.sizes))
    extra = work / "extra.jsonl"
    write_articles(records[args.articles : args.articles + max(4, args.articles // 10)], extra)
    scratch = work / "load-scratch"  # the ingest adds articles: work on a copy of the store
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(work / f"store-{args.articles}-{load_size}", scratch)
    out["load"] = await load_section(scratch, questions, embedder, extra)
    shutil.rmtree(scratch)
    out["machine"]["load_average_end"] = os.getloadavg()[0]
    return out


def progress(section: str, values: dict[str, Any]) -> None:
    """One finished measurement as a JSON line, so a long run that is stopped still leaves its numbers."""
    print(f"[{datetime.now():%H:%M:%S}] {section}: {json.dumps(values)}", flush=True)


def print_table(r: dict[str, Any]) -> None:
    """The one table ``make bench`` prints."""
    i, e, ld = r["ingest"], r["encoders"], r["load"]
    rows = [
        (
            "1 ingest",
            "pipeline / bare encode throughput",
            f"{i['throughput_ratio']:.2f}x",
            f"{i['pipeline_tokens_per_s']:.0f} vs {i['bare_tokens_per_s']:.0f} tok/s; {i['articles_per_s']:.2f} articles/s; {i['chunks']} chunks",
        ),
        (
            "2 encoder",
            "onnx-int8 / torch fp32 tokens/s",
            f"{e['speedup']:.2f}x",
            f"{e['onnx_int8_tokens_per_s']:.0f} vs {e['torch_tokens_per_s']:.0f} tok/s; top-10 agreement {e['top10_agreement']:.3f}; cosine mean {e['cosine_mean']:.3f} min {e['cosine_min']:.3f}",
        ),
    ]
    sv = r["sentences"]
    rows.append(
        (
            "2 sentences",
            "fill sentence vectors / ingest time",
            f"{sv['fill_vs_ingest']:.2f}x",
            f"{sv['torch_sentences']:,} sentences in {sv['torch_fill_s']:.1f} s (torch), {sv['onnx-int8_fill_s']:.1f} s (onnx-int8);"
            f" {sv['bytes_per_chunk'] / 1024:.1f} KB per chunk per backend",
        )
    )
    for lat, idx in zip(r["latency"], r["index"], strict=True):
        rows.append(
            (
                "3 ask",
                f"{lat['chunks']:,} chunks, {lat['backend']}, p50/p95/p99",
                f"{lat['p95_ms']:.0f} ms",
                f"{lat['p50_ms']:.0f} / {lat['p95_ms']:.0f} / {lat['p99_ms']:.0f} ms over {lat['asks']} asks;"
                f" embedding {lat.get('embed_ms_per_ask', 0):.0f} of {lat.get('mean_ms', 0):.0f} ms mean"
                f" ({lat.get('texts_embedded_per_ask', 0):.1f} texts per ask)",
            )
        )
        rows.append(
            (
                "4 index",
                f"{idx['chunks']:,} chunks, {idx['backend']}, rebuild / re-embed",
                f"{idx['rebuild_vs_reembed']:.2g}x",
                f"{idx['index_type'].split('(')[0]}; rebuild {idx['rebuild_on_open_s']:.1f} s vs ~{idx['reembed_estimate_s']:.0f} s; "
                f"{idx['rss_per_1m_chunks_mb']:.0f} MB RSS / 1M chunks; recall@10 vs flat {idx['recall_at_10_vs_flat']:.3f}"
                f" (the index alone {idx.get('recall_at_10_index_alone', float('nan')):.3f})",
            )
        )
    rows.append(
        (
            "5 load",
            f"{ld['chunks']:,} chunks, p95 rebuild / idle",
            f"{ld['rebuild_ratio']:.2f}x",
            f"idle {ld['idle_p95_ms']:.0f} ms, rebuild {ld['rebuild_p95_ms']:.0f} ms ({ld['asks_during_rebuild']} asks);"
            f" ingest {ld['ingest_p95_ms']:.0f} ms ({ld['ingest_ratio']:.2f}x); sentence fill after it "
            + (
                f"{ld['fill_p95_ms']:.0f} ms ({ld['fill_ratio']:.2f}x, {ld['asks_during_fill']} asks)"
                if ld.get("fill_p95_ms")
                else "over before an ask"
            ),
        )
    )
    widths = [max(len(row[c]) for row in rows) for c in range(3)]
    print(
        f"\n== performance ({r['date']}; load average {r['machine']['load_average']:.1f} → {r['machine']['load_average_end']:.1f}) =="
    )
    for row in rows:
        print(
            "  " + "  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True)) + "  " + row[3]
        )


def main() -> int:
    """Parse flags, run, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI (< 1 min)")
    parser.add_argument("--sizes", help="comma-separated chunk counts (10000,100000,1000000)")
    parser.add_argument("--articles", type=int, help="IndiaPoliceEvents articles ingested for real (200)")
    parser.add_argument("--questions", type=int, help="questions per measurement (60)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitrep-bench"), help="where stores are built")
    parser.add_argument("--flat-max", type=int, help="override FLAT_MAX (smoke: 1000, so IVF is exercised)")
    parser.add_argument("--out", type=Path, help="JSON path (default benchmarks/results/perf-<date>.json)")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: ../shared/data is absent ({DATA} not found)")
        return 0
    sizes = args.sizes or ("600,1600" if args.smoke else "10000,100000,1000000")
    args.sizes = [int(s) for s in sizes.split(",")]
    args.articles = args.articles or (8 if args.smoke else 200)
    args.questions = args.questions or (4 if args.smoke else 60)
    if args.flat_max or args.smoke:
        import index.storage.sqlite.vector_index

        index.storage.sqlite.vector_index.FLAT_MAX = args.flat_max or 1_000
    result = run_in_work(run, args, Path("/tmp/sitrep-bench"), "perf")
    print_table(result)
    return write_result(result, "perf", args.out)


if __name__ == "__main__":
    sys.exit(main())
