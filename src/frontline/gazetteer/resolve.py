"""Choosing which place a name means: candidates ranked by how well the name matches, how big and what
kind of place it is, the article's countries, explicit qualifiers ("Tripoli, Lebanon"), and how close it
lies to the other places the article names.

The scores are log-odds-like points added up; the weights were set by hand on the reasoning in comments
and checked on the UCDP sample (docs/geoparser.md), not fitted to it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from .base import Gazetteer, Place
from .normalise import exact_key, loose_key, spelling_key

# Match quality (see normalise.py) -> points: a spelling variant is fine, a loose transliteration needs
# the context to carry it.
_QUALITY_POINTS = {0: 0.0, 1: -0.3, 2: -0.8, 3: -2.0}
# A bare name is most often the town ("Hama"), and a country name is almost always the country.
# A curated region's or a continent's name ("Darfur", "the Sahel", "Africa") is nearly always the region.
_FEATURE_POINTS = {"country": 3.5, "region": 3.0, "city": 1.0, "admin1": 0.0, "admin2": -0.8, "other": -0.5}
# Kinds of area a bare name most often means when it is one: a country, a first-level division, a region.
_AREAS = frozenset({"country", "admin1", "region"})
# A town that shares its name with such an area but lies outside it ("Florida" in California, "Indiana"
# in Pennsylvania, "Middle East" in Maryland) is what the name means only when the text says so.
_SHADOWED_POINTS = 2.5
# ... unless the town is big enough to be news in its own right (Washington, not the state).
_SHADOW_FREE_POPULATION = 500_000
# A foreign country whose name is also a division of the article's own country ("Georgia" in a report on
# the United States): the division, unless the text says otherwise.
_FOREIGN_NAMESAKE_POINTS = 3.0
_POPULATION_WEIGHT = 0.35
_HINT_POINTS = 3.0  # "Hama province" asks for the province
_COUNTRY_POINTS = 2.5  # a place in the article's main country
_QUALIFIER_POINTS = 6.0  # "Tripoli, Lebanon": the text says which one
_ADMIN1_POINTS = 1.5  # a place in a province the article names
# A place outside every country the article is about: reporting on Syria that names "Palmyra" means
# Tadmur, not Palmyra, Pennsylvania; only a big, well-matched place abroad survives this.
_ABROAD_POINTS = -2.0
# The only place that has this very name (not a variant): strong evidence on its own.
_UNIQUE_POINTS = 1.0
# Every good reading of the name lies in one country: that much is certain even without context.
_ONE_COUNTRY_POINTS = 0.5
# cities500 lists towns below 500 people only when they are administrative seats, and GeoNames gives many
# such seats (Ma‘arrat an Nu‘mān among them) a population of 0: count those as a small town, not as nothing.
_SEAT_POPULATION = 5_000
_SURE_WEIGHT = 1.5
# A place whose name is also an English word must be this big to be read without support.
_WORD_POPULATION = 100_000
# Below this a name is left unresolved: better null than a wrong town across the world.
MIN_SCORE = 1.5


@dataclass
class Context:
    """What the rest of the article says about where it is."""

    countries: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))  # ISO2 -> weight
    admin1: set[tuple[str, str]] = field(default_factory=set)  # (ISO2, admin1 code)
    points: list[tuple[float, float]] = field(default_factory=list)  # resolved specific places

    def ranked(self) -> list[str]:
        """Country codes, most salient first."""
        return [c for c, w in sorted(self.countries.items(), key=lambda cw: -cw[1]) if c and w > 0]

    def country_weight(self, code: str | None) -> float:
        if not code or not self.countries:
            return 0.0
        top = max(self.countries.values())
        return self.countries.get(code, 0.0) / top if top else 0.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def matches(gazetteer: Gazetteer, name: str, limit: int = 60) -> list[tuple[Place, int]]:
    """(place, match quality) pairs; backends without qualities get 0 for an exact name, else 1."""
    match = getattr(gazetteer, "match", None)
    if match is not None:
        found = match(name)[:limit]
        if not any(q == 2 for _, q in found):
            return list(found)
        # a skeleton match that differs only in how the article or a doubled letter is written is as
        # good as an alternate name: the NER's "person" Jisr al-Shughur is GeoNames' Jisr ash Shughūr
        key = spelling_key(name)
        return [(p, 1 if q == 2 and spelling_key(p.name) == key else q) for p, q in found]
    key = exact_key(name)
    return [(p, 0 if exact_key(p.name) == key else 1) for p in gazetteer.candidates(name, limit=limit)]


def _population(place: Place) -> int:
    if place.population == 0 and place.feature in ("city", "admin2"):
        return _SEAT_POPULATION
    return place.population


@dataclass
class Scored:
    place: Place
    score: float
    quality: int


def rank(
    candidates: list[tuple[Place, int]],
    context: Context,
    *,
    hint: str | None = None,
    qualifier: Place | None = None,
    name: str = "",
    word: bool = False,
) -> list[Scored]:
    """Score every candidate; best first."""
    out: list[Scored] = []
    exact_matches = sum(1 for _, q in candidates if q <= 1)
    short_loose = len(loose_key(name)) <= 3 if name else False
    good_countries = {p.country_code for p, q in candidates if q <= 2}
    # Only a context with some weight behind it (a country named, several places) rules out the rest.
    sure = bool(context.countries) and max(context.countries.values()) >= _SURE_WEIGHT
    # Each country's weight relative to the top one, computed once (this loop is the warm path).
    top = max(context.countries.values()) if context.countries else 0.0
    weights = context.countries

    def weight(code: str | None) -> float:
        return weights.get(code, 0.0) / top if code and top else 0.0

    # The areas this very name names (a country, a division, a region), for the type-aware rules below.
    areas = [p for p, q in candidates if q <= 1 and p.feature in _AREAS]
    home_division = any(p.feature == "admin1" and weight(p.country_code) >= 0.5 for p in areas)
    for place, quality in candidates:
        cw = weight(place.country_code)
        if quality >= 3 and cw < 0.3 and qualifier is None:
            continue  # a loose match abroad is noise
        if word and not big_enough_for_a_word(place, quality, cw):
            continue  # "Congress", "West": the word, unless the place is one news would name
        s = _QUALITY_POINTS.get(quality, -3.0)
        if quality >= 3 and short_loose:
            s -= 1.0  # three consonants ("jbr") join too many unrelated names
        s += _POPULATION_WEIGHT * math.log10(_population(place) + 1)
        if quality <= 1 and exact_matches == 1 and (cw > 0 or not context.countries):
            s += _UNIQUE_POINTS
        if quality <= 2 and len(good_countries) == 1:
            s += _ONE_COUNTRY_POINTS
        s += _FEATURE_POINTS.get(place.feature, 0.0)
        if hint is not None and place.feature != hint:
            s -= _HINT_POINTS  # a penalty, not a bonus, so a hint never lifts a poor match over MIN_SCORE
        s += _COUNTRY_POINTS * cw
        if cw == 0.0 and sure and place.feature != "country" and place.country_code is not None:
            s += _ABROAD_POINTS  # (a region across several countries has no country to be abroad from)
        if (
            areas
            and place.feature in ("city", "admin2")
            and place.population < _SHADOW_FREE_POPULATION
            and qualifier is None
            and _shadowed(place, areas, weight, cw)
        ):
            s -= _SHADOWED_POINTS
        if place.feature == "country" and sure and cw == 0.0 and home_division and qualifier is None:
            s -= _FOREIGN_NAMESAKE_POINTS
        if qualifier is not None:
            # The text says where it is ("Tripoli, Lebanon", "Jobar on the outskirts of Damascus"): a
            # reading inside that place is all but certain, one outside it all but ruled out.
            s += _QUALIFIER_POINTS if inside(place, qualifier) else -_HINT_POINTS
        if (
            place.country_code
            and place.admin1_code
            and (place.country_code, place.admin1_code) in context.admin1
        ):
            s += _ADMIN1_POINTS
        if context.points and place.feature in ("city", "admin2", "other"):
            d = min(haversine_km(place.lat, place.lon, lat, lon) for lat, lon in context.points)
            s += 1.5 if d < 50 else 1.0 if d < 150 else 0.5 if d < 400 else 0.0
        out.append(Scored(place, s, quality))
    out.sort(key=lambda sc: -sc.score)
    return out


def _shadowed(place: Place, areas: list[Place], weight: Callable[[str | None], float], cw: float) -> bool:
    """Whether a town is outranked by an area of its very name that it does not lie in, and that the
    article's countries support at least as well as the town (Tripoli in Lebanon is not shadowed by the
    Libyan district of Tripoli in a report on Lebanon)."""
    if any(a.geonameid != place.geonameid and inside(place, a) for a in areas):
        return False  # a seat named like its province (Hama) is what the bare name means
    return any(
        a.country_code is None or weight(a.country_code) >= cw
        for a in areas
        if a.geonameid != place.geonameid
    )


def big_enough_for_a_word(place: Place, quality: int, cw: float) -> bool:
    """A name that is also an English word means a place only if it is a country, a big city, or a
    sizeable town of the article's country read by its own name (Jericho, Bethlehem)."""
    if quality > 1:
        return False  # a word that merely resembles a place's name ("Bush", Boise) is the word
    if place.feature in ("country", "region") or place.population >= _WORD_POPULATION:
        return True  # (WordNet has "Darfur" and "Java": a curated region's name is the region)
    return cw >= 0.5 and (place.feature == "admin1" or place.population >= 10_000)


def resolve(
    gazetteer: Gazetteer,
    name: str,
    context: Context,
    *,
    hint: str | None = None,
    qualifier: Place | None = None,
    word: bool = False,
) -> tuple[Place | None, float]:
    """The place a name most likely means here, and a confidence in 0..1 (None when nothing fits).
    ``word``: the name is also an ordinary English word, so only a place news would name will do."""
    ranked = rank(matches(gazetteer, name), context, hint=hint, qualifier=qualifier, name=name, word=word)
    if not ranked or ranked[0].score < MIN_SCORE:
        return None, 0.0
    best = ranked[0]
    margin = best.score - ranked[1].score if len(ranked) > 1 else 3.0
    confidence = 1 / (1 + math.exp(-(margin - 0.5)))
    if best.quality >= 2:
        confidence *= 0.8
    return best.place, round(min(0.99, confidence), 3)


# A town's countryside, outskirts or district reaches this far from its point.
AREA_KM = 60.0
# A curated region (Darfur, Donbas) reaches about this far from its representative point.
REGION_KM = 300.0


def inside(place: Place, area: Place) -> bool:
    """Whether a place can lie in an area the text names: the same country, the same province for a
    province, near a town for a town's countryside or outskirts."""
    if area.feature == "country":
        return place.country_code == area.country_code
    if area.feature == "admin1":
        return place.country_code == area.country_code and place.admin1_code in (area.admin1_code, None)
    if area.feature == "region":
        # A curated region has a point, not an outline: inside means its country and within a region's
        # reach of the point.
        if area.country_code and place.country_code != area.country_code:
            return False
        return haversine_km(place.lat, place.lon, area.lat, area.lon) <= REGION_KM
    return haversine_km(place.lat, place.lon, area.lat, area.lon) <= AREA_KM
