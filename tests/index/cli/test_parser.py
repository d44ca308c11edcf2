"""The ``sitrep`` arguments: global options before the command, each command's options and defaults."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from index.cli.parser import build_parser


def parse(*argv: str) -> dict[str, object]:
    return vars(build_parser().parse_args(list(argv)))


def test_global_options_come_before_the_command() -> None:
    args = parse("--data-dir", "/srv/data", "--model", "m", "--database-url", "sqlite:///x", "-v", "stats")
    assert args == {
        "data_dir": Path("/srv/data"),
        "model": "m",
        "database_url": "sqlite:///x",
        "verbose": True,
        "command": "stats",
    }


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        parse()
    assert caught.value.code == 2 and "COMMAND" in capsys.readouterr().err


def test_ingest_takes_sources_and_what_files_cannot_say() -> None:
    args = parse(
        "ingest", "a.txt", "dir/", "https://x.example/rss", "--outlet", "Sollen Daily",
        "--published", "2025-03-29", "--url", "https://sollen.example/a", "--title", "T",
        "--no-progress", "--list-added",
    )  # fmt: skip
    assert args["sources"] == ["a.txt", "dir/", "https://x.example/rss"]
    assert (args["outlet"], args["published"], args["url"], args["title"]) == (
        "Sollen Daily", date(2025, 3, 29), "https://sollen.example/a", "T"
    )  # fmt: skip
    assert args["no_progress"] is True and args["list_added"] is True
    assert parse("ingest", "a.txt")["published"] is None


@pytest.mark.parametrize("option", ["--since", "--until"])
def test_dates_must_be_iso(option: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert parse("ask", option, "2025-03-12T10:00:00Z", "q")[option[2:]] == date(2025, 3, 12)
    with pytest.raises(SystemExit):
        parse("ask", option, "last tuesday", "q")
    err = capsys.readouterr().err
    assert f"argument {option}" in err and "expected YYYY-MM-DD" in err


def test_ask_defaults_and_repeatable_labels() -> None:
    args = parse("ask", "who", "said", "it?")
    assert (args["question"], args["k"], args["json"], args["exclude_label"]) == (
        ["who", "said", "it?"], 10, False, []
    )  # fmt: skip
    args = parse(
        "ask", "-k", "3", "--json", "--exclude-label", "state media", "--exclude-label", "party", "q"
    )
    assert (args["k"], args["json"], args["exclude_label"]) == (3, True, ["state media", "party"])


def test_sources_and_outlets_actions() -> None:
    assert (parse("sources")["action"], parse("sources")["id"]) == ("list", None)
    assert (parse("sources", "remove", "7")["action"], parse("sources", "remove", "7")["id"]) == ("remove", 7)
    args = parse("outlets", "label", "Zeltran Voice", "state media")
    assert (args["action"], args["name"], args["label"]) == ("label", "Zeltran Voice", "state media")
    assert parse("outlets")["action"] == "list"
    with pytest.raises(SystemExit):
        parse("sources", "delete", "7")


def test_backup_restore_and_migrate() -> None:
    assert parse("backup", "/tmp/snap")["path"] == Path("/tmp/snap")
    restore = parse("restore", "--force", "/tmp/snap")
    assert (restore["path"], restore["force"]) == (Path("/tmp/snap"), True)
    migrate = parse("migrate", "--to", "postgresql://h/db")
    assert (migrate["to"], migrate["force"]) == ("postgresql://h/db", False)
    with pytest.raises(SystemExit):
        parse("migrate")  # --to is required


def test_worker_eval_chat_and_claims() -> None:
    worker = parse("worker", "--once", "--feed-poll-minutes", "0.5", "--lease-seconds", "2", "--id", "w1")
    assert (worker["once"], worker["feed_poll_minutes"], worker["lease_seconds"], worker["id"]) == (
        True,
        0.5,
        2.0,
        "w1",
    )
    assert parse("worker")["feed_poll_minutes"] is None  # the setting decides
    ev = parse("eval", "--limit", "3", "--sections", "realtimeqa", "polnear", "--distractors", "-1")
    assert (ev["limit"], ev["sections"], ev["distractors"], ev["data"], ev["out"]) == (
        3, ["realtimeqa", "polnear"], -1, None, None
    )  # fmt: skip
    assert parse("eval")["distractors"] == 2
    assert parse("chat")["k"] == 6
    assert parse("claims", "-")["file"] == "-"


def test_every_command_has_help() -> None:
    parser = build_parser()
    help_text = parser.format_help()
    for command in (
        "ingest", "ask", "sources", "stats", "rebuild", "backup", "restore", "migrate", "eval",
        "outlets", "chat", "worker", "claims",
    ):  # fmt: skip
        assert command in help_text, command
