"""Bad parameters give 422 with a sentence that names the parameter; unknown records 404; the library's
errors map to their HTTP statuses in one place."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from frontline.errors import StoreError
from frontline.store import Store

from .conftest import BASE, make_client


@pytest.mark.parametrize(
    ("path", "params", "name", "says"),
    [
        ("/api/events", {"limit": 0}, "limit", "greater than or equal to 1"),
        ("/api/events", {"limit": 1001}, "limit", "less than or equal to 1000"),
        ("/api/events", {"limit": "ten"}, "limit", "valid integer"),
        ("/api/events", {"offset": -1}, "offset", "greater than or equal to 0"),
        ("/api/events", {"start": "2024-13-01"}, "start", "valid date"),
        ("/api/events", {"end": "yesterday"}, "end", "valid date"),
        ("/api/events", {"start": "2024-12-10", "end": "2024-12-01"}, "start", "after end"),
        ("/api/events", {"bbox": "36,35,37"}, "bbox", "4 numbers"),
        ("/api/events", {"bbox": "a,b,c,d"}, "bbox", "expected numbers"),
        ("/api/events", {"bbox": "36,35,190,36"}, "bbox", "east 190.0 is outside"),
        ("/api/events", {"bbox": "36,37,37,35"}, "bbox", "north of north"),
        ("/api/events", {"country": "SYR"}, "country", "ISO 3166-1 alpha-2"),
        ("/api/events", {"country": "1Y"}, "country", "ISO 3166-1 alpha-2"),
        ("/api/events", {"event_type": "battles"}, "event_type", "is not one of"),
        ("/api/events", {"sub_event_type": "Airstrike"}, "sub_event_type", "is not one of"),
        ("/api/events", {"plover": "KILL"}, "plover", "is not one of"),
        ("/api/events", {"modality": "maybe"}, "modality", "is not one of"),
        ("/api/events", {"min_reports": 0}, "min_reports", "greater than or equal to 1"),
        ("/api/events", {"q": "x" * 201}, "q", "at most 200 characters"),
        ("/api/places", {"country": "Syria"}, "country", "ISO 3166-1 alpha-2"),
        ("/api/places", {"bbox": "0,0,0"}, "bbox", "4 numbers"),
        ("/api/places", {"bbox": "170,-20,-170,0"}, "bbox", "antimeridian"),
        ("/api/control", {"bbox": "170,-20,-170,0"}, "bbox", "antimeridian"),
        ("/api/events", {"bbox": "nan,0,1,1"}, "bbox", "outside"),
        ("/api/places", {"limit": 5000}, "limit", "less than or equal to 1000"),
        ("/api/control", {"date": "2024-02-30"}, "date", "valid date"),
        ("/api/control", {"bbox": "0,100,1,101"}, "bbox", "outside -90..90"),
        ("/api/control", {"country": "S"}, "country", "ISO 3166-1 alpha-2"),
        ("/api/control", {"evidence": "perhaps"}, "evidence", "valid boolean"),
        ("/api/control/changes", {"start": "2024-12-10", "end": "2024-12-01"}, "start", "after end"),
        ("/api/control/changes", {"country": "XYZ"}, "country", "ISO 3166-1 alpha-2"),
        ("/api/control/changes", {"bbox": "1,2"}, "bbox", "4 numbers"),
        ("/api/actors", {"offset": "x"}, "offset", "valid integer"),
        ("/api/articles", {"limit": -5}, "limit", "greater than or equal to 1"),
    ],
)
def test_bad_parameters_give_422_naming_the_parameter(
    client: TestClient, path: str, params: dict[str, Any], name: str, says: str
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    body = r.json()
    assert f"parameter '{name}'" in body["detail"]
    assert says in body["detail"]
    assert body["errors"][0]["loc"] == ["query", name]


@pytest.mark.parametrize(
    "path",
    ["/api/events/ev-unknown", "/api/places/gn:1", "/api/places/Atlantis", "/api/articles/unknown-article"],
)
def test_unknown_records_are_404(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.json()["detail"]


def test_unknown_route_is_404_json(client: TestClient) -> None:
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and "no such route" in r.json()["detail"]


def test_wrong_method_is_405(client: TestClient) -> None:
    assert client.delete("/api/events").status_code == 405


def test_store_errors_are_503_without_internals(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise StoreError("database is locked", source="/srv/secret/path.db")

    client = make_client(store)
    monkeypatch.setattr(store, "list_events", broken)
    r = client.get("/api/events")
    assert r.status_code == 503
    assert "secret" not in r.text and "StoreError" in r.json()["detail"]


def test_a_bug_is_a_500_json_without_traceback(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def buggy(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("oops in /srv/code.py")

    monkeypatch.setattr(store, "list_actors", buggy)
    client = make_client(store)
    client_no_raise = type(client)(client.app, raise_server_exceptions=False, base_url=BASE)
    r = client_no_raise.get("/api/actors")
    assert r.status_code == 500
    assert r.json() == {"detail": "internal error; see the server's log"}
