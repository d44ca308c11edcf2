"""Bodies whose names other languages translate ("Red Cross": Կարմիր խաչ) are found under one key."""

from __future__ import annotations

import pytest

from index.text.place_names import lookup_keys, name_spellings
from index.text.translated_names import name_key, translated_names


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Сотрудники Красного Креста раздали одеяла.", "Красного Креста"),  # genitive
        ("Червоний Хрест відкрив пункт.", "Червоний Хрест"),
        ("وقال والصليب الأحمر إن القافلة وصلت", "والصليب الأحمر"),  # with the prefix "and"
        ("Կարմիր խաչը բաժանել է ծանրոցներ։", "Կարմիր խաչը"),  # with the article
        ("Помощь Червоному Хресту надійшла.", "Червоному Хресту"),  # dative
    ],
)
def test_the_red_cross_in_four_languages(text: str, written: str) -> None:
    assert translated_names(text) == [(name_key("Red Cross"), written)]
    assert (name_key("ICRC"), written) in name_spellings(text)


def test_acronyms_keep_their_endings_and_only_capitals_name_a_body() -> None:
    assert translated_names("Представитель ООН и ՄԱԿ-ի ներկայացուցիչ") == [
        ("@united nations", "ООН"),
        ("@united nations", "ՄԱԿ-ի"),
    ]
    assert translated_names("Возможность перемирия") == []  # "Воз…" is no ВОЗ (WHO)
    assert translated_names("قال الأمين العام للأمم المتحدة") == [("@united nations", "للأمم المتحدة")]


@pytest.mark.parametrize(
    "text",
    ["Европейские союзники заявили о поддержке.", "Красная Крестьянская улица", "Хрестик на карті"],
)
def test_words_that_only_begin_like_a_body_are_none(text: str) -> None:
    assert translated_names(text) == []  # "European allies", a street, "a little cross"
    assert name_key("the UN") == name_key("U.N.") == name_key("United Nations") == "@united nations"
    assert name_key("Who") == "" and name_key("WHO") == "@world health organization"
    assert name_key("Nato") == name_key("NATO") == "@nato"  # a house style writes it so
    assert name_key("Kovrin") == ""


def test_a_question_name_is_looked_up_by_each_of_its_keys() -> None:
    assert lookup_keys("Red Cross") == ["rdcrs", "@red cross"]
    assert lookup_keys("Lava") == ["=lav"]
    assert lookup_keys("Bab") == []
