"""The ingest progress bar on a terminal (tqdm, on stderr)."""

from __future__ import annotations

import sys

from index.models import Progress


class ProgressBar:
    """A tqdm bar over all sources of one ingest: count, rate, ETA."""

    def __init__(self, enabled: bool) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=0, unit=" articles", disable=not enabled, file=sys.stderr, dynamic_ncols=True)
        self.base = 0

    def __call__(self, p: Progress) -> None:
        total = self.base + (p.total or 0)
        if self.bar.total != total:
            self.bar.total = total
        self.bar.update(self.base + p.done - self.bar.n)
        if p.stage == "storing":
            self.base = total

    def close(self) -> None:
        self.bar.close()
