"""Names in Cyrillic, Armenian and Arabic script share spelling keys with their Latin spellings."""

from __future__ import annotations

import pytest

from index.text.place_names import name_spellings, short_key, spelling_key
from index.text.transliteration import foreign_names, in_other_script, name_forms, to_latin


@pytest.mark.parametrize(
    ("latin", "written", "ukrainian"),
    [
        ("Kovrin", "Коврина", False),  # genitive: its ending is a vowel
        ("Livenka", "Ливенкой", False),
        ("Kharkiv", "Харків", True),
        ("Hradiv", "Градові", True),  # Ukrainian г is h
        ("Gorelovo", "Горелово", False),  # Russian г is g
        ("Aygepar", "Այգեպար", False),
        ("Tavush", "Տավուշի", False),
        ("Tel Warda", "تل وردة", False),
    ],
)
def test_a_latin_spelling_and_the_written_name_share_a_key(latin: str, written: str, ukrainian: bool) -> None:
    assert spelling_key(latin) == spelling_key(written, ukrainian=ukrainian) != ""


def test_case_endings_and_alternations_give_the_stem_a_key_too() -> None:
    assert name_forms("Дорнвиком") == ["Дорнвиком", "Дорнвик"]
    assert name_forms("Բերդում") == ["Բերդում", "Բերդ"]
    assert "Вербівка" in name_forms("Вербівці")  # Ukrainian к → ц before і
    assert name_forms("Ozerin") == ["Ozerin"]


def test_names_are_found_by_capitals_and_in_arabic_after_a_place_noun() -> None:
    assert foreign_names("Утром противник обстрелял Коврин.") == ["Утром", "Коврин"]
    assert "Այգեպար" in foreign_names("Կրակ է բացվել Այգեպար գյուղի ուղղությամբ։")
    # Arabic has no capitals: only what follows "town", "district", "hospital" ... is a name.
    arabic = foreign_names("غارة جوية على سوق بلدة تل وردة أسفرت عن مقتل خمسة مدنيين")
    assert "تل" in arabic and "تل وردة" in arabic and "غارة" not in arabic


def test_stored_spellings_of_a_russian_report() -> None:
    spellings = name_spellings("Над Ливенкой сбиты беспилотники. Железная дорога до Дорнвиком восстановлена.")
    keys = {key for key, _ in spellings}
    assert spelling_key("Livenka") in keys and spelling_key("Dornvik") in keys
    assert ("lvnk", "Ливенкой") in spellings  # stored as written: what the keyword search matches


def test_scripts() -> None:
    assert in_other_script("Коврин") and in_other_script("Այգեպար") and in_other_script("تل وردة")
    assert not in_other_script("Kovrin")
    assert to_latin("Kovrin") == "kovrin"  # Latin passes through


@pytest.mark.parametrize(
    ("latin", "written"),
    [
        ("Lava", "Лаву"),  # two consonants: the letters, less the case ending
        ("Lava", "Лавой"),
        ("Al-Rahma", "الرحمة"),  # ح is a consonant of its own, ة the ending -a
        ("Zahraa", "الزهراء"),  # ز then ه: no "zh"
        ("Homs", "حمص"),
    ],
)
def test_names_too_short_for_a_spelling_key_share_a_short_key(latin: str, written: str) -> None:
    assert spelling_key(latin) == spelling_key(written) == ""
    assert short_key(latin) == short_key(written) != ""


def test_short_keys_keep_short_names_apart_and_only_names_in_other_scripts_store_them() -> None:
    assert short_key("Lev") != short_key("Lava") and short_key("Kovrin") == ""
    assert short_key("Bab") == short_key("Ana") == ""  # still too short
    stored = name_spellings("Мост через реку Лаву. Lava flows. Газ подорожал. Нет данных.")
    assert (short_key("Lava"), "Лаву") in stored
    assert all(spelling != "Lava" for _, spelling in stored)  # English words never get one
    # A short word starting a sentence is as likely a common one: Газ ("gas") is no Gaza.
    assert not {"Газ", "Нет"} & {spelling for _, spelling in stored}
    assert (short_key("Gaza"), "Газа") in name_spellings("Удары по сектору Газа продолжаются.")
