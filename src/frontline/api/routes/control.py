"""Who holds what on a given day, as GeoJSON: the map's control layer and the time slider read this."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from ...store.models import ControlChange
from ..deps import StoreDep, check_country, control_changes, parse_bbox
from ..errors import BadParameter
from ..models import ControlChangeList, ControlCollection, ControlFeature, ControlProperties, PointGeometry

router = APIRouter(prefix="/control", tags=["control"])


def feature(change: ControlChange, *, with_evidence: bool) -> ControlFeature:
    place = change.place
    geometry = (
        PointGeometry(coordinates=(place.lon, place.lat))
        if place.lat is not None and place.lon is not None
        else None
    )
    props = ControlProperties(
        change_id=change.id,
        place_id=place.id,
        name=place.name,
        geonameid=place.geonameid,
        country_code=place.country_code,
        admin1=place.admin1,
        controller=change.to_actor,
        side=change.to_side,
        from_actor=change.from_actor,
        from_side=change.from_side,
        status=change.status,
        since=change.date,
        time_precision=change.time_precision,
        until=change.until,
        n_reports=change.n_reports,
        evidence=change.evidence if with_evidence else None,
    )
    return ControlFeature(id=place.id, geometry=geometry, properties=props)


@router.get(
    "",
    response_model=ControlCollection,
    response_model_exclude_none=False,
    summary="Control snapshot at a date (GeoJSON)",
)
def control_at(
    store: StoreDep,
    date: Annotated[dt.date | None, Query(description="YYYY-MM-DD; default today.")] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2 code.")] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees.")] = None,
    evidence: Annotated[bool, Query(description="Include the reports behind each change.")] = False,
) -> ControlCollection:
    """Per place, its latest effective change of control on or before `date` (denied claims do not move
    control). Places without coordinates come with `geometry: null`, as GeoJSON allows."""
    day = date or dt.date.today()
    changes = store.control_at(
        day, country=check_country(country), bbox=parse_bbox(bbox), with_evidence=evidence
    )
    return ControlCollection(date=day, features=[feature(c, with_evidence=evidence) for c in changes])


@router.get("/changes", response_model=ControlChangeList, summary="Every change of control, oldest first")
def list_changes(
    store: StoreDep,
    start: Annotated[dt.date | None, Query(description="First day, YYYY-MM-DD (inclusive).")] = None,
    end: Annotated[dt.date | None, Query(description="Last day, YYYY-MM-DD (inclusive).")] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2 code.")] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees.")] = None,
    evidence: Annotated[bool, Query(description="Include the reports behind each change.")] = False,
) -> ControlChangeList:
    """Changes of control across places, oldest first (undated last), denied ones included with
    `effective: false`. The map's time slider marks and replays these dates."""
    if start and end and start > end:
        raise BadParameter("query", "start", f"{start} is after end {end}")
    changes, truncated = control_changes(
        store, country=check_country(country), bbox=parse_bbox(bbox), date_from=start, date_to=end
    )
    if not evidence:
        changes = [c.model_copy(update={"evidence": []}) for c in changes]
    return ControlChangeList(items=changes, total=len(changes), truncated=truncated)
