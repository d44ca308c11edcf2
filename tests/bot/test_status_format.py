"""``/admin status`` in words: the server's own archive for its admins, the instance for the owner."""

from __future__ import annotations

from bot.status_format import render_instance_status, render_server_status, search_method
from index.models import SourceInfo, Stats
from tests.bot.fakediscord import validate_message


def source(n: int, kind: str, articles: int, scope: str = "3000") -> SourceInfo:
    return SourceInfo(n, scope, kind, f"https://s{n}.example/", "", "9001", articles)


def fits(*embeds: object) -> bool:
    payload = {"embeds": [e.to_dict() for e in embeds], "allowed_mentions": {"parse": []}}  # type: ignore[attr-defined]
    return validate_message(payload) == []


def test_a_server_sees_its_own_sources_and_the_shared_archive_not_the_instance() -> None:
    own = [source(n, "feed" if n % 3 == 0 else "url", n * 10) for n in range(1, 13)]
    shared = [source(100, "file", 55, "global")]
    embed = render_server_status(own, shared, rebuilding=False, feed_poll_minutes=30, curator=False)
    assert embed.description is not None
    assert embed.description.startswith(
        "Sources added here: 12 sources (8 web pages, 4 feeds), 780 articles."
    )
    assert "shared archive every server answers from: 55 articles from 1 source." in embed.description
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Largest sources"].startswith("`#12` https://s12.example/ — 120 articles")
    assert "… and 4 more (`/source list`)" in fields["Largest sources"]
    assert fields["New posts from feeds and channels"] == "checked every 30 minutes (4 here)"
    assert fields["Index rebuild"] == "not running" and fits(embed)


def test_the_owner_sees_the_whole_bot_in_words_not_index_type_names() -> None:
    stats = Stats(3, 55, 136, "IndexIDMap2(IndexFlatIP, dim=384)", 136, 210074, "all-MiniLM-L6-v2", None)
    embed = render_instance_status(stats)
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Search"] == "exact search over every passage; 136 passages indexed, 205.2 KB"
    assert "Index" not in str(embed.to_dict()) and fields["Last full rebuild"] == "never" and fits(embed)
    assert search_method("IndexIVFScalarQuantizer(nlist=2048, SQ8)").startswith("approximate search")
    assert search_method("pgvector HNSW (vector_ip_ops)").startswith("approximate nearest-neighbour")
