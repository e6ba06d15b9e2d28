"""The reading benchmark's records, as ``docs/annotation.md`` defines them: reports with their gold,
relabelled real sentences, and ACLED-style notes.

These models are the one definition of the format: the validator (``frontline eval validate``), the
loaders, the scorer (``frontline eval corpus``) and the training sets all read records through them. They
need nothing beyond pydantic, so annotators can check a file without the NLP stack.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..schema import ACLED_SUB_TO_TYPE, MODALITIES, PLOVER_EVENTS

GENRES = (
    "wire",
    "brief",
    "live-blog",
    "timeline",
    "encyclopedia",
    "statement",
    "denial",
    "analysis",
    "history",
    "no-change",
)
SIDES = ("government", "foreign forces", "rebels", "jihadists", "separatists", "militia", "gangs", "other")
PLACE_KINDS = (
    "country",
    "admin1",
    "admin2",
    "city",
    "town",
    "village",
    "neighbourhood",
    "facility",
    "region",
    "other",
)
STATUSES = ("confirmed", "claimed", "contested")
NOT_CHANGE_REASONS = (
    "threatened",
    "planned",
    "hypothetical",
    "negated",
    "denied",
    "advance",
    "raid",
    "withdrawal",
    "state",
    "historical",
    "object",
    "mention",
)
RELABEL_REASONS = (*NOT_CHANGE_REASONS, "other")

Genre = Literal[
    "wire",
    "brief",
    "live-blog",
    "timeline",
    "encyclopedia",
    "statement",
    "denial",
    "analysis",
    "history",
    "no-change",
]
Side = Literal[
    "government", "foreign forces", "rebels", "jihadists", "separatists", "militia", "gangs", "other"
]
PlaceKind = Literal[
    "country", "admin1", "admin2", "city", "town", "village", "neighbourhood", "facility", "region", "other"
]
Reason = Literal[
    "threatened",
    "planned",
    "hypothetical",
    "negated",
    "denied",
    "advance",
    "raid",
    "withdrawal",
    "state",
    "historical",
    "object",
    "mention",
]
ModalityName = Literal[
    "asserted", "claimed", "denied", "threatened", "planned", "hypothetical", "negated", "historical"
]
assert set(MODALITIES) == set(ModalityName.__args__)  # type: ignore[attr-defined]


class _Record(BaseModel):
    # A misspelt key is an error: a gold field silently dropped would score nothing.
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class GoldPlace(_Record):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    kind: PlaceKind = "other"
    geonameid: int | None = None

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class GoldActor(_Record):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    side: Side | None = None

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class _Dated(_Record):
    date: dt.date | None = None
    date_tolerance_days: int = Field(default=0, ge=0, le=400)
    date_text: str | None = None


class GoldControlChange(_Dated):
    place: GoldPlace
    to: GoldActor
    from_: GoldActor | None = Field(default=None, alias="from")
    status: Literal["confirmed", "claimed", "contested"] = "confirmed"
    historical: bool = False
    evidence: str = Field(min_length=1)


class GoldNotChange(_Record):
    place: GoldPlace
    reason: Reason
    actor: GoldActor | None = None
    date: dt.date | None = None
    evidence: str = Field(min_length=1)


class GoldPlover(_Record):
    event: str
    mode: str | None = None

    @field_validator("event")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in PLOVER_EVENTS:
            raise ValueError(f"{value!r} is not a PLOVER event (one of {', '.join(PLOVER_EVENTS)})")
        return value


class GoldEvent(_Dated):
    event_type: str | None = None
    sub_event_type: str | None = None
    plover: GoldPlover
    actor1: GoldActor | None = None
    actor2: GoldActor | None = None
    place: GoldPlace | None = None
    modality: ModalityName = "asserted"
    fatalities: int | None = Field(default=None, ge=0)
    evidence: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _acled(self) -> GoldEvent:
        check_acled(self.event_type, self.sub_event_type)
        return self

    @property
    def acled_row(self) -> bool:
        """An event ACLED would code as a row: typed, and reported as having happened now."""
        return self.sub_event_type is not None and self.modality in ("asserted", "claimed")


class GoldSpeaker(_Record):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class GoldQuote(_Record):
    speaker: GoldSpeaker
    affiliation: str | None = None
    text: str = Field(min_length=1)


class Provenance(_Record):
    written_by: str = Field(min_length=1)
    checked_by: str | None = None
    check_notes: str | None = None
    source: str | None = None  # where a record came from when it was not written for the benchmark


class Report(_Record):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    conflict: str = Field(min_length=1)
    genre: Genre
    title: str | None = None
    published: dt.date
    outlet: str = Field(min_length=1)
    text: str = Field(min_length=20)
    control_changes: list[GoldControlChange]
    not_changes: list[GoldNotChange]
    events: list[GoldEvent]
    quotes: list[GoldQuote]
    provenance: Provenance

    @model_validator(mode="after")
    def _grounded(self) -> Report:
        """Every evidence string and quote is found in the text, so a scorer and a reader can point at it."""
        folded = fold(self.text)
        missing: list[str] = []
        for i, c in enumerate(self.control_changes):
            if fold(c.evidence) not in folded:
                missing.append(f"control_changes[{i}].evidence")
        for i, n in enumerate(self.not_changes):
            if fold(n.evidence) not in folded:
                missing.append(f"not_changes[{i}].evidence")
        for i, e in enumerate(self.events):
            for j, ev in enumerate(e.evidence):
                if fold(ev) not in folded:
                    missing.append(f"events[{i}].evidence[{j}]")
        for i, q in enumerate(self.quotes):
            if fold(q.text) not in folded:
                missing.append(f"quotes[{i}].text")
        if missing:
            raise ValueError("not found in the text (copy it exactly): " + ", ".join(missing))
        return self


class RelabelledSentence(_Record):
    id: str = Field(min_length=1)
    label: Literal["change", "no_change"]
    place: str | None = None
    captor: str | None = None
    loser: str | None = None
    modality: ModalityName = "asserted"
    reason: (
        Literal[
            "threatened",
            "planned",
            "hypothetical",
            "negated",
            "denied",
            "advance",
            "raid",
            "withdrawal",
            "state",
            "historical",
            "object",
            "mention",
            "other",
        ]
        | None
    ) = None
    # carried from the source data so the file stands alone (its licence travels with it)
    text: str = Field(min_length=1)
    verb: str | None = None
    labelled_by: str | None = None
    checked_by: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> RelabelledSentence:
        if self.label == "change" and self.place is None:
            raise ValueError("a change names its place (copy it from the sentence)")
        if self.label == "no_change" and self.reason is None:
            raise ValueError("a no_change gives its reason")
        for key in ("place", "captor", "loser"):
            value = getattr(self, key)
            if value is not None and fold(value) not in fold(self.text):
                raise ValueError(f"{key} {value!r} is not in the sentence (copy it exactly)")
        return self


class AcledNote(_Record):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    event_type: str
    sub_event_type: str
    date: dt.date
    country: str = Field(pattern=r"^[A-Z]{2}$")
    location: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    fatalities: int | None = Field(default=None, ge=0)
    note: str = Field(min_length=20)
    boundary: bool = False
    written_by: str | None = None
    checked_by: str | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _acled(self) -> AcledNote:
        check_acled(self.event_type, self.sub_event_type)
        return self


def check_acled(event_type: str | None, sub_event_type: str | None) -> None:
    if sub_event_type is None:
        if event_type is not None:
            raise ValueError("event_type without sub_event_type: give both, or neither")
        return
    expected = ACLED_SUB_TO_TYPE.get(sub_event_type)
    if expected is None:
        raise ValueError(
            f"sub_event_type {sub_event_type!r} is not one of ACLED's 25 (spelled as ACLED spells them)"
        )
    if event_type != expected:
        raise ValueError(
            f"sub_event_type {sub_event_type!r} belongs to event_type {expected!r}, not {event_type!r}"
        )


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def fold(text: str) -> str:
    """Text compared for 'found in': case, spacing and typographic quotes and dashes do not matter."""
    return " ".join(text.translate(_QUOTES).lower().split())
