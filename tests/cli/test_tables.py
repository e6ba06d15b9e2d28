"""Tables for a person fit an 80-column terminal (issue 14, point 9): text wraps at word boundaries,
dates and statuses are never cut, and a legend says what p1/p2, '->' and '-' mean."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from frontline.cli import main

REPO = Path(__file__).resolve().parents[2]
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _run(args: list[str], **env: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, args, env={"COLUMNS": "80", **env})


def test_the_extract_table_fits_80_columns_without_cutting_words(shared: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    path = shared / "examples" / "hama-2024-12" / "article.json"
    result = _run(["extract", str(path), "--format", "table"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    legend = " ".join(lines[:6])
    assert "p1/p2/p3" in legend and "A -> B" in legend and "'-': not stated" in legend
    # every word of every evidence sentence is printed whole (wrapped, never split)
    words = set(result.stdout.split())
    analysis = json.loads(_run(["extract", str(path)]).stdout)
    for event in analysis["events"]:
        assert set(event["sentence"].split()) <= words, event["sentence"]
    headings = [ln for ln in lines if DATE.match(ln)]
    assert len(headings) >= len(analysis["events"]) + len(analysis["control_changes"])
    assert all(re.match(r"\d{4}-\d{2}-\d{2} p[123-] ", h) for h in headings)


def test_the_control_table_fits_80_columns_and_keeps_dates_and_statuses(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    env = {"PYTHONPATH": str(REPO / "tests")}
    stub = ["--engine", "serial", "--pipeline-factory", "corpus.stub:build", "--no-progress"]
    folder = str(REPO / "tests" / "data" / "corpus" / "files")
    assert _run(["ingest", folder, "--db", db, *stub], **env).exit_code in (0, 1)
    for args in (["control", "Hama"], ["control", "--at", "2024-12-06"]):
        result = _run([*args, "--db", db])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert max(len(line) for line in lines) <= 80, max(lines, key=len)
        rows = [ln for ln in lines if DATE.search(ln)]
        assert rows and all(
            re.search(r"\d{4}-\d{2}-\d{2}(~[wm])?\s+(confirmed|claimed|contested)\b", r) for r in rows
        )
        assert "…" not in result.stdout
        assert "since: the day control changed" in result.stdout and "status:" in result.stdout
