"""Points on known GeoNames ids, the curated regions file, type-aware resolution, and facilities."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontline.errors import GazetteerError
from frontline.gazetteer import GeoNamesIndex
from frontline.gazetteer.regions import BUILTIN, is_curated, load_regions, read_regions, region_id
from frontline.gazetteer.resolve import Context, haversine_km, resolve


def ctx(*countries: str) -> Context:
    c = Context()
    for rank, code in enumerate(countries):
        c.countries[code] += 3.0 - rank
    return c


# GeoNames' own points (www.geonames.org/<id>): the ones the index must carry, or come close to for
# divisions, whose GeoNames points no installed package has.
@pytest.mark.parametrize(
    ("geonameid", "lat", "lon", "km"),
    [
        (163843, 35.0, 38.0, 1),  # Syria
        (298795, 39.0, 35.0, 15),  # Turkey
        (2328926, 10.0, 8.0, 1),  # Nigeria
        (6252001, 39.76, -98.5, 1),  # United States
        (6251999, 60.10867, -113.64258, 1),  # Canada
        (6255146, 7.1881, 21.09375, 1),  # Africa (a continent)
        (5332921, 37.25022, -119.75126, 100),  # California: the centre of its towns' ground
        (4736286, 31.25044, -99.25061, 100),  # Texas
        (4155751, 28.75054, -82.5001, 100),  # Florida
    ],
)
def test_countries_continents_and_divisions_at_geonames_points(gazetteer, geonameid, lat, lon, km) -> None:
    place = gazetteer.get(geonameid)
    assert place is not None
    assert haversine_km(place.lat, place.lon, lat, lon) <= km, place


def test_a_division_is_no_longer_at_its_cities_median(gazetteer) -> None:
    # The median of Texas' towns lay in its populous east; the centre of their ground is central Texas.
    texas = gazetteer.get(4736286)
    assert -100.5 < texas.lon < -98.0


@pytest.mark.parametrize(
    ("name", "countries", "geonameid", "feature"),
    [
        ("Florida", ("US",), 4155751, "admin1"),  # the state, not a town of that name in California
        ("Indiana", ("US",), 4921868, "admin1"),  # not Indiana, Pennsylvania
        ("Georgia", ("US",), 4197000, "admin1"),  # in a report on the United States: the state
        ("Georgia", ("GE", "RU"), 614540, "country"),
        ("Hama", ("SY",), 170017, "city"),  # a seat named like its province: still the city
        ("New York", ("US",), 5128581, "city"),
        ("Africa", (), 6255146, "region"),
        ("Europe", (), 6255148, "region"),
    ],
)
def test_type_aware_resolution(gazetteer, name, countries, geonameid, feature) -> None:
    place, _ = resolve(gazetteer, name, ctx(*countries))
    assert place is not None and place.geonameid == geonameid and place.feature == feature, place


def test_the_text_can_still_say_the_town(gazetteer) -> None:
    # "Florida, New York": the village in New York state, not the state of Florida.
    new_york = next(p for p in gazetteer.candidates("New York") if p.feature == "admin1")
    place, _ = resolve(gazetteer, "Florida", ctx("US"), qualifier=new_york)
    assert place is not None and place.geonameid == 5117451


@pytest.mark.parametrize(
    ("name", "countries", "country"),
    [
        ("Donbas", ("UA",), "UA"),
        ("Donbass", (), "UA"),
        ("Eastern Ghouta", ("SY",), "SY"),
        ("Darfur", (), "SD"),
        ("Middle East", (), None),  # not the town in Maryland
        ("Sahel", (), None),
        ("Kurdistan Region", ("IQ",), "IQ"),
    ],
)
def test_curated_regions_resolve(gazetteer, name, countries, country) -> None:
    place, _ = resolve(gazetteer, name, ctx(*countries))
    assert place is not None and place.feature == "region" and place.country_code == country, place
    assert is_curated(place.geonameid)


def test_gaza_and_the_west_bank_are_geonames_divisions(gazetteer) -> None:
    for name, gid in (("Gaza Strip", 281132), ("West Bank", 285153)):
        place, _ = resolve(gazetteer, name, ctx("PS"))
        assert place is not None and place.geonameid == gid


def test_the_builtin_regions_file_is_complete() -> None:
    regions = read_regions(BUILTIN)
    assert len(regions) >= 60
    names = [r.name.lower() for r in regions]
    assert len(names) == len(set(names))
    for r in regions:
        assert r.source and r.kind in ("region", "sea", "island")
    assert len({region_id(r.name) for r in regions}) == len(regions)
    assert all(region_id(r.name) < 0 for r in regions)


def test_user_regions_add_and_replace(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "regions:\n"
        "  - {name: Donbas, countries: [UA], lat: 48.5, lon: 38.5, source: my survey}\n"
        "  - {name: Wagner Triangle, aliases: [The Triangle], countries: [ML], lat: 14.0, lon: -4.0,"
        " source: my notes}\n",
        encoding="utf-8",
    )
    regions = {r.name: r for r in load_regions([mine])}
    assert regions["Donbas"].lat == 48.5 and "Wagner Triangle" in regions
    assert regions["Wagner Triangle"].names == ("Wagner Triangle", "Triangle")


def test_a_user_region_is_found_through_the_index(tmp_path: Path, gazetteer) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "regions:\n  - {name: Zarqa Triangle Area, countries: [SY], lat: 35.0, lon: 37.0, source: test}\n",
        encoding="utf-8",
    )
    index = GeoNamesIndex(gazetteer.path, regions=[mine])
    place, _ = resolve(index, "Zarqa Triangle Area", ctx("SY"))
    assert place is not None and place.name == "Zarqa Triangle Area" and index.get(place.geonameid) == place
    assert ("Zarqa Triangle Area", "LOC") in list(index.ruler_names())


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("regions: {}", "top-level 'regions' list"),
        ("regions:\n  - {name: X, lat: 1, source: s}", "numeric 'lat' and 'lon'"),
        ("regions:\n  - {name: X, lat: 1, lon: 2}", "'source'"),
        ("regions:\n  - {name: X, lat: 1, lon: 2, source: s, countries: [Syria]}", "ISO alpha-2"),
        ("regions:\n  - {name: X, lat: 99, lon: 2, source: s}", "out of range"),
        ("regions: [", "not YAML"),
    ],
)
def test_a_bad_regions_file_is_a_clear_error(tmp_path: Path, text: str, error: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(GazetteerError, match=error):
        read_regions(bad)


# -- in articles ------------------------------------------------------------------------------------


def places(state) -> dict[str, object]:
    return {m.text: m for m in state.places if not m.anaphor and not m.demonym}


def test_regions_in_an_article_have_a_point_but_no_geonames_id(parse) -> None:
    state = parse("Russian forces shelled towns across the Donbas, and fighting went on in Darfur.")
    found = places(state)
    donbas = found["Donbas"]
    assert donbas.place is not None and donbas.precision == 3
    toponym = donbas.to_toponym()
    assert toponym.geonameid is None and toponym.lat is not None and toponym.feature == "other"
    assert donbas.to_location().geonameid is None and donbas.to_location().geo_precision == 3
    assert found["Darfur"].place is not None


def test_facilities_are_kept_whole_at_their_town(parse) -> None:
    state = parse("Rebels shelled Baghdad International Airport and stormed Aleppo Central Prison on Monday.")
    found = places(state)
    airport, prison = found["Baghdad International Airport"], found["Aleppo Central Prison"]
    assert airport.place is not None and airport.place.geonameid == 98182 and airport.precision == 2
    assert prison.place is not None and prison.place.geonameid == 170063 and prison.precision == 2


def test_a_part_of_a_town_is_placed_at_the_town_the_text_names(parse) -> None:
    state = parse("Cholera spread in Kibera, Nairobi, health officials said.")
    kibera = places(state)["Kibera"]
    assert kibera.place is not None and kibera.place.name == "Nairobi" and kibera.precision == 2


def test_a_facility_is_never_placed_at_a_country(parse) -> None:
    state = parse("Troops left the Dugway Proving Ground in the United States.")
    for m in state.places:
        if "Dugway" in m.text:
            assert m.place is None or m.place.feature in ("city", "admin2")


def test_countries_that_look_like_plural_demonyms(parse) -> None:
    found = places(parse("Cases were reported in the Philippines and in Laos."))
    assert found["Philippines"].place.country_code == "PH"
    assert found["Laos"].place.country_code == "LA"
