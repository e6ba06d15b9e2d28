"""Analyse and ingest: the token, the input checks, and that analyse stores nothing while ingest stores
once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from frontline.store import Store

from .conftest import TOKEN, make_client

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = {
    "title": "Fighting near Hama",
    "published": "2024-12-04",
    "url": "https://example.org/near-hama",
    "text": "Fighters clashed with the army north of Hama on Wednesday. Dozens were reported killed.",
}


@pytest.mark.parametrize("path", ["/api/analyse", "/api/articles"])
def test_writes_without_a_token_are_401(client: TestClient, path: str) -> None:
    r = client.post(path, json=ARTICLE)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert "token" in r.json()["detail"]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer wrong",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        TOKEN,
        "Bearer " + TOKEN + "x",
        "Bearer \u00e9".encode("latin-1"),
    ],
)
def test_a_wrong_token_is_401(client: TestClient, header: str) -> None:
    r = client.post("/api/analyse", json=ARTICLE, headers={"Authorization": header})
    assert r.status_code == 401, r.text


def test_writes_are_403_when_the_server_has_no_token(store: Store) -> None:
    client = make_client(store)
    r = client.post("/api/articles", json=ARTICLE, headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403
    assert "FRONTLINE_API_TOKEN" in r.json()["detail"]
    assert client.get("/api/meta").json()["writes_enabled"] is False


def test_analyse_returns_the_extraction_and_stores_nothing(client: TestClient) -> None:
    before = client.get("/api/meta").json()["stats"]
    r = client.post("/api/analyse", json=ARTICLE, headers=AUTH)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["schema"] == "frontline.extract/1"
    assert body["article"]["published"] == "2024-12-04"
    [event] = body["events"]
    start, end = event["span"]
    assert ARTICLE["text"][start:end] == "Hama"
    assert client.get("/api/meta").json()["stats"] == before


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"title": "no text"}, "body parameter 'text': Field required"),
        ({"text": "   "}, "empty article"),
        ({"text": "Hama fell.", "published": "2024-02-30"}, "published"),
        ({"text": 42}, "body parameter 'text'"),
    ],
)
def test_analyse_refuses_what_is_not_an_article(client: TestClient, body: dict, says: str) -> None:
    r = client.post("/api/analyse", json=body, headers=AUTH)
    assert r.status_code == 422, r.text
    assert says in r.json()["detail"]


def test_analyse_refuses_malformed_json(client: TestClient) -> None:
    r = client.post(
        "/api/analyse", content=b"{not json", headers={**AUTH, "Content-Type": "application/json"}
    )
    assert r.status_code == 422
    assert "JSON" in r.json()["detail"]


def test_article_text_over_the_article_limit_is_422(store: Store) -> None:
    client = make_client(store, api_token=TOKEN, max_article_bytes=100)
    r = client.post("/api/analyse", json={"text": "Hama. " * 40}, headers=AUTH)
    assert r.status_code == 422 and "100-byte limit" in r.json()["detail"]


def test_ingest_stores_once(fresh_store: Store) -> None:
    client = make_client(fresh_store, api_token=TOKEN)
    first = client.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert first.status_code == 201, first.text
    result = first.json()["result"]
    assert result["status"] == "new" and len(result["events_created"]) == 1
    again = client.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert again.status_code == 200 and again.json()["result"]["status"] == "unchanged"
    page = client.get("/api/events").json()
    assert page["total"] == 1 and page["items"][0]["location"] == "Hama"
    article = client.get(f"/api/articles/{result['article_id']}").json()
    assert article["title"] == "Fighting near Hama"
    assert [m["kind"] for m in article["marks"]] == ["event"]
