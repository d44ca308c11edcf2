"""Spelling variants of place names: Deir ez-Zor / Deir Ezzor / Dayr az Zawr, Latakia / Lattakia.

Transliterated names differ in vowels, hyphens and spaces, doubled consonants and the Arabic article
(``al-``, and its assimilated forms ``ez-``, ``as-``, ``ad-``... that double the next consonant). The
``spelling_key`` drops exactly those differences: accents, a leading article, every non-letter, the
vowels (and w, y, h, which transliterations swap for vowels), then runs of one consonant. Names
with the same key are taken as one place. At ingest the capitalised names of each article are
stored under their keys, so a question's spelling finds the corpus's spellings by one lookup.
"""

from __future__ import annotations

import re
import unicodedata

from index.text.translated_names import name_key, translated_names
from index.text.transliteration import foreign_names, is_ukrainian, name_forms, to_latin

_LEADING_ARTICLE = re.compile(r"^(?:al|el|ul)[-\s]+", re.IGNORECASE)
_INNER_ARTICLE = re.compile(r"(?<=\s)(?:al|el)[-\s]+", re.IGNORECASE)
_NOT_CONSONANT = re.compile(r"[^bcdfgjklmnpqrstvxz]")
_REPEATS = re.compile(r"(.)\1+")
_DIGRAPH_H = re.compile(r"(?<=[cdgkstz])h")  # kh, sh, th...: the h is part of one sound
# Raised when ``name_spellings`` finds more than before: a store re-reads its articles' names on open.
NAMES_VERSION = "2"
MIN_KEY = 3  # shorter keys ("Bab" -> "b") would join unrelated names
# Capitalised names of up to three words, joined by spaces or hyphens, with an optional lower-case
# article between them ("Deir ez-Zor", "Dayr az Zawr", "Ras al-Ain").
_ARTICLE = r"(?:al|el|ez|az|as|ad|ar|an|at|ash|ed|es|er|ul)"
_NAME = re.compile(
    rf"\b[A-Z][a-z'’]+(?:(?:\s+|-)(?:{_ARTICLE}[-\s]+)?[A-Z][a-z'’]+){{0,2}}\b|\b{_ARTICLE}-[A-Z][a-z'’]+\b"
)


def spelling_key(name: str, *, ukrainian: bool = False) -> str:
    """A key shared by transliteration variants of a name, in Latin, Cyrillic, Armenian or Arabic
    script (``ukrainian``: Cyrillic read as Ukrainian); "" when too short to be safe."""
    text = unicodedata.normalize("NFKD", to_latin(name, ukrainian=ukrainian))
    text = text.encode("ascii", "ignore").decode().lower().strip()
    text = _INNER_ARTICLE.sub(" ", _LEADING_ARTICLE.sub("", text))
    key = _REPEATS.sub(r"\1", _NOT_CONSONANT.sub("", text))
    return key if len(key) >= MIN_KEY else ""


def short_key(name: str, *, ukrainian: bool = False) -> str:
    """A stricter key for a name too short for ``spelling_key`` ("Lava", "Rahma", "Zahraa"), written
    in another script in the archive: "" when ``spelling_key`` has one, or when still too short.

    Its consonants with h kept where it is no part of kh, sh, th... (Rahma and الرحمة: "~rhm"); with
    fewer than three of those, its letters vowels and all, less the final vowels that case endings
    change (Lava and Лаву: "=lav"). Stored for names in other scripts only, so English words never
    meet: a two-consonant English name matches only a name another script writes with those letters.
    """
    if spelling_key(name, ukrainian=ukrainian):
        return ""
    latin = unicodedata.normalize("NFKD", to_latin(name, ukrainian=ukrainian))
    # The h of kh, sh, zh... goes; Arabic's own h (ح, ه) comes as H and stays (الزهراء: z-H-r).
    latin = _DIGRAPH_H.sub("", latin.encode("ascii", "ignore").decode())
    letters = re.sub(r"[^a-z]", "", _LEADING_ARTICLE.sub("", latin.lower().strip()))
    consonants = _REPEATS.sub(r"\1", re.sub(r"[^bcdfghjklmnpqrstvxz]", "", letters))
    if len(consonants) >= MIN_KEY:
        return f"~{consonants}"
    vowelled = _REPEATS.sub(r"\1", re.sub(r"[aeiouy]+$", "", letters))
    return f"={vowelled}" if len(vowelled) >= MIN_KEY and len(consonants) >= 2 else ""


def _mid_sentence(text: str, name: str) -> bool:
    """Whether ``name`` stands in ``text`` after a word or a comma on its line."""
    return re.search(rf"[^\W_][,;:»”)]?[ \t]+{re.escape(name)}(?!\w)", text) is not None


def lookup_keys(name: str) -> list[str]:
    """The keys a question's name is looked up by: its spelling key or short key, and the key of a
    body other languages translate ("Red Cross": Կարմիր խաչ)."""
    return [k for k in (spelling_key(name) or short_key(name), name_key(name)) if k]


def name_spellings(text: str) -> set[tuple[str, str]]:
    """(key, spelling) for every capitalised name (and each of its words) in a text, and for the names
    it writes in Cyrillic, Armenian or Arabic script (transliteration.py): "Kovrin" finds Коврина."""
    out = set()
    for phrase in [m.group(0) for m in _NAME.finditer(text)]:
        for spelling in {phrase, *phrase.replace("-", " ").split()}:
            key = spelling_key(spelling)
            if key and spelling[:1].isupper():
                out.add((key, spelling))
    ukrainian = is_ukrainian(text)
    for spelling in foreign_names(text):
        for form in name_forms(spelling):
            key = spelling_key(form, ukrainian=ukrainian)
            if not key and _mid_sentence(text, spelling):
                # A short word that starts a sentence is as likely a common word (Газ, "gas", is no
                # Gaza): short keys only for names capitalised inside a sentence somewhere.
                key = short_key(form, ukrainian=ukrainian)
            if key:
                out.add((key, spelling))  # the spelling as written: what the keyword search finds
    out.update(translated_names(text))
    return out


def widen_names(names: list[str], text: str) -> list[str]:
    """Each name grown to the full transliterated name it starts in the text ("Deir" -> "Deir ez-Zor")."""
    full = [m.group(0) for m in _NAME.finditer(text)]
    # Only by more words ("Drusk" stays "Drusk" in "Drusk's hospitals").
    return [
        next((f for f in full if f.startswith(n) and f[len(n) : len(n) + 1] in (" ", "-")), n) for n in names
    ]
