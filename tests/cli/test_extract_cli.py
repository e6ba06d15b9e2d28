"""``frontline extract`` on good and bad input: every failure names the input and the problem."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontline.cli import main

REPORT = (
    "Syrian rebels seized control of Hama on Thursday. The Defense Ministry confirmed the withdrawal of "
    "government forces from Hama."
)


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, input: str | bytes | None = None):
    return runner.invoke(main, ["extract", *args], input=input, catch_exceptions=False)


def test_text_file_with_published_date(runner, tmp_path: Path, pipeline) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    result = run(runner, str(path), "--published", "2024-12-06", "--title", "Hama falls")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "frontline.extract/1"
    assert data["article"]["published"] == "2024-12-06" and data["article"]["title"] == "Hama falls"
    change = data["control_changes"][0]
    assert change["place"]["geonameid"] == 170017 and change["date"] == "2024-12-05"


def test_json_article_and_table(runner, shared, pipeline) -> None:
    path = shared / "examples" / "hama-2024-12" / "article.json"
    result = run(runner, str(path), "--format", "table")
    assert result.exit_code == 0, result.output
    assert "CONTROL CHANGES" in result.stdout and "Hama" in result.stdout and "QUOTES" in result.stdout
    # one block per record: its heading, then the actors, then the evidence sentence
    lines = result.stdout.splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.startswith("2024-12-05") and "RETREAT" in ln)
    assert "withdrawal of government forces" in " ".join(lines[at + 2 : at + 5])


def test_html_page_carries_its_text(runner, tmp_path: Path, pipeline) -> None:
    html = (
        "<html><head><title>Hama falls</title></head><body><nav>Home | World</nav><article><h1>Hama falls"
        "</h1>" + "".join(f"<p>{s}.</p>" for s in REPORT.split(". ")) + "<p>" + "Residents fled the "
        "fighting in large numbers as the rebels advanced through the northern districts. "
        * 3
        + "</p></article><footer>Copyright</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    result = run(runner, str(path), "--published", "2024-12-06")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    text = data["article"]["text"]
    assert "seized control of Hama" in text and "Copyright" not in text
    for event in data["events"]:
        start, end = event["span"]
        assert text[start:end].lower() in event["sentence"].lower()


def test_stdin(runner, pipeline) -> None:
    result = run(runner, "-", "--published", "2024-12-06", input=REPORT)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["control_changes"]


def test_jsonl_on_stdin_keeps_going_past_a_bad_line(runner, pipeline) -> None:
    lines = [
        json.dumps({"id": "a", "text": REPORT, "published": "2024-12-06"}),
        "{not json",
        json.dumps({"id": "c", "title": "no text"}),
        json.dumps({"id": "d", "text": REPORT}),
    ]
    result = run(runner, "-", input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    # a result carries the input's id in its article; a failure at top level, with its error
    assert [o["article"]["id"] if "article" in o else o["id"] for o in out] == ["a", None, "c", "d"]
    assert "malformed JSON" in out[1]["error"] and "line 2" in out[1]["error"]
    assert "text" in out[2]["error"]
    assert out[0]["control_changes"] and out[3]["article"]["id"] == "d"
    assert "2 of 4 articles failed" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x00\x01\x02\x03binary\x00", "binary"),
        (b'{"text": "x", "published": "2024-02-30"}', "not a real YYYY-MM-DD date"),
        (b'{"title": "no text here"}', "'text'"),
        (b'{"text": "unterminated', "malformed JSON"),
        (b"<html><body><script>var x = 1;</script></body></html>", "no article text"),
    ],
)
def test_bad_input_is_named_and_fails(runner, tmp_path: Path, content: bytes, message: str) -> None:
    suffix = ".html" if content.startswith(b"<html") else ".json" if content.startswith(b"{") else ".txt"
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    result = run(runner, str(path))
    assert result.exit_code == 2, result.output
    assert str(path) in result.stderr and message in result.stderr
    assert result.stdout == ""


def test_oversized_input_is_refused_not_truncated(runner, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.write(b"Rebels seized the town. " * (50 * 1024 * 1024 // 24))
    result = run(runner, str(path))
    assert result.exit_code == 2
    assert "over the" in result.stderr and "byte limit" in result.stderr and str(path) in result.stderr


def test_missing_file(runner, tmp_path: Path) -> None:
    result = run(runner, str(tmp_path / "nope.txt"))
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_future_date_is_processed_with_a_warning(runner, tmp_path: Path, pipeline) -> None:
    path = tmp_path / "future.txt"
    path.write_text(REPORT, encoding="utf-8")
    result = run(runner, str(path), "--published", "2099-01-02")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert any("future" in w for w in data["warnings"])


def test_windows_1252_text_is_read_with_a_warning(runner, tmp_path: Path, pipeline) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Rebels seized Hama on Thursday \u2013 the army withdrew.".encode("cp1252"))
    result = run(runner, str(path), "--published", "2024-12-06")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert any("Windows-1252" in w for w in data["warnings"])


def test_console_script_runs_and_explains_itself() -> None:
    exe = Path(sys.executable).with_name("frontline")
    result = subprocess.run([str(exe), "extract", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "--published" in result.stdout and "PATH" in result.stdout
