"""Watch alerts and the watch list: within Discord's limits for any answer, and nothing in them pings."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.alerts import BUSY_ALERTS, render_alert, render_watch_list
from index.models import Answer, DocumentRef, Quote, Watch
from index.watching.matching import Alert
from tests.bot.fakediscord import validate_message
from tests.bot.test_formatting import UNESCAPED_MENTION, answers, nasty_text


def watch(query: str = "civilians killed in Pellin", **changes: object) -> Watch:
    w = Watch(1, "3000", "4000", query, "9001", "2026-12-06T07:00:00+00:00", 0)
    return replace(w, **changes)


def payload(content: str, embeds: list) -> dict:  # type: ignore[type-arg]
    return {"content": content, "embeds": [e.to_dict() for e in embeds], "allowed_mentions": {"parse": []}}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers.filter(lambda a: bool(a.quotes)), st.one_of(nasty_text, st.text(max_size=300)), st.integers(0, 30)
)
def test_any_alert_is_within_discords_limits_and_pings_no_one(answer: Answer, query: str, posts: int) -> None:
    alert = Alert(watch(query), answer, len(answer.quotes), {}, 9, answer, answer.disagreements)
    content, embeds = render_alert(alert, posts_today=posts)
    assert validate_message(payload(content, embeds)) == []
    text = content + "".join((e.title or "") + (e.description or "") for e in embeds)
    assert not UNESCAPED_MENTION.search(text)


def test_an_alert_groups_quotes_by_the_day_they_speak_of_oldest_first() -> None:
    from datetime import date

    def quote(text: str, day: date, outlet: str) -> Quote:
        return Quote(
            text,
            "Tova Rennick",
            0,
            1,
            0.9,
            DocumentRef(text, "School hit", outlet, None, date(2025, 3, 21)),
            event_dates=(day,),
        )

    later = quote("Two civilians were killed in Pellin.", date(2025, 3, 20), "Ossel Courier")
    earlier = quote("A shell hit the Pellin school yard.", date(2025, 3, 18), "Brenmoor Gazette")
    answer = Answer("civilians killed in Pellin", True, (later, earlier), 2)
    content, embeds = render_alert(Alert(watch(), answer, 2, {}, 9))
    assert content == "🔔 **Watch #1** “civilians killed in Pellin”: 2 new articles."
    assert [e.title for e in embeds] == ["18 March 2025", "20 March 2025"]
    assert "Tova Rennick" in (embeds[0].description or "") and "/watch remove 1" in (
        embeds[-1].footer.text or ""
    )


def test_a_busy_watch_suggests_narrowing_it() -> None:
    answer = Answer("q", True, (Quote("x", None, 0, 1, 0.5, DocumentRef("a", None, None, None, None)),), 1)
    alert = Alert(watch(), answer, 1, {}, 9)
    assert "Narrow it" not in render_alert(alert, posts_today=BUSY_ALERTS - 1)[0]
    assert f"posted {BUSY_ALERTS} times in 24 hours" in render_alert(alert, posts_today=BUSY_ALERTS)[0]


def test_the_watch_list_fits_one_embed_however_many_watches() -> None:
    many = [
        watch("@everyone " + "w" * 290, id=n, alerts=n, enabled=n % 2 == 0, disabled_reason="gone")
        for n in range(60)
    ]
    embed = render_watch_list(many)
    assert len(embed.description or "") <= 4096 and "more" in (embed.description or "")
    assert not UNESCAPED_MENTION.search(embed.description or "")
    assert "None yet" in (render_watch_list([]).description or "")


def test_one_days_long_quotes_go_on_in_a_second_embed_within_4096_characters() -> None:
    """Escaping grows a quote (every @everyone gains a character): the day's embed must still fit."""
    text = ("word *@everyone* " * 60)[:1002]
    quotes = tuple(
        Quote(text, None, 0, 1, 0.5, DocumentRef(str(n), None, None, None, None)) for n in range(5)
    )
    answer = Answer("q", True, quotes, 5)
    content, embeds = render_alert(Alert(watch(), answer, 5, {}, 9))
    assert validate_message(payload(content, embeds)) == []
    assert len(embeds) >= 2 and len({e.title for e in embeds}) == 1
    assert all(len(e.description or "") <= 4096 for e in embeds)
