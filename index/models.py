"""Records passed between the library's layers and to its callers (CLI, bot)."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from index.wording import counted

GLOBAL_SCOPE = "global"
"""The scope of what the bot owner ingests with the CLI; answered in every server."""


@dataclass(frozen=True)
class Fetched:
    """A resource as fetched: its body exactly as received (after HTTP content decoding), and how.

    An article read from it keeps these bytes as its archived copy, with their SHA-256.
    """

    url: str  # after redirects
    content_type: str | None
    data: bytes = field(repr=False)
    status: int = 200
    fetched_at: str = ""  # ISO 8601, UTC
    sha256: str = ""  # of ``data``

    def __post_init__(self) -> None:
        if not self.sha256:
            object.__setattr__(self, "sha256", hashlib.sha256(self.data).hexdigest())


@dataclass(frozen=True)
class RawArticle:
    """An article as a source yields it, before cleaning and storage."""

    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    id: str | None = None
    language: str | None = None
    fetched: Fetched | None = None  # the page it was read from (None for files and uploads)


@dataclass(frozen=True)
class Article:
    """A stored article: clean text plus where it came from."""

    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: date | None
    published_from: str | None  # "given", "page", "feed" or "dateline": how the date was found
    language: str
    ingested_at: str
    text: str
    source_id: int
    scope: str
    sha256: str | None = None  # of the archived page it was read from (``sitrep archive``)
    fetched_at: str | None = None  # when that page was fetched (ISO 8601, UTC)


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of an article; ``text == article.text[start:end]``."""

    article_id: str
    seq: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Claim:
    """An attributed statement: ``text`` is ``article_text[start:end]``, verbatim.

    ``speaker`` is ``article_text[speaker_start:speaker_end]`` (the resolved claimant as written,
    possibly in an earlier sentence than the claim) or ``None`` when the text names no one.
    ``cue`` is the attributing words as written ("said", "according to", ":" for a label line).
    """

    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, str | int | None]:
        """The JSON shape ``sitrep claims`` prints."""
        return {
            "speaker": self.speaker,
            "speaker_start": self.speaker_start,
            "speaker_end": self.speaker_end,
            "cue": self.cue,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class DocumentRef:
    """Where a quote was published."""

    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: date | None
    label: str | None = None  # what this server's admins call the outlet ("state media")
    sha256: str | None = None  # of the page as fetched, archived with the article (``sitrep archive``)
    fetched_at: str | None = None  # when it was fetched (ISO 8601, UTC)

    @classmethod
    def of(cls, article: Article) -> DocumentRef:
        """Where a stored article was published, as its quotes cite it (no label: a scope's labels
        are set on answers by ``outlet_labels``)."""
        a = article
        return cls(a.id, a.title, a.outlet, a.url, a.published, sha256=a.sha256, fetched_at=a.fetched_at)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``sitrep ask --json``."""
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        return data


@dataclass(frozen=True)
class Quote:
    """A verbatim span of a stored article, with who said it.

    ``text == article.text[start:end]`` always holds for quotes the engine returns.
    """

    text: str
    speaker: str | None
    start: int
    end: int
    score: float
    document: DocumentRef
    also_in: tuple[DocumentRef, ...] = ()  # the same words republished elsewhere (wire copy)
    event_dates: tuple[date, ...] = ()  # the days the quote speaks of ("yesterday" resolved)
    language: str = "und"  # ISO 639-1 of the quoted words (never translated), "und" when unsure

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``sitrep ask --json``."""
        return {
            "text": self.text,
            "language": self.language,
            "speaker": self.speaker,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "document": self.document.to_dict(),
            "also_in": [d.to_dict() for d in self.also_in],
            "event_dates": [d.isoformat() for d in self.event_dates],
        }

    def day(self) -> date | None:
        """The first day the quote speaks of, else its publication day (None: undated)."""
        return self.event_dates[0] if self.event_dates else self.document.published

    def other_event_dates(self) -> tuple[date, ...]:
        """The days the quote speaks of, when they are not just its publication day."""
        return () if self.event_dates in ((), (self.document.published,)) else self.event_dates


@dataclass(frozen=True)
class QueryFilters:
    """What the engine understood from the question (and the caller's explicit options)."""

    since: date | None = None
    until: date | None = None
    outlets: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    excluded_labels: tuple[str, ...] = ()  # outlets with these labels were left out
    relative: tuple[str, ...] = ()  # how "last week" etc. were read: relative to the newest report

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "outlets": list(self.outlets),
            "places": list(self.places),
            "excluded_labels": list(self.excluded_labels),
            "relative": list(self.relative),
        }


@dataclass(frozen=True)
class OutletLabel:
    """An admin's label for an outlet in one scope."""

    outlet: str
    label: str


@dataclass(frozen=True)
class DisputedClaim:
    """One side of a disagreement: which quote (index into ``Answer.quotes``), who, and what figure."""

    quote: int
    claimant: str
    figure: str  # as stated: "3", "at least 4", "dozens", "no"; or "denies" / "asserts" / "says"
    subject: str = ""  # who or what was counted, in the quote's words ("soldiers")
    party: str = ""  # for a side-by-side record: the party of the question it speaks for ("Russia")

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return asdict(self)


@dataclass(frozen=True)
class Disagreement:
    """Claimants whose statements on one event ("killed", "tanks destroyed", "denial") can't all be
    true; or, with ``kind == "sides"``, each party's best quote for a "what did A and B each claim"
    question, side by side whether or not they conflict.
    """

    category: str
    claims: tuple[DisputedClaim, ...]
    kind: str = "figures"  # "figures" (rival figures), "denial", or "sides" (each party's claim)
    event: str = ""  # what the claims are about, in words: "Pellin · 12 March 2025"

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "category": self.category,
            "claims": [c.to_dict() for c in self.claims],
            "kind": self.kind,
            "event": self.event,
        }


@dataclass(frozen=True)
class Answer:
    """An extractive answer: quotes only, never generated text."""

    question: str
    found: bool
    quotes: tuple[Quote, ...]
    articles_searched: int = 0
    filters: QueryFilters = field(default_factory=QueryFilters)
    note: str | None = None  # why nothing was found, in words a user understands
    disagreements: tuple[Disagreement, ...] = ()  # where the quoted claimants contradict each other

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``sitrep ask --json`` (question, found, quotes, plus extras)."""
        return {
            "question": self.question,
            "found": self.found,
            "quotes": [q.to_dict() for q in self.quotes],
            "articles_searched": self.articles_searched,
            "filters": self.filters.to_dict(),
            "note": self.note,
            "disagreements": [d.to_dict() for d in self.disagreements],
        }


@dataclass(frozen=True)
class SourceInfo:
    """A source as listed by ``sitrep sources`` and ``/source list``."""

    id: int
    scope: str
    kind: str  # "file", "url", "feed", "telegram"
    location: str
    added_at: str
    added_by: str | None
    articles: int
    versions: int = 0  # of ``articles``: later texts of a page stored before (a changed page, an edited post)


@dataclass(frozen=True)
class Failure:
    """One thing that could not be ingested, and why."""

    location: str
    reason: str

    def __post_init__(self) -> None:
        # Errors often name what failed themselves ("URL: why"); shown after the location, that read
        # the URL twice.
        if self.reason.startswith(f"{self.location}: "):
            object.__setattr__(self, "reason", self.reason[len(self.location) + 2 :])

    def line(self) -> str:
        """``failed: LOCATION: WHY``, as the CLI prints it."""
        return f"failed: {self.location}: {self.reason}"


@dataclass
class IngestReport:
    """What an ingest did; ``summary()`` is the line the CLI ends with."""

    added: int = 0
    duplicates: int = 0
    failed: list[Failure] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0
    source_ids: list[int] = field(default_factory=list)
    edited: int = 0  # of ``added``: Telegram posts changed since stored, kept as new versions

    def summary(self) -> str:
        """One line: articles added / skipped as duplicate / failed, chunks, seconds."""
        edited = (
            f" ({self.edited:,} of them edited posts, kept beside the earlier text)" if self.edited else ""
        )
        return (
            f"{counted(self.added, 'article')} added{edited}, {self.duplicates:,} skipped as duplicate, "
            f"{len(self.failed):,} failed; {counted(self.chunks, 'chunk')} in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class Progress:
    """Ingest progress, reported after each model call while embedding and after each stored batch."""

    done: int  # articles stored
    total: int | None
    stage: str  # "fetching", "embedding", "storing"
    added_ids: tuple[str, ...] = ()  # articles committed since the last report (ids)
    chunks: int = 0  # passages embedded so far (of the articles being added)
    chunks_total: int | None = None


@dataclass(frozen=True)
class Stats:
    """Counts for ``sitrep stats`` and ``/admin status``."""

    sources: int
    articles: int
    chunks: int
    index_type: str
    index_vectors: int
    index_bytes: int
    model: str
    last_rebuild: str | None
    languages: tuple[tuple[str, int], ...] = ()  # (ISO 639-1 or "und", articles), most first


@dataclass(frozen=True)
class Watch:
    """A standing question: new reporting that answers it is posted to ``channel`` (``/watch add``)."""

    id: int
    scope: str  # the server whose archive (and the global one) it watches
    channel: str  # where alerts go (a Discord channel id; the library only stores it)
    query: str
    created_by: str | None
    created_at: str  # ISO 8601, UTC
    after_rowid: int  # articles up to this row id were checked already
    outlet: str | None = None
    exclude_label: str | None = None
    enabled: bool = True
    disabled_reason: str | None = None  # why it stopped ("the channel was deleted")
    alerts: int = 0  # posts made so far
    last_alert_at: str | None = None


@dataclass(frozen=True)
class DigestSchedule:
    """A server's daily sitrep: posted to ``channel`` at ``at`` (HH:MM) in ``timezone`` (``/digest set``)."""

    scope: str
    channel: str
    at: str  # "07:30", local time in ``timezone``
    timezone: str  # an IANA name ("Europe/Kyiv"), checked when set
    created_by: str | None
    last_sent: str | None = None  # the local day (ISO date) of the last digest posted
