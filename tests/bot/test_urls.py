"""The bot's early URL check judges the host the fetcher will really connect to, like the library."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from bot.errors import UsageError
from bot.urls import check_public_url, check_url_syntax
from tests.index.ingest.hostile_hosts import HOSTILE_HOSTS


class FakeDNS:
    """Stands in for the loop's getaddrinfo: records the names asked, answers one address."""

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.asked: list[str] = []

    async def __call__(self, host: str, port: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        self.asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (self.answer, port))]


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
async def test_every_spelling_of_a_non_public_host_is_refused(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    dns = FakeDNS("93.184.216.34")  # a lookup would say "public": the refusal must come first
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", dns)
    with pytest.raises(UsageError, match="is not a public address"):
        await check_public_url(f"http://{host}:8080/latest/meta-data")
    assert dns.asked == []


async def test_allow_private_accepts_loopback_in_any_spelling() -> None:
    for url in ("http://127.0.0.1:8080/x", "http://１２７.０.０.１:8080/x"):
        assert await check_public_url(url, allow_private=True) == url


async def test_names_are_resolved_in_the_spelling_the_fetcher_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    public, loopback = FakeDNS("93.184.216.34"), FakeDNS("127.0.0.1")
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", public)
    url = "https://новости.example/article"
    assert await check_public_url(url) == url
    assert public.asked == ["xn--b1amnebsh.example"]
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", loopback)
    with pytest.raises(UsageError, match=r"xn--b1amnebsh\.example is not a public address"):
        await check_public_url("https://ＮＯＶＯＳＴＩ.новости.example./a")
    assert loopback.asked == ["novosti.xn--b1amnebsh.example"]


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1\u200b/", "http://exa mple.org/", "http://[::1/", "https://:443/a"]
)
def test_links_no_client_could_fetch_are_refused_with_a_clear_message(url: str) -> None:
    with pytest.raises(UsageError, match=r"not a valid (URL|host name)|no host name"):
        check_url_syntax(url)


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
