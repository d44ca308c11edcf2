import pytest

from index.text.cleaning import LANGUAGE_NAMES, clean_text, guess_language, passage_language, title_from_text
from tests.conftest import SEED

BEFORE = "Shelling resumed near the border on Monday, the ministry said."
AFTER = "“We will respond,” the spokesman told reporters."


def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("../shared is absent")
    return SEED.read_text(encoding="utf-8")


# --- clean_text: the real seed --------------------------------------------------------------------


def test_seed_boilerplate_is_removed() -> None:
    cleaned = clean_text(seed_text())
    for gone in ("PayPal", "BTC", "ETH", "BCH", "0x9f4c", "patreon", "Consider helping us", "2,500 $"):
        assert gone not in cleaned
    assert "The video analysis below was released in May 2020:" not in cleaned
    assert not any(line.strip().endswith("$") for line in cleaned.splitlines())


def test_seed_reporting_is_kept_verbatim() -> None:
    text = seed_text()
    cleaned = clean_text(text)
    original_lines = set(text.replace("\u00a0", " ").splitlines())
    kept = [line for line in cleaned.splitlines() if line]
    assert all(line in original_lines for line in kept)  # whole lines, never rewritten
    paragraphs = [p for p in text.replace("\u00a0", " ").split("\n") if p.strip()]
    for needle in (
        "3 soldiers were killed and 5 others were injured",
        "Stepanyan said. “After warning the Armenian side",
        "Shushan Stepanyan wrote on Facebook",
        "#ԿԱՐԵՎՈՐ",
        "Posted by Shushan Stepanyan on Sunday, July 12, 2020",
        "The Azerbaijani Defense Ministry:",
        "Azerbaijani forces pound positions of the Armenian military:",
        "At Least 4 Azerbaijani Soldiers Killed In Resumed Border Clashes With Armenian Forces (Video)",
    ):
        line = next(p for p in paragraphs if needle in p)
        assert line.rstrip() in cleaned.splitlines()


def test_seed_cleaning_is_idempotent() -> None:
    once = clean_text(seed_text())
    assert clean_text(once) == once


# --- clean_text: boilerplate kinds ----------------------------------------------------------------


@pytest.mark.parametrize(
    "junk",
    [
        "PayPal: someone@example.org, http://example.org/donate/",
        "BTC: 1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
        "BCH ABC: qpf2cphc5dkuclkqur7lhj2yuqq9pk3hmukle77vhq",
        "ETH: 0x52908400098527886E0F7030069857D2E4169EE7",
        "LTC: LQ3B36Yv2rBTxdgAdYpU2UcEZsaNwXeATk",
        "XMR: 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A",
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "Bitcoin: 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
        "Patreon: https://www.patreon.com/example",
        "Support us on Patreon!",
        "Donate",
        "Donate now to keep our reporting free",
        "Support us",
        "Do you like this content? Consider helping us!",
        "Share this:",
        "Share this article",
        "Share on Facebook",
        "Share on Twitter",
        "Subscribe",
        "Subscribe to our YouTube channel",
        "Sign up for our newsletter",
        "Follow us on Telegram and X",
        "Click here to read the full report",
        "Read more: Ceasefire talks stall in Geneva",
        "Related: Ukraine says drone hit depot",
        "Advertisement",
        "ADVERTISEMENT - SCROLL TO CONTINUE",
        "We use cookies to improve your experience. Accept all cookies",
        "This website uses cookies.",
        "0 $",
        "2,500 $",
        "$5",
        "€ 10",
        "5 USD",
        "£1,000.00",
        "(Video)",
        "[Video]",
        "[embedded content]",
        "Video Player",
        "Your browser does not support the video tag.",
        "Photos:",
    ],
)
def test_boilerplate_line_is_removed(junk: str) -> None:
    text = f"{BEFORE}\n\n{junk}\n\n{AFTER}"
    assert clean_text(text) == f"{BEFORE}\n\n{AFTER}"


@pytest.mark.parametrize(
    "reporting",
    [
        "The U.S. pledged to donate 10 ambulances to Kharkiv hospitals.",
        "Donated equipment arrived in Kyiv on Tuesday.",
        "Subscribers to the channel reported explosions near the airport.",
        "Residents were told to subscribe to emergency alerts, the governor said, as sirens sounded again.",
        "Share prices of defence firms rose 5% after the announcement.",
        "Related talks are expected to resume next week in Istanbul.",
        "The ministry published a video of the strike on its Telegram channel.",
        "Footage below the bridge showed burned-out vehicles.",
        "Bitcoin: the new war chest of sanctioned oligarchs",
        "He said 2,500 $-denominated bonds were frozen.",
        "2020",
        "At Least 4 Soldiers Killed In Resumed Border Clashes (Video)",
        "The Azerbaijani Defense Ministry:",
        "Read the statement in full below, the ministry urged, adding that it would brief diplomats later.",
    ],
)
def test_reporting_line_is_kept(reporting: str) -> None:
    text = f"{BEFORE}\n\n{reporting}\n\n{AFTER}"
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A lead-in at the end, or followed only by removed lines, introduces media that is gone.
        (f"{BEFORE}\n\nWatch the video below:\n\n\n", BEFORE),
        (f"{BEFORE}\n\nThe footage was published on Sunday:\n\nShare this\n\nDonate", BEFORE),
        (f"{BEFORE}\n\nPhotos of the damage:\n[embedded content]\n\n{AFTER}", f"{BEFORE}\n\n{AFTER}"),
        (f"{BEFORE}\nSee the video:\nWatch below:\n(Video)\n{AFTER}", f"{BEFORE}\n{AFTER}"),
        # A lead-in followed by reporting is kept: the text after it may be what it introduces.
        (f"{BEFORE}\n\nStepanyan wrote in a Facebook post:\n\n{AFTER}", None),
        (f"{BEFORE}\n\nThe ministry said:\n", f"{BEFORE}\n\nThe ministry said:"),
    ],
)
def test_media_lead_ins(text: str, expected: str | None) -> None:
    assert clean_text(text) == (text if expected is None else expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.\r\nTwo.\r\n\r\nThree.", "One.\nTwo.\n\nThree."),
        ("One.\rTwo.", "One.\nTwo."),
        ("Trailing spaces.   \t\nNext.", "Trailing spaces.\nNext."),
        ("On\u00a0Sunday,\u00a0troops\u202fmoved.", "On Sunday, troops moved."),
        ("One.\n\n\n\n\nTwo.", "One.\n\nTwo."),
        ("One.\n  \n \t \n\nTwo.", "One.\n\nTwo."),
        ("\n\n\nOne.\n\n\n", "One."),
        ("\ufeffOne.", "One."),
        ("    Indented quote stays indented.", "    Indented quote stays indented."),
        ("", ""),
        ("Share this\nDonate\n", ""),
    ],
)
def test_whitespace_is_normalised(text: str, expected: str) -> None:
    assert clean_text(text) == expected


def test_typography_is_never_altered() -> None:
    text = "“Quoted,” he said — ‘it’s over’… «Да». 12:30-ի"
    assert clean_text(text) == text


# --- guess_language -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The army said that it had repelled the attack and that the enemy was forced to retreat.", "en"),
        ("L'armée a déclaré que les forces ennemies ont été repoussées dans la nuit par les unités.", "fr"),
        (
            "Die Armee sagte, dass der Angriff in der Nacht abgewehrt wurde und die Truppen sich zurückzogen.",
            "de",
        ),
        (
            "El ejército dijo que las fuerzas del enemigo fueron rechazadas por la noche y que no hay muertos.",
            "es",
        ),
        (
            "L'esercito ha detto che le forze nemiche sono state respinte durante la notte e che non ci sono morti.",
            "it",
        ),
        (
            "O exército disse que as forças do inimigo foram repelidas durante a noite e que não há mortos.",
            "pt",
        ),
        ("Het leger zei dat de aanval in de nacht werd afgeslagen en dat er geen doden zijn gevallen.", "nl"),
        (
            "Ordu, saldırının gece püskürtüldüğünü ve bu çatışmada kayıp olmadığını açıkladı, ancak daha çok.",
            "tr",
        ),
        ("Армия заявила, что атака была отбита ночью, потерь нет, сообщили в штабе.", "ru"),
        ("Армія заявила, що атаку було відбито вночі, втрат немає, повідомили в штабі.", "uk"),
        ("قال الجيش إن الهجوم صد خلال الليل ولم تقع إصابات", "ar"),
        ("ارتش گفت که حمله در شب دفع شد و هیچ تلفاتی نداشت و پیگیری می‌کند", "fa"),
        ("Բանակը հայտնել է, որ հարձակումը հետ է մղվել", "hy"),
        ("הצבא אמר כי ההתקפה נהדפה במהלך הלילה", "he"),
        ("არმიამ განაცხადა, რომ შეტევა მოიგერიეს", "ka"),
        ("军队表示，袭击在夜间被击退，没有人员伤亡。", "zh"),
        ("軍は、攻撃は夜間に撃退され、死傷者はいないと発表した。", "ja"),
        ("군은 공격이 밤사이 격퇴되었다고 밝혔다", "ko"),
        ("Ο στρατός δήλωσε ότι η επίθεση αποκρούστηκε", "el"),
        ("", "und"),
        ("12345 !!! 2020-07-12", "und"),
        ("Kyiv Tovuz Baku", "und"),
    ],
)
def test_guess_language(text: str, expected: str) -> None:
    assert guess_language(text) == expected


def test_seed_language_is_judged_on_the_majority() -> None:
    text = clean_text(seed_text())
    assert "ԿԱՐԵՎՈՐ" in text  # an Armenian line inside English reporting
    assert guess_language(text) == "en"


# --- title_from_text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "body"),
    [
        ("# Shelling in Tovuz\n\nThe army said.\n", "Shelling in Tovuz", "The army said.\n"),
        ("## Shelling in Tovuz ##\nThe army said.", "Shelling in Tovuz", "The army said."),
        ("\n\nShelling in Tovuz\n\n\nThe army said.", "Shelling in Tovuz", "\n\nThe army said."),
        (
            "Shelling in Tovuz (Video)\r\n\r\nThe army said.\r\n",
            "Shelling in Tovuz (Video)",
            "The army said.\r\n",
        ),
        ("Shelling in Tovuz\n=================\nThe army said.", "Shelling in Tovuz", "The army said."),
        (
            "0 $\n2,500 $\n\nShelling in Tovuz\n\nThe army said.",
            "Shelling in Tovuz",
            "0 $\n2,500 $\n\nThe army said.",
        ),
    ],
)
def test_title_is_taken_from_the_first_heading_line(text: str, title: str, body: str) -> None:
    assert title_from_text(text) == (title, body)


@pytest.mark.parametrize(
    "text",
    [
        "The army said it repelled the attack.\n\nMore text.",
        "Who fired first?\n\nNobody knows.",
        "The Azerbaijani Defense Ministry:\n\n“We hold.”",
        "“We hold,”\n\nthe ministry said.",
        ("word " * 50).strip() + "\n\nBody.",
        "#ԿԱՐԵՎՈՐ hashtag line\n\nBody.",
        "Only a heading",
        "# Only a heading\n\n",
        "",
    ],
)
def test_no_title_leaves_text_untouched(text: str) -> None:
    assert title_from_text(text) == (None, text)


def test_seed_title() -> None:
    text = seed_text()
    title, body = title_from_text(text)
    assert (
        title
        == "At Least 4 Azerbaijani Soldiers Killed In Resumed Border Clashes With Armenian Forces (Video)"
    )
    assert title not in body
    assert body.startswith("0 $\n")  # boilerplate above the title stays for clean_text to drop
    assert "3 soldiers were killed and 5 others were injured" in body
    assert clean_text(body).startswith("At least 4 Azerbaijani soldiers have been killed")


def test_a_video_lead_in_is_dropped_even_when_reporting_follows() -> None:
    text = "The mayor spoke at noon.\nWatch the video below:\nThe council met again on Friday.\n"
    assert clean_text(text) == "The mayor spoke at noon.\nThe council met again on Friday."


def test_a_caption_lead_in_without_media_words_is_kept_before_reporting() -> None:
    text = "Border units exchange fire near the ridge:\nThe ministry said two posts were hit."
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("passage", "article", "expected"),
    [
        ("Shelling hit Ozerin.", "en", "en"),  # too short to count function words: the article's
        ("Утром противник обстрелял Озерин.", "en", "ru"),  # another script: its own
        ("Ранком ворог обстріляв Озерин, загинули троє людей.", "en", "uk"),
        ("قال المرصد إن ثلاثة مدنيين قتلوا", "en", "ar"),
        ("Shelling hit Ozerin.", "ru", "und"),  # Latin letters in a Russian article: not Russian
        ("12,000", "hy", "hy"),  # no letters: the article's
        ("Պաշտպանության նախարարությունը հայտնում է", "en", "hy"),
    ],
)
def test_a_passage_keeps_its_articles_language_unless_its_script_differs(
    passage: str, article: str, expected: str
) -> None:
    assert passage_language(passage, article) == expected
    assert expected == "und" or expected in LANGUAGE_NAMES  # every code an answer shows has a name
