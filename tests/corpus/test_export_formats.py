"""Each export format checked against its published definition (issue 14, point 2), over a store that
holds the events real extraction produces: typed and untyped, dated and undated, placed, unplaced and
placed without coordinates.

The column and field lists below are written from the formats' own documents, not from our code:
ACLED's 2024 data export columns (its codebook), the PLOVER manual's "JSON Data Fields" table, and
RFC 7946 for GeoJSON.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pycountry
import pytest

from frontline.export import (
    LEFT_UNREALISED,
    NO_ACLED_TYPE,
    NO_COUNTRY,
    NO_DATE,
    NO_POINT,
    export,
)
from frontline.schema import ACLED_TYPES, Location
from frontline.store.sql import SQLStore
from store.conftest import ALEPPO, HAMA, HOMS, KHARKIV, make_analysis, make_article, make_event

ACLED_2024_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
ACLED_DISORDER = {
    "Political violence",
    "Demonstrations",
    "Political violence; Demonstrations",
    "Strategic developments",
}
# PLOVER manual, "JSON Data Fields": every standard name, and the four it requires.
PLOVER_FIELDS = {
    "id",
    "has_event",
    "date",
    "time",
    "enddate",
    "endtime",
    "source",
    "recipient",
    "event",
    "event_loc",
    "event_text",
    "quad_code",
    "event_scale",
    "mode",
    "context",
    "link",
    "text",
    "text_info",
    "cite_info",
    "coder",
    "coded_date",
    "coded_time",
    "comment",
}
PLOVER_REQUIRED = {"id", "date", "source", "event"}
PLOVER_EVENTS = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "INVESTIGATE",
    "DEMAND",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "SANCTION",
    "PROTEST",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}

# A place the gazetteer did not know: a name, no coordinates, no country.
RUBAYA = Location(name="Rubaya")
UNKNOWN_COUNTRY = Location(name="Somewhere", lat=1.0, lon=2.0, country_code=None)


@pytest.fixture
def mixed(sqlite_store: SQLStore) -> SQLStore:
    """Eleven reports, eleven distinct events, as a real corpus has them."""
    reports = [
        ("Rebels seized Hama.", make_event("e1", location=HAMA, date="2024-12-05")),
        ("Shelling hit Homs.", make_event("e2", sub="Shelling/artillery/missile attack", location=HOMS)),
        ("Drones struck Kharkiv.", make_event("e3", sub="Air/drone strike", location=KHARKIV, actor2=None)),
        ("Fighting went on near Homs.", make_event("e4", sub=None, location=HOMS, date="2024-11-02")),
        ("Rebels took Aleppo, some day.", make_event("e5", date=None, precision=None, location=ALEPPO)),
        ("Fighters seized Rubaya.", make_event("e6", location=RUBAYA, date="2024-10-01")),
        ("Rebels advanced.", make_event("e7", location=None, date="2024-09-01")),
        ("Fighting somewhere.", make_event("e8", location=UNKNOWN_COUNTRY, date="2024-08-01")),
        ("They vowed to take Homs.", make_event("e9", plover="THREATEN", sub=None, modality="threatened")),
        ("Protesters marched in Kharkiv.", make_event("e10", sub="Peaceful protest", plover="PROTEST")),
        ("Talks were held.", make_event("e11", sub=None, plover="CONSULT", location=KHARKIV, date=None)),
    ]
    for i, (text, event) in enumerate(reports):
        article = make_article(f"Report {i}. {text}", source=f"Outlet {i}")
        event = event.model_copy(update={"sentence": text, "span": (0, len(text))})
        sqlite_store.save_analysis(article, make_analysis(article, [event]))
    return sqlite_store


def _export(store: SQLStore, fmt: str, **options: bool) -> tuple[str, object]:
    out = io.StringIO()
    summary = export(store, fmt, out, **options)
    return out.getvalue(), summary


def test_acled_rows_are_whole_acled_rows_and_the_rest_are_counted(mixed: SQLStore) -> None:
    text, summary = _export(mixed, "acled-csv")
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == ACLED_2024_COLUMNS
    rows = list(reader)
    assert len(rows) == summary.written == 4  # type: ignore[attr-defined]
    assert summary.left_out == {  # type: ignore[attr-defined]
        NO_ACLED_TYPE: 2,  # e4 (no sub-event type, so no ACLED type), e11
        NO_DATE: 1,  # e5
        NO_COUNTRY: 3,  # e6 (unknown place), e7 (no place), e8
        LEFT_UNREALISED: 1,  # e9
    }
    ids = set()
    for row in rows:
        code = row["event_id_cnty"]
        assert re.fullmatch(r"[A-Z]{3}\d+", code), code
        country = pycountry.countries.get(alpha_3=code[:3])
        assert country is not None and row["iso"] == str(int(country.numeric))
        assert row["country"]
        ids.add(code)
        day = dt.date.fromisoformat(row["event_date"])
        assert row["year"] == str(day.year)
        assert row["time_precision"] in ("1", "2", "3")
        assert row["event_type"] in ACLED_TYPES
        assert row["sub_event_type"] == "" or row["sub_event_type"] in ACLED_TYPES[row["event_type"]]
        assert row["disorder_type"] in ACLED_DISORDER
        assert -90 <= float(row["latitude"]) <= 90 and -180 <= float(row["longitude"]) <= 180
        assert row["geo_precision"] in ("1", "2", "3")
        assert int(row["fatalities"]) >= 0 and int(row["timestamp"]) > 0
    assert len(ids) == len(rows), "ids are unique"


def test_acled_ids_are_stable_across_exports(mixed: SQLStore) -> None:
    first, _ = _export(mixed, "acled-csv")
    again, _ = _export(mixed, "acled-csv")
    assert first == again


def test_plover_records_have_the_required_fields_in_the_spec_names(mixed: SQLStore) -> None:
    text, summary = _export(mixed, "plover-jsonl")
    records = [json.loads(line) for line in text.splitlines()]
    assert len(records) == summary.written == 8  # type: ignore[attr-defined]
    assert summary.left_out == {NO_DATE: 2, LEFT_UNREALISED: 1}  # type: ignore[attr-defined]
    extras = {"modality", "fatalities", "acled_event_type", "acled_sub_event_type", "n_reports", "country"}
    for rec in records:
        assert set(rec) >= PLOVER_REQUIRED
        assert set(rec) <= PLOVER_FIELDS | extras, set(rec) - PLOVER_FIELDS - extras
        dt.date.fromisoformat(rec["date"])
        assert isinstance(rec["event"], list) and set(rec["event"]) <= PLOVER_EVENTS
        assert isinstance(rec["source"], list) and isinstance(rec["recipient"], list)
        for actor in rec["source"] + rec["recipient"]:
            assert actor["code"] is None or pycountry.countries.get(alpha_3=actor["code"]) is not None
        loc = rec["event_loc"]
        if loc is not None and loc["latitude"] is not None:
            assert -90 <= loc["latitude"] <= 90 and -180 <= loc["longitude"] <= 180


def test_geojson_features_are_points_as_the_docs_promise(mixed: SQLStore) -> None:
    text, summary = _export(mixed, "geojson")
    doc = json.loads(text)
    assert doc["type"] == "FeatureCollection"
    assert len(doc["features"]) == summary.written == 8  # type: ignore[attr-defined]
    assert summary.left_out == {NO_POINT: 2, LEFT_UNREALISED: 1}  # type: ignore[attr-defined]
    for feature in doc["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["id"], str)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]  # RFC 7946: longitude first
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert isinstance(feature["properties"], dict)


def test_geojson_writes_unlocated_events_only_when_asked(mixed: SQLStore) -> None:
    text, summary = _export(mixed, "geojson", include_unlocated=True)
    features = json.loads(text)["features"]
    assert len(features) == 10 and summary.left_out == {LEFT_UNREALISED: 1}  # type: ignore[attr-defined]
    assert sum(f["geometry"] is None for f in features) == 2
    everything, summary = _export(mixed, "geojson", include_unlocated=True, include_unrealised=True)
    assert len(json.loads(everything)["features"]) == 11 and not summary.left_out  # type: ignore[attr-defined]


def test_the_summary_line_says_how_many_were_left_out_and_why(mixed: SQLStore) -> None:
    _, summary = _export(mixed, "acled-csv")
    line = summary.describe()  # type: ignore[attr-defined]
    assert line.startswith("4 events written; 7 left out: 3 without a known country")
    assert "2 without an ACLED event type" in line and "1 without a date" in line
    assert "--all writes them" in line
