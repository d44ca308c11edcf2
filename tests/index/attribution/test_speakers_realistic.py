"""Who a quote is attributed to, on sentences shaped like real war reporting.

Each rule of ``index.attribution`` that decides a speaker has cases here, written for these tests in
the shapes CNN / USA Today / AP copy has (the texts of ``../shared/data`` are never copied): agents
only (no document noun, event or number as the speaker), names trimmed, third-person positions of
bodies, a role and its appositive name, role nouns resolved to the nearest fitting name, and
``None`` ("unattributed") when the text does not say. The last tests check the sample corpus's
``Its spokesperson, Major General Oren Castavy, denied ...`` and that the speaker dev set
(``index/evaluation/speaker_devset.jsonl``) and the held-out set (``speaker_heldout.jsonl``), both
scored by ``benchmarks/speakers.py``, still point at the sentences they were labelled on.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from index.attribution.claims import extract_claims, speaker_at
from index.attribution.passes import speakers_for
from index.engine import Engine
from index.ingest.readers import read_html
from index.text.cleaning import clean_text
from index.text.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[3]
LABELS = ROOT / "index" / "evaluation"
REALTIMEQA = ROOT.parent / "shared" / "data" / "realtimeqa" / "docs_conflict_subset.jsonl"


def speaker_of(text: str, fragment: str) -> str | None:
    """The speaker of the sentence holding ``fragment``, as ``speakers_for`` gives it."""
    sentences = split_sentences(text)
    at = text.index(fragment)
    index = next(i for i, (s, e) in enumerate(sentences) if s <= at < e)
    return speakers_for(text, sentences)[index]


def quote_speaker_of(text: str, fragment: str) -> str | None:
    """The speaker an answer shows for that sentence: its claim's, else the sentence's."""
    sentences = split_sentences(text)
    at = text.index(fragment)
    index = next(i for i, (s, e) in enumerate(sentences) if s <= at < e)
    s, e = sentences[index]
    return speaker_at(extract_claims(text, sentences), s, e) or speakers_for(text, sentences)[index]


def both(text: str, fragment: str) -> tuple[str | None, str | None]:
    return speaker_of(text, fragment), quote_speaker_of(text, fragment)


# --- Agents only: documents, events and numbers are not speakers --------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        # A statement nobody in the text issued: unattributed, not "statement".
        (
            "Volunteers lined up outside recruiting offices in Lviv on Monday.\n\n"
            "Anyone who wants to join should contact an embassy, the statement said.",
            "Anyone who wants",
        ),
        ("Preliminary figures show at least 40 people were killed in the strike.", "Preliminary figures"),
        ("According to official documents, the decree was signed in 2014.", "official documents"),
        ("The attack killed at least 14 people and wounded 30 others.", "The attack killed"),
        ("Videos of the explosion showed a car on fire at the side of the road.", "Videos of"),
        ("“The building is gone,” someone in the video says.", "The building"),
        ("Twelve percent said they were not sure, the survey of 1,000 adults found.", "Twelve percent"),
        ("Lavrov will speak on Saturday, but no Western country has said if it will meet him.", "no Western"),
    ],
)
def test_non_agents_are_unattributed(text: str, fragment: str) -> None:
    assert both(text, fragment) == (None, None)


def test_statement_resolves_to_its_issuer() -> None:
    text = (
        "The Russian Defense Ministry said in a statement that several munitions had exploded at the base.\n\n"
        "A fire was being extinguished and the cause was being investigated, the statement said."
    )
    assert both(text, "A fire was") == ("Russian Defense Ministry", "Russian Defense Ministry")


@pytest.mark.parametrize(
    ("text", "fragment", "issuer"),
    [
        (
            "On Saturday, the UK’s Ministry of Defence’s latest intelligence assessment said Russian forces "
            "were 25 kilometers from the capital.\n\n"
            "But the intelligence assessment warned, “this is likely to support an attempt to encircle the city.”",
            "But the intelligence",
            "UK’s Ministry of Defence",
        ),
        (
            "Fighting near the town was limited, according to a report last year from the Center for "
            "Strategic and International Studies.\n\n"
            "The same report also noted that the system proved vulnerable to missile defenses.",
            "The same report",
            "Center for Strategic and International Studies",
        ),
        (
            "Support for sanctions remains strong, a new Monmouth University poll out Monday finds.\n\n"
            "Over three-quarters of those polled back the sanctions, the poll found.",
            "Over three-quarters",
            "Monmouth University",
        ),
        (
            "The Azov regiment said in a statement to CNN that it had nothing to do with the party.\n\n"
            "“It would be absurd to think that we are united by that idea,” the Azov statement added.",
            "It would be absurd",
            "Azov",
        ),
    ],
)
def test_document_nouns_resolve_to_the_issuer_the_text_names(text: str, fragment: str, issuer: str) -> None:
    assert speaker_of(text, fragment) == issuer


def test_trailing_attribution_beats_a_document_source() -> None:
    text = (
        "According to preliminary figures, 137 Ukrainian soldiers have been killed since the invasion "
        "began, Zelensky said, with another 316 wounded."
    )
    assert both(text, "137") == ("Zelensky", "Zelensky")


def test_event_subject_with_a_named_claimant() -> None:
    text = (
        "Russian strikes on the TV tower killed five people and wounded others, Ukrainian authorities said."
    )
    assert both(text, "Russian strikes") == ("Ukrainian authorities", "Ukrainian authorities")


# --- Names trimmed --------------------------------------------------------------------------------


def test_no_stray_word_before_a_title_and_name() -> None:
    text = (
        "Russia struck a crowded shopping mall in Kremenchuk on Monday, an act President Volodymyr "
        "Zelenskyy called “one of the most daring terrorist attacks in European history.”"
    )
    assert speaker_of(text, "Kremenchuk") == "President Volodymyr Zelenskyy"


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        (
            "“The launch is recklessly threatening the security of the region,” Australian Foreign Affairs "
            "Minister, Penny Wong, tweeted on Wednesday.",
            "The launch",
            "Penny Wong",
        ),
        (
            "The Zeltran Foreign Ministry confirmed the talks. Its spokesperson, Mirela Dastani, said in a "
            "statement that the Federation favoured “a phased exchange, beginning with the wounded.”",
            "Its spokesperson",
            "Mirela Dastani",
        ),
    ],
)
def test_a_role_then_its_name_speaks_as_the_name(text: str, fragment: str, speaker: str) -> None:
    assert both(text, fragment) == (speaker, speaker)


# --- Third-person positions of bodies -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        (
            "The International Atomic Energy Agency sent a team to the plant.\n\n"
            "The IAEA did not blame either side for the shelling, but it expressed serious concerns.",
            "did not blame",
            "IAEA",
        ),
        ("Moscow has warned that any weapons convoy would be a legitimate target.", "Moscow", "Moscow"),
        ("The Kremlin has repeatedly denied that it plans to invade.", "Kremlin", "Kremlin"),
        ("Ukraine has accused Russia of burying bodies in mass graves.", "Ukraine", "Ukraine"),
        (
            "Ukraine has rejected a Russian offer to allow two safe corridors out of the besieged city.",
            "rejected",
            "Ukraine",
        ),
        (
            "A spokesman for Zelensky also disputed the official’s characterization of the call.",
            "disputed",
            "spokesman for Zelensky",
        ),
        (
            "It is unclear how many civilians have died, but the UN Human Rights Monitoring Mission "
            "estimates there have been 750 civilian casualties.",
            "estimates",
            "UN Human Rights Monitoring Mission",
        ),
    ],
)
def test_third_person_positions_of_bodies(text: str, fragment: str, speaker: str) -> None:
    assert speaker_of(text, fragment) == speaker


def test_a_monitors_figure_is_not_credited_to_a_body_named_before() -> None:
    text = (
        "Ukraine’s Sports Committee said 100 athletes had been killed in the war.\n\n"
        "As of August 22, the Office of the UN High Commissioner for Human Rights (OHCHR) recorded 5,587 "
        "civilian deaths in Ukraine, though it notes that the actual figures are considerably higher."
    )
    assert both(text, "As of August") == (
        "Office of the UN High Commissioner for Human Rights",
        "Office of the UN High Commissioner for Human Rights",
    )


# --- Role nouns and pronouns resolve to the nearest fitting name ------------------------------------


def test_the_ministry_is_the_nearest_named_ministry() -> None:
    text = (
        "The Orvenian Defence Ministry said three soldiers died.\n\n"
        "The Ukrainian prosecutor’s office has launched an investigation into the strike. In a statement, "
        "it said preliminary data shows the colony was struck.\n\n"
        "The Zeltran Foreign Ministry confirmed the talks on Monday.\n\n"
        "The ministry said the exchange would take place in Lisenne."
    )
    assert speaker_of(text, "In a statement") == "Ukrainian prosecutor’s office"
    assert speaker_of(text, "the exchange would") == "Zeltran Foreign Ministry"


def test_the_president_is_the_president_named_before() -> None:
    text = (
        "President Joe Biden spoke at a summit in Washington on Thursday.\n\n"
        "“This so-called referendum was a sham,” the President said."
    )
    assert both(text, "so-called") == ("President Joe Biden", "President Joe Biden")


def test_a_stance_verb_does_not_become_the_antecedent_of_he() -> None:
    text = (
        "“Things are bad,” added James Nixey, director of the Russia program at London-based think tank "
        "Chatham House.\n\n"
        "“Now Russia has decided it’s going to up the ante,” he said."
    )
    assert both(text, "Now Russia") == ("James Nixey", "James Nixey")


def test_he_in_the_same_sentence_is_its_subject() -> None:
    text = (
        "Senator Mark Ellison opened the hearing on Tuesday.\n\n"
        "Fifa president Gianni Infantino fails to defuse the row with an hour-long speech in which he "
        "declares: “Today I feel Qatari.”"
    )
    assert speaker_of(text, "Fifa president") == "Fifa president Gianni Infantino"


@pytest.mark.parametrize(
    "text",
    [
        "“We will withstand,” he said.",  # no antecedent at all
        "Some of the windows were broken. “It was like a movie,” she said.",
    ],
)
def test_no_antecedent_is_unattributed(text: str) -> None:
    assert speakers_for(text, split_sentences(text))[-1] is None


def test_one_diplomat_is_a_speaker() -> None:
    text = "“This would have been a climate summit,” one diplomat told CNN."
    assert speaker_of(text, "climate") == "one diplomat"


# --- The sample corpus ----------------------------------------------------------------------------


def test_sample_corpus_its_spokesperson_is_castavy() -> None:
    page = ROOT / "index" / "samples" / "boilerplate-page.html"
    raw = read_html(page.read_bytes(), None, page.name)
    text = clean_text(raw.text)
    fragment = "Its spokesperson, Major General Oren Castavy, denied"
    assert fragment in text
    assert both(text, fragment) == ("Major General Oren Castavy", "Major General Oren Castavy")
    # The officer quoted before him keeps his own sentence.
    assert speaker_of(text, "fragments found at the scene") == (
        "Lieutenant Colonel Piet Arvander, spokesperson for the General Staff"
    )


@pytest.mark.model
async def test_sample_corpus_answer_credits_castavy(sample_engine: Engine) -> None:
    answer = await sample_engine.ask(
        "What did the Zeltran Defence Ministry say about the missile strike on Tolvik Regional Hospital?",
        k=10,
    )
    quotes = [q for q in answer.quotes if q.text.startswith("Its spokesperson, Major General Oren Castavy")]
    assert quotes, [q.text[:60] for q in answer.quotes]
    assert {q.speaker for q in quotes} == {"Major General Oren Castavy"}


# --- The labelled sets still point at what was labelled -------------------------------------------


@pytest.mark.parametrize("name", ["speaker_devset.jsonl", "speaker_heldout.jsonl"])
def test_speaker_label_hashes_match_the_data(name: str) -> None:
    rows = [
        json.loads(line) for line in (LABELS / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert 50 <= len(rows) <= 300
    for row in rows:
        assert set(row) <= {"article", "start", "end", "sha1", "kind", "speaker", "head", "named_earlier"}
        assert "text" not in row  # spans and hashes only: the data's text stays out of the repository
        assert (row["speaker"] is None) == ("head" not in row)
    if not REALTIMEQA.exists():
        pytest.skip("../shared/data is absent: the labelled spans cannot be checked")
    wanted = {row["article"] for row in rows}
    texts = {}
    with REALTIMEQA.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["id"] in wanted:
                texts[record["id"]] = record["text"]
    for row in rows:
        span = texts[row["article"]][row["start"] : row["end"]]
        assert hashlib.sha1(span.encode()).hexdigest()[:12] == row["sha1"], row
