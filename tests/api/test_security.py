"""Access: body size limits, CORS closed unless configured, static files only from the web folder,
reads behind the token off loopback, and user input that never becomes SQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from frontline.api import app as app_module
from frontline.api.security import is_loopback
from frontline.store import Store

from .conftest import BASE, TOKEN, make_client

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_a_declared_oversized_body_is_413_before_it_is_read(store: Store) -> None:
    client = make_client(store, api_token=TOKEN, max_request_bytes=1000)
    r = client.post("/api/analyse", json={"text": "x" * 2000}, headers=AUTH)
    assert r.status_code == 413
    assert "1,000-byte limit" in r.json()["detail"]


def test_a_streamed_oversized_body_is_413(store: Store) -> None:
    client = make_client(store, api_token=TOKEN, max_request_bytes=1000)

    def chunks():  # no Content-Length: the limit must count what arrives
        for _ in range(10):
            yield b"x" * 200

    r = client.post("/api/analyse", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413


def test_a_body_under_the_limit_passes(store: Store) -> None:
    client = make_client(store, api_token=TOKEN, max_request_bytes=1000)
    assert client.post("/api/analyse", json={"text": "Hama fell."}, headers=AUTH).status_code == 200


def test_a_nonsense_content_length_is_400(client: TestClient) -> None:
    r = client.post("/api/analyse", content=b"{}", headers={**AUTH, "Content-Length": "lots"})
    assert r.status_code == 400


def test_cors_is_closed_by_default(client: TestClient) -> None:
    r = client.get("/api/events", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in r.headers
    pre = client.options(
        "/api/events", headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in pre.headers


def test_cors_allows_only_configured_origins(store: Store) -> None:
    client = make_client(store, cors_origins=["https://newsroom.example"])
    ok = client.get("/api/events", headers={"Origin": "https://newsroom.example"})
    assert ok.headers["access-control-allow-origin"] == "https://newsroom.example"
    other = client.get("/api/events", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize(
    "path",
    [
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2fapp.py",
        "/static/vendor/../../deps.py",
        "/static/%2e%2e/%2e%2e/settings.py",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
    ],
)
def test_no_path_escapes_the_static_folder(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404, f"{path}: {r.status_code}"
    assert "import" not in r.text and "root:" not in r.text


def test_the_page_and_its_files(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and '<div id="map"' in page.text
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    for name in ("app.js", "style.css", "index.html"):
        assert client.get(f"/static/{name}").status_code == 200
    for src in (
        "static/vendor/leaflet.js",
        "static/vendor/leaflet.markercluster.js",
        "static/vendor/topojson-client.min.js",
        "static/app.js",
    ):
        assert f'src="{src}"' in page.text
        assert "http" not in src, "nothing from a CDN"


def test_the_page_says_how_to_build_it_when_the_vendor_files_are_missing(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setattr(app_module, "VENDOR_DIR", tmp_path)
    r = client.get("/")
    assert r.status_code == 503 and "scripts/build-web.sh" in r.text


def test_reads_need_the_token_off_loopback(store: Store) -> None:
    from frontline.api import create_app
    from frontline.settings import Settings

    client = TestClient(create_app(Settings(api_token=TOKEN), store, reads_need_token=True), base_url=BASE)
    assert client.get("/api/events").status_code == 401
    assert client.get("/api/events", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/api/events", headers=AUTH).status_code == 200
    assert client.get("/api/health").status_code == 200, "liveness stays open"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    "value",
    [
        "'; DROP TABLE events; --",
        '" OR 1=1 --',
        "%",
        "_",
        "Hama' OR '1'='1",
        "\\",
        "NEAR(a b)",
        "a*",
        "-Hama",
        'x" AND "y',
    ],
)
def test_user_text_is_never_sql(client: TestClient, value: str) -> None:
    for path, param in (
        ("/api/events", "q"),
        ("/api/events", "actor"),
        ("/api/events", "place_id"),
        ("/api/places", "q"),
        ("/api/actors", "q"),
        ("/api/articles", "q"),
    ):
        r = client.get(path, params={param: value})
        assert r.status_code == 200, f"{path}?{param}={value!r}: {r.text}"
        if param != "q" or (path != "/api/articles" and path != "/api/events"):
            # Substring and prefix filters: the quote marks and wildcards are literal characters here.
            assert r.json()["total"] == 0, f"{path}?{param}={value!r} matched something"
    assert client.get(f"/api/events/{value}").status_code in (404, 422)
    assert client.get("/api/meta").json()["stats"]["events"] == 10, "nothing was dropped"


def test_full_text_search_reads_operators_as_words(client: TestClient) -> None:
    # "-Hama" is not "everything but Hama", and "a*" is not a prefix query: plain words, all required.
    hits = client.get("/api/articles", params={"q": "-Hama"}).json()["items"]
    assert [h["id"] for h in hits] == ["hama-1206"]
    assert client.get("/api/articles", params={"q": "Hama OR Kurakhove"}).json()["total"] == 0


def test_nul_characters_are_refused(client: TestClient) -> None:
    r = client.get("/api/events", params={"actor": "\x00"})
    assert r.status_code == 422 and "NUL" in r.json()["detail"]
