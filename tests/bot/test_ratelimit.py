"""``bot.ratelimit``: the per-user sliding window, on an injected clock."""

from __future__ import annotations

from bot.errors import RateLimitedError
from bot.ratelimit import RateLimiter


def test_rate_limiter_window() -> None:
    now = [0.0]
    limiter = RateLimiter(2, 10, clock=lambda: now[0])
    assert limiter.hit("u") == 0 and limiter.hit("u") == 0
    assert limiter.hit("u") == 10
    assert limiter.hit("other") == 0
    now[0] = 4
    assert limiter.hit("u") == 6  # refused attempts don't extend the wait
    now[0] = 10
    assert limiter.hit("u") == 0
    assert RateLimiter(0, 0).hit("u") == 0
    assert str(RateLimitedError(0.2)).endswith("try again in 1 s.")
