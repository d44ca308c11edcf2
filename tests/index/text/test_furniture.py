"""Page furniture is removed at ingest; reporting is kept verbatim; offsets stay consistent.

The pages and texts here are written for these tests in the shapes the real sites use (a CNN
article and gallery, a USA Today story, a The Week list, wire copy), never copied from them.
"""

from __future__ import annotations

from datetime import date

import pytest

from index.ingest.prepare import clean_article, enrich, prepare
from index.ingest.readers import read_html
from index.models import RawArticle
from index.text.furniture import line_kind, strip_furniture

KEPT = "Shelling resumed near the border on Monday, the ministry said."
ALSO_KEPT = "“We will respond,” the spokesman told reporters."

CNN_ARTICLE = """\
Washington CNN —

The Pentagon will send two more air defense batteries to Ukraine, a senior defense official told CNN on Tuesday.

Video Ad Feedback Official: 'We are in a race against winter' 02:31 - Source: CNN

"The batteries will be in place before the first frost," the official said.

Soldiers unload crates at an airfield near Rzeszow, Poland, on October 4. Jan Nowak/AFP/Getty Images

Get our free weekly newsletter Sign up for CNN's Meanwhile in Europe newsletter here.

1. How relevant is this ad to you?

Video player was slow to load content Video content never loaded Ad froze or did not finish loading Other issues

The package is worth $400 million, according to the official.

This story has been updated with additional reporting.
"""

CNN_GALLERY_LINES = """\
(CNN) Ukraine's grain exports rose for a third month, the agriculture ministry said on Thursday.

Photos: Russia invades Ukraine Firefighters work at a burning depot in Kharkiv, Ukraine, on October 10. Hide Caption 1 of 12

Photos: Russia invades Ukraine Volunteers load flour onto a truck in Lviv on October 8. "We do not stop," one volunteer said. Hide Caption 2 of 12

The ministry said ships left Odesa with 1.2 million tonnes in February.
"""

CNN_GALLERY_PAGE = """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Refugees cross into Moldova as shelling nears Odesa | CNN</title>
<meta property="og:site_name" content="CNN">
<meta property="article:published_time" content="2022-03-03T08:00:00Z">
</head><body><article>
<h1>Refugees cross into Moldova as shelling nears Odesa</h1>
<p>Kyiv, Ukraine (CNN) — Thousands of people crossed the border into Moldova on Thursday as artillery fire
was heard north of Odesa, the regional governor told reporters.</p>
<p>"We counted eleven buses before noon," a border guard at Palanca said.</p>
<div class="gallery">
<p>Photos: Russia invades Ukraine</p>
<p>A tram depot burns in Kharkiv, Ukraine, on October 14. Three workers were hurt, city officials said.</p>
<p>Sergey Petrov/AFP/Getty Images</p>
<p>Hide Caption</p>
<p>1 of 12</p>
<p>Volunteers load flour onto a truck in Lviv on October 12.</p>
<p>Anna Kovalenko/Reuters</p>
<p>Hide Caption</p>
<p>2 of 12</p>
</div>
<p>Video Ad Feedback</p>
<p>Moldovan officials said the camps near the crossing could hold 4,000 people.</p>
<p>The Odesa governor said the port remained open to grain ships.</p>
</article></body></html>
"""

USA_TODAY = """\
WASHINGTON – President Joe Biden met NATO leaders on Thursday to discuss new sanctions, the White House said.

More:Live updates: Russia shells Kharkiv as talks stall

"Our resolve has not changed," Biden told reporters after the meeting.

Sanctions explained:What the new penalties mean for Russia's banks

Need a news break? Check out the all new PLAY hub with puzzles, games and more!

What the war in Ukraine means for Americans: Sign up for USA TODAY's Russia-Ukraine Crisis newsletter.

Officials said the measures would take effect next week.

Contributing: Jane Doe, USA TODAY; Reuters
"""

THE_WEEK = """\
1. Ports reopen in the south

Ukraine reopened two ports on the Black Sea, the Financial Times said.

(Image credit: Jan Kowalski/AFP via Getty Images)

Subscribe to The Week Escape your echo chamber. Get the facts behind the news, plus analysis from multiple perspectives. SUBSCRIBE & SAVE Sign up for The Week's Free Newsletters From our morning news briefing to a weekly Good News Newsletter, get the best of The Week delivered directly to your inbox. Sign up

2. Talks in Istanbul

27 February: Negotiators meet in Istanbul for a first round (Image credit: Ali Demir/Anadolu Agency via Getty Images)

Negotiators will meet again on Friday, Turkey's foreign minister said.

Would you like to receive The WeekDay newsletter ?
"""


def cleaned(text: str, title: str | None = None) -> str:
    return clean_article(text, title).text


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        (
            CNN_ARTICLE,
            (
                "Washington CNN —",
                "Video Ad Feedback",
                "Jan Nowak/AFP",
                "newsletter",
                "How relevant",
                "Video player",
                "This story has been updated",
            ),
            (
                "The Pentagon will send two more air defense batteries to Ukraine, a senior defense official"
                " told CNN on Tuesday.",
                '"The batteries will be in place before the first frost," the official said.',
                "The package is worth $400 million, according to the official.",
            ),
        ),
        (
            CNN_GALLERY_LINES,
            ("(CNN)", "Hide Caption", "Photos:", "October", "We do not stop"),
            (
                "Ukraine's grain exports rose for a third month, the agriculture ministry said on Thursday.",
                "The ministry said ships left Odesa with 1.2 million tonnes in February.",
            ),
        ),
        (
            USA_TODAY,
            ("WASHINGTON –", "More:", "Sanctions explained:", "PLAY hub", "newsletter", "Contributing:"),
            (
                "President Joe Biden met NATO leaders on Thursday to discuss new sanctions, the White House said.",
                '"Our resolve has not changed," Biden told reporters after the meeting.',
                "Officials said the measures would take effect next week.",
            ),
        ),
        (
            THE_WEEK,
            ("Image credit", "Subscribe to The Week", "27 February", "WeekDay"),
            (
                "1. Ports reopen in the south",
                "Ukraine reopened two ports on the Black Sea, the Financial Times said.",
                "Negotiators will meet again on Friday, Turkey's foreign minister said.",
            ),
        ),
    ],
    ids=["cnn-article", "cnn-gallery-lines", "usa-today", "the-week"],
)
def test_furniture_goes_and_reporting_stays_verbatim(
    text: str, gone: tuple[str, ...], kept: tuple[str, ...]
) -> None:
    out = cleaned(text)
    for junk in gone:
        assert junk not in out
    for sentence in kept:
        assert sentence in out.split("\n")  # whole lines, exactly as written


@pytest.mark.parametrize(
    ("junk", "kind"),
    [
        ("Hide Caption", "gallery"),
        ("Photos: Protests spread across Iran", "gallery"),
        (
            "Crowds gather in Tbilisi on May 1. Ana Beridze/AFP/Getty Images Police line the avenue on May 2."
            " Giorgi Tsiklauri/Reuters In pictures: Protests in Georgia Prev Next",
            "gallery",
        ),
        ("A convoy moves near Bakhmut on Tuesday. Maria Lenko/AP", "caption"),
        (
            "Rescue workers search the rubble in Dnipro (Image credit: Petro Ivanov/AFP via Getty Images)",
            "caption",
        ),
        ("FILE - Soldiers march in Kyiv on Aug. 24, 2021. (AP Photo/Efrem Lukatsky, File)", "caption"),
        ("Courtesy Olena Marchenko", "credit"),
        ("Contributing: Jane Doe, USA TODAY; The Associated Press", "credit"),
        ("Contact Jane Doe at jdoe@example.com or follow her on X @janedoe.", "credit"),
        ("Video Ad Feedback Mayor: 'We will rebuild the bridge' 01:42 - Source: CNN", "video"),
        (
            "JUST WATCHED Drone footage shows flooded villages Replay More Videos ... MUST WATCH Drone footage"
            " shows flooded villages 01:10",
            "video",
        ),
        ("Hong Kong CNN Business —", "dateline"),
        (
            "(You can get “5 Things You Need to Know Today” delivered to your inbox daily. Sign up here.)",
            "newsletter",
        ),
        (
            "Thank you for supporting our journalism. You can subscribe to our print edition here.",
            "newsletter",
        ),
        ("Read More", "related"),
        ("Related: Russia says it downed 20 drones over Crimea", "related"),
        ("Fact check:No, that video does not show a strike on Odesa", "related"),
        ("Editor’s Note: Jane Doe is a former diplomat and the author of a book on the Caucasus.", "note"),
        ("This story has been updated with additional developments.", "note"),
    ],
)
def test_a_furniture_line_is_removed(junk: str, kind: str) -> None:
    out = strip_furniture(f"{KEPT}\n\n{junk}\n\n{ALSO_KEPT}")
    assert out.text == f"{KEPT}\n\n{ALSO_KEPT}"
    assert out.removed == {kind: 1}


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("This story is on news of the day in Ukraine for March 3. For the latest news, click here.", "note"),
        ("For the latest updates on the war, click here.", "note"),
        # A caption without a credit, known by the photo desk's note.
        (
            "Two men carry a stretcher in Pellin on Friday. Part of this image has been blurred to protect"
            " the identity of the wounded.",
            "caption",
        ),
        ("This story is about the shelling of the port, the mayor said.", None),
        ("The ministry said the photo had been blurred by censors before it ran.", None),
    ],
)
def test_pointers_to_the_days_news_and_blurred_photo_captions_are_furniture(
    line: str, kind: str | None
) -> None:
    assert line_kind(line) == kind


def test_every_kept_line_is_a_verbatim_tail_of_an_input_line() -> None:
    for text in (CNN_ARTICLE, CNN_GALLERY_LINES, USA_TODAY, THE_WEEK):
        lines = text.split("\n")
        for line in cleaned(text).split("\n"):
            assert not line or any(original.endswith(line) for original in lines)


@pytest.mark.parametrize(
    "reporting",
    [
        "NATO – the alliance's 30 members – agreed on Tuesday to send more troops, officials said.",
        "Residents can sign up for evacuation buses at the town hall, the mayor said.",
        "He wrote in his weekly newsletter that the offensive had stalled.",
        "Photographers from Getty Images and Reuters were detained, the union said.",
        "The ministry published photos of the strike taken on Thursday.",
        "TPA – Tampa International Airport",
        "ATACMS − Army Tactical Missile Systems – are missiles with a range of up to 190 miles.",
        "Correspondents said 3 of 12 districts had lost power.",
        "Kharkiv: Shelling hit a school and two homes overnight, the governor said on Telegram.",
        "Jake Tapper (CNN) asked the senator whether the aid would pass.",
        "The rabbi said: It feels like open season.",
        "If you see a suspicious email in your inbox, report it, the FBI said.",
    ],
)
def test_reporting_that_looks_like_furniture_is_kept(reporting: str) -> None:
    text = f"{KEPT}\n\n{reporting}\n\n{ALSO_KEPT}"
    assert cleaned(text) == text


@pytest.mark.parametrize(
    ("line", "rest"),
    [
        ("KYIV, Ukraine (CNN) — Russian forces shelled the city overnight.", "Russian forces shelled"),
        ("(CNN)Russian forces shelled the city overnight.", "Russian forces shelled"),
        ("MOSCOW (AP) — The Kremlin said talks would resume.", "The Kremlin said"),
        ("KYIV, March 3 (Reuters) - Russian forces shelled the city overnight.", "Russian forces shelled"),
        ("GAZA CITY — Aid trucks crossed at Rafah on Sunday, officials said.", "Aid trucks crossed"),
        ("NOGALES, Sonora – Migrants waited at the crossing on Monday.", "Migrants waited"),
        ("Kyiv, Ukraine CNN — Russian forces shelled the city overnight.", "Russian forces shelled"),
    ],
)
def test_a_dateline_is_cut_and_the_rest_kept(line: str, rest: str) -> None:
    out = strip_furniture(f"{line}\n\n{KEPT}")
    first = out.text.split("\n")[0]
    assert first.startswith(rest) and line.endswith(first)
    assert out.removed["dateline"] == 1 and out.dateline and line.startswith(out.dateline)


def test_a_cut_dateline_still_dates_an_undated_article() -> None:
    text = (
        "KYIV, March 3 (Reuters) - Russian forces shelled Kharkiv overnight, officials said on March 2, 2022."
    )
    p = prepare(RawArticle(text=text, outlet="Reuters"), None)
    assert p is not None
    assert p.text.startswith("Russian forces shelled")
    assert p.raw.published == date(2022, 3, 3) and p.published_from == "dateline"


def test_a_given_date_wins_over_the_dateline() -> None:
    text = "KYIV, March 3 (Reuters) - Russian forces shelled Kharkiv overnight, officials said."
    p = prepare(RawArticle(text=text, published=date(2022, 3, 4)), "given")
    assert p is not None and p.raw.published == date(2022, 3, 4) and p.published_from == "given"


def test_offsets_stay_consistent_and_no_quote_starts_with_a_dateline() -> None:
    raw = RawArticle(text=CNN_ARTICLE + "\n" + CNN_GALLERY_LINES + "\n" + USA_TODAY, id="mix")
    p = prepare(raw, None)
    assert p is not None
    for chunk in p.chunks:
        assert chunk.text == p.text[chunk.start : chunk.end]
    claims = enrich(p).claims
    assert claims
    for claim in claims:
        assert claim.text == p.text[claim.start : claim.end]
        if claim.speaker is not None:
            assert claim.speaker == p.text[claim.speaker_start : claim.speaker_end]
    for start in [c.start for c in p.chunks] + [c.start for c in claims]:
        assert not p.text[start:].startswith(("(CNN)", "WASHINGTON", "Washington CNN", "KYIV"))


def test_gallery_captions_do_not_take_the_pages_date() -> None:
    """Captions from October under a page published March 3: dropped, so no quote or date comes of them."""
    raw = read_html(CNN_GALLERY_PAGE.encode(), "https://example.org/2022/03/03/moldova", "page.html")
    assert raw.published == date(2022, 3, 3)
    p = prepare(raw, "page")
    assert p is not None
    for junk in ("October", "Hide Caption", "1 of 12", "Getty Images", "Reuters", "Photos:", "Video Ad"):
        assert junk not in p.text
    assert all(month != 10 for _, month, _ in p.mentioned_dates)
    e = enrich(p)
    assert all(day.month != 10 for days in e.chunk_days for day in days)
    assert not any("tram depot" in c.text or "flour" in c.text for c in e.claims)
    assert '"We counted eleven buses before noon," a border guard at Palanca said.' in p.text
    assert p.text.startswith("Thousands of people crossed the border into Moldova")


def test_a_dated_segment_of_a_live_page_keeps_its_own_date_in_its_text() -> None:
    """A timeline entry says its date in its own words: it is reporting, kept, and dated by its text."""
    text = "December 7, 2022 - Time magazine names Zelensky its Person of the Year.\n\n" + KEPT
    p = prepare(RawArticle(text=text, published=date(2023, 2, 1)), "given")
    assert p is not None and p.text == text
    assert date(2022, 12, 7) in {d for days in enrich(p).chunk_days for d in days}


@pytest.mark.parametrize(
    ("title", "first"),
    [
        (
            "Refugees cross into Moldova as shelling nears Odesa | CNN",
            "Refugees cross into Moldova as shelling nears Odesa",
        ),
        (
            "Refugees cross into Moldova as shelling nears Odesa",
            "Refugees cross into Moldova as shelling nears Odesa",
        ),
        (
            "One million refugees flee Ukraine as Russia escalates ... - CNN",
            "One million refugees flee Ukraine as Russia escalates attacks",
        ),
    ],
)
def test_the_headline_repeated_as_first_line_goes(title: str, first: str) -> None:
    out = strip_furniture(f"{first}\n\n{KEPT}", title)
    assert out.text == KEPT and out.removed["headline"] == 1


def test_a_first_sentence_that_starts_like_a_truncated_title_stays() -> None:
    text = "One million refugees flee Ukraine as Russia escalates attacks on cities, the UN said.\n\n" + KEPT
    assert (
        strip_furniture(text, "One million refugees flee Ukraine as Russia escalates ... - CNN").text == text
    )


def test_share_buttons_one_per_line_go() -> None:
    text = f"{KEPT}\nShare\nFacebook\nTwitter\nEmail\n{ALSO_KEPT}"
    assert cleaned(text) == f"{KEPT}\n{ALSO_KEPT}"


@pytest.mark.parametrize("text", [CNN_ARTICLE, CNN_GALLERY_LINES, USA_TODAY, THE_WEEK])
def test_cleaning_is_a_fixed_point(text: str) -> None:
    once = clean_article(text, "A title")
    again = clean_article(once.text, "A title")
    assert again.text == once.text and not again.removed


def test_a_page_of_nothing_but_furniture_is_not_stored() -> None:
    text = "Photos: Russia invades Ukraine\n\nHide Caption\n\n1 of 3\n\nVideo Ad Feedback\n\nRead More"
    assert prepare(RawArticle(text=text), None) is None
