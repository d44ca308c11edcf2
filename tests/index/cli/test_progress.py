"""The ingest progress bar: count, rate and ETA across sources."""

from __future__ import annotations

import pytest

from index.cli.progress import ProgressBar
from index.models import Progress


def test_progress_bar_counts_across_sources(capsys: pytest.CaptureFixture[str]) -> None:
    bar = ProgressBar(enabled=True)
    for done in (10, 20, 30):
        bar(Progress(done=done, total=30, stage="embedding"))
    bar(Progress(done=30, total=30, stage="storing"))
    bar(Progress(done=5, total=10, stage="embedding"))
    assert (bar.bar.n, bar.bar.total) == (35, 40)
    bar.close()
    err = capsys.readouterr().err
    assert "35/40" in err  # count
    assert "articles/s" in err  # rate
    assert "<" in err  # elapsed<remaining: the ETA
