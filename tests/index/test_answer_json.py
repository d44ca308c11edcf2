"""An answer survives its JSON shape: what the bot saves is what it shows after a restart."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import HealthCheck, given, settings

from index.answer_json import answer_from_dict
from index.models import Answer
from tests.bot.test_formatting import answers


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers)
def test_an_answer_comes_back_from_its_json_as_it_was(answer: Answer) -> None:
    rounded = replace(answer, quotes=tuple(replace(q, score=round(q.score, 4)) for q in answer.quotes))
    back = answer_from_dict(json.loads(json.dumps(answer.to_dict())))
    assert back == rounded
