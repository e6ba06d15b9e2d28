"""What the store returns: small pydantic models that the CLI, the API and the exports share.

They are read models (rows as the store keeps them), not the extraction contract: ``schema.Analysis`` is
what goes in, these are what comes out. Fields may be added; none will be renamed or dropped.
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

# (west, south, east, north) in degrees, as GeoJSON orders a bounding box.
BBox = tuple[float, float, float, float]
SaveStatus = Literal["new", "unchanged", "updated"]
ControlStatus = Literal["confirmed", "claimed", "denied", "contested"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def country_code(value: str, *, field: str = "country") -> str:
    """An ISO 3166-1 alpha-2 code, upper-cased, as every country filter takes it (CLI and API alike).

    Anything else is an ``InputError``, never a filter that silently matches nothing; a country's name
    or alpha-3 code gets the code it meant ("Syria" -> did you mean SY?).
    """
    import pycountry

    from ..errors import InputError

    text = value.strip()
    if len(text) == 2 and text.isascii() and text.isalpha():
        code = text.upper()
        # GeoNames (and so the store) also uses XK, Kosovo's user-assigned code
        if code == "XK" or pycountry.countries.get(alpha_2=code) is not None:
            return code
        raise InputError(f"{value!r} is not an ISO 3166-1 alpha-2 country code", field=field)
    hint = ""
    try:
        found = pycountry.countries.lookup(text)
        hint = f" (for {found.name}: {found.alpha_2})"
    except LookupError:
        pass
    raise InputError(f"expected an ISO 3166-1 alpha-2 code such as 'SY', got {value!r}{hint}", field=field)


class Page(_Model, Generic[T]):
    """One page of a listing, with the total number of matches (not just this page's)."""

    items: list[T]
    total: int
    limit: int
    offset: int


class EventFilter(_Model):
    """Filters for ``list_events`` and the exports; every field is optional and they combine with AND."""

    date_from: dt.date | None = None  # inclusive
    date_to: dt.date | None = None  # inclusive
    bbox: BBox | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, any case
    actor: str | None = None  # case-insensitive substring of actor1 or actor2 (name or side)
    event_type: str | None = None  # ACLED event type, exact
    sub_event_type: str | None = None  # ACLED sub-event type, exact
    plover_event: str | None = None  # PLOVER event type, exact (ASSAULT, RETREAT ...)
    modality: str | None = None  # asserted, claimed, ...; exact
    modalities: list[str] | None = None  # any of these (the map shows asserted and claimed together)
    place_id: str | None = None
    q: str | None = None  # full-text search over the source articles' text and titles
    min_reports: int | None = None  # only events resting on at least this many reports


class SaveResult(_Model):
    """What ``save_analysis`` did with one article."""

    article_id: str
    status: SaveStatus  # new; unchanged (already stored, same analysis); updated (re-analysed)
    reports: int = 0  # the article's events, as stored
    events_created: list[str] = Field(default_factory=list)  # merged events this article founded
    events_merged: list[str] = Field(default_factory=list)  # existing merged events it added a source to
    control_changes: list[str] = Field(default_factory=list)  # control change ids it rests on


class ArticleSummary(_Model):
    id: str
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    source: str | None = None  # the outlet
    ingested_at: str | None = None  # ISO timestamp, UTC
    n_events: int = 0


class StoredArticle(ArticleSummary):
    """One article with its text and its stored analysis (the extraction contract's JSON)."""

    text: str
    origin: str | None = None  # where ingest found it: a path, a URL, a feed URL
    analysis: dict | None = None


class ArticleHit(ArticleSummary):
    """A full-text search result; ``snippet`` shows the match in context."""

    snippet: str | None = None
    rank: float = 0.0


class EventSource(_Model):
    """One report behind a merged event: which article, outlet and sentence said what."""

    report_id: str
    article_id: str
    event_id: str  # the event's id inside that article's analysis
    url: str | None = None
    source: str | None = None  # the outlet
    title: str | None = None
    published: dt.date | None = None
    sentence: str
    span: tuple[int, int]
    modality: str
    date: dt.date | None = None
    time_precision: int | None = None
    date_text: str | None = None
    fatalities: int | None = None
    actor1: str | None = None
    actor2: str | None = None
    confidence: float = 0.5


class MergedEvent(_Model):
    """One real-world event, merged from every report of it.

    Conflicting details are kept: ``dates_reported`` and ``fatalities_reported`` list what each report
    said; ``date`` and ``fatalities`` are resolved by the rules in ``frontline.timeline``.
    """

    id: str
    event_type: str | None = None
    sub_event_type: str | None = None
    plover_event: str | None = None
    plover_mode: str | None = None
    plover_context: list[str] = Field(default_factory=list)
    modality: str = "asserted"
    date: dt.date | None = None
    time_precision: int | None = None
    date_min: dt.date | None = None
    date_max: dt.date | None = None
    place_id: str | None = None
    location: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    geo_precision: int | None = None
    actor1: str | None = None
    actor1_side: str | None = None
    actor1_country: str | None = None
    actor2: str | None = None
    actor2_side: str | None = None
    actor2_country: str | None = None
    fatalities: int | None = None
    fatalities_reported: list[int] = Field(default_factory=list)
    dates_reported: list[dt.date] = Field(default_factory=list)
    n_reports: int = 0
    n_articles: int = 0
    n_outlets: int = 0
    outlets: list[str] = Field(default_factory=list)
    confidence: float = 0.5
    notes: str | None = None  # the first report's sentence
    created_at: str | None = None
    updated_at: str | None = None
    # Filled by ``get_event`` (and by ``list_events(..., with_sources=True)``); empty otherwise.
    sources: list[EventSource] = Field(default_factory=list)


class Place(_Model):
    id: str  # "gn:<geonameid>" for gazetteer places, "nm:<cc>:<name>" otherwise
    name: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    # Counted by list_places, find_places and control_history; None where not counted (control_at).
    n_events: int | None = None
    n_control_changes: int | None = None


class ActorSummary(_Model):
    id: str
    name: str
    side: str | None = None
    country_code: str | None = None
    n_events: int = 0


class ControlEvidence(_Model):
    """One report of a control change: who said it, where, with what status."""

    claim_id: str
    article_id: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: dt.date | None = None
    status: ControlStatus
    date: dt.date | None = None
    event_ids: list[str] = Field(default_factory=list)  # event ids inside that article's analysis
    sentences: list[str] = Field(default_factory=list)  # the sentences of those events


class ControlChange(_Model):
    """A change of control of a place, merged from every report of it, with its resolved status."""

    id: str
    place: Place
    date: dt.date | None = None
    time_precision: int | None = None
    to_actor: str
    to_side: str | None = None
    from_actor: str | None = None
    from_side: str | None = None
    status: ControlStatus
    # Whether it moves control (``control_at`` reads it): confirmed, claimed or contested; not denied.
    effective: bool = True
    n_reports: int = 0
    until: dt.date | None = None  # the date of the place's next effective change, if any
    evidence: list[ControlEvidence] = Field(default_factory=list)


class StoreStats(_Model):
    backend: Literal["sqlite", "postgresql"]
    location: str  # file path or URL without password
    schema_version: int
    articles: int
    reports: int
    events: int
    places: int
    actors: int
    control_changes: int
    first_event_date: dt.date | None = None
    last_event_date: dt.date | None = None
    size_bytes: int | None = None
