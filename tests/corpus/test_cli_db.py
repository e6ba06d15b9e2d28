"""Read commands refuse a database that does not exist; only ingest and ``db init`` create one (issue 14,
point 3). Country filters take ISO alpha-2 codes, on the command line as in the API (point 6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from frontline.cli import main

from .conftest import DATA, STUB

READS = [
    ["control", "Hama"],
    ["control", "--at", "2024-12-06"],
    ["export", "--format", "acled-csv"],
    ["export", "--format", "geojson"],
    ["db", "info"],
    ["db", "migrate"],
]


def run(args: list[str]) -> Result:
    return CliRunner().invoke(main, args, env={"PYTHONPATH": str(Path(__file__).parents[1])})


@pytest.mark.parametrize("args", READS, ids=[" ".join(a) for a in READS])
def test_a_read_command_refuses_a_database_that_does_not_exist(tmp_path: Path, args: list[str]) -> None:
    mistyped = tmp_path / "no" / "such" / "folder" / "frontlin.db"
    result = run([*args, "--db", str(mistyped)])
    assert result.exit_code == 5, result.output
    assert "no Frontline database" in result.stderr and "frontline db init" in result.stderr
    assert str(mistyped) in result.stderr
    assert not (tmp_path / "no").exists(), "nothing is created: not the file, not its folders"


def test_an_empty_file_is_not_a_database_either(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = run(["control", "Hama", "--db", str(empty)])
    assert result.exit_code == 5 and "no Frontline database" in result.stderr


def test_db_init_creates_one_and_reads_then_answer(tmp_path: Path) -> None:
    db = tmp_path / "new" / "frontline.db"
    made = run(["db", "init", "--db", str(db)])
    assert made.exit_code == 0, made.output
    assert db.is_file() and "schema version" in made.stdout
    assert run(["db", "init", "--db", str(db)]).exit_code == 0  # re-runnable
    info = run(["db", "info", "--db", str(db), "--format", "json"])
    assert info.exit_code == 0 and json.loads(info.stdout)["articles"] == 0
    nowhere = run(["control", "Atlantis", "--db", str(db)])
    assert nowhere.exit_code == 7 and "no such place" in nowhere.stderr


def test_ingest_creates_the_database(tmp_path: Path) -> None:
    db = tmp_path / "made" / "by-ingest.db"
    result = run(
        [
            "ingest",
            str(DATA / "hama-three"),
            "--db",
            str(db),
            "--engine",
            "serial",
            "--pipeline-factory",
            STUB,
            "--no-progress",
        ]
    )
    assert result.exit_code == 0, result.output
    control = run(["control", "Hama", "--db", str(db), "--format", "json"])
    assert control.exit_code == 0 and json.loads(control.stdout)[0]["to_actor"] == "Hayat Tahrir al-Sham"


@pytest.mark.parametrize(
    ("value", "hint"),
    [("Syria", "SY"), ("SYR", "SY"), ("ZZ", "not an ISO 3166-1"), ("S", "alpha-2")],
)
def test_control_refuses_a_country_that_is_not_an_alpha_2_code(tmp_path: Path, value: str, hint: str) -> None:
    db = tmp_path / "c.db"
    assert run(["db", "init", "--db", str(db)]).exit_code == 0
    result = run(["control", "--at", "2024-12-06", "--country", value, "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert "country" in result.stderr and hint in result.stderr
    exported = run(["export", "--format", "acled-csv", "--country", value, "--db", str(db)])
    assert exported.exit_code == 2 and hint in exported.stderr


def test_a_lower_case_code_is_the_same_country(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    run(
        [
            "ingest",
            str(DATA / "hama-three"),
            "--db",
            str(db),
            "--engine",
            "serial",
            "--pipeline-factory",
            STUB,
            "--no-progress",
        ]
    )
    upper = run(["control", "--at", "2024-12-06", "--country", "SY", "--db", str(db), "--format", "json"])
    lower = run(["control", "--at", "2024-12-06", "--country", "sy", "--db", str(db), "--format", "json"])
    assert upper.exit_code == lower.exit_code == 0
    assert json.loads(upper.stdout) == json.loads(lower.stdout) != []
