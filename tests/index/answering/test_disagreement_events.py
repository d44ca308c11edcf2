"""Disagreements that are real: figures are paired only when they count the same event, denials
against what they deny, and "what did A and B each claim" questions get each side's quote."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.formatting import render_answer
from index.answering.claimants import claimed, same_claimant
from index.answering.disagreement import find_disagreements
from index.answering.events import (
    Event,
    Period,
    context_before,
    event_of,
    is_running_total,
    period_of,
    places_in,
    same_event,
    sites_in,
    years_named,
)
from index.answering.figures import figures_in
from index.answering.parties import (
    asks_each_side,
    belligerents,
    country_of,
    names_party,
    parties_in,
    party_names,
    same_side,
    speaks_for,
)
from index.answering.sides import side_by_side, speaks_only_for
from index.cli.render import format_answer
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.models import Answer, Article, Disagreement, DisputedClaim, DocumentRef, Quote

DAY = date(2025, 3, 12)


def quote(
    text: str,
    speaker: str | None,
    outlet: str | None = "Herald",
    published: date | None = DAY,
    days: tuple[date, ...] = (),
) -> Quote:
    doc = DocumentRef(f"{outlet}-{published}", "a title", outlet, None, published)
    return Quote(text, speaker, 0, len(text), 0.5, doc, event_dates=days)


def pairs(quotes: list[Quote], question: str = "") -> list[tuple[str, list[int]]]:
    return [(d.kind, [c.quote for c in d.claims]) for d in find_disagreements(quotes, question)]


# -- what a claim is about ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "towns", "countries"),
    [
        ("A missile hit the station in Kramatorsk on Friday.", {"Kramatorsk"}, set()),
        ("the shelling of Pellin and fighting near Ozerin", {"Pellin", "Ozerin"}, set()),
        ("fire in the Tovuz district of the state border", {"Tovuz"}, set()),
        ("the village of Ozerin was hit", {"Ozerin"}, set()),
        ("Civilians were killed in Ukraine, officials said.", set(), {"Ukraine"}),
        ("She told reporters at the Defence Ministry in March.", set(), set()),  # an institution, a month
        ("he wrote on Facebook", set(), set()),
        # Named before their noun, or after "capital".
        ("the governor of the Belgorod region said", {"Belgorod"}, set()),
        ("In the capital, Kyiv, the city administration said", {"Kyiv"}, set()),
        # A country's ground by its adjective; ground held by a country is not that country's.
        ("the missile that killed two people on Polish soil", set(), {"Poland"}),
        ("shelling of Russian-held territory", set(), set()),
    ],
)
def test_places_are_towns_and_sites_kept_apart_from_countries(
    text: str, towns: set[str], countries: set[str]
) -> None:
    assert places_in(text) == (frozenset(towns), frozenset(countries))


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("In 2014, more than 100 protesters were killed in Kyiv.", [2014]),
        ("the 2014 protests", [2014]),
        ("killed in March 2022", [2022]),
        ("2000 people were killed", []),  # a count, not a year
        ("Three soldiers were killed.", []),
    ],
)
def test_years_named_are_years_not_counts(text: str, years: list[int]) -> None:
    assert years_named(text) == years


def test_a_quotes_period_is_its_days_else_its_years_else_the_days_before_publication() -> None:
    on_the_day = quote("Three were killed on Sunday.", "A", days=(date(2025, 3, 9),))
    assert period_of(on_the_day) == Period(date(2025, 3, 9), date(2025, 3, 9))
    then = quote("In 2014, 100 protesters were killed.", "A", published=date(2022, 3, 1))
    assert period_of(then) == Period(date(2014, 1, 1), date(2014, 12, 31))
    recent = quote("Three were killed.", "A")
    assert period_of(recent) == Period(date(2025, 3, 11), DAY)
    assert period_of(quote("Three were killed.", "A", published=None)) is None


def event(text: str, q: Quote | None = None) -> Event:
    q = q or quote(text, "A")
    (f, *_) = figures_in(text)
    return event_of(q, f)


def test_same_event_needs_every_known_field_to_agree() -> None:
    pellin = event("Three Orvenian soldiers were killed near Pellin.")
    assert same_event(pellin, event("Eleven Orvenian soldiers were killed at Pellin."))
    assert same_event(pellin, event("Eleven Orvenian soldiers were killed."))  # no place said: unknown
    assert not same_event(pellin, event("Eleven Orvenian soldiers were killed near Ozerin."))  # place
    assert not same_event(pellin, event("Eleven Zeltran soldiers were killed near Pellin."))  # whose
    assert not same_event(pellin, event("Eleven Orvenian soldiers were wounded near Pellin."))  # category
    assert not same_event(pellin, event("Eleven civilians were killed near Pellin."))  # kind
    earlier = quote("Eleven Orvenian soldiers were killed near Pellin.", "B", published=date(2025, 2, 1))
    assert not same_event(pellin, event(earlier.text, earlier))  # period


def test_casualties_covers_killed_and_wounded_but_not_the_other_way_round() -> None:
    some = event("the Armenian side also suffered casualties")
    assert same_event(some, event("no Armenian was killed"))
    assert same_event(event("no Armenian was killed"), some)
    assert not same_event(event("two Armenians were captured"), some)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Armenian", "Amernian", True),  # the seed's typo
        ("Ukraine", "Ukrainians", True),
        ("Russia", "Russian", True),
        ("Israel", "Israelis", True),
        ("Austria", "Australia", False),
        ("Iran", "Iraq", False),
        ("Defence", "Defense", False),
    ],
)
def test_sides_are_matched_by_name_adjective_and_plural(a: str, b: str, same: bool) -> None:
    assert same_side(a, b) is same


# -- pairing ---------------------------------------------------------------------------------------


def test_rival_tolls_for_one_clash_are_paired_with_what_they_are_about() -> None:
    quotes = [
        quote(
            "Three Orvenian soldiers were killed near Pellin on Wednesday.", "Defence Ministry", days=(DAY,)
        ),
        quote("Eleven Orvenian soldiers were killed at Pellin.", "Eastern Command", "Voice"),
    ]
    (d,) = find_disagreements(quotes)
    assert (d.kind, d.category, [c.figure for c in d.claims]) == ("figures", "killed", ["Three", "Eleven"])
    assert d.event == "Pellin · 12 March 2025"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Another year: a 2014 toll beside a 2022 one.
        (
            quote(
                "In 2014, more than 100 protesters were killed in Kyiv.",
                "Historian",
                published=date(2022, 3, 1),
            ),
            quote(
                "At least 12 protesters were killed in Kyiv.", "Police", "Voice", published=date(2022, 3, 1)
            ),
        ),
        # Another place, the same week.
        (
            quote("A strike in Kramatorsk killed 50 civilians.", "Governor"),
            quote("A strike in Vinnytsia killed 23 civilians.", "Mayor", "Voice"),
        ),
        # Another day, the same town.
        (
            quote("Four civilians were killed in Tolvik.", "Governor", days=(date(2025, 3, 5),)),
            quote("Two civilians were killed in Tolvik.", "Mayor", "Voice", days=(date(2025, 3, 18),)),
        ),
        # Another category.
        (
            quote("Three soldiers were killed.", "Ministry"),
            quote("Eleven soldiers were wounded.", "Command", "Voice"),
        ),
        # Another side.
        (
            quote("Three Orvenian soldiers were killed.", "Ministry"),
            quote("Eleven Zeltran soldiers were killed.", "Command", "Voice"),
        ),
        # A running total beside one day's toll.
        (
            quote("Seven people were killed in Pellin.", "Mission"),
            quote("At least 18 people have been killed in Pellin since March 3.", "Observatory", "Voice"),
        ),
    ],
)
def test_figures_about_different_events_are_not_paired(a: Quote, b: Quote) -> None:
    assert find_disagreements([a, b]) == ()


def test_one_claimant_is_one_whatever_its_name_is_cut_to() -> None:
    full = quote("Three soldiers were killed.", "press secretary Shushan Stepanyan")
    short = quote("Five soldiers were killed.", "Stepanyan", "Voice")
    assert same_claimant(full, short)
    assert find_disagreements([full, short]) == ()
    # A generic name is one claimant within one outlet only: two outlets' "Defence Ministry" may be two.
    assert not same_claimant(quote("x", "Defence Ministry"), quote("x", "Defence Ministry", "Voice"))
    # Two bodies of one country speak for it: an update, not a dispute.
    assert same_claimant(quote("x", "Azerbaijani Defense Ministry"), quote("x", "the Azerbaijani military"))


def test_running_totals_of_the_same_day_are_compared() -> None:
    quotes = [
        quote("So far 400 civilians have been killed in Ukraine.", "UN rights office"),
        quote("In total 2,000 civilians have been killed in Ukraine so far.", "Emergency service", "Voice"),
    ]
    (d,) = find_disagreements(quotes)
    assert d.event == "Ukraine · running totals"


def test_running_totals_are_as_of_their_report_not_the_day_they_count_from() -> None:
    # "since the invasion began on March 3": the count is the report's, a week apart is no rivalry.
    since = date(2025, 3, 3)
    quotes = [
        quote("So far 400 civilians have been killed in Ukraine.", "UN rights office", published=DAY),
        quote(
            "At least 900 civilians have been killed since the invasion began on March 3.",
            "Emergency service",
            "Voice",
            published=DAY + timedelta(days=7),
            days=(since,),
        ),
    ]
    assert find_disagreements(quotes) == ()


def test_a_toll_of_children_is_no_rival_to_one_of_all_civilians() -> None:
    quotes = [
        quote("So far 85 children have been killed in Ukraine.", "Interior ministry"),
        quote("So far 847 civilians have been killed in Ukraine.", "UN rights office", "Voice"),
    ]
    assert find_disagreements(quotes) == ()


@pytest.mark.parametrize(
    ("text", "tally"),
    [
        ("More than 2,000 civilians have died, the service said.", True),  # the war so far
        ("Shelling has killed more than 900 people in the city.", True),
        ("In 24 hours, 30 civilians were killed in the region.", True),
        ("Five were killed in rocket attacks over the past day.", True),
        ("Three soldiers were killed in the strike.", False),  # one event
        ("Early reports listed 40 casualties.", False),
    ],
)
def test_running_tallies_are_told_by_their_words_and_tense(text: str, tally: bool) -> None:
    assert is_running_total(text) is tally


def test_one_battles_toll_is_not_paired_with_a_national_tally() -> None:
    quotes = [
        quote("Early reports listed 40 casualties.", None, "Wire"),
        quote("The president said 137 soldiers and civilians have been killed.", "President", "Wire"),
    ]
    assert find_disagreements(quotes) == ()


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("A missile strike on a railway station in Brenmoor", {"station"}),
        ("a kindergarten was hit in the strike", {"kindergarten"}),
        ("a strike that hit a residential apartment block in Tolvik", {"residential building"}),
        ("98 wounded were taken to local hospitals", set()),  # where the wounded went, not what was hit
    ],
)
def test_sites_are_what_was_hit(text: str, sites: set[str]) -> None:
    assert sites_in(text) == frozenset(sites)


def test_two_sites_hit_in_one_strike_are_two_events() -> None:
    quotes = [
        quote("One person died and six were wounded when a missile hit an apartment block in Tolvik.", None),
        quote("A kindergarten was hit in the same strike but no one was injured, the mayor said.", "Mayor"),
    ]
    assert find_disagreements(quotes) == ()


def article(text: str, published: date = DAY, id: str = "a1", outlet: str = "Herald") -> Article:
    return Article(id, "t", outlet, None, published, "given", "en", "", text, 1, "global")


def quoted(a: Article, words: str, speaker: str | None) -> Quote:
    start = a.text.index(words)
    doc = DocumentRef(a.id, a.title, a.outlet, a.url, a.published)
    return Quote(words, speaker, start, start + len(words), 0.5, doc)


def test_the_words_before_a_quote_give_the_day_and_place_it_leaves_unsaid() -> None:
    thursday = date(2025, 3, 13)
    council = article(
        "Rockets hit a market in Tolvik on Monday.\n\nThe council said that shelling left one civilian dead.",
        published=thursday,
    )
    words = "The council said that shelling left one civilian dead."
    context = context_before(council, council.text.index(words))
    assert context.days == (date(2025, 3, 10),) and "Tolvik" in context.text
    tally = article("Officials said 34 civilians were killed in Tolvik.", thursday, "a2", "Voice")
    quotes = [quoted(council, words, "council"), quoted(tally, tally.text, "Officials")]
    assert find_disagreements(quotes) != ()  # alone, both look like Thursday's Tolvik toll...
    by_id = {council.id: council, tally.id: tally}
    assert find_disagreements(quotes, articles=by_id) == ()  # ...but the council spoke of Monday


def test_a_since_date_before_a_quote_is_not_the_day_it_speaks_of() -> None:
    a = article("The siege began on March 3.\nLocal officials say 40 civilians were killed there.")
    words = "Local officials say 40 civilians were killed there."
    assert context_before(a, a.text.index(words)).days == ()


def test_a_claim_of_none_disputes_a_claim_of_some_for_the_same_side() -> None:
    quotes = [
        quote("The military said that the Armenian side also suffered casualties.", "Azerbaijani military"),
        quote("3 soldiers were killed and 5 others were injured.", "Azerbaijani Defense Ministry"),
        quote("She wrote that no Armenian was killed.", "Shushan Stepanyan"),
    ]
    (d,) = find_disagreements(quotes)
    assert (d.category, [(c.quote, c.figure) for c in d.claims]) == ("casualties", [(0, "some"), (2, "no")])


def test_a_denial_is_paired_with_the_claim_it_denies() -> None:
    quotes = [
        quote("Two civilians were killed in Ozerin.", "Zeltran Defence Ministry"),
        quote("Twelve soldiers were killed in Ozerin.", "General Staff", "Voice"),
        quote("Reports that civilians were killed do not correspond to reality.", "Marrenk", "Voice"),
    ]
    assert pairs(quotes) == [("denial", [2, 0])]


def test_the_figures_in_a_denial_are_what_it_denies() -> None:
    quotes = [
        quote("Residents said civilians were killed in Ozerin.", "Residents"),
        quote(
            "The ministry called the footage fake, saying not a single resident suffered.",
            "Ministry",
            "Voice",
        ),
        quote("The ministry denied that 300 civilians were killed in Ozerin.", "Ministry", "Voice"),
    ]
    found = find_disagreements(quotes)
    assert [(d.kind, [c.quote for c in d.claims]) for d in found] == [("figures", [0, 1]), ("denial", [2, 0])]
    assert [c.figure for c in found[0].claims] == ["some", "not a single"]


@pytest.mark.parametrize(
    ("text", "speaker", "figures"),
    [
        # A monitor reporting each side's figures claims none of them.
        ("It cannot confirm 14 Zeltran dead according to the Orvenian Defence Ministry.", "Mission", []),
        # "according to" its own speaker: the speaker's figure.
        ("Six people died in Sloviansk, according to Tetiana Tiurina.", "Tetiana Tiurina", ["Six"]),
        # "according to" no one in particular: kept.
        ("Six people died in Sloviansk, according to the ministry.", "Defence Ministry", ["Six"]),
        # The second half of "X said ..., while Y said ..." is Y's.
        (
            "The Federation said two civilians were killed, while Orvenia said it had killed 12 troops.",
            "Federation",
            ["two"],
        ),
        # A denial's own figure counts; what it denies doesn't.
        ("It said 11 soldiers were killed, and denied that 300 civilians were killed.", "Command", ["11"]),
    ],
)
def test_a_quote_claims_only_its_speakers_figures(text: str, speaker: str, figures: list[str]) -> None:
    assert [f.label for f in claimed(quote(text, speaker))] == figures


def test_a_denial_elsewhere_or_of_nothing_in_particular_is_not_paired() -> None:
    claim = quote("Two civilians were killed in Ozerin.", "Zeltran Defence Ministry")
    other = quote("Two tanks were destroyed near Pellin.", "Eastern Command", "Voice")
    elsewhere = quote("Reports that civilians were killed in Drusk are false.", "Marrenk", "Voice")
    vague = quote("The ministry denied the reports, calling them disinformation.", "Marrenk", "Voice")
    assert find_disagreements([claim, elsewhere]) == ()
    assert find_disagreements([claim, other, vague]) == ()  # it could deny either
    assert pairs([claim, vague]) == [("denial", [1, 0])]  # the only thing it can deny


# -- "what did A and B each claim" ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "parties"),
    [
        ("What did Russia and Ukraine each claim about the Kramatorsk strike?", ("Russia", "Ukraine")),
        ("What do the Armenian MoD and Azerbaijan say about casualties?", ("Armenian MoD", "Azerbaijan")),
        ("How did Israel and Hamas describe the blast?", ("Israel", "Hamas")),
        ("Casualty figures according to Orvenia and Zeltran", ("Orvenia", "Zeltran")),
        ("Russia vs Ukraine: who shelled the plant?", ("Russia", "Ukraine")),
        ("Who reported casualties on July 12?", ()),
        ("What happened in Bosnia and Herzegovina?", ()),
        # Lower-case parties and no "each".
        ("What do the students and the border guards say?", ("students", "border guards")),
        ("What did Russia and Ukraine each claim?", ("Russia", "Ukraine")),
        ("What do you and I say?", ()),  # pronouns name no party
    ],
)
def test_parties_are_read_from_each_claim_questions(question: str, parties: tuple[str, ...]) -> None:
    assert parties_in(question) == parties


@pytest.mark.parametrize(
    ("speaker", "party", "speaks"),
    [
        ("the Russian Defense Ministry", "Russia", True),
        ("Kremlin spokesman Dmitry Peskov", "Russia", True),
        ("Ukraine's General Staff", "Ukraine", True),
        ("President Volodymyr Zelensky", "Ukraine", True),
        ("Ukraine's General Staff", "Russia", False),
        ("the Armenian Ministry of Defense", "Armenian MoD", True),
        ("Hamas officials", "Hamas", True),
        (None, "Russia", False),
        # Where a body sits is not whom it speaks for.
        ("the US Embassy in Kyiv", "Ukraine", False),
        ("the US Embassy in Kyiv", "US", True),
        ("Liu Pengyu, spokesperson for the Chinese embassy in the US", "US officials", False),
        ("Liu Pengyu, spokesperson for the Chinese embassy in the US", "China", True),
        # Every word of a lower-case party's name, in any form.
        ("the State Border Guard Service", "the border guards", True),
    ],
)
def test_a_speaker_speaks_for_a_party_by_its_adjective_or_aliases(
    speaker: str | None, party: str, speaks: bool
) -> None:
    assert speaks_for(speaker, party) is speaks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What does each side claim about the bodies found in Pellin?", True),
        ("Give both sides' accounts of the strike.", True),
        ("What did either side say?", True),
        ("What did Russia and Ukraine each claim?", False),  # the sides are named
        ("What happened in Pellin?", False),
    ],
)
def test_a_question_may_ask_for_each_side_without_naming_them(question: str, asks: bool) -> None:
    assert asks_each_side(question) is asks


def test_the_belligerents_are_the_two_sides_named_in_most_passages() -> None:
    passages = [
        "Russian forces shelled the port overnight.",
        "The Kremlin said the strikes hit military targets.",
        "Kyiv said two civilians were killed.",
        "Ukrainian officials asked for air defense, and Poland sent aid.",
    ]
    assert belligerents(passages) == ("Russia", "Ukraine")
    # Named in one passage only, however often: no second side.
    one = [
        "Russian forces shelled the port.",
        "Moscow said so.",
        "Ukraine, Kyiv and Ukrainian officials denied it.",
    ]
    assert belligerents(one) == ()
    assert belligerents([]) == ()


@pytest.mark.parametrize(
    ("word", "country"),
    [
        ("Russian", "russia"),
        ("Kremlin", "russia"),
        ("Kyiv", "ukraine"),
        ("Ukrainians", "ukraine"),
        ("Israeli", "israel"),
        ("US", "united states"),
        ("Polish", "poland"),
        ("Paris", None),
        ("Monday", None),
    ],
)
def test_the_country_a_word_stands_for(word: str, country: str | None) -> None:
    assert country_of(word) == country


@pytest.mark.parametrize(
    ("speaker", "party", "names"),
    [
        ("the Border Guard Service", "the border guards", True),
        ("Russia's Ministry of Defense", "the defense ministry", True),
        ("President Vladimir Putin", "the defense ministry", False),
        ("Russia", "the defense ministry", False),  # the country, not the party's own name
    ],
)
def test_a_speaker_names_a_party_by_every_word_of_it(speaker: str, party: str, names: bool) -> None:
    assert names_party(speaker, party) is names


def test_a_countrys_names_include_its_capital_and_officials() -> None:
    names = party_names("Russia")
    assert names[0] == "Russia" and {"kremlin", "moscow", "peskov"} <= set(names)
    assert party_names("the students") == ("students",)


def test_of_two_parties_of_one_side_a_speaker_speaks_for_the_one_it_names() -> None:
    parties = ("Putin", "defense ministry")
    assert speaks_only_for("Russia’s Ministry of Defense", "defense ministry", parties)
    assert not speaks_only_for("Russia’s Ministry of Defense", "Putin", parties)
    assert speaks_only_for("President Vladimir Putin", "Putin", parties)
    assert not speaks_only_for("President Vladimir Putin", "defense ministry", parties)
    assert not speaks_only_for(None, "Putin", parties)


def test_each_side_gets_its_best_quote_side_by_side_with_no_conflicting_figure() -> None:
    quotes = [
        quote("Our forces struck only military targets.", "Russian Defense Ministry"),
        quote(
            "The strike hit a railway station full of civilians.", "Ukrainian President Volodymyr Zelensky"
        ),
        quote("Russia used a Tochka-U missile.", "Ukraine's General Staff"),
    ]
    question = "What did Russia and Ukraine each claim about the Kramatorsk strike?"
    (d,) = find_disagreements(quotes, question)
    assert d.kind == "sides"
    assert [(c.party, c.quote) for c in d.claims] == [("Russia", 0), ("Ukraine", 1)]
    assert side_by_side(("Russia", "Ukraine"), quotes[1:]) is None  # one side is missing: no record


@pytest.mark.parametrize(
    "speaker",
    [
        "same day Ukraine",  # a clause cut as a speaker: "... the same day Ukraine declared ..."
        "Ukraine, the president of the European Council",  # Ukraine is a place in a list
    ],
)
def test_a_mis_cut_speaker_does_not_speak_for_a_party(speaker: str) -> None:
    quotes = [
        quote("Our forces struck military targets.", "Russian Defense Ministry"),
        quote("x y z.", speaker),
    ]
    assert side_by_side(("Russia", "Ukraine"), quotes) is None


def test_each_sides_quotes_must_speak_of_nearby_days() -> None:
    russia = quote(
        "Our forces struck military targets.", "Russian Defense Ministry", published=date(2022, 4, 8)
    )
    ukraine = quote(
        "Two missiles hit the station.", "head of Ukraine's rail system", published=date(2022, 10, 31)
    )
    assert side_by_side(("Russia", "Ukraine"), [russia, ukraine]) is None
    later = quote(
        "Two missiles hit the station.", "head of Ukraine's rail system", published=date(2022, 4, 9)
    )
    d = side_by_side(("Russia", "Ukraine"), [russia, ukraine, later])
    assert d is not None and [c.quote for c in d.claims] == [0, 2]


# -- records and rendering -----------------------------------------------------------------------


def test_the_new_fields_are_added_to_the_json_and_the_old_ones_kept() -> None:
    d = Disagreement("killed", (DisputedClaim(0, "A", "3", "soldiers"),), kind="figures", event="Pellin")
    data = json.loads(json.dumps(d.to_dict()))
    assert data == {
        "category": "killed",
        "claims": [{"quote": 0, "claimant": "A", "figure": "3", "subject": "soldiers", "party": ""}],
        "kind": "figures",
        "event": "Pellin",
    }


def seed_like_answer() -> Answer:
    filler = [quote(f"Filler sentence number {n} about the border.", f"Speaker {n}", None) for n in range(5)]
    quotes = (
        quote(
            "The Azerbaijani military said that the Armenian side also suffered casualties.",
            "Azerbaijani military",
            None,
        ),
        *filler,
        quote("Stepanyan wrote on Facebook that no Armenian was killed.", "Shushan Stepanyan", None),
    )
    return Answer("Who reported casualties?", True, quotes, 1, disagreements=find_disagreements(quotes))


def first_page_text(answer: Answer) -> str:
    first = render_answer(answer)[0]
    return "\n".join(e.description or "" for e in first.embeds)


def test_both_sides_of_a_dispute_are_on_the_first_page() -> None:
    answer = seed_like_answer()
    pages = render_answer(answer)
    assert len(pages) == 2  # seven quotes, five a page
    assert "no Armenian was killed" in first_page_text(answer)  # the seventh quote leads with its rival
    assert "the Armenian side also suffered casualties" in first_page_text(answer)
    content = pages[0].content.split("\n")
    assert content[1].startswith("⚖️ Sources disagree — casualties: Azerbaijani military says some")
    # Without the disagreement, the seventh quote is on the second page.
    assert "no Armenian was killed" not in first_page_text(Answer(answer.question, True, answer.quotes, 1))


def test_each_side_reads_as_such_and_both_are_on_the_first_page() -> None:
    answer = seed_like_answer()
    sides = Disagreement(
        "each side",
        (
            DisputedClaim(0, "Azerbaijani military", "says", party="Azerbaijan"),
            DisputedClaim(6, "Shushan Stepanyan", "says", party="Armenia"),
        ),
        kind="sides",
    )
    with_sides = Answer(answer.question, True, answer.quotes, 1, disagreements=(sides,))
    first = render_answer(with_sides)[0]
    assert first.content.split("\n")[1] == (
        "⚖️ Each side — Azerbaijan: Azerbaijani military; Armenia: Shushan Stepanyan"
    )
    assert [e.title for e in first.embeds][:2] == [
        "Azerbaijani military · unknown outlet",
        "Shushan Stepanyan · unknown outlet",
    ]


def test_the_terminal_panel_shows_each_sides_words() -> None:
    text = format_answer(seed_like_answer())
    assert (
        "Sources disagree:\n  ⚖ casualties: Azerbaijani military says some (Armenian side); Shushan" in text
    )
    assert "      [7] Shushan Stepanyan │ Stepanyan wrote on Facebook that no Armenian was killed." in text


# -- the real engine ---------------------------------------------------------------------------------


@pytest.mark.model
async def test_the_seed_pairs_the_azerbaijani_claim_with_the_armenian_denial(
    seed_article: Path, tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    engine = await Engine.open(tmp_path, embedder=embedder)
    try:
        await engine.ingest([str(seed_article)])
        answer = await engine.ask("Who reported casualties on July 12?")
    finally:
        await engine.close()
    texts = [q.text for q in answer.quotes]
    assert any("3 soldiers were killed" in t for t in texts)  # the ministry's figure is still quoted
    (d,) = [d for d in answer.disagreements if d.kind == "figures"]
    sides = {answer.quotes[c.quote].speaker or "": c.figure for c in d.claims}
    assert sides == {
        "Azerbaijani military": "some",
        "press secretary of the Armenian Ministry of Defense Shushan Stepanyan": "no",
    }
    assert "no Armenian was killed" in first_page_text(answer)


@pytest.mark.model
async def test_the_sample_corpus_keeps_its_real_disputes(sample_engine: Engine) -> None:
    for question, figures in (
        ("who reported casualties in Pellin on March 12?", {"Three", "11"}),
        ("who reported casualties in Ozerin on March 20?", {"Two", "12"}),
    ):
        answer = await sample_engine.ask(question)
        (killed,) = [d for d in answer.disagreements if d.category == "killed"]
        assert {c.figure for c in killed.claims} == figures


MARKET = [
    {
        "id": "zv-1",
        "title": "Ministry: no strikes on Tolvik",
        "outlet": "Zeltran Voice",
        "published": "2025-03-06",
        "text": "KORVAST — The Zeltran Defence Ministry said on Thursday that its forces carried out no "
        "strikes on Tolvik this week.\n\nThe Zeltran Defence Ministry called the reports of a rocket "
        "attack on the Tolvik market fabricated.",
    },
    {
        "id": "oh-1",
        "title": "Four killed at Tolvik market",
        "outlet": "Orvenian Herald",
        "published": "2025-03-05",
        "text": "HALVENNA — Four civilians were killed when rockets hit the market in Tolvik on Wednesday, "
        "the Orvenian Interior Ministry said.\n\nThe Orvenian Interior Ministry said the rockets were "
        "fired from Zeltran positions across the river.",
    },
]


@pytest.mark.model
async def test_an_each_claim_question_shows_both_parties_and_the_denial(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    corpus = tmp_path / "market.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in MARKET), encoding="utf-8")
    engine = await Engine.open(tmp_path / "data", embedder=embedder)
    try:
        await engine.ingest([str(corpus)])
        answer = await engine.ask("What did Orvenia and Zeltran each claim about the Tolvik market?")
    finally:
        await engine.close()
    (sides,) = [d for d in answer.disagreements if d.kind == "sides"]
    assert [c.party for c in sides.claims] == ["Orvenia", "Zeltran"]
    assert [answer.quotes[c.quote].speaker for c in sides.claims] == [
        "Orvenian Interior Ministry",
        "Zeltran Defence Ministry",
    ]
    (denial,) = [d for d in answer.disagreements if d.kind == "denial"]
    assert "fabricated" in answer.quotes[denial.claims[0].quote].text
    assert "Four civilians were killed" in answer.quotes[denial.claims[1].quote].text


@pytest.mark.parametrize(
    ("speaker", "party", "parties", "own"),
    [
        # Where a body sits is not whom it speaks for, for bodies abroad only.
        ("officials in Kyiv", "Ukraine", ("Russia", "Ukraine"), True),
        ("US Embassy in Kyiv", "Ukraine", ("Russia", "Ukraine"), False),
        # Two parties of one side: the one named, and of that side.
        ("Russian Defense Minister Sergei Shoigu", "defense ministry", ("Putin", "defense ministry"), True),
        ("Russian Defense Minister Sergei Shoigu", "Putin", ("Putin", "defense ministry"), False),
        ("Ukraine's defense ministry", "defense ministry", ("Putin", "defense ministry"), False),
    ],
)
def test_whose_quote_it_is(speaker: str, party: str, parties: tuple[str, str], own: bool) -> None:
    assert speaks_only_for(speaker, party, parties) is own


def test_regions_are_no_sides_and_both_sides_of_a_border_ask_for_none() -> None:
    passages = [
        "The Crimea bridge was hit, Russia said.",
        "Russian forces in Crimea",
        "Ukraine said",
        "Ukrainian forces",
    ]
    assert belligerents(passages) == ("Russia", "Ukraine")
    assert not asks_each_side("How many were killed on both sides of the border?")


def test_a_count_with_an_aside_is_read_whole() -> None:
    (figure,) = figures_in("At least 14 people, including a child of 3, were killed.")
    assert (figure.category, figure.label) == ("killed", "At least 14")


def test_totals_as_of_different_days_are_no_rivals() -> None:
    quotes = [
        quote(
            "By March 1, 227 civilians had been killed in Ukraine in total.",
            "UN rights office",
            days=(date(2025, 3, 1),),
        ),
        quote(
            "As of March 11, 847 civilians have been killed in Ukraine in total.",
            "Emergency service",
            "Voice",
            days=(date(2025, 3, 11),),
        ),
    ]
    assert find_disagreements(quotes) == ()
