"""Article text clean-up: drop boilerplate lines, normalise whitespace, guess language and title.

Cleaned text is what gets stored and quoted, so cleaning works on whole lines only: a line is
either kept exactly as it was (bar trailing whitespace and no-break spaces) or dropped. Nothing
is re-punctuated or rewritten.
"""

from __future__ import annotations

import re
from collections import Counter

# Only short lines can be boilerplate: a long line that mentions "subscribe" is reporting.
_SHORT_LINE = 120

# Payment lines: "PayPal: ...", "BTC: ...", "BCH ABC: ...", "Patreon ...".
_PAYMENT_LABEL = re.compile(
    r"^\W*(?:paypal|patreon|btc|bch|eth|ltc|xmr|doge|usdt)\b[^:\n]{0,20}:", re.IGNORECASE
)
# Full coin names can head reporting ("Bitcoin: the new war chest"), so they need an address or link.
_COIN_LABEL = re.compile(
    r"^\W*(?:bitcoin(?:\s+cash)?|ethereum|litecoin|monero|dogecoin|tether)\b[^:\n]{0,20}:", re.IGNORECASE
)
_PATREON = re.compile(r"^\W*patreon\b|patreon\.com/", re.IGNORECASE)
_CRYPTO_ADDRESS = re.compile(
    r"(?<![\w/])(?:"
    r"bc1[02-9ac-hj-np-z]{11,71}"  # bech32 (segwit)
    r"|[13][a-km-zA-HJ-NP-Z1-9]{25,34}"  # legacy base58
    r"|0x[0-9a-fA-F]{40}"  # ethereum
    r"|(?:bitcoincash:)?q[0-9a-z]{41}"  # bitcoin cash cashaddr
    r")(?![\w/])"
)
_URL_OR_EMAIL = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+", re.IGNORECASE)

# Calls to action that dominate a line when it starts with them.
_LEADING_PHRASE = re.compile(
    r"^\W*(?:"
    r"donate|donations?\b|make\s+a\s+donation|please\s+(?:donate|support)|support\s+us|support\s+our\s+work"
    r"|support\s+(?:independent\s+)?journalism|become\s+a\s+(?:patron|member|supporter)"
    r"|do\s+you\s+like\s+this\s+content|consider\s+(?:helping|supporting)\s+us"
    r"|share\s+(?:this|on|via|the\s+article|article|story)|share$|tweet$|email$|print$"
    r"|subscribe|sign\s+up\s+(?:for|to|now)|newsletter\s+sign[\s-]?up|get\s+our\s+newsletter"
    r"|follow\s+us|join\s+(?:us\s+on|our\s+(?:telegram|channel|newsletter))|click\s+here"
    r"|read\s+more\b|read\s+also\b|also\s+read\b|see\s+also:|related(?:\s+(?:articles?|stories|news|posts?))?:"
    r"|more\s+from\b|you\s+may\s+also\s+like|recommended\s+for\s+you"
    r"|advertisement|advertising$|sponsored(?:\s+content)?$|scroll\s+to\s+continue"
    r"|(?:this|our)\s+(?:web)?site\s+uses\s+cookies|we\s+use\s+cookies|accept\s+(?:all\s+)?cookies"
    r"|cookie\s+(?:policy|settings|notice|preferences)|by\s+continuing\s+to\s+(?:use|browse)"
    r")(?!\w)",
    re.IGNORECASE,
)
# Phrases specific enough to condemn a short line wherever they appear in it.
_ANYWHERE_PHRASE = re.compile(
    r"consider\s+(?:helping|supporting)\s+us|support\s+us\s+on|donate\s+(?:via|now|here|to\s+us)"
    r"|sign\s+up\s+for\s+our\s+newsletter|subscribe\s+to\s+our|follow\s+us\s+on|share\s+this\s+article"
    r"|share\s+on\s+(?:facebook|twitter|x|whatsapp|telegram|linkedin)|we\s+use\s+cookies|site\s+uses\s+cookies"
    r"|click\s+here\s+to|enable\s+javascript",
    re.IGNORECASE,
)

_CURRENCY = r"[$€£¥₽₴₺]"
_PRICE_LINE = re.compile(
    rf"^\W*?(?:{_CURRENCY}\s*\d[\d.,\s]*|\d[\d.,\s]*?\s*(?:{_CURRENCY}|usd|eur|gbp|rub|uah)\.?)\s*$",
    re.IGNORECASE,
)

# Leftovers of embedded media that did not survive extraction.
_MEDIA_PLACEHOLDER = re.compile(
    r"^\W*(?:video|videos|photos?|photo\s+gallery|gallery|audio|embedded\s+content|embed|video\s+player"
    r"|play\s+video|watch\s+(?:the\s+)?video|loading\s+video|click\s+to\s+play|view\s+this\s+post\s+on\s+\w+"
    r"|your\s+browser\s+does\s+not\s+support\s+the\s+(?:video|audio)(?:\s+(?:tag|element))?)\W*$",
    re.IGNORECASE,
)
# "The video analysis below was released in May 2020:" -- a lead-in to media that may be gone.
_MEDIA_WORD = re.compile(
    r"\b(?:video|videos|footage|photos?|pictures?|images?|watch|below|embedded|clip|tweet|post|gallery)\b",
    re.IGNORECASE,
)

# Extracted text never holds the video itself, so a short "watch the video:" lead-in is always empty.
_VIDEO_WORD = re.compile(r"\b(?:video|videos|footage|watch)\b", re.IGNORECASE)
_VIDEO_LEAD_IN_MAX = 100

_NEWLINES = re.compile(r"\r\n?")
# No-break spaces (and the narrow one) are layout, not content; search and quoting want plain spaces.
_NBSP = str.maketrans({"\u00a0": " ", "\u202f": " "})


def clean_text(text: str) -> str:
    """Remove boilerplate lines and normalise whitespace, keeping reporting verbatim.

    Dropped: donation and crypto-address lines, short share/subscribe/cookie/"Read more" lines,
    price ladders ("2,500 $"), media placeholders ("(Video)", "[embedded content]") and lead-ins to
    media that is missing ("Watch the video below:" followed by nothing but removed or blank lines).
    Kept lines are unchanged except that trailing whitespace is stripped and no-break spaces become
    spaces. Line endings become ``\\n``, runs of blank lines become one, and leading/trailing blank
    lines go.

    Args:
        text: Article text as extracted.

    Returns:
        The cleaned text (possibly empty).
    """
    text = _NEWLINES.sub("\n", text).translate(_NBSP).lstrip("\ufeff")
    lines = [line.rstrip() for line in text.split("\n")]
    keep = [not line or not _is_boilerplate(line) for line in lines]

    # A media lead-in is empty when what follows it is gone, so decide from the end backwards.
    after: bool | None = None  # whether the next non-blank line is kept; None at the end of text
    for i in range(len(lines) - 1, -1, -1):
        if not lines[i]:
            continue
        if keep[i] and _is_media_lead_in(lines[i]) and (after is not True or _is_video_lead_in(lines[i])):
            keep[i] = False
        after = keep[i]

    out: list[str] = []
    for line, kept in zip(lines, keep, strict=True):
        if not kept:
            continue
        if not line and (not out or not out[-1]):
            continue  # at most one blank line in a row, none at the start
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _is_boilerplate(line: str) -> bool:
    """Whether a non-empty line is a call to action, payment detail, price or media placeholder."""
    if _PAYMENT_LABEL.match(line) or _PRICE_LINE.match(line) or _MEDIA_PLACEHOLDER.match(line):
        return True
    if len(line) < 200 and (_PATREON.search(line) or _crypto_dominated(line)):
        return True
    if _COIN_LABEL.match(line) and (_CRYPTO_ADDRESS.search(line) or _URL_OR_EMAIL.search(line)):
        return True
    short = len(line.strip()) < _SHORT_LINE
    return short and bool(_LEADING_PHRASE.match(line) or _ANYWHERE_PHRASE.search(line))


def _crypto_dominated(line: str) -> bool:
    """A line holding a wallet address and little else (a label, a link)."""
    if not _CRYPTO_ADDRESS.search(line):
        return False
    rest = _URL_OR_EMAIL.sub(" ", _CRYPTO_ADDRESS.sub(" ", line))
    return len(re.findall(r"[^\W\d_]+", rest)) <= 4


def _is_video_lead_in(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) < _VIDEO_LEAD_IN_MAX and bool(_VIDEO_WORD.search(stripped))


def _is_media_lead_in(line: str) -> bool:
    stripped = line.strip()
    return stripped.endswith(":") and len(stripped) < 200 and bool(_MEDIA_WORD.search(stripped))


# --- language -----------------------------------------------------------------------------------

_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("latin", re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("greek", re.compile(r"[\u0370-\u03ff]")),
    ("hy", re.compile(r"[\u0531-\u0587]")),
    ("he", re.compile(r"[\u05d0-\u05ea]")),
    ("arabic", re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
    ("ka", re.compile(r"[\u10a0-\u10ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("kana", re.compile(r"[\u3040-\u30ff]")),
    ("han", re.compile(r"[\u4e00-\u9fff]")),
)
_UK_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_RU_ONLY = re.compile(r"[ыэъёЫЭЪЁ]")
_PERSIAN_ONLY = re.compile(r"[پچژگ]")

# Frequent function words; neighbouring languages share some ("de", "que", "la"), which is fine
# because only the totals are compared.
_STOPWORD_TEXT = {
    "en": """the and of to is was that with for on are were it this have has by from be which at said not
        they their he she an as had been will would""",
    "fr": """le la les des du est et une un dans pour que qui pas sur au aux avec ce cette sont ont il elle
        été par plus ne se leur""",
    "de": """der die das und ist nicht mit den dem des ein eine einer zu auf für sich von auch es im wurde
        sind wird bei nach aus dass werden hat""",
    "es": """el los las del y que por con una es se no para al lo como más su fue ha han pero sus está
        entre también""",
    "it": """il di che è e la per un una del della dei delle non sono con gli le nel nella alla da ha anche
        più questo stato""",
    "pt": """o os as da do das dos e em um uma que não para com por na no nas nos ao é foi mais se seu sua
        são pelo pela""",
    "nl": """de het een en van is dat niet op te zijn met voor die aan er ook als bij door werd naar heeft
        worden hij wordt maar""",
    "tr": """ve bir bu da de için ile olarak çok daha gibi olan ama ne şu kadar sonra değil var yok ise
        ancak tarafından göre""",
}
_STOPWORDS = {lang: frozenset(words.split()) for lang, words in _STOPWORD_TEXT.items()}
_WORDS = re.compile(r"[^\W\d_]+")
_LANGUAGE_SAMPLE = 20_000  # characters of Latin text to count stopwords in; plenty for a verdict


def guess_language(text: str) -> str:
    """Guess the language of a text, cheaply.

    The majority script decides first (Cyrillic is told apart as Ukrainian or Russian by letters
    only one of them uses; Arabic script as Persian or Arabic likewise). Latin-script text is judged
    by counts of common function words in English, French, German, Spanish, Italian, Portuguese,
    Dutch and Turkish.

    Args:
        text: Any text; a few words are enough for non-Latin scripts, a sentence or two for Latin.

    Returns:
        An ISO 639-1 code, or ``"und"`` when unsure.
    """
    counts = Counter({name: len(pattern.findall(text)) for name, pattern in _SCRIPTS})
    counts["cjk"] = counts.pop("han") + counts["kana"]
    script, n = counts.most_common(1)[0]
    if n == 0:
        return "und"
    if script == "latin":
        return _latin_language(text[:_LANGUAGE_SAMPLE])
    if script == "cyrillic":
        return "uk" if len(_UK_ONLY.findall(text)) > len(_RU_ONLY.findall(text)) else "ru"
    if script == "arabic":
        return "fa" if len(_PERSIAN_ONLY.findall(text)) * 50 > n else "ar"
    if script == "cjk":
        # Japanese mixes kana into kanji; Chinese has none.
        return "ja" if counts["kana"] * 10 > n else "zh"
    if script == "greek":
        return "el"
    if script == "kana":  # all-kana text ties with "cjk" and wins the tie
        return "ja"
    return script


# The codes guess_language returns, in words (for people reading an answer).
LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "tr": "Turkish", "ru": "Russian", "uk": "Ukrainian", "el": "Greek", "hy": "Armenian",
    "he": "Hebrew", "ar": "Arabic", "fa": "Persian", "ka": "Georgian", "hi": "Hindi", "th": "Thai",
    "ko": "Korean", "ja": "Japanese", "zh": "Chinese",
}  # fmt: skip


def other_language(code: str) -> str | None:
    """A quote's language in words when it is not English ("Russian"), for its citation; None for
    English and for "und"."""
    return None if code in ("en", "und") else LANGUAGE_NAMES.get(code, code)


_LATIN_LANGUAGES = frozenset(_STOPWORDS) | {"und"}
_SCRIPT_FAMILY = {
    "uk": "cyrillic",
    "ru": "cyrillic",
    "fa": "arabic",
    "ar": "arabic",
    "ja": "cjk",
    "zh": "cjk",
}


def passage_language(text: str, article_language: str) -> str:
    """The language of a passage of an article: the article's, unless the passage is in another script.

    A sentence is too short for the function-word count that tells Latin-script languages apart, so a
    Latin sentence of an English article is English; a Russian sentence inside it (another script) is
    Russian. Returns an ISO 639-1 code or "und".
    """
    guessed = guess_language(text)
    if guessed != "und":
        family = _family(guessed)
    elif _SCRIPTS[0][1].search(text):
        family = "latin"  # Latin letters too few to tell which language: "und" unless the article's
    else:
        return article_language  # no letters at all: numbers, a dash
    return article_language if family == _family(article_language) else guessed


def _family(language: str) -> str:
    return "latin" if language in _LATIN_LANGUAGES else _SCRIPT_FAMILY.get(language, language)


def _latin_language(text: str) -> str:
    words = Counter(_WORDS.findall(text.lower()))
    scores = sorted(
        ((sum(words[w] for w in stop), lang) for lang, stop in _STOPWORDS.items()),
        reverse=True,
    )
    (best, lang), (second, _) = scores[0], scores[1]
    # Neighbouring languages share words ("de", "que", "la"); demand a clear lead.
    if best >= 2 and best >= 1.25 * second:
        return lang
    return "und"


# --- title ----------------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"#{1,6}\s+(?P<title>.*?)(?:\s+#+)?\s*")
_SETEXT_UNDERLINE = re.compile(r"\s*(?:=+|-+)\s*")
_FINAL_PUNCTUATION = re.compile(r"[.!?…:;,][\"'”’»)\]]*\Z")
_TITLE_MAX = 200


def title_from_text(text: str) -> tuple[str | None, str]:
    """Split a plain-text or Markdown article into its heading line and body.

    The title is the first non-blank line that is not boilerplate (so a price ladder or donation
    line above the headline is skipped) when it is a Markdown ATX heading (``# Title``), a Setext
    heading (underlined with ``===``/``---``), or a line under 200 characters without final sentence
    punctuation. The body keeps every other line as it was; blank lines right after the title go.

    Args:
        text: The whole file's text.

    Returns:
        ``(title, body)``; ``(None, text)`` when there is no such heading or nothing would be left
        of the body.
    """
    lines = text.splitlines(keepends=True)
    for i, raw in enumerate(lines):
        line = raw.strip().translate(_NBSP).strip()
        if not line:
            continue
        if _is_boilerplate(line):
            continue
        consumed = 1
        heading = _MD_HEADING.fullmatch(line)
        if heading:
            title = heading["title"]
        elif i + 1 < len(lines) and line[0] != "#" and _SETEXT_UNDERLINE.fullmatch(lines[i + 1]):
            title, consumed = line, 2
        elif len(line) < _TITLE_MAX and not _FINAL_PUNCTUATION.search(line) and not line.startswith("#"):
            title = line
        else:
            return None, text
        rest = lines[i + consumed :]
        while rest and not rest[0].strip():
            rest.pop(0)
        body = "".join(lines[:i] + rest)
        if not title or not body.strip():
            return None, text
        return title, body
    return None, text
