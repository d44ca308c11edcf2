"""Page furniture left in stored text, before vs after ``strip_furniture``, on the real realtimeqa articles.

Run: ``.venv/bin/python benchmarks/furniture.py [--limit N] [--no-claims] [--show KIND]``

Each of the 3,171 CNN / USA Today / The Week articles in ``../shared/data/realtimeqa`` is cleaned
twice in one run: "before" is what ingest stored until now (``clean_text``), "after" is what it
stores now (``prepare.clean_article``: ``clean_text`` and ``strip_furniture`` to a fixed point).

Furniture is counted with loose markers of our own, not with the cleaner's rules, so "after" shows
what the rules miss as well as what they catch. Some markers also occur in reporting ("newsletter",
"subscribe", "Getty Images" in a story about Getty): their "after" is not meant to reach 0.

Printed:

* per kind, the lines (or line starts, for datelines) holding a marker, before and after;
* per kind, the lines the cleaner removed (its own count), and the characters of text removed;
* claims (``extract_claims``, the attributed quotes) whose text or speaker holds a marker, before
  and after: the junk-quote proxy;
* realtimeqa answers still found verbatim in the cleaned text of an article that held them: what
  cleaning must never cost (the eval's "answerable" ceiling).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _common import data_or_skip, read_jsonl  # noqa: E402

from index.attribution.claims import extract_claims  # noqa: E402
from index.evaluation.data import answer_pattern  # noqa: E402
from index.ingest.prepare import clean_article  # noqa: E402
from index.text.cleaning import clean_text  # noqa: E402
from index.text.furniture import KINDS  # noqa: E402

IM = re.IGNORECASE | re.MULTILINE
# Loose, independent markers: a line (or a claim) holding one counts once for its kind.
MARKERS: dict[str, re.Pattern[str]] = {
    "gallery": re.compile(r"Hide Caption|^\s*Photos?\s*:|^\s*\d+ of \d+\s*$", IM),
    "caption": re.compile(
        r"[A-Za-z]/(?:AFP|AP|Reuters|Getty Images|Alamy|EPA|Shutterstock)\)?\s*$", re.MULTILINE
    ),
    "credit": re.compile(
        r"Getty Images|AP Photo|Image credit|\(Photo by|^\s*Contributing\s*:|^\s*courtesy\b", IM
    ),
    "video": re.compile(
        r"Video Ad Feedback|Source:\s*CNN|JUST WATCHED|relevant is this ad|Video player was slow", IM
    ),
    "dateline": re.compile(
        r"^\s*\((?:CNN|AP|Reuters)(?: Business)?\)|^.{0,60}\((?:CNN|AP|Reuters|AFP)[^)]*\)\s*[—–-]"
        r"|^.{0,60}\bCNN(?: Business)? —|^\s*[A-Z]{3,}(?:[ ,]+[A-Z.]{2,})*(?:, [A-Z][a-z.]+(?: [A-Z][a-z.]+)*)?\s+[—–]\s",
        re.MULTILINE,
    ),
    "newsletter": re.compile(r"newsletter|sign[ -]?up|\bsubscribe\b|your inbox|Need a (?:news )?break\?", IM),
    "related": re.compile(
        r"^\W{0,3}(?:More|Related|Read more|Read this)\b\s*:|^[^:\n]{2,60}[a-z]:[A-Z]|^\s*Read More\s*$", IM
    ),
    "widget": re.compile(
        r"^\s*(?:Share|Copy link|Show comments)\s*$"
        r"|^\s*(?:Share|Facebook|Twitter|Email|Print)(?:\s*[|•]?\s*(?:Facebook|Twitter|Email|Print|X|Share))+\s*$",
        IM,
    ),
    "note": re.compile(r"This (?:story|article) (?:has been|was) updated|Editor['’]s note", IM),
}


def headline_repeated(text: str, title: str | None) -> int:
    """1 when the first line repeats the title (site suffix and "..." truncation aside)."""
    if not title:
        return 0
    first = next((line for line in text.split("\n") if line.strip()), "")
    norm: Callable[[str], str] = lambda s: re.sub(r"\W+", " ", s).strip().casefold()  # noqa: E731
    stem = norm(re.sub(r"\s*(?:[|–-]\s*[^|–-]{1,40}|\.\.\.|…)\s*$", "", title))
    return int(bool(stem) and len(stem) >= 15 and norm(first).startswith(stem))


def count_lines(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in text.split("\n"):
        if not line.strip():
            continue
        for kind, marker in MARKERS.items():
            if marker.search(line):
                counts[kind] += 1
    return counts


def count_claims(text: str) -> tuple[int, Counter[str]]:
    claims = extract_claims(text)
    junk: Counter[str] = Counter()
    for c in claims:
        said = f"{c.speaker or ''}\n{c.text}"
        hits = [kind for kind, marker in MARKERS.items() if marker.search(said)]
        for kind in hits:
            junk[kind] += 1
        junk["any"] += bool(hits)
    return len(claims), junk


def answers(base: Path, docs: dict[str, dict[str, str]]) -> list[tuple[re.Pattern[str], str]]:
    """(answer pattern, url) for every realtimeqa answer found verbatim in a raw article."""
    found = []
    for q in read_jsonl(base / "questions.jsonl"):
        raw = q.get("answer_text") or []
        answer = (raw[0] if isinstance(raw, list) and raw else str(raw)).strip()
        if not (q.get("conflict_keyword_match") and answer):
            continue
        pattern = answer_pattern(answer)
        found += [
            (pattern, u)
            for u in q.get("retrieved_doc_urls") or []
            if u in docs and pattern.search(docs[u]["text"])
        ]
    return found


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--limit", type=int, help="only the first N articles")
    p.add_argument("--no-claims", action="store_true", help="skip the claims count (~1 min)")
    p.add_argument("--show", metavar="KIND", help="print the lines the cleaner removed as KIND (to review)")
    args = p.parse_args()
    base = data_or_skip("realtimeqa")
    if base is None:
        return 0
    rows = [d for d in read_jsonl(base / "docs_conflict_subset.jsonl") if (d.get("text") or "").strip()]
    rows = rows[: args.limit] if args.limit else rows
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    claims = {"before": 0, "after": 0}
    junk = {"before": Counter[str](), "after": Counter[str]()}
    chars = {"raw": 0, "before": 0, "after": 0}
    cleaned: dict[str, dict[str, str]] = {}
    started = time.perf_counter()
    for d in rows:
        old = clean_text(d["text"])
        new = clean_article(d["text"], d.get("title"))
        removed += new.removed
        before += count_lines(old)
        after += count_lines(new.text)
        before["headline"] += headline_repeated(old, d.get("title"))
        after["headline"] += headline_repeated(new.text, d.get("title"))
        chars["raw"] += len(d["text"])
        chars["before"] += len(old)
        chars["after"] += len(new.text)
        cleaned[d["url"]] = {"before": old, "after": new.text, "text": d["text"]}
        if args.show:
            kept = set(new.text.split("\n"))
            for line in old.split("\n"):
                if line.strip() and line not in kept and args.show in _kinds_of(line, d.get("title")):
                    print(f"[{args.show}] {line[:240]}")
        if not args.no_claims:
            for when, text in (("before", old), ("after", new.text)):
                n, j = count_claims(text)
                claims[when] += n
                junk[when] += j
    seconds = time.perf_counter() - started
    found = answers(base, cleaned)
    kept = {w: sum(bool(pat.search(cleaned[u][w])) for pat, u in found) for w in ("before", "after")}

    print(
        f"furniture in {len(rows):,} realtimeqa articles (before: clean_text; after: clean_text + strip_furniture)"
    )
    print(f"\n{'kind':<11} {'marked lines before':>20} {'after':>7} {'removed by the cleaner':>23}")
    for kind in KINDS:
        print(f"{kind:<11} {before[kind]:>20,} {after[kind]:>7,} {removed[kind]:>23,}")
    print(
        f"\ncharacters: raw {chars['raw']:,}, before {chars['before']:,}, after {chars['after']:,}"
        f" ({1 - chars['after'] / max(chars['before'], 1):.1%} fewer than before)"
    )
    if not args.no_claims:
        print(f"\n{'claims holding a marker':<24} {'before':>8} {'after':>8}")
        for kind in (*MARKERS, "any"):
            print(f"{kind:<24} {junk['before'][kind]:>8,} {junk['after'][kind]:>8,}")
        print(f"{'claims in all':<24} {claims['before']:>8,} {claims['after']:>8,}")
    print(
        f"\nrealtimeqa answers found verbatim in an article that held them: {len(found):,} raw,"
        f" {kept['before']:,} before, {kept['after']:,} after"
    )
    print(f"({seconds:.0f} s)")
    return 0


def _kinds_of(line: str, title: str | None) -> set[str]:
    from index.text.furniture import strip_furniture

    return set(strip_furniture(line, title).removed)


if __name__ == "__main__":
    sys.exit(main())
