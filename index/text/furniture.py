"""Page furniture: what a news page prints around its reporting, removed before anything is quoted.

Photo galleries and captions, video and ad widgets, photo credits, datelines, newsletter and
sign-up promotions, related-story links, share widgets, editors' update notes and the headline
repeated as the first line are not reporting anyone said; quoted, they read as claims (a CNN video
title "Rabbi: It feels like ..." becomes the rabbi's claim) or carry the wrong date.

Like ``cleaning``, this works on whole lines (a line is kept exactly as it is or dropped), with one
exception: a dateline that opens a line ("KYIV, Ukraine (CNN) — ", "(CNN)", "WASHINGTON – ") is cut
off the line's start and the rest of the line is kept as it is. The stored text is still made of
verbatim runs of the page, and no quote can start with a dateline. The first dateline cut is
returned so the article can still be dated by it when nothing better is known.

Galleries are dropped, not kept with dates of their own. A gallery's captions describe photos
taken on other days ("Cars burn in Kyiv on October 10" under a page published March 3) and are
the photo desk's descriptions, not what a claimant said; keeping them would need a date per
segment of text, which every reader of a quote's date would then have to consult. Dropping them
makes a quote's date the date of the reporting it comes from, as for any other article. Captions
of single photos in the body (they end with a credit: "… on Thursday. Jane Doe/AFP/Getty Images")
are dropped for the same reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from index.text.datelines import dateline_length, is_dateline_line

KINDS = (
    "headline",
    "dateline",
    "gallery",
    "caption",
    "credit",
    "video",
    "newsletter",
    "related",
    "widget",
    "note",
)
"""What is removed, by kind (``Stripped.removed`` counts lines and cut datelines per kind)."""

# A paragraph longer than this is reporting whatever phrases it holds.
_PROMO_MAX = 700
_CAPTION_MAX = 700
_SENTENCE_END = re.compile(
    r"[a-z]{2,}[.!?][\"'”’)]*\s"
)  # "on Tuesday. Jane Doe/AP": a caption, not a credit alone
_TAIL = 300  # characters at a line's end that hold a caption's credit or a gallery's counter
_LINK_MAX = 150  # a related-story link is a headline: short
_LABELLED_LINK_MAX = 250

# -- galleries, captions, credits ------------------------------------------------------------------

_GALLERY_COUNTED = re.compile(r"\bHide\s+Caption\s*\d+\s*of\s*\d+\s*$", re.IGNORECASE)
_GALLERY_MARKER = re.compile(r"\s*(?:Hide|Show)\s+Caption(?:\s*\d+\s*of\s*\d+)?\s*", re.IGNORECASE)
_GALLERY_COUNTER = re.compile(r"\s*\d{1,4}\s*(?:of|/)\s*\d{1,4}\s*")
_GALLERY_TITLE = re.compile(
    r"\s*(?:Photos?|Gallery|In\s+pictures|In\s+photos|Pictures)\s*:\s*\S.*", re.IGNORECASE
)
_GALLERY_TITLE_MAX = 120
# A slideshow flattened into one paragraph ends with its title and buttons.
_SLIDESHOW_END = re.compile(
    r"(?:\bPrev\s+Next|\bIn\s+(?:pictures|photos)\s*:[^.!?\n]{1,120}|\b(?:The\s+week\s+in|In)\s+\d+\s+photos)\s*$",
    re.IGNORECASE,
)

_PHOTO_AGENCY = (
    r"(?:Getty\s+Images|AFP|AP|Reuters|REUTERS|EPA(?:-EFE)?|Shutterstock|Alamy|Bloomberg|Pool|POOL"
    r"|Sipa(?:\s+USA)?|Anadolu(?:\s+Agency)?|NurPhoto|SOPA\s+Images|LightRocket|ZUMA(?:\s+Press)?(?:\s+Wire)?"
    r"|Xinhua|TASS|Sputnik|Redux|Abaca|CNN|USA\s+TODAY(?:\s+NETWORK)?|Imagn|Polaris|UPI|Kyodo|Yonhap"
    r"|Maxar\s+Technologies|Planet\s+Labs(?:\s+PBC)?|WireImage|iStockphoto|Corbis|Handout|White\s+House"
    r"|[\w.&-]+(?:\s+[\w.&-]+){0,3}\s+via\s+Getty\s+Images|Getty\s+Images\s+for\s+[\w.&' -]{1,40})"
)
_SLASH_CREDIT = rf"[^\s/()][^/\n]{{0,60}}(?:/[^/\n]{{1,60}}){{0,4}}/\s*{_PHOTO_AGENCY}"
_CREDIT = (
    r"(?:\((?:AP\s+Photo|Photo|Photos|Image|Picture)(?:\s+credit)?\s*(?:by|:|/)[^()\n]{1,150}\)"
    rf"|{_SLASH_CREDIT}|(?:AFP|AP|Reuters)\s+via\s+Getty\s+Images|Getty\s+Images)"
)
# A caption's last words: its credit, after the caption's final sentence, or alone on the line.
# Reporting ends a paragraph with punctuation, never with "Jane Doe/AFP/Getty Images".
_CREDIT_TAIL = re.compile(rf"(?:^|\s)\s*(?:{_CREDIT}\s*)+$")
# "Jane Doe/AFP/Getty Images Cars burn ...": a credit that opens the line is a caption's.
# A caption without a credit, known by the photo desk's note: "Bodies lie in a street in Bucha on
# Saturday. A portion of this photo has been blurred to protect the victim's identity."
_BLURRED = re.compile(
    r"\b(?:(?:a\s+)?(?:portion|part)\s+of\s+)?this\s+(?:photo|image|picture|video)\s+(?:has\s+been|was|is)\s+blurred\b",
    re.IGNORECASE,
)
_CREDIT_HEAD = re.compile(
    rf"\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,4}}(?:/[\w.'’& -]{{1,40}}){{0,3}}/{_PHOTO_AGENCY}\s+[A-Z]"
)
# Several captions run together (a slideshow flattened into one paragraph): credits inside the line.
_CREDIT_INSIDE = re.compile(
    rf"[.!?”\"’)]\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,4}}(?:/[\w.'’& -]{{1,40}}){{0,3}}/{_PHOTO_AGENCY}\s+[A-Z]"
)
_COURTESY_TAIL = re.compile(r"(?:^|(?<=[.!?”\"’)\]])\s+)\s*[Cc]ourtesy(?:\s+of)?\s+[^.!?\n]{1,80}$")
_COURTESY_MAX = 400
_CREDIT_LINE = re.compile(
    r"\s*(?:Contributing|Contributors?|Photo(?:graph)?s?|Image|(?:Photo|Image)\s+credit|Credit)\s*:\s*\S.{0,250}"
    r"|\s*(?:USA\s+TODAY|USATODAY|(?:The\s+)?Associated\s+Press|AP|Reuters|AFP|Editors|Opinion\s+contributor"
    r"|Special\s+(?:for|to)\s+USA\s+TODAY|From\s+USA\s+TODAY\s+Network\s+and\s+wire\s+reports)\s*"
    # "Contact Jane Doe at jdoe@example.com or 555-0100. Follow her on X @jdoe.": the reporter's address
    r"|\s*(?:Contact|Reach)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*(?:at|:)\s*\S+@\S+.{0,250}",
    re.IGNORECASE,
)

# -- video and ads -----------------------------------------------------------------------------------

_VIDEO = re.compile(
    r"\s*(?:Video\s+Ad\s+Feedback|JUST\s+WATCHED\b.*\bReplay\b|\d\.\s*How\s+relevant\s+is\s+this\s+ad\s+to\s+you\?"
    r"|Video\s+player\s+was\s+slow\s+to\s+load\s+content)"
    r"|.{0,300}\b\d{1,2}:\d\d\s*[-–•]\s*Source:\s*[A-Z]"
)
_VIDEO_SHORT = re.compile(
    r"\s*(?:(?:Watch|WATCH|Video|VIDEO)\s*:\s*\S.*|Now\s+playing|Up\s+next|Replay|More\s+Videos|Watch\s+(?:now|live|more))\s*",
)

# -- promotions: newsletters, sign-ups, subscriptions ---------------------------------------------------

# Cheap to test first (lower-cased substrings): every promotion below holds one of these.
_PROMO_WORDS = (
    *("newsletter", "sign", "subscri", "inbox", "break?", "forecast", "podcast", "journalism", "short list"),
    *("polls", "crossword", "follow cnn", "facebook", "would you like", "includes the week", "your data"),
)
_PROMO = re.compile(
    r"\bnewsletter[^\n]{0,120}?\b(?:sign(?:ing)?[\s-]?up|subscribe|inbox)\b"
    r"|\b(?:sign(?:ing)?[\s-]?up|subscribe)\b[^\n]{0,120}?\bnewsletter"
    r"|\b(?:delivered|sent|get\s+it|get\s+them)\s+(?:\w+\s+){0,2}(?:to|in)\s+your\s+inbox\b"
    r"|^\W*(?:sign[\s-]?up|subscribe)\b"
    r"|\bsign\s+up\s+(?:here|now|for\s+free)\W*$"
    r"|^\s*Would\s+you\s+like\s+to\s+receive\b|^\s*'We'\s+includes\s+The\s+Week\b"
    r"|\bIf\s+you\s+wish\s+to\s+object\s+to\s+the\s+use\s+of\s+your\s+data\b"
    r"|^\s*Need\s+a\s+(?:news\s+)?break\?|\bcheck\s+(?:out\s+)?your\s+local\s+forecast\b"
    r"|^\W*Podcasts?\s*:|\bThank\s+you\s+for\s+supporting\s+our\s+journalism\b"
    r"|\bsupport(?:ing)?\s+our\s+journalism\b|\bsupport\s+quality\s+journalism\s+like\s+this\b"
    r"|\bbecome\s+an?\s+[\w ]{0,30}subscriber\b|^\s*The\s+Short\s+List\s+is\b|^\s*Prep\s+for\s+the\s+polls\b"
    r"|\bDaily\s+Crossword\b|^\s*Follow\s+CNN\b|\bJoin\s+us\s+on\s+Twitter\s+and\s+Facebook\b"
    r"|\b(?:get|receive)\s+[\w'’ -]{0,60}\s+(?:in|to)\s+your\s+inbox\b|\bsubscrib\w*\b[^\n]{0,80}\binbox\b"
    r"|\binbox\b[^\n]{0,60}\bnewsletter"
    r"|\bplease\s+subscribe\b|\bby\s+subscribing\b|\bsubscriber-only\b|\band\s+subscribe\W*$"
    r"|^\W*Support\s+(?:strong\s+)?local\s+journalism\b|\bsubscribe\s+to\s+[\w.-]+\.com\b"
    r"|\bnewsletter\s+(?:provides|subscription)\b|\bsign\s+up\s+(?:to\s+receive|for\s+texts)\b"
    r"|^\W*[A-Z ]{2,30}NEWSLETTER\s*:",
    re.IGNORECASE,
)

# -- related-story links -----------------------------------------------------------------------------

_RELATED = re.compile(
    r"\W{0,3}(?:More|Related|Read\s+more|Read\s+this|Read\s+also|Also\s+read|See\s+also|Also\s+see"
    r"|More\s+from\s+[^:\n]{1,40}|Dig\s+deeper|Learn\s+more|Keep\s+reading)\s*:(?:\s*\S.*)?",
    re.IGNORECASE,
)
# USA Today links a story as "Label:Headline", no space after the colon.
_LABELLED_LINK = re.compile(r"[^\w\n]{0,3}[A-Z0-9'‘\"“][^:\n]{0,60}(?:[^\W\d_]|[?!’'”\")]):(?=[A-Z\"“‘'])")
_READ_MORE = re.compile(r"\s*Read\s+more(?:\s+here)?\W*", re.IGNORECASE)

# -- share widgets and editors' notes ------------------------------------------------------------------

_WIDGET_WORD = (
    r"(?:Share(?:\s+this)?|Tweet|Email|E-mail|Print|Copy\s+link|Link\s+copied!?|Facebook|Twitter|X|LinkedIn"
    r"|WhatsApp|Reddit|Pinterest|Flipboard|Messenger|Telegram|Comments?|Save|Show\s+comments|\d+\s+comments?)"
)
_WIDGET_LINE = re.compile(
    rf"\s*{_WIDGET_WORD}(?:\s*[|•·,/]?\s*{_WIDGET_WORD})+\s*|\s*(?:Copy\s+link|Link\s+copied!?|Show\s+comments|Leave\s+a\s+comment|\d+\s+comments?)\s*",
    re.IGNORECASE,
)
_WIDGET_SINGLE = re.compile(rf"\s*{_WIDGET_WORD}\s*", re.IGNORECASE)
_NOTE = re.compile(
    r"\W{0,2}(?:(?:[A-Za-z]{2,14}\s*:\s*)?This\s+(?:story|article|post|page)\s+(?:has\s+been|was|is\s+being)\s+updated\b"
    # The editors speaking to the reader (updates, the author's bio, where the story first ran),
    # which would otherwise be quoted as what "Editor's Note" said.
    r"|Editor['’]s\s+note\b"
    # USA Today's live-news pointer: "This story is on news of the day in Ukraine for July 4. For the
    # latest news, click here."
    r"|This\s+(?:story|article|post|page)\s+is\s+(?:on|about)\s+(?:the\s+)?news\s+of\s+the\s+day\b"
    r"|For\s+the\s+latest\s+(?:news|updates?|developments)\b[^.\n]{0,40}\bclick\s+here\b)",
    re.IGNORECASE,
)
_NOTE_MAX = 600

# -- headline ------------------------------------------------------------------------------------------

_TITLE_SUFFIX = re.compile(r"\s*[|\-–—]\s*[^|\-–—]{1,40}$")
_TRUNCATED = re.compile(r"\s*(?:\.\.\.|…)\s*$")
_NON_WORD = re.compile(r"\W+")
_HEADLINE_MAX = 250
_TRUNCATED_MIN = 20  # characters of a "..."-truncated title that must match


@dataclass(frozen=True)
class Stripped:
    """A text without its furniture, and what was taken out."""

    text: str
    dateline: str | None = None  # the first dateline cut ("KYIV, March 3 (Reuters) - "), for dating
    removed: Counter[str] = field(default_factory=Counter)  # kind -> lines or datelines removed


def strip_furniture(text: str, title: str | None = None) -> Stripped:
    """Remove page furniture from a cleaned text (``cleaning.clean_text``'s output).

    Args:
        text: the article's cleaned text (``\\n`` line ends).
        title: its headline, dropped where the text repeats it as its first line.

    Returns:
        The text without furniture (blank lines normalised as ``clean_text`` does), the first
        dateline cut from it, and counts of what was removed by kind (see ``KINDS``).
    """
    lines = text.split("\n")
    kinds: list[str | None] = [line_kind(line) if line.strip() else None for line in lines]
    _mark_gallery_blocks(lines, kinds)
    _mark_widget_runs(lines, kinds)
    _mark_headline(lines, kinds, title)
    removed: Counter[str] = Counter()
    dateline: str | None = None
    out: list[str] = []
    first = next((i for i, k in enumerate(kinds) if k is None and lines[i].strip()), -1)
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind is not None:
            removed[kind] += 1
            if kind == "dateline":
                dateline = dateline or line.strip()
            continue
        cut = dateline_length(line, lead=i == first) if line.strip() else 0
        if cut:
            dateline = dateline or line[:cut].strip()
            removed["dateline"] += 1
            line = line[cut:]
        if not line.strip() and (not out or not out[-1].strip()):
            continue  # at most one blank line in a row, none at the start
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return Stripped("\n".join(out), dateline, removed)


def line_kind(line: str) -> str | None:
    """The furniture kind of one non-blank line taken alone, or None for a line to keep."""
    stripped = line.strip()
    n = len(stripped)
    end = _tail(stripped, _TAIL)  # what end-anchored patterns search: credits and counters end a line
    if ("aption" in end and _GALLERY_COUNTED.search(end)) or _GALLERY_MARKER.fullmatch(stripped):
        return "gallery"
    if n <= _GALLERY_TITLE_MAX and _GALLERY_TITLE.fullmatch(stripped):
        return "gallery"
    if any(w in end for w in ("Next", "pictures", "photos")) and _SLIDESHOW_END.search(end):
        return "gallery"
    if _VIDEO.match(stripped) or (n <= _LINK_MAX and _VIDEO_SHORT.fullmatch(stripped)):
        return "video"
    if is_dateline_line(stripped):
        return "dateline"
    credited = _CREDIT_TAIL.search(end) if "/" in end or "(" in end or "Getty" in end else None
    if "/" in stripped and len(_CREDIT_INSIDE.findall(stripped)) + bool(credited) >= 2:
        return "gallery"
    if n <= _CAPTION_MAX and credited:
        alone = credited.start() == 0 and n <= _TAIL and not _SENTENCE_END.search(stripped)
        return "credit" if alone else "caption"
    if n <= _CAPTION_MAX and "/" in stripped and _CREDIT_HEAD.match(stripped):
        return "caption"
    if n <= _CAPTION_MAX and "blurred" in stripped and _BLURRED.search(stripped):
        return "caption"
    if n <= _COURTESY_MAX and "ourtesy" in end and (courtesy := _COURTESY_TAIL.search(end)):
        return "credit" if courtesy.start() == 0 and n <= _TAIL else "caption"
    if n <= _LABELLED_LINK_MAX and _CREDIT_LINE.fullmatch(stripped):
        return "credit"
    low = stripped.lower()
    if n <= _PROMO_MAX and any(w in low for w in _PROMO_WORDS) and _PROMO.search(stripped):
        return "newsletter"
    if (n <= _LABELLED_LINK_MAX and _RELATED.fullmatch(stripped)) or _READ_MORE.fullmatch(stripped):
        return "related"
    if n <= _LINK_MAX and _LABELLED_LINK.match(stripped):
        return "related"
    if n <= _LINK_MAX and _WIDGET_LINE.fullmatch(stripped):
        return "widget"
    if n <= _NOTE_MAX and _NOTE.match(stripped):
        return "note"
    return None


def _tail(text: str, n: int) -> str:
    """The last ``n`` characters or so of ``text``, starting at a word (all of it when short)."""
    if len(text) <= n:
        return text
    cut = len(text) - n
    space = text.find(" ", cut)
    return text[space:] if space != -1 else text[cut:]


def _previous(lines: Sequence[str], i: int) -> int:
    """The index of the last non-blank line before ``i`` (-1 for none)."""
    i -= 1
    while i >= 0 and not lines[i].strip():
        i -= 1
    return i


def _mark_gallery_blocks(lines: Sequence[str], kinds: list[str | None]) -> None:
    """A "Hide Caption" line on its own closes a gallery item: the "3 of 12" counter next to it and
    its caption go with it. The line before it is taken as the caption only where it is plainly one:
    a credit line follows it, or a gallery line (title, counter) comes before it."""
    markers = [i for i, line in enumerate(lines) if _GALLERY_MARKER.fullmatch(line.strip())]
    for i in markers:
        after = _next(lines, i)
        if after >= 0 and kinds[after] is None and _GALLERY_COUNTER.fullmatch(lines[after]):
            kinds[after] = "gallery"
    for i in markers:
        j = _previous(lines, i)
        credited = j >= 0 and kinds[j] == "credit"
        if credited:
            j = _previous(lines, j)
        before = _previous(lines, j)
        if (
            j >= 0
            and kinds[j] in (None, "caption")
            and (credited or (before >= 0 and kinds[before] == "gallery"))
        ):
            kinds[j] = "gallery"
    for i, line in enumerate(lines):
        if kinds[i] is not None or not _GALLERY_COUNTER.fullmatch(line):
            continue
        if any(kinds[k] == "gallery" for k in (_previous(lines, i), _next(lines, i)) if k >= 0):
            kinds[i] = "gallery"


def _next(lines: Sequence[str], i: int) -> int:
    """The index of the first non-blank line after ``i`` (-1 for none)."""
    return next((k for k in range(i + 1, len(lines)) if lines[k].strip()), -1)


def _mark_widget_runs(lines: Sequence[str], kinds: list[str | None]) -> None:
    """Share buttons one per line ("Share", "Facebook", "Twitter", "Email"): two or more in a row."""
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and kinds[j] is None and _WIDGET_SINGLE.fullmatch(lines[j]):
            j += 1
        if j - i >= 2:
            for k in range(i, j):
                kinds[k] = "widget"
        i = max(j, i + 1)


def _title_forms(title: str) -> tuple[set[str], str | None]:
    """The title's normalised forms (with and without a " | Site" suffix), and the normalised start
    of a "..."-truncated one."""
    forms = {title, _TITLE_SUFFIX.sub("", title)}
    prefix = None
    for form in list(forms):
        if _TRUNCATED.search(form):
            start = _NON_WORD.sub(" ", _TRUNCATED.sub("", form)).strip().casefold()
            if len(start) >= _TRUNCATED_MIN:
                prefix = start
    return {_NON_WORD.sub(" ", f).strip().casefold() for f in forms} - {""}, prefix


def _mark_headline(lines: Sequence[str], kinds: list[str | None], title: str | None) -> None:
    """The first kept lines, while they repeat the title."""
    if not title or not title.strip():
        return
    forms, prefix = _title_forms(title.strip())
    for i, line in enumerate(lines):
        if kinds[i] is not None or not line.strip():
            continue
        stripped = line.strip()
        norm = _NON_WORD.sub(" ", stripped).strip().casefold()
        same = norm in forms or (
            prefix is not None
            and norm.startswith(prefix)
            and len(stripped) <= _HEADLINE_MAX
            and not stripped.endswith(".")
        )
        if not same:
            return
        kinds[i] = "headline"
