"""The output models: one source of truth for ``frontline extract``'s JSON, the store and the API.

They follow ``shared/spec/extract-output.md`` (schema ``frontline.extract/1``) key for key. Keys may be
added; none may be renamed or dropped without bumping ``SCHEMA``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA = "frontline.extract/1"

Modality = Literal[
    "asserted", "claimed", "denied", "threatened", "planned", "hypothetical", "negated", "historical"
]
MODALITIES: tuple[str, ...] = (
    "asserted",
    "claimed",
    "denied",
    "threatened",
    "planned",
    "hypothetical",
    "negated",
    "historical",
)
ControlStatus = Literal["confirmed", "claimed", "denied", "contested"]
Feature = Literal["country", "admin1", "admin2", "city", "other"]

# ACLED codebook (2024): event type -> sub-event types, spelled as ACLED spells them.
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
ACLED_SUB_TO_TYPE: dict[str, str] = {sub: et for et, subs in ACLED_TYPES.items() for sub in subs}

PLOVER_EVENTS: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

# Sub-event types that move territory: the ones a control change rests on.
TERRITORIAL_SUB_EVENTS = (
    "Non-state actor overtakes territory",
    "Government regains territory",
    "Non-violent transfer of territory",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Location(_Model):
    name: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    geo_precision: Literal[1, 2, 3] = 1


class Actor(_Model):
    text: str
    name: str | None = None
    side: str | None = None
    country_code: str | None = None


class Plover(_Model):
    event: str
    mode: str | None = None
    context: list[str] = Field(default_factory=list)


class Mention(_Model):
    """One place in the text that tells (or refers back to) an event."""

    sentence: str
    span: tuple[int, int]


class Event(_Model):
    id: str
    sentence: str
    span: tuple[int, int]
    event_type: str | None = None
    sub_event_type: str | None = None
    plover: Plover
    modality: Modality = "asserted"
    date: dt.date | None = None
    time_precision: Literal[1, 2, 3] | None = None
    date_text: str | None = None
    location: Location | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    fatalities: int | None = None
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    # Added keys (the contract allows additions): every mention of this happening, the main one first; and
    # the ACLED event this one is part of (a withdrawal from a town the other side took that day), whose
    # row counts it, so that its own ACLED type is null.
    mentions: list[Mention] = Field(default_factory=list)
    part_of: str | None = None


class ControlChange(_Model):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    place: Location
    date: dt.date | None = None
    time_precision: Literal[1, 2, 3] | None = None
    to: Actor
    from_: Actor | None = Field(default=None, alias="from")
    status: ControlStatus = "confirmed"
    event_ids: list[str] = Field(default_factory=list)


class Quote(_Model):
    speaker: Actor
    affiliation: str | None = None
    text: str
    span: tuple[int, int]


class Toponym(_Model):
    text: str
    span: tuple[int, int]
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    feature: Feature = "other"


class ArticleInfo(_Model):
    id: str
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    source: str | None = None
    text: str | None = None


class Analysis(_Model):
    """What ``frontline extract`` prints for one article."""

    schema_: str = Field(default=SCHEMA, alias="schema")
    article: ArticleInfo
    events: list[Event] = Field(default_factory=list)
    control_changes: list[ControlChange] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    toponyms: list[Toponym] = Field(default_factory=list)
    # Not in the minimal contract, added as the spec allows: what the reader should know (no
    # publication date, a date in the future, truncated input ...). Empty when all went well.
    warnings: list[str] = Field(default_factory=list)

    def to_json_dict(self) -> dict:
        """The contract's JSON shape: aliases (``schema``, ``from``), ISO dates."""
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self, *, indent: int | None = None) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)
