"""``sitrep digest`` through the console script's entry point (``index.cli.main``) on a copy of the
ingested sample corpus: the same events as the library's digest, as text and as JSON."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index.cli import main
from tests.conftest import ROOT
from tests.index.digest.test_build import EXPECTED

WIDE = ("--since", "2000-01-01", "--until", "2100-01-01")


@pytest.fixture
def data_dir(sample_template: Path, tmp_path: Path) -> Path:
    shutil.copytree(sample_template, tmp_path / "data")
    return tmp_path / "data"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.model
def test_the_terminal_digest_is_the_expected_text(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--data-dir", str(data_dir), "digest", *WIDE)
    assert (code, err) == (0, "")
    assert out == EXPECTED.read_text(encoding="utf-8")


@pytest.mark.model
def test_json_gives_the_same_events(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "digest", "--json", *WIDE)
    assert code == 0
    digest = json.loads(out)
    headings = [
        line[3:] for line in EXPECTED.read_text(encoding="utf-8").splitlines() if line.startswith("## ")
    ]
    assert [e["title"] for e in digest["events"]] + ["Other reporting (no place or day named)"] == headings
    assert (digest["received"], digest["read"], digest["scopes"]) == (55, 55, ["global"])
    assert digest["since"] == "2000-01-01T00:00:00+00:00"
    for event in digest["events"]:
        assert event["claims"] and all(c["quote"]["text"] and c["claimant"] for c in event["claims"])


@pytest.mark.model
def test_an_empty_window_says_nothing_new_and_is_no_error(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "--data-dir", str(data_dir), "digest", "--since", "2000-01-01", "--until", "2000-01-02T12:00"
    )
    assert (code, err) == (0, "")
    assert out == "Nothing new in the archive between 2000-01-01 00:00 and 2000-01-02 12:00 UTC.\n"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (("--since", "yesterdayish"), "'yesterdayish' is not a duration back from now (90m, 24h, 7d, 2w)"),
        (("--since", "1h", "--until", "2h"), "must be before --until"),
        (("--limit", "0"), "--limit must be at least 1"),
    ],
)
def test_bad_input_is_one_clear_line_and_a_non_zero_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], says: str
) -> None:
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "none"), "digest", *argv)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("sitrep digest: ") and says in err
    assert not (tmp_path / "none").exists()  # refused before any store was opened


@pytest.mark.model
def test_python_m_index_digest_since_24h(data_dir: Path) -> None:
    """The module entry point too; the sample was ingested this session, within the last 24 hours."""
    done = subprocess.run(
        [sys.executable, "-m", "index", "--data-dir", str(data_dir), "digest", "--since", "24h"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    first, *rest = done.stdout.splitlines()
    assert first.startswith("# Sitrep digest: ") and first.endswith(" UTC")
    assert rest == EXPECTED.read_text(encoding="utf-8").splitlines()[1:]
