"""What the rest of Frontline needs from a gazetteer: a small protocol, so backends can be swapped.

The GeoNames index in this package is the default backend; tests or users may pass another object that
has these methods (``Pipeline(gazetteer=...)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

# "region": a continent or a curated region (Donbas, the Sahel), an area bigger or other than a division;
# the output contract has no such kind and writes it as "other".
FEATURES = ("country", "admin1", "admin2", "city", "region", "other")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    geonameid: int
    name: str
    lat: float
    lon: float
    country_code: str | None
    feature: str  # one of FEATURES
    population: int = 0
    admin1_code: str | None = None  # GeoNames admin1 code, e.g. "10" (SY.10 = Hama governorate)
    admin1: str | None = None  # the first-level division's name, e.g. "Hama"


@runtime_checkable
class Gazetteer(Protocol):
    def candidates(self, name: str, *, limit: int = 20) -> list[Place]:
        """Places that a name (as written in the text) can refer to, best name matches first."""
        ...

    def get(self, geonameid: int) -> Place | None:
        """One place by its GeoNames id."""
        ...

    def country(self, code: str) -> Place | None:
        """A country by ISO 3166-1 alpha-2 code."""
        ...

    def ruler_names(self) -> Iterable[tuple[str, str]]:
        """(name, label) pairs worth adding to spaCy's entity ruler in front of its NER, so that
        well-known places the model mislabels ("Hama" as ORG) come out as GPE/LOC."""
        ...
