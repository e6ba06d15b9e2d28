"""The actor catalogue's records and the protocol a catalogue backend offers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class CatalogueActor:
    """One actor of the catalogue: an armed group, a state force, a generic role."""

    id: str  # stable slug, e.g. "hts"
    name: str  # canonical name, e.g. "Hayat Tahrir al-Sham"
    side: str | None  # short alignment label: "rebels", "government", "jihadists", "militia", "civilians" ...
    country_code: str | None  # ISO alpha-2 of the actor's country (None for international actors)
    kind: str  # "state_forces", "rebel_group", "political_militia", "identity_militia", "external_force",
    #            "protesters", "civilians", "government", "organisation", "generic"
    aliases: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()  # e.g. ("syria",)
    parent: str | None = None  # id of the actor this one belongs to (a brigade of an army)
    generic: bool = False  # a role ("rebels", "the army") to be tied to a specific actor from context
    extra: dict = field(default_factory=dict, hash=False, compare=False)


@runtime_checkable
class Catalogue(Protocol):
    def lookup(self, text: str) -> list[CatalogueActor]:
        """Actors a surface form can name ("HTS", "Hayat Tahrir al-Sham", "the Syrian army")."""
        ...

    def get(self, actor_id: str) -> CatalogueActor | None: ...

    def ruler_patterns(self) -> Iterable[tuple[str, str]]:
        """(phrase, label) pairs for spaCy's entity ruler: named actors as ORG/NORP."""
        ...
