"""Exports (ACLED CSV, PLOVER JSONL, GeoJSON) and the corpus commands, over a store built by ingest."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontline.cli import main
from frontline.engine.base import Engine
from frontline.export import ACLED_COLUMNS, export
from frontline.ingest import ingest
from frontline.settings import Settings
from frontline.store import EventFilter
from frontline.store.migrations import LATEST
from frontline.store.sql import SQLStore

from .conftest import DATA, STUB

FILES = DATA / "files"


@pytest.fixture
def filled(store: SQLStore, engine: Engine, settings: Settings) -> SQLStore:
    ingest([str(FILES)], store, engine, settings=settings)
    return store


def test_acled_csv_has_acled_columns_and_one_row_per_merged_event(filled: SQLStore) -> None:
    out = io.StringIO()
    summary = export(filled, "acled-csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert summary.written == len(rows) == 2 and not summary.left_out
    assert tuple(rows[0].keys()) == ACLED_COLUMNS
    hama = next(r for r in rows if r["location"] == "Hama")
    assert hama["event_date"] == "2024-12-05" and hama["year"] == "2024" and hama["time_precision"] == "1"
    assert hama["event_type"] == "Battles" and hama["sub_event_type"] == "Non-state actor overtakes territory"
    assert hama["disorder_type"] == "Political violence"
    assert hama["country"] == "Syria" and hama["iso"] == "760"
    assert hama["actor1"] == "Hayat Tahrir al-Sham" and hama["inter1"] == "Rebel group"
    assert set(hama["source"].split("; ")) == {"Reuters", "AFP", "Al Jazeera"}
    assert "reports: 3" in hama["tags"]
    assert float(hama["latitude"]) == pytest.approx(35.1318, abs=1e-3)
    assert hama["event_id_cnty"].startswith("SYR")


def test_plover_jsonl_uses_plover_field_names(filled: SQLStore) -> None:
    out = io.StringIO()
    export(
        filled,
        "plover-jsonl",
        out,
        EventFilter(country="SY", date_from=__import__("datetime").date(2024, 12, 1)),
    )
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == 1
    rec = records[0]
    assert {
        "id",
        "date",
        "source",
        "recipient",
        "event",
        "mode",
        "context",
        "event_loc",
        "event_text",
        "text",
        "cite_info",
    } <= set(rec)
    assert rec["event"] == ["ASSAULT"] and rec["date"] == "2024-12-05"
    assert rec["source"][0]["actor_text"] == "Hayat Tahrir al-Sham" and rec["source"][0]["code"] == "SYR"
    assert rec["event_loc"]["geonameid"] == 170017 and rec["event_loc"]["cc3"] == "SYR"
    assert len(rec["event_text"]) == 3 and {c["publication"] for c in rec["cite_info"]} == {
        "Reuters",
        "AFP",
        "Al Jazeera",
    }


def test_geojson_is_a_feature_collection_with_sources(filled: SQLStore) -> None:
    out = io.StringIO()
    export(filled, "geojson", out, EventFilter(bbox=(36.5, 34.9, 37.0, 35.3)))
    doc = json.loads(out.getvalue())
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 1
    feature = doc["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [36.75783, 35.13179]}
    assert feature["properties"]["location"] == "Hama" and len(feature["properties"]["sources"]) == 3


def test_export_leaves_out_threats_unless_asked(sqlite_store: SQLStore) -> None:
    from store.conftest import HOMS, make_analysis, make_article, make_event

    article = make_article("The group has set its sights on Homs.")
    sqlite_store.save_analysis(
        article,
        make_analysis(
            article, [make_event("e1", plover="THREATEN", sub=None, modality="threatened", location=HOMS)]
        ),
    )
    out = io.StringIO()
    assert export(sqlite_store, "plover-jsonl", out).written == 0
    assert export(sqlite_store, "plover-jsonl", out, include_unrealised=True).written == 1


def _run(args: list[str], db: str, **env: str) -> object:
    runner = CliRunner()
    return runner.invoke(
        main,
        [*args, "--db", db],
        env={"PYTHONPATH": str(Path(__file__).parents[1]), **env},
        catch_exceptions=False,
    )


def test_cli_ingest_control_export_and_db(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    result = _run(
        [
            "ingest",
            str(FILES),
            "--engine",
            "serial",
            "--pipeline-factory",
            STUB,
            "--format",
            "json",
            "--no-progress",
        ],
        db,
    )
    assert result.exit_code == 1  # some inputs failed (listed), the rest stored  # type: ignore[attr-defined]
    summary = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert summary["new"] == 6 and len(summary["failed"]) == 4

    history = _run(["control", "Hama", "--format", "json"], db)
    changes = json.loads(history.stdout)  # type: ignore[attr-defined]
    assert [(c["to_actor"], c["status"], c["n_reports"]) for c in changes] == [
        ("Hayat Tahrir al-Sham", "confirmed", 3)
    ]
    assert {e["source"] for e in changes[0]["evidence"]} == {"Reuters", "AFP", "Al Jazeera"}

    at = _run(["control", "--at", "2024-11-30", "--country", "SY", "--format", "json"], db)
    assert [c["place"]["name"] for c in json.loads(at.stdout)] == ["Aleppo"]  # type: ignore[attr-defined]
    table = _run(["control", "--at", "2024-12-06"], db)
    assert "Hama" in table.stdout and "confirmed" in table.stdout  # type: ignore[attr-defined]
    before = _run(["control", "Hama", "--at", "2024-12-01", "--format", "json"], db)
    assert json.loads(before.stdout) == []  # type: ignore[attr-defined]

    out = tmp_path / "events.csv"
    exported = _run(
        [
            "export",
            "--format",
            "acled-csv",
            "-o",
            str(out),
            "--country",
            "SY",
            "--event-type",
            "Battles",
            "--actor",
            "tahrir",
        ],
        db,
    )
    assert exported.exit_code == 0  # type: ignore[attr-defined]
    assert len(list(csv.DictReader(out.open()))) == 2
    assert f"2 events written to {out}" in exported.stderr  # type: ignore[attr-defined]
    unlocated = _run(["export", "--format", "acled-csv", "--include-unlocated"], db)
    assert unlocated.exit_code == 2 and "geojson" in unlocated.stderr  # type: ignore[attr-defined]

    info = _run(["db", "info", "--format", "json"], db)
    stats = json.loads(info.stdout)  # type: ignore[attr-defined]
    assert stats["articles"] == 6 and stats["events"] == 2 and stats["schema_version"] == LATEST
    assert "up to date" in _run(["db", "migrate"], db).stdout  # type: ignore[attr-defined]


def test_cli_errors_are_one_line_with_exit_codes(tmp_path: Path) -> None:
    db = str(tmp_path / "e.db")
    assert _run(["db", "init"], db).exit_code == 0  # type: ignore[attr-defined]
    bad_date = _run(["control", "--at", "6 December"], db)
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.stderr  # type: ignore[attr-defined]
    nowhere = _run(["control", "Atlantis"], db)
    assert nowhere.exit_code == 7 and "no such place" in nowhere.stderr  # type: ignore[attr-defined]
    box = _run(["export", "--format", "geojson", "--bbox", "1,2,3"], db)
    assert box.exit_code == 2 and "WEST,SOUTH,EAST,NORTH" in box.stderr  # type: ignore[attr-defined]
    pg = CliRunner().invoke(
        main, ["db", "info", "--db", "postgresql://u:secret@127.0.0.1:1/x?connect_timeout=2"]
    )
    assert pg.exit_code == 5 and "secret" not in pg.stderr  # type: ignore[attr-defined]
