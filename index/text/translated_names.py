"""Bodies whose names reporting in other languages translates rather than transliterates.

"Red Cross" is Красный Крест, Червоний Хрест, الصليب الأحمر, Կարմիր խաչ: no spelling key joins them, as
the words differ. The international bodies conflict reporting quotes most are listed here with the
forms Russian, Ukrainian, Arabic and Armenian reports write (a word's stem and its case endings:
"Красного Креста", "Կարմիր խաչը"). At ingest each one found is stored under the English name's key
(``name_key``), so a question naming the body finds the reports that name it in their language.
"""

from __future__ import annotations

import re

# A word's case ending (Красн-ого Крест-а, Червон-ому Хрест-ові), or the Armenian article and case
# endings (խաչ-ը, խաչ-ի): only those, so "Европейские союзники" (European allies) is no EU. After an
# acronym, a hyphen first (ՄԱԿ-ի). Before an Arabic word, the prefixes و (and), ب (by), ف (so), and
# ل (for), which with the article is written لل (للأمم المتحدة).
_ENDING = (
    r"(?:ого|ому|ими|ыми|ами|ями|ові|еві|ой|ей|ий|ый|ій|ая|яя|ое|ее|ую|юю|ые|ие|ых|их|ым|им|ом|ем|ам"
    r"|ям|ах|ях|ов|ев|ів|а|я|у|ю|е|і|ї|ы|и|о|ը|ն|ի|ից|ով|ում|ին|ու)?"
)
_ACRONYM_ENDING = r"(?:-[а-яёіїєґ\u0561-\u0587]+)?"
_ARABIC_ARTICLE = r"(?:[وبفل]{0,2}ال|[وف]?لل)"
_LETTER = r"[\w\u0531-\u0587]"

# Each body: its English names (the first is its key), then its names in Russian, Ukrainian, Arabic
# and Armenian, each word as a stem.
_BODIES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("red cross", "icrc"), ("Красн Крест", "Червон Хрест", "الصليب الأحمر", "Կարմիր խաչ")),
    (("red crescent",), ("Красн Полумесяц", "Червон Півмісяц", "الهلال الأحمر", "Կարմիր մահիկ")),
    (("united nations", "un", "u.n."), ("ООН", "الأمم المتحدة", "ՄԱԿ")),
    (("osce",), ("ОБСЕ", "ОБСЄ", "منظمة الأمن والتعاون", "ԵԱՀԿ")),
    (("nato",), ("НАТО", "الناتو", "حلف شمال الأطلسي", "ՆԱՏՕ")),
    (
        ("european union", "eu", "e.u."),
        (
            "Евросоюз",
            "Євросоюз",
            "Европейск союз",
            "Європейськ союз",
            "ЕС",
            "ЄС",
            "الاتحاد الأوروبي",
            "Եվրամիություն",
        ),
    ),
    (("iaea",), ("МАГАТЭ", "МАГАТЕ", "الوكالة الدولية للطاقة الذرية", "ՄԱԳԱՏԷ")),
    (("unicef",), ("ЮНИСЕФ", "ЮНІСЕФ", "اليونيسف", "ՅՈՒՆԻՍԵՖ")),
    (("world health organization", "who"), ("ВОЗ", "ВООЗ", "منظمة الصحة العالمية", "ԱՀԿ")),
)


def _pattern(form: str) -> str:
    """A body's name in one language as a pattern matching its inflected forms."""
    words = []
    for n, word in enumerate(form.split()):
        if any("\u0600" <= c <= "\u06ff" for c in word):
            if n == 0 and word.startswith("ال"):
                words.append(_ARABIC_ARTICLE + re.escape(word[2:]))
            else:
                words.append(re.escape(word))
        elif word.isupper():
            words.append(re.escape(word) + _ACRONYM_ENDING)
        else:
            words.append(re.escape(word) + _ENDING)
    return rf"(?<!{_LETTER})" + r"\s+".join(words) + rf"(?!{_LETTER})"


_FORMS = [(names[0], re.compile("|".join(_pattern(f) for f in forms))) for names, forms in _BODIES]
_KEY_OF = {name: names[0] for names, _ in _BODIES for name in names}
# Every listed form is written in one of these scripts: a text with none of their letters (most of an
# English archive) is not scanned by the nine patterns at all (~2% of an ingest's time otherwise).
_SCRIPTS = re.compile(r"[\u0400-\u04ff\u0531-\u0587\u0600-\u06ff]")


def name_key(name: str) -> str:
    """The key a body's translated names are stored under ("" for a name not listed): one per body,
    whichever English form names it ("UN", "U.N.", "United Nations")."""
    words = " ".join(name.removeprefix("the ").split())
    body = _KEY_OF.get(words.lower())
    if body is None or (len(words.replace(".", "")) <= 3 and not words.replace(".", "").isupper()):
        return ""  # a short acronym only in capitals: "Who" and "Un" are none; "Nato" is NATO
    return f"@{body}"


def translated_names(text: str) -> list[tuple[str, str]]:
    """(key, the name as written) for each listed body a text names in Russian, Ukrainian, Arabic or
    Armenian."""
    if not _SCRIPTS.search(text):
        return []
    return list(
        dict.fromkeys((f"@{body}", m.group(0)) for body, pattern in _FORMS for m in pattern.finditer(text))
    )
