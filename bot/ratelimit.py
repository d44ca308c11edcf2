"""A per-user sliding-window rate limit (pure; the clock is injectable for tests)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable


class RateLimiter:
    """At most ``rate`` uses per ``per`` seconds for each key; ``rate == 0`` disables the limit."""

    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.per = per
        self._clock = clock
        self._uses: dict[Hashable, deque[float]] = {}

    def full(self, key: Hashable) -> bool:
        """Whether a use now would be refused (nothing is counted)."""
        if self.rate <= 0:
            return False
        now = self._clock()
        return sum(1 for t in self._uses.get(key, ()) if t > now - self.per) >= self.rate

    def hit(self, key: Hashable) -> float:
        """Count one use and return 0, or (not counting it) return the seconds until a use is allowed."""
        if self.rate <= 0:
            return 0.0
        now = self._clock()
        uses = self._uses.setdefault(key, deque())
        while uses and uses[0] <= now - self.per:
            uses.popleft()
        if len(uses) >= self.rate:
            return uses[0] + self.per - now
        uses.append(now)
        if len(self._uses) > 10_000:  # forget idle users so the map can't grow without bound
            self._uses = {k: v for k, v in self._uses.items() if v and v[-1] > now - self.per}
        return 0.0
