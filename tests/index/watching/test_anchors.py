"""A watch's first look (the names an article must hold, its topic words in one run of sentences) and
its last look (a quote says the topic): cheap, and never ruling out what answers the watch."""

from __future__ import annotations

import pytest

from index.watching.anchors import ArticleWords, anchors_of

SCHOOL = (
    "Two civilians were killed in Pellin on Thursday when shells hit the village school, the provincial"
    " administration said. The Ossel Valley Monitoring Mission said it would send a patrol on Friday."
)
HURRICANE = (
    "A hurricane-force wind warning was in effect for the waters south of Long Island on Monday. Ferries"
    " stayed in port. Elsewhere, fishermen said attacks by seals on their nets had become common."
)


@pytest.mark.parametrize(
    ("watch", "quote", "said"),
    [
        ("civilians killed in Pellin", "Two civilians were killed in Pellin on Thursday.", True),
        ("civilians killed in Pellin", "Two civilians died in the village on Thursday.", True),  # a variant
        (
            "casualties in Tovuz",
            "3 soldiers were killed and 5 others were injured.",
            True,
        ),  # casualties: killed
        ("civilians killed in Pellin", "The school had been empty for a week.", False),
        ("drone attacks on Moscow", "Hackers attacked the Moscow parliament's email servers.", False),
        ("Houthi attacks in the Red Sea", HURRICANE.split(". ")[0], False),
        ("NATO membership for Finland", "Finland is not a member of NATO.", True),
        ("Who reported casualties in Pellin on March 12?", "Three soldiers were killed at Pellin.", True),
        ("Wagner", "Wagner fighters left the town.", True),  # a watch that is a name: the quote names it
        ("Wagner", "Fighters left the town.", False),
    ],
)
async def test_a_quote_says_the_watchs_topic(watch: str, quote: str, said: bool) -> None:
    assert (await anchors_of(watch)).said_by(quote) is said


async def test_the_first_look_needs_the_names_and_the_topic_in_one_run_of_sentences() -> None:
    pellin = await anchors_of("civilians killed in Pellin")
    assert pellin.admit(ArticleWords.of(SCHOOL))
    assert not pellin.admit(ArticleWords.of(SCHOOL.replace("Pellin", "Tarsa")))  # the name is missing
    # The topic words far apart (civilians in the first sentence, killed in the sixth): no quote says both.
    far = (
        "Civilians queued for bread in Pellin. " + "The market was quiet. " * 4 + "Two soldiers were killed."
    )
    assert not pellin.admit(ArticleWords.of(far))
    assert pellin.admit(ArticleWords.of("Civilians queued in Pellin. Two were killed."))  # a run of sentences
    houthi = await anchors_of("Houthi attacks in the Red Sea")
    assert not houthi.admit(ArticleWords.of(HURRICANE))


async def test_a_name_of_several_words_is_held_where_they_stand_together() -> None:
    leader = await anchors_of("Who is the new Islamic State leader?")
    apart = (
        "To his followers the preacher is an Islamic reformer and a leader of a movement that"
        " the State Department has long watched."
    )
    assert not leader.admit(ArticleWords.of(apart))  # each word is there, the name is not
    together = "The Islamic State named a new leader on Sunday, the group's channel said."
    assert leader.admit(ArticleWords.of(together)) and leader.said_by(together)
    assert ArticleWords.of(together).writes(("islamic", "state"))
    assert not ArticleWords.of(apart).writes(("islamic", "state"))


async def test_an_alerts_quote_stands_where_its_article_names_the_watchs_actor() -> None:
    leader = await anchors_of("Who is the new Islamic State leader?")
    text = (
        "The Islamic State named a new leader on Sunday, the group's channel said. He was a judge in"
        " its courts. Officials said he had fought in Mosul.\n\nElsewhere, a preacher living in"
        " exile was described by his followers as a leader of a peaceful movement. His rivals disagree."
    )
    near = text.index("He was a judge")
    assert leader.named_near(text, near, near + len("He was a judge in its courts."))
    far = text.index("Elsewhere")
    assert not leader.named_near(text, far, text.index(" His rivals"))
    # A place is looked for in the whole article (a casualty figure rarely repeats the town), and a
    # watch that is only a name has its quotes name it (said_by).
    tovuz = await anchors_of("casualties in Tovuz")
    report = "Fighting resumed near Tovuz. " + "Shelling went on. " * 5 + "Three soldiers were killed."
    assert tovuz.named_near(report, report.index("Three"), len(report))
    assert (await anchors_of("Wagner")).named_near(text, far, far + 10)


def test_a_name_is_written_together_across_hyphens_and_possessives_in_any_case() -> None:
    assert ArticleWords.of("the nagorno-karabakh ceasefire held").writes(("nagorno", "karabakh"))
    assert ArticleWords.of("THE ISLAMIC STATE'S NEW LEADER").writes(("islamic", "state"))
    assert ArticleWords.of("the Islamic State’s leader").writes(("islamic", "state"))
    assert not ArticleWords.of("an Islamic scholar said the State would act").writes(("islamic", "state"))


async def test_a_name_is_found_in_another_script() -> None:
    tovuz = await anchors_of("shelling of Tovuz")
    russian = "Артиллерия обстреляла Товуз. Обстрел продолжался всю ночь, shelling was reported."
    assert tovuz.admit(ArticleWords.of(russian))


async def test_every_quote_an_article_could_be_quoted_with_passes_its_first_look() -> None:
    """The first look is a necessary condition of the last: an article with a quote that says the
    topic is always admitted (checked on each sentence of the articles above)."""
    checked = 0
    for watch in ("civilians killed in Pellin", "patrol on Friday", "wind warning", "attacks by seals"):
        anchors = await anchors_of(watch)
        for text in (SCHOOL, HURRICANE):
            for sentence in text.split(". "):
                if anchors.said_by(sentence) and all(
                    any(ArticleWords.of(text).writes(ws) for ws in spellings)
                    for spellings, _ in anchors.names
                ):
                    assert anchors.admit(ArticleWords.of(text)), (watch, sentence)
                    checked += 1
    assert checked == 4  # each watch is said by one of the sentences
