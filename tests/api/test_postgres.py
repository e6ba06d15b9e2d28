"""The same API over PostgreSQL (the team server's store): the seeded corpus read back through a few
routes, so a difference between the backends that the API would show is caught here.

Needs ``FRONTLINE_TEST_PG`` (``scripts/test.sh`` starts a throwaway server); fails without it under CI,
and is skipped with the reason elsewhere.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from frontline.store import open_store

from .conftest import make_client
from .seed import seed

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_client() -> Iterator[TestClient]:
    base = os.environ.get("FRONTLINE_TEST_PG")
    if not base:
        reason = "FRONTLINE_TEST_PG is not set (scripts/test.sh starts a PostgreSQL server for the tests)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    import psycopg

    schema = "api_" + uuid.uuid4().hex[:12]
    admin = psycopg.connect(base, autocommit=True)
    admin.execute(f"CREATE SCHEMA {schema}")  # a fresh name of our own making, not user input
    sep = "&" if "?" in base else "?"
    store = open_store(f"{base}{sep}options={quote(f'-csearch_path={schema}')}")
    try:
        seed(store)
        yield make_client(store)
    finally:
        store.close()
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


def test_events_filters_and_paging_on_postgres(pg_client: TestClient) -> None:
    page = pg_client.get("/api/events", params={"limit": 4}).json()
    assert page["total"] == 10 and len(page["items"]) == 4
    claimed = pg_client.get("/api/events", params={"modality": "claimed"}).json()
    assert {e["location"] for e in claimed["items"]} == {"Homs", "Kurakhove"}
    boxed = pg_client.get("/api/events", params={"bbox": "36.0,35.0,37.5,36.5", "country": "sy"}).json()
    assert {e["location"] for e in boxed["items"]} == {"Aleppo", "Idlib", "Hama"}
    words = pg_client.get("/api/events", params={"q": "humiliation"}).json()
    assert {e["location"] for e in words["items"]} == {"Hama", "Homs"}


def test_control_and_evidence_on_postgres(pg_client: TestClient) -> None:
    snapshot = pg_client.get("/api/control", params={"date": "2024-12-07"}).json()
    status = {f["properties"]["name"]: f["properties"]["status"] for f in snapshot["features"]}
    assert status == {"Aleppo": "confirmed", "Hama": "confirmed", "Homs": "claimed"}
    place = pg_client.get("/api/places/gn:170017").json()
    assert place["control"][0]["evidence"][0]["article_id"] == "hama-1206"
    article = pg_client.get("/api/articles/hama-1206").json()
    assert {m["kind"] for m in article["marks"]} == {"event", "quote", "toponym"}
