"""Curated regions: the areas reporting names that GeoNames' divisions miss (Donbas, Eastern Ghouta,
Darfur, the Sahel, seas, large islands), read from YAML data files.

The built-in file is ``data/regions.yaml``; users add their own files of the same shape
(``settings.regions``), and a user region with a built-in region's name replaces it. Each region becomes a
``Place`` of feature ``region`` (ACLED geo precision 3) at its representative point. Regions have no
GeoNames id: they get a stable negative id of their own (``region_id``), which the output writes as no
GeoNames id at all, so a curated point is never passed off as a GeoNames record.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import GazetteerError
from .base import Place

BUILTIN = Path(__file__).with_name("data") / "regions.yaml"
KINDS = frozenset({"region", "sea", "island"})


@dataclass(frozen=True, slots=True)
class Region:
    """One entry of a regions file."""

    name: str
    aliases: tuple[str, ...]
    countries: tuple[str, ...]
    lat: float
    lon: float
    kind: str
    source: str

    @property
    def names(self) -> tuple[str, ...]:
        """The name and its aliases, without a leading "the" (recognition strips it from the text too)."""
        out: list[str] = []
        for n in (self.name, *self.aliases):
            bare = n[4:] if n.lower().startswith("the ") else n
            if bare and bare not in out:
                out.append(bare)
        return tuple(out)

    def to_place(self) -> Place:
        return Place(
            geonameid=region_id(self.name),
            name=self.name,
            lat=self.lat,
            lon=self.lon,
            country_code=self.countries[0] if len(self.countries) == 1 else None,
            feature="region",
            population=0,
        )


def region_id(name: str) -> int:
    """A stable id for a curated region, negative so it can never be taken for a GeoNames id."""
    return -(zlib.crc32(name.strip().lower().encode("utf-8")) % 1_000_000_000) - 1


def is_curated(geonameid: int | None) -> bool:
    """Whether an id is a curated region's (no GeoNames record behind it)."""
    return geonameid is not None and geonameid < 0


def load_regions(extra: Iterable[Path] = ()) -> list[Region]:
    """The built-in regions, then each user file's; a later region of the same name replaces an earlier."""
    by_name: dict[str, Region] = {}
    for path in (BUILTIN, *extra):
        for region in read_regions(Path(path)):
            by_name[region.name.lower()] = region
    return list(by_name.values())


def read_regions(path: Path) -> list[Region]:
    """The regions of one file, checked field by field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GazetteerError(f"cannot read the regions file ({exc})", source=str(path)) from exc
    except yaml.YAMLError as exc:
        raise GazetteerError(f"the regions file is not YAML ({exc})", source=str(path)) from exc
    items = data.get("regions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise GazetteerError("a regions file needs a top-level 'regions' list", source=str(path))
    out: list[Region] = []
    for n, item in enumerate(items, start=1):
        where = f"regions[{n}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise GazetteerError("each region needs a 'name'", source=str(path), field=where)
        try:
            lat, lon = float(item["lat"]), float(item["lon"])
        except (KeyError, TypeError, ValueError):
            raise GazetteerError(
                "a region needs numeric 'lat' and 'lon'", source=str(path), field=where
            ) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GazetteerError("'lat'/'lon' out of range", source=str(path), field=where)
        kind = item.get("kind", "region")
        if kind not in KINDS:
            raise GazetteerError(f"'kind' must be one of {sorted(KINDS)}", source=str(path), field=where)
        aliases = item.get("aliases") or []
        countries = item.get("countries") or []
        if not all(isinstance(a, str) for a in aliases) or not all(
            isinstance(c, str) and len(c) == 2 for c in countries
        ):
            raise GazetteerError(
                "'aliases' must be names and 'countries' ISO alpha-2 codes", source=str(path), field=where
            )
        if not isinstance(item.get("source"), str) or not item["source"].strip():
            raise GazetteerError("each region needs a 'source' for its point", source=str(path), field=where)
        out.append(
            Region(
                name=item["name"].strip(),
                aliases=tuple(a.strip() for a in aliases if a.strip()),
                countries=tuple(c.upper() for c in countries),
                lat=lat,
                lon=lon,
                kind=kind,
                source=item["source"].strip(),
            )
        )
    return out
