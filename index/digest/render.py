"""A digest as text: Markdown that reads in a terminal and in Discord, whole or in pages.

The text is the same for the same digest: it shows no time but the window's bounds. Each event is
a heading, then one block per claim (claimant and figures, the quoted sentences, outlet, date and
link), then where its sources disagree. ``digest_pages`` cuts the same text between events, and an
event too long for one page between its claims (its heading repeated, "continued"); a quote is
never split across pages. Only a single claim longer than a whole page has its quote shortened,
with "…", to fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from index.answering.disagreement import describe
from index.digest.records import Digest, DigestClaim

DISCORD_MESSAGE_CHARS = 2000  # the most a Discord message may hold
MIN_PAGE_CHARS = 300  # a page narrower than this can't hold a heading and a claim at all
OTHER_HEADING = "## Other reporting (no place or day named)"


@dataclass(frozen=True)
class _Section:
    """A heading and its blocks, each block kept whole on one page."""

    heading: str
    blocks: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join([self.heading, *self.blocks])


def _when(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M")


def nothing_new(digest: Digest) -> str:
    """The one line an empty window gets: not an error, news of no news."""
    return f"Nothing new in the archive between {_when(digest.since)} and {_when(digest.until)} UTC."


def _header(digest: Digest) -> _Section:
    title = f"# Sitrep digest: {_when(digest.since)} to {_when(digest.until)} UTC"
    found = [f"{len(digest.events):,} {'event' if len(digest.events) == 1 else 'events'}"]
    if digest.other:
        found.append(f"{len(digest.other):,} other {'claim' if len(digest.other) == 1 else 'claims'}")
    lines = [
        f"{digest.received:,} {'article' if digest.received == 1 else 'articles'} received: "
        + (", ".join(found) if digest.events or digest.other else "no figures or denials")
        + (f"; {digest.without_claims:,} with no figure or denial" if digest.without_claims else "")
        + "."
    ]
    if digest.capped:
        lines.append(
            f"The window held more than the digest reads: these are the {digest.read:,} received last."
        )
    return _Section(title, tuple(lines))


def _figures(claim: DigestClaim) -> str:
    if claim.denies:
        return "denies"
    return "; ".join(f"{f.category}: {f.label}" + _whom(f.subject, f.category) for f in claim.figures)


def _whom(subject: str, category: str) -> str:
    """ " (Zeltran servicemen)"; nothing when the category says it ("drones destroyed: two")."""
    said = set(category.casefold().split())
    return f" ({subject})" if subject and not set(subject.casefold().split()) <= said else ""


def _claim_block(claim: DigestClaim, quote_chars: int | None = None) -> str:
    """**Claimant**: figures, then the quoted sentences (whitespace made plain) and where they ran."""
    q = claim.quote
    text = " ".join(q.text.split())
    if quote_chars is not None and len(text) > quote_chars:
        cut = text.rfind(" ", 0, max(0, quote_chars - 1))
        text = text[: cut if cut > 0 else max(0, quote_chars - 1)] + "…"
    where = [
        q.document.outlet or "unknown outlet",
        q.document.published.isoformat() if q.document.published else "undated",
    ]
    if q.document.url:
        where.append(f"<{q.document.url}>")  # <>: Discord shows the link without a preview card
    also = ", ".join(dict.fromkeys(d.outlet or d.id for d in q.also_in))
    return "\n".join(
        [
            f"- **{claim.claimant}**: {_figures(claim)}",
            f"> {text}",
            "> — " + " · ".join(where) + (f" (also in {also})" if also else ""),
        ]
    )


def _sections(digest: Digest) -> list[tuple[_Section, tuple[DigestClaim, ...]]]:
    """The header, each event and the other reporting, each with the claims its first blocks show."""
    out: list[tuple[_Section, tuple[DigestClaim, ...]]] = [(_header(digest), ())]
    for event in digest.events:
        blocks = [_claim_block(c) for c in event.claims]
        blocks += [f"⚖ Sources disagree: {describe(d)}" for d in event.disagreements]
        out.append((_Section(f"## {event.title}", tuple(blocks)), event.claims))
    if digest.other:
        out.append((_Section(OTHER_HEADING, tuple(_claim_block(c) for c in digest.other)), digest.other))
    return out


def render_digest(digest: Digest) -> str:
    """The whole digest as one text (Markdown), or the nothing-new line for an empty window.

    Args:
        digest: what ``build_digest`` returned.

    Returns:
        The same text for the same digest: events oldest first, each with its claims by claimant.
    """
    if digest.empty:
        return nothing_new(digest)
    return "\n\n".join(s.text for s, _ in _sections(digest))


def digest_pages(digest: Digest, max_chars: int = DISCORD_MESSAGE_CHARS) -> list[str]:
    """The text of ``render_digest`` in pages of at most ``max_chars`` characters (one Discord
    message each by default), cut between events, and inside an event only between claims.

    Args:
        digest: what ``build_digest`` returned.
        max_chars: the most characters a page may hold (at least ``MIN_PAGE_CHARS``).

    Returns:
        One page or more; ``[render_digest(digest)]`` when it fits on one.
    """
    if max_chars < MIN_PAGE_CHARS:
        raise ValueError(f"pages need at least {MIN_PAGE_CHARS} characters, not {max_chars}")
    if digest.empty:
        return [nothing_new(digest)]
    return _paginate(_fitted(digest, max_chars), max_chars)


def _fitted(digest: Digest, max_chars: int) -> list[_Section]:
    """The sections, any claim too long for a page of its own (under its heading) shortened to fit."""
    out = []
    for section, claims in _sections(digest):
        room = max_chars - len(_continued(section.heading)) - 1
        blocks = []
        for n, block in enumerate(section.blocks):
            if len(block) > room and n < len(claims):
                plain = len(" ".join(claims[n].quote.text.split()))
                block = _claim_block(claims[n], quote_chars=plain - (len(block) - room))
            blocks.append(block[:room])  # a disagreement line longer than a page (never seen): cut
        out.append(_Section(section.heading, tuple(blocks)))
    return out


def _continued(heading: str) -> str:
    return f"{heading} (continued)"


def _paginate(sections: Sequence[_Section], max_chars: int) -> list[str]:
    pages: list[str] = []
    page = ""

    def put(text: str, sep: str) -> None:
        nonlocal page
        if page and len(page) + len(sep) + len(text) <= max_chars:
            page += sep + text
        else:
            if page:
                pages.append(page)
            page = text

    for section in sections:
        if len(section.text) <= max_chars:
            put(section.text, "\n\n")  # a whole event on this page, or else on the next
            continue
        # An event longer than a page: its claims over several, the heading on each.
        heading = section.heading
        for n, block in enumerate(section.blocks):
            if n == 0:
                put(f"{heading}\n{block}", "\n\n")
            elif len(page) + 1 + len(block) <= max_chars:
                page += "\n" + block
            else:
                pages.append(page)
                page = f"{_continued(heading)}\n{block}"
    if page:
        pages.append(page)
    return pages
