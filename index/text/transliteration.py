"""Names written in Cyrillic, Armenian or Arabic script, and their Latin letters.

An English question names "Kovrin", "Hradiv", "Aygepar" or "Tel Warda"; a Russian, Ukrainian,
Armenian or Arabic report writes Коврина, Градові, Այգեպարի, تل وردة. ``place_names.spelling_key``
keeps only a name's consonants, so a rough transliteration is enough to give both the same key, and
case endings, which are mostly vowels (Коврин-а, Ливенк-ой), fall away with the vowels. Finding the
names: a capitalised word is a name candidate in Cyrillic and Armenian, as in English; Arabic has no
capitals, so only the words after a noun that introduces a place (مدينة city, بلدة town, حي
district, مستشفى hospital ...) are taken, never every word (most three-consonant keys are Arabic roots).
"""

from __future__ import annotations

import re

# Ukrainian г is h (Харків Kharkiv, Градів Hradiv) and и is y; Russian г is g: the article's letters
# decide (text with і, ї, є or ґ is Ukrainian).
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "-",
            "y",
            "-",
            "e",
            "yu",
            "ya",
            "ye",
            "i",
            "yi",
            "g",
        ],
        strict=True,
    )
)
_UKRAINIAN = _CYRILLIC | {"г": "h", "и": "y"}
_ARMENIAN = dict(
    zip(
        "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆև",
        [
            "a",
            "b",
            "g",
            "d",
            "e",
            "z",
            "e",
            "e",
            "t",
            "zh",
            "i",
            "l",
            "kh",
            "ts",
            "k",
            "h",
            "dz",
            "gh",
            "ch",
            "m",
            "y",
            "n",
            "sh",
            "o",
            "ch",
            "p",
            "j",
            "r",
            "s",
            "v",
            "t",
            "r",
            "ts",
            "w",
            "p",
            "k",
            "o",
            "f",
            "ev",
        ],
        strict=True,
    )
)
_ARABIC = dict(
    zip(
        "ابتثجحخدذرزسشصضطظعغفقكلمنهوية",
        [
            "a",
            "b",
            "t",
            "th",
            "j",
            "H",  # ح and ه: a consonant of its own, never the h of kh or sh (see short_key)
            "kh",
            "d",
            "dh",
            "r",
            "z",
            "s",
            "sh",
            "s",
            "d",
            "t",
            "z",
            "-",
            "gh",
            "f",
            "q",
            "k",
            "l",
            "m",
            "n",
            "H",
            "w",
            "y",
            "a",  # ة, the feminine ending: "Rahma" for الرحمة, "Warda" for وردة
        ],
        strict=True,
    )
) | {"أ": "a", "إ": "i", "آ": "a", "ى": "a", "ء": "", "ؤ": "w", "ئ": "y"}
_UKRAINIAN_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_OTHER_SCRIPT = re.compile(r"[\u0400-\u04ff\u0531-\u0587\u0600-\u06ff]")

CYRILLIC_NAME = re.compile(r"\b[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+(?:(?:\s+|-)[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+){0,2}")
ARMENIAN_NAME = re.compile(r"(?<![\u0531-\u0587])[\u0531-\u0556][\u0561-\u0587]+")
# A place-introducing noun, then the name: its first word, and its first two (تل وردة, "Tel Warda"); a
# lookahead, so "the market of the town of X" yields the town's name too.
_PLACE_NOUNS = "مدينة|بلدة|قرية|حي|مستشفى|مخيم|سوق|منطقة|محافظة|ريف|جبل|نهر|معبر|مطار|ميناء"
ARABIC_NAME = re.compile(
    rf"(?:{_PLACE_NOUNS})\s+(?=(?P<name>(?!(?:{_PLACE_NOUNS})\s)[\u0621-\u064a]+)"
    rf"(?:\s+(?P<second>(?!(?:{_PLACE_NOUNS})\s)[\u0621-\u064a]+))?)"
)
# Case endings that are not vowels: "Дорнвик-ом" (with), "Бերդ-ում" (in). A name's stem is also
# stored under its key; and Ukrainian turns a final к, г, х into ц, з, с before і ("у Вербівці").
_ENDINGS = re.compile(r"(?:ами|ями|ом|ем|ём|ам|ям|ах|ях|ов|ев|ів|ові|еві|ում|ից|ով|ն)$")
_ALTERNATIONS = (("ці", "ка"), ("зі", "га"), ("сі", "ха"))
_ARABIC_ARTICLE = re.compile(r"(?<![\u0621-\u064a])ال")


def to_latin(name: str, *, ukrainian: bool = False) -> str:
    """A name's rough Latin letters, lower case but for Arabic's h (H), which short keys keep apart
    from the h of a digraph (only the consonants matter to spelling keys); other text as is."""
    lowered = name.lower()
    if any("\u0600" <= c <= "\u06ff" for c in lowered):
        lowered = _ARABIC_ARTICLE.sub("al-", lowered)  # the article, as place_names strips it
    table = _UKRAINIAN if ukrainian else _CYRILLIC
    out = []
    for c in lowered:
        latin = table.get(c) or _ARMENIAN.get(c) or _ARABIC.get(c)
        out.append(c if latin is None else latin.replace("-", ""))
    return "".join(out)


def foreign_names(text: str) -> list[str]:
    """The name candidates of a text in Cyrillic, Armenian and Arabic script, as written: each
    Cyrillic or Armenian name with each of its words, each Arabic name's first word and first two."""
    found: list[str] = []
    for m in [*CYRILLIC_NAME.finditer(text), *ARMENIAN_NAME.finditer(text)]:
        phrase = m.group(0)
        found += dict.fromkeys([phrase, *phrase.replace("-", " ").split()])
    for m in ARABIC_NAME.finditer(text):
        found.append(m.group("name"))
        if m.group("second"):
            found.append(f"{m.group('name')} {m.group('second')}")
    return found


def name_forms(name: str) -> list[str]:
    """A name as written and, where it ends in a case ending, its stem (for one more key)."""
    forms = [name]
    stem = _ENDINGS.sub("", name)
    if stem != name and len(stem) >= 3:
        forms.append(stem)
    for inflected, base in _ALTERNATIONS:
        if name.endswith(inflected):
            forms.append(name[: -len(inflected)] + base)
    return forms


def in_other_script(name: str) -> bool:
    """Whether a name is written in Cyrillic, Armenian or Arabic script."""
    return _OTHER_SCRIPT.search(name) is not None


def is_ukrainian(text: str) -> bool:
    """Whether a Cyrillic text uses letters only Ukrainian has."""
    return _UKRAINIAN_ONLY.search(text) is not None
