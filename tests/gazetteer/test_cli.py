"""`frontline gazetteer ...` and `frontline geoparse`, through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from frontline.cli import main


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_help_texts() -> None:
    for cmd in (
        ["gazetteer", "--help"],
        ["gazetteer", "build", "--help"],
        ["gazetteer", "info", "--help"],
        ["gazetteer", "lookup", "--help"],
        ["geoparse", "--help"],
    ):
        result = run(*cmd)
        assert result.exit_code == 0 and "Usage:" in result.output
    assert "standard input" in run("geoparse", "--help").output


def test_build_is_skipped_when_the_index_exists(gazetteer) -> None:
    result = run("gazetteer", "build")
    assert result.exit_code == 0 and "already there" in result.output


def test_info(gazetteer) -> None:
    result = run("gazetteer", "info")
    info = json.loads(result.output)
    assert int(info["places"]) > 200_000 and int(info["countries"]) > 200 and info["version"]


def test_lookup(gazetteer) -> None:
    result = run("gazetteer", "lookup", "Ma‘arrat an Nu‘mān", "-n", "3")
    assert result.exit_code == 0 and "167611" in result.output.splitlines()[0]
    result = run("gazetteer", "lookup", "Tripoli", "--country", "LB", "-n", "2")
    assert "266826" in result.output.splitlines()[0]
    result = run("gazetteer", "lookup", "Qwxzrtplk")
    assert result.exit_code == 1


def test_geoparse_stdin_json(pipeline) -> None:
    text = "Russian drones struck Kharkiv; the city lost power. Ukrainian forces held Avdiivka."
    result = run("geoparse", "-", input=text)
    assert result.exit_code == 0
    tops = json.loads(result.output)
    assert [t["text"] for t in tops] == ["Kharkiv", "Avdiivka"]  # no demonyms, no "the city"
    assert tops[0]["geonameid"] == 706483 and text[slice(*tops[0]["span"])] == "Kharkiv"
    assert set(tops[0]) == {"text", "span", "geonameid", "lat", "lon", "country_code", "feature"}


def test_geoparse_file_table(pipeline, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Shelling hit the outskirts of Homs in Syria.", encoding="utf-8")
    result = run("geoparse", str(path), "--format", "table")
    assert result.exit_code == 0
    assert "Homs" in result.output and "169577" in result.output and "SY" in result.output


def test_geoparse_bad_input(tmp_path: Path) -> None:
    empty = tmp_path / "e.txt"
    empty.write_text("  \n")
    result = CliRunner().invoke(main, ["geoparse", str(empty)])
    assert result.exit_code == 2 and "empty" in result.output
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    result = CliRunner().invoke(main, ["geoparse", str(binary)])
    assert result.exit_code == 2 and "cannot read" in result.output
