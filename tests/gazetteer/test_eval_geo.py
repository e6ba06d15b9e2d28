"""The geoparsing evaluation: the scorer's arithmetic, its input checks, and the pinned accuracy floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontline.errors import InputError
from frontline.eval import GEOVIRUS, UCDP_SAMPLE
from frontline.eval.geo import (
    evaluate_geo,
    evaluate_ucdp,
    read_geovirus,
    read_gold,
    score_toponyms,
    ucdp_country_code,
)
from frontline.eval.gold import file_sha256
from frontline.eval.report import check_floors
from frontline.schema import Toponym

# Floors only go up. GeoVirus' and UCDP's are pinned in tests/eval/floors.json ("geo"), tied to the data's
# sha256; docs/geoparser.md has the figures and how they were made.
FLOORS = Path(__file__).resolve().parents[1] / "eval" / "floors.json"
GOLD_EXACT_FLOOR = 0.9
GOLD_RECALL_FLOOR = 0.9


def test_scorer_arithmetic() -> None:
    gold = [
        {
            "text": "x" * 40,
            "toponyms": [
                {"span": [0, 4], "geonameid": 1},
                {"span": [10, 14], "lat": 10.0, "lon": 10.0},
                {"span": [20, 24], "geonameid": 3},
            ],
        }
    ]
    preds = [
        [
            Toponym(text="a", span=(0, 4), geonameid=1, lat=0.0, lon=0.0),
            Toponym(text="b", span=(11, 13), geonameid=9, lat=10.0, lon=11.0),  # ~110 km off
            Toponym(text="c", span=(30, 34)),
        ]
    ]  # not in gold
    m = score_toponyms(gold, preds)
    assert m["gold_toponyms"] == 3 and m["predicted_toponyms"] == 3 and m["matched"] == 2
    assert m["recognition_precision"] == pytest.approx(2 / 3, abs=1e-3)
    assert m["recognition_recall"] == pytest.approx(2 / 3, abs=1e-3)
    assert m["exact_geonameid"] == 1.0  # the one matched gold toponym with an id has it right
    assert m["accuracy_161km"] == 1.0  # 0 km and about 110 km
    assert 50 < m["median_error_km"] < 58 and m["mean_error_km"] == m["median_error_km"]


def test_gold_is_checked(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "Hama", "toponyms": [{"span": [0, 9], "geonameid": 1}]}) + "\n")
    with pytest.raises(InputError, match="span"):
        read_gold(bad)
    bad.write_text(json.dumps({"text": "Hama", "toponyms": [{"span": [0, 4]}]}) + "\n")
    with pytest.raises(InputError, match="geonameid"):
        read_gold(bad)
    bad.write_text("{not json\n")
    with pytest.raises(InputError, match="line 1"):
        read_gold(bad)
    with pytest.raises(InputError, match="cannot read"):
        read_gold(tmp_path / "missing.jsonl")


def test_gold_file_floor(pipeline, geo_data: Path) -> None:
    m = evaluate_geo(geo_data / "gold.jsonl", pipeline)
    assert m["documents"] == 6
    assert m["recognition_recall"] >= GOLD_RECALL_FLOOR, m
    assert m["exact_geonameid"] >= GOLD_EXACT_FLOOR, m
    assert m["accuracy_161km"] >= GOLD_EXACT_FLOOR, m


def geo_floors() -> dict:
    return json.loads(FLOORS.read_text(encoding="utf-8"))["geo"]


def test_ucdp_floor(gazetteer, shared: Path) -> None:
    floors = geo_floors()["ucdp"]
    assert file_sha256(shared / UCDP_SAMPLE) == floors["sha256"], "the UCDP sample changed: re-measure"
    m = evaluate_ucdp(shared / UCDP_SAMPLE, gazetteer)
    assert m["events"] == 707
    assert check_floors(m, floors) == [], m


def test_geovirus_floor(pipeline, shared: Path) -> None:
    """GeoVirus (229 WikiNews passages, 2,170 toponyms): recall and accuracy within 161 km, pinned."""
    floors = geo_floors()["geovirus"]
    assert file_sha256(shared / GEOVIRUS) == floors["sha256"], "GeoVirus.xml changed: re-measure and re-pin"
    m = evaluate_geo(shared / GEOVIRUS, pipeline)
    assert m["documents"] == 229 and m["gold_toponyms"] == 2170
    assert check_floors(m, floors) == [], m


def test_geovirus_reader(tmp_path: Path) -> None:
    text = "Cases rose in Pandi, Bulacan."
    xml = (
        "<articles><article><source>s</source><text>" + text + "</text><locations>"
        "<location><name>Pandi</name><start>15</start><end>20</end><lat>14.87</lat><lon>120.95</lon>"
        "</location><location><location><name>Bulacan</name><start>22</start><end>29</end><lat>15</lat>"
        "<lon>121.08</lon></location></location></locations></article></articles>"
    )
    path = tmp_path / "g.xml"
    path.write_text(xml, encoding="utf-8")
    (doc,) = read_geovirus(path)
    assert [text[s:e] for s, e in (t["span"] for t in doc["toponyms"])] == ["Pandi", "Bulacan"]
    path.write_text(xml.replace("<start>15</start>", "<start>14</start>"), encoding="utf-8")
    with pytest.raises(InputError, match="Pandi"):
        read_geovirus(path)
    path.write_text("<articles><article>", encoding="utf-8")
    with pytest.raises(InputError, match="GeoVirus"):
        read_geovirus(path)


def test_ucdp_rejects_other_csv(tmp_path: Path, gazetteer) -> None:
    other = tmp_path / "x.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="UCDP"):
        evaluate_ucdp(other, gazetteer)


def test_ucdp_country_names() -> None:
    assert ucdp_country_code("Russia (Soviet Union)") == "RU"
    assert ucdp_country_code("DR Congo (Zaire)") == "CD"
    assert ucdp_country_code("Turkey") == "TR"
    assert ucdp_country_code("Syria") == "SY"
