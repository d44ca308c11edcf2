"""``sitrep timeline``, run in-process (the console script's ``main``) on the seed article and on bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from index.cli import main
from index.embedding.torch_encoder import SentenceTransformerEmbedder

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
QUERY = "casualties in July 2020"  # what a reader of the July 2020 border clashes would type


@pytest.fixture
def reuse_model(monkeypatch: pytest.MonkeyPatch, embedder: SentenceTransformerEmbedder) -> None:
    """Each command loads the session's model instead of loading it again."""
    monkeypatch.setattr("index.embedding.torch_encoder.SentenceTransformerEmbedder", lambda name: embedder)


def sitrep(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def ingest_seed(capsys: pytest.CaptureFixture[str], data: Path, seed: Path, *meta: str) -> None:
    code, out, err = sitrep(capsys, data, "ingest", "--no-progress", *meta, str(seed))
    assert code == 0 and out.startswith("1 article added"), (out, err)


def by_claimant(points: list[dict[str, Any]], words: str) -> list[dict[str, Any]]:
    return [p for p in points if words in p["claimant"]]


@pytest.mark.model
@pytest.mark.parametrize(
    "meta",
    [(), ("--outlet", "South Front", "--published", "2020-07-13")],
    ids=["as-saved", "with-outlet-and-date"],
)
def test_the_seed_timeline_has_the_ministrys_figures_and_the_armenian_denial_on_july_12(
    seed_article: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    reuse_model: None,
    meta: tuple[str, ...],
) -> None:
    data, png = tmp_path / "data", tmp_path / "timeline.png"
    ingest_seed(capsys, data, seed_article, *meta)
    code, out, err = sitrep(capsys, data, "timeline", "--json", "--png", str(png), QUERY)
    assert code == 0, err
    timeline = json.loads(out)  # standard output is the JSON alone; the chart's line goes to stderr
    assert timeline["found"] is True and timeline["query"] == QUERY
    ministry = by_claimant(timeline["points"], "Azerbaijani Defense Ministry")
    assert [(p["day"], p["figure"], p["value"], p["category"], p["denial"]) for p in ministry] == [
        ("2020-07-12", "3", 3.0, "killed", False),
        ("2020-07-12", "5", 5.0, "wounded", False),
    ]
    assert "3 soldiers were killed and 5 others were injured" in ministry[0]["quote"]
    [denial] = by_claimant(timeline["points"], "Armenian Ministry of Defense Shushan Stepanyan")
    assert (denial["day"], denial["figure"], denial["value"], denial["category"], denial["subject"]) == (
        "2020-07-12",
        "no",
        0.0,
        "killed",
        "Armenian",
    )
    assert denial["denial"] is True and "no Armenian was killed" in denial["quote"]
    assert all(p["title"].startswith("At Least 4 Azerbaijani Soldiers Killed") for p in timeline["points"])
    days = [p["day"] for p in timeline["points"]]
    assert days == sorted(days)
    # Each side's claim about Armenian losses, as the answer pairs them.
    assert any({c["figure"] for c in d["claims"]} == {"some", "no"} for d in timeline["disagreements"]), (
        timeline["disagreements"]
    )

    data_png = png.read_bytes()
    assert data_png.startswith(PNG_SIGNATURE)
    from matplotlib.image import imread

    assert imread(io.BytesIO(data_png), format="png").shape[:2] == (700, 1200)
    assert f"chart: {png}" in err


@pytest.mark.model
def test_the_terminal_list_dates_each_claim(
    seed_article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], reuse_model: None
) -> None:
    ingest_seed(capsys, tmp_path, seed_article, "--outlet", "South Front", "--published", "2020-07-13")
    code, out, _ = sitrep(capsys, tmp_path, "timeline", QUERY)
    assert code == 0
    assert out.startswith(f"Timeline: {QUERY}\n")
    assert "2020-07-12  Azerbaijani Defense Ministry: 3 killed (soldiers)\n" in out
    assert "2020-07-12  reported by South Front: at least 4 killed (Azerbaijani soldiers)\n" in out
    assert "Shushan Stepanyan: none killed (Armenian) — a denial\n" in out
    assert "South Front · 2020-07-13 · “At Least 4 Azerbaijani Soldiers Killed" in out


@pytest.mark.model
def test_nothing_found_says_so_in_one_line_and_draws_nothing(
    seed_article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], reuse_model: None
) -> None:
    ingest_seed(capsys, tmp_path / "data", seed_article)
    png = tmp_path / "timeline.png"
    code, out, err = sitrep(
        capsys,
        tmp_path / "data",
        "timeline",
        "--png",
        str(png),
        "What is the best recipe for sourdough bread?",
    )
    assert code == 2
    assert out == "No timeline: Nothing in the archive answers that. No chart was drawn.\n", (out, err)
    assert not png.exists()
    code, out, _ = sitrep(capsys, tmp_path / "data", "timeline", "--json", "sourdough bread recipes")
    assert code == 2
    assert json.loads(out) == {
        "query": "sourdough bread recipes",
        "found": False,
        "note": "Nothing in the archive answers that.",
        "points": [],
        "disagreements": [],
    }


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("", "No timeline: The question is empty."),
        ("   ", "No timeline: The question is empty."),
        ("casualties in Tovuz " * 50 + "x", "No timeline: The question is 1,001 characters long"),
    ],
    ids=["empty", "blank", "1001-characters"],
)
def test_bad_queries_are_one_clear_line_and_no_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], query: str, says: str
) -> None:
    png = tmp_path / "timeline.png"
    code, out, _ = sitrep(capsys, tmp_path / "data", "timeline", "--png", str(png), query)
    assert code == 2
    assert out.startswith(says) and out.count("\n") == 1
    assert not png.exists()


@pytest.mark.model
def test_a_1000_character_query_is_searched_and_answered_in_one_line(
    seed_article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], reuse_model: None
) -> None:
    """1,000 characters is the longest question searched (``coverage.MAX_QUESTION_CHARS``)."""
    ingest_seed(capsys, tmp_path, seed_article)
    query = ("bread " * 167)[:1000]
    code, out, _ = sitrep(capsys, tmp_path, "timeline", query)
    assert len(query) == 1000 and code == 2
    assert out.startswith("No timeline: ") and out.count("\n") == 1
