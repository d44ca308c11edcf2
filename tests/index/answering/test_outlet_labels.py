"""Outlet labels: set per scope, shown next to citations, and an option to leave labelled outlets out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index.cli import commands as cli
from index.cli.render import format_answer
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from index.engine import Engine
from index.errors import LabelError
from index.models import GLOBAL_SCOPE, OutletLabel

pytestmark = pytest.mark.model

OZERIN = "who reported casualties in Ozerin on March 20?"


async def test_labels_show_next_to_citations_and_can_leave_outlets_out(sample_engine: Engine) -> None:
    assert await sample_engine.label_outlet("zeltran voice", " state   media ") is True
    assert await sample_engine.outlet_labels() == [OutletLabel("zeltran voice", "state media")]

    answer = await sample_engine.ask(OZERIN)
    labelled = [q for q in answer.quotes if q.document.outlet == "Zeltran Voice"]
    assert labelled and all(q.document.label == "state media" for q in labelled)
    assert all(q.document.label is None for q in answer.quotes if q.document.outlet != "Zeltran Voice")
    assert "Zeltran Voice [state media] · 2025-03-20" in format_answer(answer)
    assert answer.to_dict()["quotes"][answer.quotes.index(labelled[0])]["document"]["label"] == "state media"

    without = await sample_engine.ask(OZERIN, exclude_labels=["State Media"])
    assert without.found and without.filters.excluded_labels == ("State Media",)
    assert all(q.document.outlet != "Zeltran Voice" for q in without.quotes)
    assert without.articles_searched == answer.articles_searched - 1
    assert "leaving out outlets labelled State Media" in format_answer(without)


async def test_one_servers_labels_are_invisible_from_another(sample_engine: Engine) -> None:
    await sample_engine.label_outlet("Zeltran Voice", "party to the conflict", scope="111", by="42")
    assert await sample_engine.outlet_labels(GLOBAL_SCOPE) == []
    assert await sample_engine.outlet_labels("222") == []
    mine = await sample_engine.ask(OZERIN, scopes=(GLOBAL_SCOPE, "111"))
    theirs = await sample_engine.ask(OZERIN, scopes=(GLOBAL_SCOPE, "222"))
    assert any(q.document.label == "party to the conflict" for q in mine.quotes)
    assert all(q.document.label is None for q in theirs.quotes)
    left_out = await sample_engine.ask(
        OZERIN, scopes=(GLOBAL_SCOPE, "222"), exclude_labels=["party to the conflict"]
    )
    assert any(q.document.outlet == "Zeltran Voice" for q in left_out.quotes)  # not their label


async def test_bad_labels_are_clear_errors(sample_engine: Engine) -> None:
    with pytest.raises(LabelError, match="Both the outlet and the label"):
        await sample_engine.label_outlet("Zeltran Voice", "  ")
    with pytest.raises(LabelError, match="under 40"):
        await sample_engine.label_outlet("Zeltran Voice", "x" * 41)
    with pytest.raises(LabelError, match="has no label here"):
        await sample_engine.unlabel_outlet("Zeltran Voice")
    assert await sample_engine.label_outlet("Not An Outlet", "state media") is False


def test_cli_outlets_label_list_unlabel_and_ask_exclude_label(
    sample_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    embedder: SentenceTransformerEmbedder,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    shutil.copytree(sample_template, data)
    monkeypatch.setattr("index.embedding.torch_encoder.SentenceTransformerEmbedder", lambda name: embedder)

    def run(*argv: str) -> tuple[int, str, str]:
        code = cli.main(["--data-dir", str(data), *argv])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("outlets") == (
        0,
        'No outlet labels. Set one with: sitrep outlets label "OUTLET" "LABEL"\n',
        "",
    )
    assert run("outlets", "label", "Zeltran Voice", "state media")[:2] == (0, "Zeltran Voice: state media\n")
    code, _, err = run("outlets", "label", "Zeltran Vioce", "state media")
    assert code == 0 and "no article from 'Zeltran Vioce' yet" in err
    assert run("outlets")[1] == "Zeltran Vioce  state media\nZeltran Voice  state media\n"
    code, out, _ = run("ask", "--json", "--exclude-label", "state media", OZERIN)
    answer = json.loads(out)
    assert code == 0 and answer["filters"]["excluded_labels"] == ["state media"]
    assert all(q["document"]["outlet"] != "Zeltran Voice" for q in answer["quotes"])
    assert run("outlets", "unlabel", "zeltran vioce")[:2] == (0, "removed the label of zeltran vioce\n")
    assert run("outlets", "unlabel", "zeltran vioce") == (
        1,
        "",
        "sitrep: 'zeltran vioce' has no label here.\n",
    )
    assert run("outlets", "label", "Zeltran Voice")[0] == 2
