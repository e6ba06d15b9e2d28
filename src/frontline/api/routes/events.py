"""Merged events: the list (filtered, paged, with the total) and one event with every report behind it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from ...schema import MODALITIES, PLOVER_EVENTS
from ...store.models import EventFilter, MergedEvent, Page
from ..deps import (
    EVENT_TYPES,
    SUB_EVENT_TYPES,
    Paging,
    StoreDep,
    check_country,
    check_many_of,
    check_one_of,
    parse_bbox,
)
from ..errors import BadParameter

router = APIRouter(prefix="/events", tags=["events"])

_Q = Annotated[str | None, Query(max_length=200, description="Words that the source articles contain (all).")]


@router.get("", response_model=Page[MergedEvent], summary="List events")
def list_events(
    store: StoreDep,
    page: Paging,
    start: Annotated[dt.date | None, Query(description="First day, YYYY-MM-DD (inclusive).")] = None,
    end: Annotated[dt.date | None, Query(description="Last day, YYYY-MM-DD (inclusive).")] = None,
    bbox: Annotated[
        str | None, Query(description="west,south,east,north in degrees.", examples=["35.5,34.5,37.5,36.5"])
    ] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2 code, e.g. SY.")] = None,
    actor: Annotated[
        str | None, Query(max_length=200, description="Part of either actor's name or side.")
    ] = None,
    event_type: Annotated[
        str | None,
        Query(
            description="ACLED event type, spelled as ACLED does.",
            json_schema_extra={"enum": list(EVENT_TYPES)},
        ),
    ] = None,
    sub_event_type: Annotated[
        str | None,
        Query(description="ACLED sub-event type.", json_schema_extra={"enum": list(SUB_EVENT_TYPES)}),
    ] = None,
    plover: Annotated[
        str | None,
        Query(
            description="PLOVER event type (ASSAULT, RETREAT ...).",
            json_schema_extra={"enum": list(PLOVER_EVENTS)},
        ),
    ] = None,
    modality: Annotated[
        str | None,
        Query(
            max_length=200,
            description="asserted, claimed, denied ...; several separated by commas match any of them "
            "(asserted,claimed is what the map shows by default).",
            examples=["asserted,claimed"],
        ),
    ] = None,
    place_id: Annotated[str | None, Query(max_length=300, description="A place's id (gn:170017).")] = None,
    min_reports: Annotated[
        int | None, Query(ge=1, le=10_000, description="At least this many reports.")
    ] = None,
    q: _Q = None,
) -> Page[MergedEvent]:
    """Merged events, newest first (undated last), with `total` counting every match, not just this page."""
    if start and end and start > end:
        raise BadParameter("query", "start", f"{start} is after end {end}")
    filters = EventFilter(
        date_from=start,
        date_to=end,
        bbox=parse_bbox(bbox, antimeridian=True),
        country=check_country(country),
        actor=actor or None,
        event_type=check_one_of(event_type, EVENT_TYPES, name="event_type"),
        sub_event_type=check_one_of(sub_event_type, SUB_EVENT_TYPES, name="sub_event_type"),
        plover_event=check_one_of(plover, PLOVER_EVENTS, name="plover"),
        modalities=check_many_of(modality, MODALITIES, name="modality"),
        place_id=place_id or None,
        q=(q or "").strip() or None,
        min_reports=min_reports,
    )
    return store.list_events(filters, limit=page.limit, offset=page.offset)


@router.get(
    "/{event_id}",
    response_model=MergedEvent,
    summary="One event with its sources",
    responses={404: {"description": "No such event."}},
)
def get_event(store: StoreDep, event_id: Annotated[str, Path(max_length=200)]) -> MergedEvent:
    """The event with every report of it: article, outlet, URL, the sentence and its span in the text."""
    return store.get_event(event_id)
