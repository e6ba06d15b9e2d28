"""``frontline eval``: arguments in, reports out, exit status from the gate. The pipeline is replaced by a
stand-in that returns hand-built analyses, so these tests check the command, not the extractor."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner
from eval_builders import GOLD, analysis, event, hama_as_read

import frontline
from frontline.cli import main
from frontline.schema import Analysis

DOCS = Path(__file__).resolve().parents[2] / "docs" / "eval.md"


class StandIn:
    """A pipeline that reads nothing and answers with the same PLOVER event for every article."""

    def __init__(self, plover: str = "AGREE") -> None:
        self.plover = plover
        self.seen: list[str] = []

    def __call__(self, article) -> Analysis:
        self.seen.append(article.id)
        return analysis(events=[event(plover=self.plover, sentence=article.text)], id=article.id)


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> StandIn:
    fake = StandIn()
    monkeypatch.setattr(frontline, "get_pipeline", lambda settings=None: fake)
    return fake


def run(*args: str):
    return CliRunner().invoke(main, ["eval", *args], catch_exceptions=False)


def test_rules_on_an_extract_output(tmp_path: Path, shared: Path) -> None:
    expected = shared / "examples/hama-2024-12/expected.json"
    good = tmp_path / "good.json"
    good.write_text(hama_as_read().to_json(), encoding="utf-8")
    ok = run("rules", str(expected), str(good))
    assert ok.exit_code == 0, ok.output
    assert "OK" in ok.output

    bad_analysis = hama_as_read()
    bad_analysis.control_changes = bad_analysis.control_changes[:1]
    bad = tmp_path / "bad.json"
    bad.write_text(bad_analysis.to_json(), encoding="utf-8")
    failed = run("rules", str(expected), str(bad), "--format", "json")
    assert failed.exit_code == 1
    data = json.loads(failed.output)
    assert data["ok"] is False
    assert [r["rule"] for r in data["results"] if not r["passed"] and r["kind"] == "must"] == [
        "control_changes.must[1]"
    ]


def test_rules_with_a_malformed_rule_file_is_an_input_error(tmp_path: Path) -> None:
    rules = tmp_path / "expected.json"
    rules.write_text('{"events": {"must": [{"locaton_geonameid": 1}]}}', encoding="utf-8")
    out = tmp_path / "a.json"
    out.write_text(analysis().to_json(), encoding="utf-8")
    result = run("rules", str(rules), str(out))
    assert result.exit_code == 2
    assert "unknown place 'locaton'" in result.output


def test_gold_runs_the_pipeline_on_every_article_and_gates_on_min_f1(stand_in: StandIn) -> None:
    result = run("gold", str(GOLD), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["articles"] == 10 and len(stand_in.seen) == 10
    # The stand-in's events sit in the whole text, not at the gold's places, with no ACLED type.
    assert data["parts"]["events"]["tp"] == 0
    gated = run("gold", str(GOLD), "--min-f1", "0.5")
    assert gated.exit_code == 1
    assert "below floor" in gated.output


def test_plover_scores_and_writes_errors(stand_in: StandIn, tmp_path: Path, shared: Path) -> None:
    errors = tmp_path / "errors.jsonl"
    result = run("plover", "--limit", "5", "--format", "json", "--errors", str(errors))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # The first five records of the file are AGREE: the stand-in, which always says AGREE, gets all five.
    assert data["records"] == 5 and data["accuracy"] == 1.0
    assert errors.read_text(encoding="utf-8") == ""


def test_plover_below_its_floors_exits_1(stand_in: StandIn, tmp_path: Path) -> None:
    stand_in.plover = "REJECT"
    floors = tmp_path / "floors.json"
    sha = json.loads(run("plover", "--limit", "3", "--format", "json").stdout)["sha256"]
    floors.write_text(json.dumps({"plover": {"sha256": sha, "accuracy": 0.5}}), encoding="utf-8")
    result = run("plover", "--limit", "3", "--floors", str(floors))
    assert result.exit_code == 1
    assert "accuracy: 0.0000 is below the floor 0.5" in result.output
    floors.write_text(json.dumps({"plover": {"sha256": "0" * 64, "accuracy": 0.0}}), encoding="utf-8")
    assert "corpus changed" in run("plover", "--limit", "3", "--floors", str(floors)).output
    assert run("plover", "--limit", "3", "--min-macro-f1", "0.01").exit_code == 1


def test_geo_calls_the_geoparser_evaluation(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls = []
    fake = types.ModuleType("frontline.eval.geo")
    fake.evaluate_ucdp = lambda path, gazetteer: calls.append(path) or {"rows": 3, "accuracy_25km": 0.5}
    monkeypatch.setitem(sys.modules, "frontline.eval.geo", fake)
    monkeypatch.setattr("frontline.gazetteer.open_gazetteer", lambda settings: object())
    csv = tmp_path / "ucdp.csv"
    csv.write_text("id\n", encoding="utf-8")
    result = run("geo", "--ucdp", str(csv), "--format", "json")
    assert result.exit_code == 0, result.output
    assert calls == [csv] and json.loads(result.output)["ucdp"]["accuracy_25km"] == 0.5
    gated = run("geo", "--ucdp", str(csv), "--floor", "ucdp.accuracy_25km=0.6")
    assert gated.exit_code == 1 and "ucdp.accuracy_25km" in gated.output


def test_geo_needs_something_to_score() -> None:
    assert run("geo").exit_code == 2


def test_every_eval_command_has_help_and_a_docs_entry() -> None:
    group = main.commands["eval"]
    docs = DOCS.read_text(encoding="utf-8")
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help, name
        assert f"frontline eval {name}" in docs, f"docs/eval.md does not document `frontline eval {name}`"
