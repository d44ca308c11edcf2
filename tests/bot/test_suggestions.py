"""``bot.suggestions``: what autocomplete offers for a typed prefix, and the per-server cache."""

from __future__ import annotations

from unittest import mock

from bot.suggestions import Suggestions, choices
from index.models import OutletLabel


def test_choices_put_names_starting_with_the_typed_text_first_and_fit_discords_limits() -> None:
    names = ["Northline Wire", "The Northern Post", "Orvenian National Herald", "X" * 150]
    assert [c.value for c in choices(names, "north")] == ["Northline Wire", "The Northern Post"]
    assert [c.value for c in choices(names, "")][:3] == names[:3]
    long = choices(names, "xxx")
    assert len(long[0].name) == 100 and len(long[0].value) == 100
    assert len(choices([f"Outlet {n}" for n in range(60)], "out")) == 25


async def test_a_servers_lists_are_cached_until_forgotten() -> None:
    engine = mock.Mock()
    engine.store.search.outlets = mock.AsyncMock(return_value=["Zeltran Voice", "Brenmoor Gazette"])
    engine.outlet_labels = mock.AsyncMock(return_value=[OutletLabel("Zeltran Voice", "state media")])
    suggestions = Suggestions(engine)
    assert await suggestions.outlets(3000) == ["Brenmoor Gazette", "Zeltran Voice"]
    assert await suggestions.outlets(3000) == ["Brenmoor Gazette", "Zeltran Voice"]
    engine.store.search.outlets.assert_awaited_once_with(("global", "3000"))
    assert await suggestions.labels(3000) == ["state media"]
    suggestions.forget(3000)
    await suggestions.labels(3000)
    assert engine.outlet_labels.await_count == 2
