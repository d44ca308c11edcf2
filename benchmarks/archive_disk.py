"""Disk use of archived copies per 1,000 articles: the same pages ingested with archiving on and off.

Run: ``.venv/bin/python benchmarks/archive_disk.py [--articles N] [--pad-kb K]``

``--articles`` realtimeqa articles (../shared/data) are rendered as HTML pages and served from a loopback
server; each page is ingested twice over, into two fresh embedded stores in this one run: as sitrep
stores it (every page's bytes kept, zlib-compressed, with their SHA-256) and with archiving switched off
(``Archive.of`` returning nothing), the only difference; each twice, off-on-on-off, and the times
averaged per setting. Pages are rendered twice: bare (the article's
paragraphs in a minimal page) and padded with ``--pad-kb`` of script-like markup, since real news pages
carry far more markup than text (seeded, so every run serves the same bytes; it compresses less well
than real JavaScript, so the padded row errs high). A stand-in embedder (hashing, 384 dimensions, the
default model's size) writes vectors of the real size without minutes of model time: the store's bytes
are the same, and ingest time here is the rest of the pipeline, archiving included.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import html
import random
import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path

import numpy as np
from _common import data_or_skip, header, ratio, read_jsonl, table
from aiohttp import web

from index.engine import Engine
from index.ingest import prepare

DIM = 384


class HashEmbedder:
    """Deterministic unit vectors from text hashes: real-sized vectors at no model cost."""

    name = "bench-hash-384"
    dim = DIM

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), DIM), dtype="float32")
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            v = np.random.default_rng(seed).standard_normal(DIM).astype("float32")
            out[i] = v / np.linalg.norm(v)
        return out


def render(record: dict[str, str], pad: str) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in record["text"].split("\n") if p.strip())
    title = html.escape(record.get("title") or "Untitled")
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        f'<meta property="og:site_name" content="{html.escape(record.get("outlet_domain") or "news")}">'
        f'<meta property="article:published_time" content="{record.get("date") or "2022-03-01"}T08:00:00Z">'
        f"<script>{pad}</script></head><body><nav>Home | World | Politics</nav><article><h1>{title}</h1>"
        f"{paragraphs}</article><footer>Terms | Privacy</footer></body></html>"
    ).encode()


def script_padding(kb: int, seed: int) -> str:
    words = ["function", "var", "return", "window", "document", "analytics", "push", "config", "true", "null"]
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < kb * 1024:
        token = f"{rng.choice(words)}_{rng.randrange(10_000)}({rng.randrange(1000)});"
        parts.append(token)
        size += len(token)
    return "".join(parts)


def db_bytes(data: Path) -> int:
    with closing(sqlite3.connect(data / "sitrep.db")) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in data.iterdir() if p.is_file())


def archive_bytes(data: Path) -> tuple[int, int, int]:
    with closing(sqlite3.connect(data / "sitrep.db")) as db:
        stored, raw, n = db.execute(
            "SELECT COALESCE(SUM(length(data)), 0), COALESCE(SUM(size), 0), COUNT(*) FROM archives"
        ).fetchone()
    return int(stored), int(raw), int(n)


async def ingest(pages: dict[str, bytes], archiving: bool) -> tuple[float, int, tuple[int, int, int]]:
    app = web.Application()

    async def page(request: web.Request) -> web.Response:
        return web.Response(body=pages[request.match_info["n"]], content_type="text/html")

    app.router.add_get("/a/{n}", page)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    original = prepare.Archive.of
    if not archiving:
        prepare.Archive.of = lambda fetched: None  # type: ignore[assignment,method-assign,misc,return-value]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            engine = await Engine.open(data, embedder=HashEmbedder(), public_urls_only=False)  # type: ignore[arg-type]
            started = time.perf_counter()
            report = await engine.ingest([f"{base}/a/{n}" for n in pages])
            seconds = time.perf_counter() - started
            await engine.close()
            assert report.added >= len(pages) * 0.9, report.summary()
            return seconds, db_bytes(data), archive_bytes(data)
    finally:
        prepare.Archive.of = original  # type: ignore[method-assign]
        await runner.cleanup()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--pad-kb", type=int, default=100)
    args = parser.parse_args()
    path = data_or_skip("realtimeqa", "docs_conflict_subset.jsonl")
    if path is None:
        return
    records = [r for r in read_jsonl(path) if len(r.get("text") or "") > 500][: args.articles]
    header(f"archived copies: {len(records)} articles, bare and padded with {args.pad_kb} KB of markup")
    rows = [
        [
            "pages",
            "KB/page",
            "archive MB/1k",
            "stored/raw",
            "store MB/1k off",
            "store MB/1k on",
            "on/off",
            "ingest s off",
            "ingest s on",
            "on/off",
        ]
    ]
    per_1k = 1000 / len(records)
    # A first ingest pays for imports and caches (trafilatura, aiohttp, SQLite): not measured.
    await ingest({str(i): render(r, "") for i, r in enumerate(records[:50])}, archiving=True)
    for label, kb in (("bare", 0), (f"+{args.pad_kb} KB markup", args.pad_kb)):
        pages = {str(i): render(r, script_padding(kb, i) if kb else "") for i, r in enumerate(records)}
        page_kb = sum(map(len, pages.values())) / len(pages) / 1024
        # Off, on, on, off: the mean of each pair, so warm-up and drift weigh on both alike.
        first_off, off_bytes, _ = await ingest(pages, archiving=False)
        first_on, on_bytes, (stored, raw, n) = await ingest(pages, archiving=True)
        second_on, _, _ = await ingest(pages, archiving=True)
        second_off, _, _ = await ingest(pages, archiving=False)
        off_s, on_s = (first_off + second_off) / 2, (first_on + second_on) / 2
        rows.append(
            [
                label,
                f"{page_kb:.1f}",
                f"{stored * per_1k / 1e6:.1f}",
                ratio(stored, raw),
                f"{off_bytes * per_1k / 1e6:.1f}",
                f"{on_bytes * per_1k / 1e6:.1f}",
                ratio(on_bytes, off_bytes),
                f"{off_s:.1f}",
                f"{on_s:.1f}",
                ratio(on_s, off_s),
            ]
        )
        print(
            f"{label}: {n} archived pages; ingest s off {first_off:.1f}, {second_off:.1f}; on {first_on:.1f}, {second_on:.1f}"
        )
    table(rows)


if __name__ == "__main__":
    asyncio.run(main())
