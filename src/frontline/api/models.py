"""The API's own response shapes; everything else is the store's read models (``frontline.store.models``)
returned as they are, so the API, the CLI and the exports describe a record the same way."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..store.models import ArticleSummary, ControlChange, ControlEvidence, Place, SaveResult


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Mark(_Model):
    """One extracted span in an article's text: ``[start, end)`` character offsets."""

    start: int
    end: int
    kind: Literal["event", "quote", "toponym"]
    ref: str | None = Field(
        None, description="The event's id inside the article's analysis; for toponyms the GeoNames id."
    )
    label: str | None = Field(
        None, description="What was read there: the event type, the speaker, the place."
    )


class MarkedArticle(ArticleSummary):
    """An article's text with every span the extractor read marked."""

    text: str
    marks: list[Mark]
    analysis: dict[str, Any] | None = Field(None, description="The stored extraction (frontline.extract/1).")


class PlaceDetail(_Model):
    place: Place
    control: list[ControlChange] = Field(description="Its control changes, oldest first, with evidence.")


class PointGeometry(_Model):
    type: Literal["Point"] = "Point"
    coordinates: tuple[float, float]


class ControlProperties(_Model):
    change_id: str
    place_id: str
    name: str
    geonameid: int | None
    country_code: str | None
    admin1: str | None
    controller: str = Field(description="Who holds the place on the date asked (the change's 'to').")
    side: str | None
    from_actor: str | None
    from_side: str | None
    status: Literal["confirmed", "claimed", "denied", "contested"]
    since: dt.date | None
    time_precision: int | None
    until: dt.date | None
    n_reports: int
    evidence: list[ControlEvidence] | None = None


class ControlFeature(_Model):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: PointGeometry | None
    properties: ControlProperties


class ControlCollection(_Model):
    """GeoJSON (RFC 7946): who holds each place on ``date``."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    date: dt.date
    features: list[ControlFeature]


class ControlChangeList(_Model):
    items: list[ControlChange]
    total: int
    truncated: bool = Field(
        description="True when more places have changes than one request reads (2,000): narrow it with "
        "country or bbox."
    )


class IngestResponse(_Model):
    result: SaveResult
    analysis: dict[str, Any] = Field(description="The extraction that was stored (frontline.extract/1).")


class ArticleIn(BaseModel):
    """An article as ``frontline extract`` reads JSON: only ``text`` is required."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "title": "Rebels take Hama",
                    "published": "2024-12-06",
                    "url": "https://example.org/hama",
                    "text": "Rebel fighters took control of the city of Hama on Thursday, the group said.",
                }
            ]
        },
    )

    id: str | None = None
    title: str | None = None
    published: str | None = Field(
        None, description="YYYY-MM-DD; anchors relative dates such as 'on Thursday'."
    )
    url: str | None = None
    source: str | None = None
    text: str


class Health(_Model):
    status: Literal["ok"] = "ok"
    version: str


class Meta(_Model):
    version: str
    backend: str
    writes_enabled: bool
    stats: dict[str, Any]
    vocabularies: dict[str, Any]
    period: dict[str, str | None] = Field(
        description="The dates the map's time slider spans: the oldest event that happened as reported "
        "(not recalled history) to the newest."
    )


class TownOut(_Model):
    geonameid: int
    name: str = Field(description="GeoNames' name without diacritics (Hamah, Homs).")
    lat: float
    lon: float
    country_code: str | None
    admin1: str | None
    population: int


class TownList(_Model):
    """Populated places for the map's reference labels, most populous first."""

    items: list[TownOut]
    available: bool = Field(description="False when the server has no gazetteer index to read them from.")
    detail: str | None = Field(None, description="Why no towns are available.")
