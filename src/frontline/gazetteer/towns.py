"""The most populous towns in a box, from the GeoNames index: the reference labels of the web map.

The index keeps every populated place of cities500 with its population, but no index on position or
population, so a query per map move would scan it (about 0.2 s). Towns above a population floor (some
25,000 places from 10,000 people up) are read once, most populous first, and kept in memory; a box is
then a walk down that list until enough are found, a few milliseconds even for the whole world.
"""

from __future__ import annotations

import sqlite3
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import GazetteerError
from .normalise import is_latin

# Below this a town is a village to a reader at the zooms the map labels; the controlled places and
# event places the store holds are labelled whatever their size.
MIN_POPULATION = 10_000

# Letters GeoNames' transliterations carry that the page's fonts draw but readers do not type.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "`": "'"})


@dataclass(frozen=True, slots=True)
class Town:
    geonameid: int
    name: str
    lat: float
    lon: float
    country_code: str | None
    population: int
    admin1: str | None


def plain_name(name: str) -> str:
    """GeoNames' transliteration without its diacritics ("Ḩamāh" -> "Hamah"), as English maps print it.
    Names in non-Latin scripts are kept as they are."""
    if not is_latin(name):
        return name
    folded = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    stripped = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


class Towns:
    """Populated places over a population floor, most populous first, loaded on first use."""

    def __init__(self, path: Path, *, min_population: int = MIN_POPULATION) -> None:
        self.path = Path(path)
        self.min_population = min_population
        self._towns: list[Town] | None = None
        self._lock = threading.Lock()

    def _load(self) -> list[Town]:
        if not self.path.exists():
            raise GazetteerError(
                "gazetteer index not found; run `frontline gazetteer build`", source=str(self.path)
            )
        try:
            con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            try:
                rows = con.execute(
                    "SELECT geonameid, name, lat, lon, cc, population, admin1 FROM places "
                    "WHERE feature = 'city' AND population >= ? AND lat IS NOT NULL AND lon IS NOT NULL "
                    "ORDER BY population DESC, geonameid",
                    (self.min_population,),
                ).fetchall()
            finally:
                con.close()
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"gazetteer index unreadable ({exc})", source=str(self.path)) from exc
        return [Town(r[0], plain_name(r[1]), r[2], r[3], r[4], r[5] or 0, r[6]) for r in rows]

    @property
    def towns(self) -> list[Town]:
        if self._towns is None:
            with self._lock:
                if self._towns is None:
                    self._towns = self._load()
        return self._towns

    def in_box(
        self, bbox: tuple[float, float, float, float], *, limit: int = 100, min_population: int = 0
    ) -> list[Town]:
        """The ``limit`` most populous towns inside ``west, south, east, north`` (west > east: a box
        across the antimeridian), of at least ``min_population`` people."""
        west, south, east, north = bbox
        across = west > east
        found: list[Town] = []
        for town in self.towns:
            if town.population < min_population:
                break  # most populous first: the rest are smaller still
            if not south <= town.lat <= north:
                continue
            inside = (town.lon >= west or town.lon <= east) if across else (west <= town.lon <= east)
            if inside:
                found.append(town)
                if len(found) >= limit:
                    break
        return found
