"""Reading the shared evaluation data and scoring quotes against it (no data is copied anywhere)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_SEED = REPO.parent / "shared" / "seeds" / "000_a75e341ada16df4e.txt"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """All records of a JSONL file."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_articles(records: Iterable[dict[str, Any]], path: Path) -> int:
    """Write articles in the ingester's JSONL schema (id, title, text, outlet, url, published).

    Records with empty text are left out (one bad line would make the ingester reject the file).
    Returns how many were written.
    """
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            if not (r.get("text") or "").strip():
                continue
            row = {k: r.get(k) for k in ("id", "title", "text", "outlet", "url", "published")}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def answer_pattern(answer: str) -> re.Pattern[str]:
    """The answer string, case-insensitive, not inside a longer word or number."""
    return re.compile(r"(?<!\w)" + re.escape(answer.strip()) + r"(?!\w)", re.IGNORECASE)


def norm(text: str) -> str:
    """Lower-case letters and digits only (so mojibake and punctuation differences don't matter)."""
    text = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"[^a-z0-9]", "", text)


@dataclass
class GoldDoc:
    """A document's gold sentences, normalised and concatenated, with each sentence's span."""

    text: str
    spans: dict[int, tuple[int, int]]  # sent_id -> span in text

    def overlapping(self, quote: str) -> set[int] | None:
        """Ids of the gold sentences a quote overlaps; None when the quote isn't in this document."""
        q = norm(quote)
        at = self.text.find(q) if q else -1
        if at < 0:
            return None
        end = at + len(q)
        return {sid for sid, (s, e) in self.spans.items() if s < end and at < e}


def gold_docs(sentences: Iterable[dict[str, Any]], doc_ids: set[int]) -> dict[int, GoldDoc]:
    """Normalised gold text per document, for locating quotes among the labelled sentences."""
    docs: dict[int, GoldDoc] = {}
    for s in sorted(sentences, key=lambda s: (s["doc_id"], s["sent_id"])):
        if s["doc_id"] not in doc_ids:
            continue
        doc = docs.setdefault(s["doc_id"], GoldDoc("", {}))
        piece = norm(s["text"])
        doc.spans[s["sent_id"]] = (len(doc.text), len(doc.text) + len(piece))
        doc.text += piece
    return docs


def spread(items: list[Any], n: int | None) -> list[Any]:
    """``n`` items picked evenly across ``items`` (all of them when n is None or large)."""
    if n is None or n >= len(items):
        return items
    return [items[int(i * len(items) / n)] for i in range(n)]
