"""The ``sitrep`` command, run in-process on a real data dir."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from index.cli import commands as cli
from index.embedding.torch_encoder import SentenceTransformerEmbedder
from tests.loopback import serve_in_thread


@pytest.fixture
def data_dir(
    sample_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    embedder: SentenceTransformerEmbedder,
) -> Path:
    data = tmp_path / "data"
    shutil.copytree(sample_template, data)
    # Reuse the session's loaded model instead of loading it again for every command.
    monkeypatch.setattr("index.embedding.torch_encoder.SentenceTransformerEmbedder", lambda name: embedder)
    return data


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.model
def test_ask_json_has_the_documented_shape(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "--data-dir",
        str(data_dir),
        "ask",
        "--json",
        "-k",
        "3",
        "who reported casualties in Pellin on March 12?",
    )
    assert code == 0
    answer = json.loads(out)
    assert answer["found"] is True and answer["question"].startswith("who reported")
    assert 1 <= len(answer["quotes"]) <= 3
    quote = answer["quotes"][0]
    assert set(quote) >= {"text", "language", "speaker", "start", "end", "score", "document"}
    assert quote["language"] == "en"
    assert set(quote["document"]) >= {"id", "title", "outlet", "url", "published", "sha256", "fetched_at"}
    assert quote["document"]["published"].startswith("2025-03-")


@pytest.mark.model
def test_ask_text_output_reads_well(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--data-dir", str(data_dir), "ask", "Who denied attacking Tolvik Regional Hospital?"
    )
    assert code == 0
    assert out.startswith("Q: Who denied attacking Tolvik Regional Hospital?")
    assert "1. " in out and "https://" in out and "2025-03-18" in out


@pytest.mark.model
def test_ask_not_found_exits_2(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--data-dir", str(data_dir), "ask", "What is the best recipe for sourdough bread?"
    )
    assert code == 2
    assert "Not found." in out


@pytest.mark.model
def test_ask_stdin_writes_one_json_answer_per_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    questions = "Who denied attacking Tolvik Regional Hospital?\n\nWhat happened at the Drusk fuel depot?\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(questions))
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "ask", "--json", "-")
    assert code == 0
    lines = out.strip().splitlines()
    assert [json.loads(line)["question"] for line in lines] == [
        "Who denied attacking Tolvik Regional Hospital?",
        "What happened at the Drusk fuel depot?",
    ]


@pytest.mark.model
def test_sources_stats_remove_rebuild(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ("--data-dir", str(data_dir))
    code, out, _ = run(capsys, *d, "stats")
    assert code == 0 and "articles: 55" in out and "IndexFlatIP" in out and "all-MiniLM-L6-v2" in out
    code, out, _ = run(capsys, *d, "sources")
    assert "reports.jsonl" in out and "53" in out
    source_id = next(line.split()[0] for line in out.splitlines() if "field-notes.md" in line)
    code, out, _ = run(capsys, *d, "sources", "remove", source_id)
    assert code == 0 and "its 1 article" in out
    code, out, _ = run(capsys, *d, "rebuild")
    assert code == 0 and "vectors" in out
    code, out, _ = run(capsys, *d, "stats")
    assert "articles: 54" in out
    code, _, err = run(capsys, *d, "sources", "remove", "999")
    assert code == 1 and "no source #999" in err


@pytest.mark.model
def test_ingest_txt_with_options_and_summary(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "dispatch.txt"
    report.write_text(
        "Ferry attack near Sollen\n\nTwo ferries were hit near Sollen, the harbour master said.\n"
    )
    code, out, _ = run(
        capsys,
        "--data-dir",
        str(data_dir),
        "ingest",
        str(report),
        "--outlet",
        "Sollen Daily",
        "--published",
        "2025-03-29",
        "--url",
        "https://sollen.example/a",
    )
    assert code == 0
    assert "1 article added, 0 skipped as duplicate, 0 failed" in out
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "ask", "--json", "ferries hit near Sollen")
    doc = json.loads(out)["quotes"][0]["document"]
    assert doc == {
        "id": doc["id"],
        "title": "Ferry attack near Sollen",
        "outlet": "Sollen Daily",
        "url": "https://sollen.example/a",
        "published": "2025-03-29",
        "label": None,  # no admin labelled the outlet
        "sha256": None,  # a file, not fetched: no archived copy
        "fetched_at": None,
    }
    code, _, err = run(capsys, "--data-dir", str(data_dir), "archive", doc["id"])
    assert code == 1 and err.count("\n") == 1 and "read from a file or an upload" in err
    code, _, err = run(capsys, "--data-dir", str(data_dir), "archive", "a-nothing")
    assert code == 1 and "no such article" in err


@pytest.mark.model
def test_a_fetched_page_is_written_back_byte_for_byte(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (
        "<html><head><title>Ferry attack near Sollen - Sollen Daily</title></head><body><article>"
        "<h1>Ferry attack near Sollen</h1><p>Two ferries were hit near Sollen on Friday night, the harbour"
        " master Ilse Varn said.</p><p>“Both crews reached the quay unhurt,” Varn told reporters.</p>"
        "</article></body></html>"
    ).encode()

    monkeypatch.setenv("SITREP_ALLOW_PRIVATE_URLS", "true")
    with serve_in_thread(lambda path, base: (page, "text/html; charset=utf-8")) as base:
        d = ("--data-dir", str(data_dir))
        url = f"{base}/sollen"
        code, out, _ = run(capsys, *d, "ingest", "--no-progress", url)
        assert code == 0 and "1 article added" in out
        code, out, _ = run(capsys, *d, "ask", "--json", "Were the ferry crews near Sollen hurt?")
        doc = json.loads(out)["quotes"][0]["document"]
        assert doc["sha256"] == hashlib.sha256(page).hexdigest() and doc["url"] == url
        copy = tmp_path / "copy.html"
        code, _, err = run(capsys, *d, "archive", doc["id"], "--out", str(copy))
        assert code == 0 and copy.read_bytes() == page
        assert err.startswith(f"{doc['sha256']}  {len(page):,} bytes  {url}  HTTP 200  text/html")


@pytest.mark.model
def test_bad_date_option_is_a_clear_error(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--data-dir", str(data_dir), "ask", "--since", "last tuesday", "x"])
    assert "since" in capsys.readouterr().err


@pytest.mark.model
def test_chat_answers_until_quit(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Who denied attacking Tolvik Regional Hospital?\nquit\n"))
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "chat")
    assert code == 0
    assert "55 articles" in out and "denied" in out


@pytest.mark.model
def test_listing_commands_do_not_load_the_model(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_model(name: str) -> None:
        raise AssertionError("the model was loaded")

    monkeypatch.setattr("index.embedding.torch_encoder.SentenceTransformerEmbedder", no_model)
    for command in (["stats"], ["sources"], ["rebuild"]):
        code, out, _ = run(capsys, "--data-dir", str(data_dir), *command)
        assert code == 0 and out


@pytest.mark.model
def test_ingest_embeds_the_new_articles_sentences_before_it_exits(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "note.txt"
    doc.write_text("Shelling hit the Pellin grain silo overnight, the mayor said. Nobody was hurt.\n")
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "ingest", str(doc))
    assert code == 0 and "1 article added" in out and "sentences for quoting" in out
    with closing(sqlite3.connect(data_dir / "sitrep.db")) as db:
        lacking = db.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM sentence_vectors s WHERE s.article_rowid = a.rowid)"
        ).fetchone()[0]
    assert lacking == 0  # the template's articles too: the fill covers all that lack them


# --- sitrep claims ---------------------------------------------------------------------------------


def run_claims(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stdin: str, *argv: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
    code = cli.main(["claims", *argv])
    out, err = capsys.readouterr()
    return code, out, err


ARTICLES = [
    # Leading spaces and a soft hyphen stay: offsets index the text exactly as given, not cleaned.
    {"id": "x-1", "text": "  \u00adShelling resumed.\n\n“We held the line,” the Varna ministry said."},
    {"id": 7, "text": "Nothing is attributed here."},
    {"text": "Colonel Ivo Brandt said the town had fallen."},
]


def test_claims_command_reads_stdin_and_prints_one_line_per_article(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES)
    code, out, err = run_claims(monkeypatch, capsys, stdin, "-")
    assert (code, err) == (0, "")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines[:2]] == ["x-1", "7"]
    assert lines[2]["id"].startswith("a-")  # the id ingest would give it
    assert lines[1]["claims"] == []
    text = ARTICLES[0]["text"]
    assert isinstance(text, str)
    (claim,) = lines[0]["claims"]
    assert set(claim) == {"speaker", "speaker_start", "speaker_end", "cue", "text", "start", "end"}
    assert text[claim["start"] : claim["end"]] == claim["text"] == "“We held the line,”"
    assert text[claim["speaker_start"] : claim["speaker_end"]] == claim["speaker"] == "Varna ministry"
    assert claim["cue"] == "said"


def test_claims_command_reads_a_file_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(ARTICLES[2]) + "\n", encoding="utf-8")
    code, out, _ = run_claims(monkeypatch, capsys, "", str(path))
    assert code == 0
    (claim,) = json.loads(out)["claims"]
    assert (claim["speaker"], claim["text"]) == ("Colonel Ivo Brandt", "the town had fallen")


def test_claims_command_names_the_bad_line_and_prints_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = json.dumps(ARTICLES[0]) + "\n{not json\n" + json.dumps({"id": "no-text"}) + "\n"
    code, out, err = run_claims(monkeypatch, capsys, stdin, "-")
    assert (code, out) == (1, "")
    assert "stdin line 2: not valid JSON" in err and "stdin line 3: 'text' is missing" in err
    assert "no claims were printed" in err


def test_claims_command_on_a_missing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_claims(monkeypatch, capsys, "", str(tmp_path / "nope.jsonl"))
    assert (code, out) == (1, "")
    assert "cannot read" in err and "nope.jsonl" in err
