"""The actor catalogue's records and the protocol a catalogue backend offers."""

from __future__ import annotations

import datetime as dt
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
    # Added after the first release (all defaulted, so older constructors keep working):
    # ids of the generic roles this actor can be called by in running text ("rebels", "fighters"), so that
    # "the rebels" in an article about it resolves to it.
    roles: tuple[str, ...] = ()
    active_from: dt.date | None = None  # when the actor came into being (None: long before 2020)
    active_until: dt.date | None = None  # when it ceased to exist (None: still active)
    label: str = "ORG"  # the spaCy entity label its names get in the entity ruler
    source: str = ""  # the catalogue file it was read from, for error messages and provenance

    def active_on(self, day: dt.date | None) -> bool:
        """Whether the actor existed on ``day`` (always true when the day is unknown)."""
        if day is None:
            return True
        if self.active_from and day < self.active_from:
            return False
        return not (self.active_until and day >= self.active_until)


@dataclass(frozen=True, slots=True)
class CataloguePerson:
    """A notable person (a leader, a commander) and the actor they speak or act for."""

    id: str
    name: str  # canonical full name, e.g. "Abu Mohammad al-Jolani"
    actor: str | None  # id of the actor they belong to
    title: str | None = None  # their usual title, e.g. "President"
    aliases: tuple[str, ...] = ()
    source: str = ""
    # The period the entry holds for: one person may have two entries (a rebel leader, then a president).
    active_from: dt.date | None = None
    active_until: dt.date | None = None

    def active_on(self, day: dt.date | None) -> bool:
        if day is None:
            return True
        if self.active_from and day < self.active_from:
            return False
        return not (self.active_until and day >= self.active_until)


@dataclass(frozen=True, slots=True)
class CountryInfo:
    """How an article names a country, and which actors its generic roles resolve to there."""

    code: str  # ISO 3166-1 alpha-2
    names: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    # Candidate actor ids for "<Syrian> forces", "government forces" in an article about the country, the
    # first one active on the article's date wins (so "Syrian government forces" in 2025 is the new army).
    forces: tuple[str, ...] = ()
    government: tuple[str, ...] = ()
    police: tuple[str, ...] = ()
    source: str = ""


@runtime_checkable
class Catalogue(Protocol):
    def lookup(self, text: str) -> list[CatalogueActor]:
        """Actors a surface form can name ("HTS", "Hayat Tahrir al-Sham", "the Syrian army")."""
        ...

    def get(self, actor_id: str) -> CatalogueActor | None: ...

    def country_actor(self, code: str, role: str, day: dt.date | None = None) -> CatalogueActor | None:
        """A country's "forces", "government" or "police" on a day."""
        ...

    def ruler_patterns(self) -> Iterable[tuple[str, str]]:
        """(phrase, label) pairs for spaCy's entity ruler: named actors as ORG/NORP."""
        ...
