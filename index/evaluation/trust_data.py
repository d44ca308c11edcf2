"""The trust evaluation's data: the archive it asks, its dev set, and how quotes are judged.

The archive is a fixed selection of realtimeqa's conflict articles about the 2022 Russia–Ukraine war
(``select_archive``). The dev set (``trust_questions.jsonl``) points into those articles by id and
character offsets, with a short hash of each span to detect drift; it holds no article text.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from index.evaluation.data import read_jsonl

QUESTIONS = Path(__file__).with_name("trust_questions.jsonl")
ANSWERABLE_KINDS = ("answerable", "toll", "each_claim")
UNANSWERABLE_KINDS = (
    "unanswerable_place",
    "unanswerable_after_end",
    "unanswerable_actor",
    "followup_no_referent",
    "bad_input",
)
KINDS = ANSWERABLE_KINDS + UNANSWERABLE_KINDS

# -- the archive --------------------------------------------------------------------------------

ARCHIVE_YEAR = "2022"
# A title that names the war's places or protagonists; with >= 5 "Ukrain…" in the text this keeps
# 305 articles (2022-01-12 … 2022-12-30: 236 CNN, 55 USA Today, 14 The Week), the archive.
ARCHIVE_TITLE = re.compile(
    r"ukrain|russia|kyiv|kiev|putin|zelensky|kremlin|mariupol|kharkiv|donbas|crimea|kherson", re.I
)
ARCHIVE_MIN_MENTIONS = 5
_UKRAINE = re.compile(r"Ukrain")


def select_archive(docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The archive: 2022 articles about the war, oldest first, identical texts kept once.

    Deterministic: the same input file gives the same list in the same order.
    """
    chosen = [
        d
        for d in docs
        if (d.get("date") or "").startswith(ARCHIVE_YEAR)
        and (d.get("text") or "").strip()
        and ARCHIVE_TITLE.search(d.get("title") or "")
        and len(_UKRAINE.findall(d["text"])) >= ARCHIVE_MIN_MENTIONS
    ]
    seen: set[str] = set()
    out = []
    for d in sorted(chosen, key=lambda d: (d["date"], d["id"])):
        if d["text"] not in seen:
            seen.add(d["text"])
            out.append(d)
    return out


def load_archive(data_dir: Path) -> list[dict[str, Any]]:
    """The archive's records from ``data_dir/realtimeqa``."""
    return select_archive(read_jsonl(data_dir / "realtimeqa" / "docs_conflict_subset.jsonl"))


def archive_rows(archive: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The archive in the ingester's JSONL schema."""
    return [
        {"id": d["id"], "title": d.get("title"), "text": d["text"], "outlet": d.get("outlet_domain")}
        | {"url": d.get("url"), "published": d.get("date")}
        for d in archive
    ]


def mentions(term: str, texts: Iterable[str]) -> bool:
    """Whether any text holds ``term`` as a whole word (case-insensitive)."""
    pattern = re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.I)
    return any(pattern.search(t) for t in texts)


# -- the dev set --------------------------------------------------------------------------------


def span_hash(text: str) -> str:
    """The first 10 hex digits of the span's SHA-1 (UTF-8): detects drift, reveals nothing."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class GoldSpan:
    """A passage of one archive article, with who says it (key words; empty: nobody expected)."""

    article: str
    start: int
    end: int
    sha1: str
    speakers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Side:
    """One claimant's side of an "each claim" question (or of an expected disagreement)."""

    label: str
    gold: tuple[GoldSpan, ...]


@dataclass(frozen=True)
class TrustQuestion:
    """One dev-set question; which fields matter depends on ``kind``."""

    id: str
    kind: str
    question: str
    as_of: date | None = None
    gold: tuple[GoldSpan, ...] = ()  # any of these is a right quote (the sides' included)
    sides: tuple[Side, ...] = ()
    related: tuple[GoldSpan, ...] = ()  # other passages on the same event (not needed in answers)
    event_articles: tuple[str, ...] = ()  # articles wholly about the question's event
    disagreement: str | None = None  # "pair": the sides should be shown as a disagreement
    absent: tuple[str, ...] = ()  # unanswerable: terms the archive never mentions
    after: date | None = None  # unanswerable_after_end: the event's day (after the archive's end)

    @property
    def answerable(self) -> bool:
        """Whether the archive answers it."""
        return self.kind in ANSWERABLE_KINDS

    def on_event(self) -> tuple[GoldSpan, ...]:
        """Every listed passage about the question's event."""
        return self.gold + self.related


def _span(raw: dict[str, Any]) -> GoldSpan:
    return GoldSpan(raw["article"], raw["start"], raw["end"], raw["sha1"], tuple(raw.get("speakers") or ()))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def parse_question(raw: dict[str, Any]) -> TrustQuestion:
    """One JSONL record as a question."""
    sides = tuple(Side(s["label"], tuple(_span(g) for g in s["gold"])) for s in raw.get("sides") or ())
    # Any side's passage is a right answer too, besides the ones listed under "gold".
    listed = [_span(g) for g in raw.get("gold") or ()] + [g for s in sides for g in s.gold]
    gold = tuple({(g.article, g.start): g for g in listed}.values())
    return TrustQuestion(
        id=raw["id"],
        kind=raw["kind"],
        question=raw["question"],
        as_of=_day(raw.get("as_of")),
        gold=gold,
        sides=sides,
        related=tuple(_span(g) for g in raw.get("related") or ()),
        event_articles=tuple(raw.get("event_articles") or ()),
        disagreement=raw.get("disagreement"),
        absent=tuple(raw.get("absent") or ()),
        after=_day(raw.get("after")),
    )


def load_questions(path: Path = QUESTIONS) -> list[TrustQuestion]:
    """The dev set, in file order.

    Raises:
        ValueError: a record with an unknown kind.
    """
    questions = [parse_question(r) for r in read_jsonl(path)]
    unknown = sorted({q.kind for q in questions} - set(KINDS))
    if unknown:
        raise ValueError(f"unknown question kind(s): {', '.join(unknown)}")
    return questions


def first_per_kind(questions: Sequence[TrustQuestion], n: int | None) -> list[TrustQuestion]:
    """The first ``n`` questions of each kind, in file order (all of them when n is None)."""
    if n is None:
        return list(questions)
    counts: dict[str, int] = {}
    out = []
    for q in questions:
        counts[q.kind] = counts.get(q.kind, 0) + 1
        if counts[q.kind] <= n:
            out.append(q)
    return out


def drifted_spans(questions: Iterable[TrustQuestion], texts: dict[str, str]) -> list[str]:
    """Each gold/related span whose article is missing or whose text no longer hashes the same."""
    problems = []
    for q in questions:
        for span in (*q.on_event(), *(g for s in q.sides for g in s.gold)):
            text = texts.get(span.article)
            if text is None:
                problems.append(f"{q.id}: {span.article} is not in the archive")
            elif span_hash(text[span.start : span.end]) != span.sha1:
                problems.append(f"{q.id}: {span.article}[{span.start}:{span.end}] changed")
    return problems


# -- locating a quote in the raw articles -------------------------------------------------------


@dataclass
class NormText:
    """An article's letters and digits, lower-cased, each mapped back to its raw offset."""

    chars: str
    raw_at: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> NormText:
        """Normalise like ``data.norm`` but remember where each kept character came from."""
        chars, raw_at = [], []
        for i, ch in enumerate(text):
            for c in unicodedata.normalize("NFKD", ch.lower()):
                if "a" <= c <= "z" or "0" <= c <= "9":
                    chars.append(c)
                    raw_at.append(i)
        return cls("".join(chars), raw_at)

    def raw_spans(self, quote: str) -> list[tuple[int, int]]:
        """Every raw (start, end) where the quote's letters and digits occur."""
        needle = "".join(NormText.of(quote).chars)
        spans, at = [], self.chars.find(needle) if needle else -1
        while at >= 0:
            spans.append((self.raw_at[at], self.raw_at[at + len(needle) - 1] + 1))
            at = self.chars.find(needle, at + 1)
        return spans


class Locator:
    """Where returned quotes sit in the archive's raw texts (the stored text may be cleaned)."""

    def __init__(self, texts: dict[str, str]) -> None:
        """Index ``texts`` (article id -> raw text) lazily."""
        self.texts = texts
        self._norm: dict[str, NormText] = {}

    def spans(self, article: str, quote: str) -> list[tuple[int, int]]:
        """The quote's raw spans in ``article`` (empty when it is not there)."""
        if article not in self.texts:
            return []
        if article not in self._norm:
            self._norm[article] = NormText.of(self.texts[article])
        return self._norm[article].raw_spans(quote)

    def tail(self, article: str, quote: str) -> str:
        """What follows the quote in its raw paragraph (a photo credit there marks a caption)."""
        spans = self.spans(article, quote)
        if not spans:
            return ""
        return self.texts[article][spans[0][1] :].split("\n", 1)[0][:160]

    def matches(self, articles: Sequence[str], quote: str, gold: Iterable[GoldSpan]) -> list[GoldSpan]:
        """The gold spans a quote (found in any of ``articles``) overlaps."""
        located = {a: self.spans(a, quote) for a in dict.fromkeys(articles)}
        return [g for g in gold for s, e in located.get(g.article, ()) if s < g.end and g.start < e]


def _holds(text: str, word: str) -> bool:
    """Whether ``text`` holds ``word`` as a whole word ("Ukrain*": as a word's beginning)."""
    stem, tail = (word[:-1], "") if word.endswith("*") else (word, r"(?!\w)")
    return re.search(r"(?<!\w)" + re.escape(_apostrophes(stem)) + tail, text, re.I) is not None


def speaker_right(speaker: str | None, keys: Sequence[str]) -> bool:
    """Whether a returned speaker names the claimant.

    It must hold one of the key words and none of the "!"-marked ones ("Defense Ministry" but not
    "!Ukrain*": the Russian ministry, not Ukraine's; a trailing "*" matches a word's beginning). No keys: nobody is expected, so no speaker is right.
    """
    wanted = [k for k in keys if not k.startswith("!")]
    if not wanted:
        return speaker is None
    if not speaker:
        return False
    text = _apostrophes(speaker)
    return any(_holds(text, k) for k in wanted) and not any(_holds(text, k[1:]) for k in keys if k[:1] == "!")


def _apostrophes(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


# -- junk: text that is not reporting ----------------------------------------------------------

_CREDIT = re.compile(
    r"\b(?:Image )?Credit:|Getty Images|\bvia Getty\b|Shutterstock|"
    r"/(?:AP|AFP|Reuters|Redux|Anadolu Agency|TASS|Sputnik|EPA|Bloomberg|Pool|SOPA Images)\b"
)
_CAPTION = re.compile(
    r"Hide Caption|^\s*Photos?:|\bPhotos: |\b(?:is|are) pictured\b|portion of this photo|verify this image",
    re.I,
)
# (reason, pattern) — checked in order; the first that matches names the junk.
JUNK_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("caption", _CAPTION),
    ("video", re.compile(r"Video Ad Feedback|JUST WATCHED|MUST WATCH|Replay More Videos|\d{1,2}:\d{2}\s*$")),
    ("credit", _CREDIT),
    (
        "boilerplate",
        re.compile(r"FULL COVERAGE:|Sign up for|newsletter|\bRead more\b|Related:|Click here", re.I),
    ),
    # "AID FOR UKRAINE:Biden calls Putin…": a link to another story.
    ("link", re.compile(r"^\s*[A-Z][A-Z’'&-]+(?: [A-Z’'&-]+)*:\s*\S")),
    # "Kyiv, Ukraine (CNN) A strike…", "Washington CNN — Officials…": the byline glued to a lede;
    # "GENEVA — The United Nations says…", "KYIV, Ukraine — …": an agency's.
    (
        "dateline",
        re.compile(r"^\s*(?:[A-Z][\w'’.-]*(?:[ ,]+[A-Z][\w'’.-]*)*\s*)?(?:\(CNN\)|CNN\s*(?:—|–|--))"),
    ),
    ("dateline", re.compile(r"^\s*[A-Z]{3,}(?:[ -][A-Z]{2,})*(?:, [A-Z][\w.]+(?: [A-Z][\w.]+)*)? (?:—|–) ")),
)
_TITLE_TAIL = re.compile(r"\s*(?:\.\.\.|…|\s[|–-]\s.*)$")
_ENDS_SENTENCE = re.compile(r"[.!?\"”'’:;)]\s*$")


def _title_core(title: str) -> str:
    """The title without the outlet suffix (" | CNN", " - CNN") and the truncation dots."""
    core = title
    for _ in range(2):
        core = _TITLE_TAIL.sub("", core)
    return core


def junk_reason(quote: str, title: str | None, tail: str = "") -> str | None:
    """Why a quote is not reporting (a caption, credit, ad, dateline, headline…), or None.

    Args:
        quote: the quoted text.
        title: the title of the article it comes from.
        tail: what follows the quote in its raw paragraph: a photo credit or "Hide Caption" there
            makes the quote a caption even when it reads like a sentence.
    """
    for reason, pattern in JUNK_PATTERNS:
        if pattern.search(quote):
            return reason
    if tail.strip() and len(tail.strip()) <= 120 and (_CREDIT.search(tail) or "Hide Caption" in tail):
        return "caption"
    core = "".join(NormText.of(_title_core(title or "")).chars)
    body = "".join(NormText.of(quote).chars)
    if len(core) >= 15 and (body.startswith(core) or (core.startswith(body) and len(body) >= 15)):
        return "headline"
    if len(quote.split()) <= 15 and not _ENDS_SENTENCE.search(quote):
        return "subheading"  # a section head or a story link: "Referendums announced"
    return None


def dump(questions: Iterable[dict[str, Any]], path: Path) -> None:
    """Write dev-set records as JSONL (used by whoever extends the dev set)."""
    with path.open("w", encoding="utf-8") as f:
        for r in questions:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
