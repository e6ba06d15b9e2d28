"""Every read route over the seeded corpus: what comes back, and that each filter narrows it right."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from .seed import corpus


def events(client: TestClient, **params: Any) -> dict[str, Any]:
    r = client.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def locations(page: dict[str, Any]) -> list[str]:
    return [e["location"] for e in page["items"]]


def test_health_and_meta(client: TestClient) -> None:
    assert client.get("/api/health").json()["status"] == "ok"
    meta = client.get("/api/meta").json()
    assert meta["stats"]["events"] == 10
    assert meta["stats"]["first_event_date"] == "1982-07-01"
    assert meta["stats"]["last_event_date"] == "2024-12-20"
    # The slider starts with the events that happened as reported, not with history recalled in them.
    assert meta["period"] == {"start": "2024-11-30", "end": "2024-12-20"}
    assert "location" not in meta["stats"], "the database's path is not the reader's business"
    assert meta["writes_enabled"] is True
    assert "Battles" in meta["vocabularies"]["event_types"]
    assert "claimed" in meta["vocabularies"]["modalities"]


def test_events_are_paged_with_the_total(client: TestClient) -> None:
    everything = events(client)
    assert everything["total"] == 10 and len(everything["items"]) == 10
    dates = [e["date"] for e in everything["items"] if e["date"]]
    assert dates == sorted(dates, reverse=True), "newest first"
    first = events(client, limit=4)
    second = events(client, limit=4, offset=4)
    last = events(client, limit=4, offset=8)
    assert (first["total"], second["total"], last["total"]) == (10, 10, 10)
    ids = [e["id"] for page in (first, second, last) for e in page["items"]]
    assert ids == [e["id"] for e in everything["items"]]
    assert events(client, offset=100)["items"] == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"start": "2024-12-05", "end": "2024-12-07"}, {"Hama", "Homs"}),
        ({"start": "2024-12-08"}, {"Damascus", "Kurakhove"}),
        ({"end": "2024-11-30"}, {"Aleppo", "Idlib", "Hama"}),  # Hama: the massacre of 1982
        ({"start": "1980-01-01", "end": "1989-12-31"}, {"Hama"}),
        ({"bbox": "36.0,35.0,37.5,36.5"}, {"Aleppo", "Idlib", "Hama"}),
        ({"bbox": "37.0,45.0,36.0,50.0"}, {"Kurakhove"}),  # west > east: round the world from 37°E to 36°E
        ({"country": "ua"}, {"Kurakhove"}),
        ({"country": "SY", "start": "2024-01-01", "end": "2024-11-30"}, {"Aleppo", "Idlib"}),
        ({"actor": "russian air"}, {"Idlib"}),
        ({"actor": "government", "start": "2024-11-01", "end": "2024-12-01"}, {"Aleppo", "Idlib"}),
        ({"actor": "hafez"}, {"Hama"}),
        ({"modality": "historical"}, {"Hama"}),
        ({"event_type": "Violence against civilians"}, {"Hama"}),
        ({"event_type": "Protests"}, {"Damascus"}),
        ({"event_type": "Explosions/Remote violence"}, {"Idlib"}),
        ({"sub_event_type": "Armed clash"}, {"Kurakhove"}),
        ({"plover": "RETREAT"}, {"Hama"}),
        ({"plover": "THREATEN"}, {"Homs"}),
        ({"modality": "claimed"}, {"Homs", "Kurakhove"}),
        ({"modality": "threatened"}, {"Homs"}),
        ({"place_id": "gn:170017"}, {"Hama"}),
        ({"place_id": "nm:ua:kurakhove"}, {"Kurakhove"}),
        ({"q": "humiliation"}, {"Hama", "Homs"}),
        ({"min_reports": 2}, set()),
    ],
)
def test_each_event_filter(client: TestClient, params: dict[str, Any], expected: set[str]) -> None:
    page = events(client, **params)
    assert set(locations(page)) == expected
    assert page["total"] == len(page["items"])


def test_filters_combine(client: TestClient) -> None:
    page = events(client, country="SY", event_type="Battles", modality="asserted", start="2024-12-01")
    assert sorted(locations(page)) == ["Damascus", "Hama"]


def test_one_event_with_its_sources_and_evidence_span(client: TestClient) -> None:
    hama = events(client, place_id="gn:170017", plover="ASSAULT")["items"][0]
    r = client.get(f"/api/events/{hama['id']}")
    assert r.status_code == 200
    event = r.json()
    assert event["location"] == "Hama" and event["n_reports"] == 1
    [source] = event["sources"]
    assert source["article_id"] == "hama-1206" and source["url"] == "https://example.org/hama"
    article = client.get(f"/api/articles/{source['article_id']}").json()
    start, end = source["span"]
    assert article["text"][start:end] == "seized control"
    assert source["sentence"] in article["text"]


def test_places_list_and_filters(client: TestClient) -> None:
    page = client.get("/api/places").json()
    assert page["total"] == 6
    assert {p["name"] for p in client.get("/api/places", params={"q": "ha"}).json()["items"]} == {"Hama"}
    assert {p["name"] for p in client.get("/api/places", params={"country": "UA"}).json()["items"]} == {
        "Kurakhove"
    }
    boxed = client.get("/api/places", params={"bbox": "36.0,33.0,37.0,35.5"}).json()
    assert {p["name"] for p in boxed["items"]} == {"Hama", "Homs", "Damascus"}
    one = client.get("/api/places", params={"limit": 1, "offset": 1}).json()
    assert len(one["items"]) == 1 and one["total"] == 6


@pytest.mark.parametrize("ident", ["gn:170017", "170017", "Hama"])
def test_a_place_and_its_control_history(client: TestClient, ident: str) -> None:
    r = client.get(f"/api/places/{ident}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["place"]["id"] == "gn:170017"
    [change] = body["control"]
    assert change["to_actor"] == "Hayat Tahrir al-Sham" and change["status"] == "confirmed"
    assert change["date"] == "2024-12-05"
    [evidence] = change["evidence"]
    assert evidence["article_id"] == "hama-1206"
    assert any("seized control of Hama" in s for s in evidence["sentences"])


def test_a_place_without_a_gazetteer_id(client: TestClient) -> None:
    body = client.get("/api/places/nm:ua:kurakhove").json()
    assert body["place"]["name"] == "Kurakhove"
    assert body["control"][0]["status"] == "claimed"


def test_a_place_with_events_but_no_control_changes(client: TestClient) -> None:
    body = client.get("/api/places/gn:169389").json()
    assert body["place"]["name"] == "Idlib" and body["control"] == []


def controllers(client: TestClient, **params: Any) -> dict[str, tuple[str, str]]:
    r = client.get("/api/control", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["type"] == "FeatureCollection"
    return {
        f["properties"]["name"]: (f["properties"]["controller"], f["properties"]["status"])
        for f in body["features"]
    }


def test_control_snapshot_moves_with_the_date(client: TestClient) -> None:
    assert controllers(client, date="2024-11-29") == {}
    assert controllers(client, date="2024-12-01") == {"Aleppo": ("Hayat Tahrir al-Sham", "confirmed")}
    on_7th = controllers(client, date="2024-12-07")
    assert set(on_7th) == {"Aleppo", "Hama", "Homs"}
    assert on_7th["Homs"] == ("Hayat Tahrir al-Sham", "claimed")
    later = controllers(client, date="2024-12-31")
    assert set(later) == {"Aleppo", "Hama", "Homs", "Damascus", "Kurakhove"}
    assert later["Kurakhove"] == ("Russian Armed Forces", "claimed")
    # Without a date: today, long after the seeded events.
    assert set(controllers(client)) == set(later)


def test_control_snapshot_filters_and_geojson_shape(client: TestClient) -> None:
    assert set(controllers(client, date="2024-12-31", country="ua")) == {"Kurakhove"}
    assert set(controllers(client, date="2024-12-31", bbox="36.0,33.0,37.0,34.0")) == {"Damascus"}
    body = client.get("/api/control", params={"date": "2024-12-06", "evidence": "true"}).json()
    hama = next(f for f in body["features"] if f["properties"]["name"] == "Hama")
    assert hama["geometry"] == {"type": "Point", "coordinates": [36.75783, 35.13179]}, "GeoJSON is lon, lat"
    assert hama["properties"]["since"] == "2024-12-05"
    assert hama["properties"]["evidence"][0]["article_id"] == "hama-1206"
    plain = client.get("/api/control", params={"date": "2024-12-06"}).json()
    assert all(f["properties"]["evidence"] is None for f in plain["features"])


def test_actors(client: TestClient) -> None:
    page = client.get("/api/actors").json()
    names = [a["name"] for a in page["items"]]
    assert names[0] == "Hayat Tahrir al-Sham", "most events first"
    assert page["total"] == len(names) >= 5
    russian = client.get("/api/actors", params={"q": "russian"}).json()["items"]
    assert {a["name"] for a in russian} == {"Russian Air Force", "Russian Armed Forces"}
    assert len(client.get("/api/actors", params={"limit": 2}).json()["items"]) == 2


def test_articles_list_and_search(client: TestClient) -> None:
    page = client.get("/api/articles").json()
    assert page["total"] == 5
    assert page["items"][0]["id"] == "kurakhove-1220", "most recently published first"
    hits = client.get("/api/articles", params={"q": "Umayyad Square"}).json()
    assert [h["id"] for h in hits["items"]] == ["damascus-1208"]
    assert "Umayyad" in (hits["items"][0]["snippet"] or "")
    assert client.get("/api/articles", params={"q": "nothing-like-this"}).json()["total"] == 0


def test_article_with_its_spans_marked(client: TestClient) -> None:
    article, analysis = next((a, an) for a, an in corpus() if a.id == "hama-1206")
    body = client.get("/api/articles/hama-1206").json()
    assert body["text"] == article.text
    assert body["analysis"]["schema"] == "frontline.extract/1"
    kinds = {m["kind"] for m in body["marks"]}
    assert kinds == {"event", "quote", "toponym"}
    for mark in body["marks"]:
        covered = body["text"][mark["start"] : mark["end"]]
        if mark["kind"] == "event":
            event = next(e for e in analysis.events if e.id == mark["ref"])
            assert covered == article.text[event.span[0] : event.span[1]]
        elif mark["kind"] == "toponym":
            assert covered == mark["label"]
        else:
            assert covered.startswith("This is a huge humiliation")
    starts = [m["start"] for m in body["marks"]]
    assert starts == sorted(starts)


def test_every_change_of_control_oldest_first(client: TestClient) -> None:
    body = client.get("/api/control/changes").json()
    assert [(c["place"]["name"], c["date"], c["status"]) for c in body["items"]] == [
        ("Aleppo", "2024-11-30", "confirmed"),
        ("Hama", "2024-12-05", "confirmed"),
        ("Homs", "2024-12-07", "claimed"),
        ("Damascus", "2024-12-08", "confirmed"),
        ("Kurakhove", "2024-12-20", "claimed"),
    ]
    assert body["total"] == 5 and body["truncated"] is False
    assert all(c["evidence"] == [] for c in body["items"])
    window = client.get("/api/control/changes", params={"start": "2024-12-05", "end": "2024-12-07"}).json()
    assert [c["place"]["name"] for c in window["items"]] == ["Hama", "Homs"]
    ukraine = client.get("/api/control/changes", params={"country": "UA", "evidence": "true"}).json()
    [change] = ukraine["items"]
    assert change["evidence"][0]["article_id"] == "kurakhove-1220"
    boxed = client.get("/api/control/changes", params={"bbox": "36.0,33.0,37.0,35.5"}).json()
    assert {c["place"]["name"] for c in boxed["items"]} == {"Hama", "Homs", "Damascus"}
