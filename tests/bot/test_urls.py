"""``bot.urls``: only absolute http(s) URLs reach the library, and only public addresses unless allowed."""

from __future__ import annotations

import pytest

from bot.errors import UsageError
from bot.urls import check_public_url, check_url_syntax


@pytest.mark.parametrize(
    "url", ["/etc/passwd", "file:///etc/passwd", "ftp://x.example/a", "https://", "data/x"]
)
def test_only_http_urls_are_accepted(url: str) -> None:
    with pytest.raises(UsageError):
        check_url_syntax(url)


async def test_private_addresses_are_refused_unless_allowed() -> None:
    assert check_url_syntax(" <https://news.example/a> ") == "https://news.example/a"
    for url in (
        "http://127.0.0.1:8080/x",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data",
        "http://10.1.2.3/",
        "http://localhost/",
    ):
        with pytest.raises(UsageError):
            await check_public_url(url)
    assert await check_public_url("http://127.0.0.1:8080/x", allow_private=True) == "http://127.0.0.1:8080/x"
    assert await check_public_url("https://8.8.8.8/feed") == "https://8.8.8.8/feed"
