"""Requests the API would have answered wrongly are refused (issue 14, points 7 and 8): query parameters a
route does not take, and Host names the server does not serve (DNS rebinding)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from frontline.api import create_app
from frontline.settings import Settings
from frontline.store import Store

from .conftest import BASE, make_client, stand_in_pipeline


@pytest.mark.parametrize(
    ("path", "params", "unknown", "accepted"),
    [
        ("/api/events", {"from": "2024-12-01", "to": "2024-12-31"}, "from", "start"),
        ("/api/control", {"at": "2024-12-06"}, "at", "date"),
        ("/api/places", {"county": "SY"}, "county", "country"),
        ("/api/events", {"limit": "5", "evnt_type": "Battles"}, "evnt_type", "event_type"),
        ("/api/health", {"verbose": "1"}, "verbose", "no query parameters"),
        ("/api/meta", {"x": "1"}, "x", "no query parameters"),
    ],
)
def test_an_undeclared_query_parameter_is_a_422_that_names_it(
    client: TestClient, path: str, params: dict[str, str], unknown: str, accepted: str
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    body = r.json()
    assert f"'{unknown}'" in body["detail"] and accepted in body["detail"]
    assert body["errors"][0]["loc"] == ["query", unknown]


def test_declared_parameters_still_pass(client: TestClient) -> None:
    assert (
        client.get("/api/events", params={"start": "2024-12-01", "limit": 2, "offset": 0}).status_code == 200
    )
    assert client.get("/api/control", params={"date": "2024-12-06", "evidence": "true"}).status_code == 200


def test_the_accepted_set_is_what_each_route_declares(client: TestClient) -> None:
    """For every GET route, the parameters the 422 lists are exactly those its OpenAPI entry shows:
    both come from the route's signature, so a parameter added there is accepted at once."""
    spec = client.get("/api/openapi.json").json()
    checked = 0
    for path, ops in spec["paths"].items():
        op = ops.get("get")
        if op is None or "{" in path:
            continue
        declared = sorted(p["name"] for p in op.get("parameters", []) if p["in"] == "query")
        r = client.get(path, params={"zz_unknown": "1"})
        assert r.status_code == 422, (path, r.status_code)
        listed = r.json()["detail"].split("it takes: ", 1)[1]
        assert listed == (", ".join(declared) or "no query parameters"), path
        checked += 1
    assert checked >= 7


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "localhost", "[::1]:8000"])
def test_loopback_names_are_served(store: Store, host: str) -> None:
    client = make_client(store)
    assert client.get("/api/health", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", ""])
def test_another_host_name_is_refused_on_loopback(store: Store, host: str) -> None:
    client = make_client(store)
    for path in ("/api/events", "/api/health", "/"):
        r = client.get(path, headers={"Host": host})
        assert r.status_code == 421, (path, host, r.status_code)
        assert "FRONTLINE_ALLOWED_HOSTS" in r.json()["detail"]


def test_configured_names_are_served_too(store: Store) -> None:
    client = make_client(store, allowed_hosts=["frontline.newsroom.example"])
    assert client.get("/api/health", headers={"Host": "frontline.newsroom.example:8000"}).status_code == 200
    assert client.get("/api/health", headers={"Host": "other.example"}).status_code == 421


def test_a_server_on_every_interface_cannot_know_its_names(store: Store) -> None:
    app = create_app(Settings(), store, pipeline=stand_in_pipeline, served_host="0.0.0.0")
    client = TestClient(app, base_url=BASE)
    assert client.get("/api/health", headers={"Host": "203.0.113.7:8000"}).status_code == 200
    named = create_app(
        Settings(allowed_hosts=["maps.example"]), store, pipeline=stand_in_pipeline, served_host="0.0.0.0"
    )
    client = TestClient(named, base_url=BASE)
    assert client.get("/api/health", headers={"Host": "203.0.113.7:8000"}).status_code == 421
    assert client.get("/api/health", headers={"Host": "maps.example"}).status_code == 200
