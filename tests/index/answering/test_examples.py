"""Example questions for /help: built from the archive's events, and each one answers."""

from __future__ import annotations

import pytest

from index.answering.examples import example_questions
from index.engine import Engine
from index.models import GLOBAL_SCOPE

pytestmark = pytest.mark.model


async def test_the_examples_name_the_archives_events_and_each_answers(sample_engine: Engine) -> None:
    examples = await example_questions(sample_engine, (GLOBAL_SCOPE,), wanted=3)
    assert len(examples) >= 2
    assert examples[0] == "who reported casualties in Pellin on 12 March 2025?"  # the most reported event
    for question in examples:
        assert (await sample_engine.ask(question)).found, question


async def test_an_archive_without_events_has_no_examples(sample_engine: Engine) -> None:
    assert await example_questions(sample_engine, ("a-server-with-no-sources",)) == []
