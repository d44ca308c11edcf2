"""Side by side: each party's quote about what an "each claim" question asks, and who speaks for a party."""

from __future__ import annotations

from datetime import date

from index.answering.disagreement import find_disagreements
from index.answering.events import places_in
from index.answering.framing import at_the_asked_places
from index.answering.planning import QueryPlan
from index.answering.sides import on_topic, question_topic, side_by_side, speaks_only_for
from index.models import DocumentRef, Quote

DAY = date(2022, 3, 9)


def quote(text: str, speaker: str | None, published: date = DAY) -> Quote:
    doc = DocumentRef(f"doc-{published}-{speaker}", "a title", "Herald", None, published)
    return Quote(text, speaker, 0, len(text), 0.5, doc)


def test_the_topic_is_the_questions_own_lower_case_words_stemmed() -> None:
    topic = question_topic("Who bombed the maternity hospital in Mariupol? Give each side's claim.")
    assert topic == {"bomb", "maternity", "hospital"}  # no names, places, asking words or "side's"
    assert on_topic("Russian planes were bombing the city.", topic)
    assert not on_topic("Officials reported continued shelling in Mariupol.", topic)
    assert on_topic("anything at all", question_topic("What did Russia and Ukraine each claim?"))
    # Words ending in "e", plurals and possessives meet their other forms.
    fired = question_topic("Who fired the missiles at the hospitals?")
    assert on_topic("A missile was fire from the north.", fired)
    assert on_topic("The hospital's roof fell.", fired)
    assert not on_topic("Officials met in the capital.", fired)


def test_each_sides_quote_is_about_what_was_asked_before_it_is_the_highest_ranked() -> None:
    quotes = [
        quote("Ukrainian forces had equipped combat positions within the hospital.", "Maria Zakharova"),
        quote("Evacuations were halted after continued shelling in the city.", "Ukrainian officials"),
        quote("Direct strike of Russian troops at the maternity hospital.", "Zelensky"),
    ]
    question = "Who bombed the maternity hospital in Mariupol? What did Russia and Ukraine each claim?"
    (d,) = [d for d in find_disagreements(quotes, question) if d.kind == "sides"]
    assert [(c.party, c.quote) for c in d.claims] == [("Russia", 0), ("Ukraine", 2)]
    # Without the question, the named and higher-ranked quote stands for Ukraine, as before.
    plain = side_by_side(("Russia", "Ukraine"), quotes)
    assert plain is not None and [c.quote for c in plain.claims] == [0, 1]


def test_a_person_named_with_a_title_after_a_comma_speaks_for_the_party() -> None:
    adviser = "Oleksiy Arestovych, an adviser to Ukrainian President Volodymyr Zelenskyy"
    assert speaks_only_for(adviser, "Ukraine", ("Russia", "Ukraine"))
    # A party before a comma is still an item of a list, not the speaker.
    assert not speaks_only_for(
        "Ukraine, the president of the European Council", "Ukraine", ("Russia", "Ukraine")
    )


def test_a_speaker_named_by_an_office_of_a_partys_body_speaks_for_the_party() -> None:
    # "On Monday, the chairman of Ukraine's state nuclear power company, Petro Kotin, said Russia was
    # storing 14 units of heavy military equipment": Ukraine's side of the Zaporizhzhia question.
    for office in ("chairman", "director", "mayor", "governor"):
        speaker = f"{office} of Ukraine’s state nuclear power company, Petro Kotin"
        assert speaks_only_for(speaker, "Ukraine", ("Ukraine", "Russia")), speaker
    # A lower-case word that is no office is a mis-cut clause, not a name.
    assert not speaks_only_for("same day Ukraine’s company", "Ukraine", ("Ukraine", "Russia"))


def test_a_toll_in_another_country_is_no_rival_to_one_for_the_asked_town() -> None:
    kyiv = quote(
        "In the capital, Kyiv, the city military administration said one person had been killed.", "x"
    )
    poland = quote("Leaders said the missile that killed two people in Polish territory was Ukrainian.", "y")
    assert places_in(poland.text)[1] >= {"Poland"}
    (d,) = [d for d in find_disagreements([kyiv, poland]) if d.kind == "figures"]
    plan = QueryPlan("How many were killed in Kyiv?", ("killed",), ("killed",), (), (), ("Kyiv",), (), False)
    assert at_the_asked_places([d], [kyiv, poland], plan) == ()
