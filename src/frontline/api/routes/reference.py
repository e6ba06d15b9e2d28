"""Reference data for the map that is not in the store: the towns a reader finds their way by."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Query

from ...errors import GazetteerError
from ..deps import StateDep, parse_bbox
from ..models import TownList, TownOut

router = APIRouter(tags=["reference"])
log = logging.getLogger("frontline.api")


@router.get("/towns", response_model=TownList, summary="Major towns in a box (map labels)")
def towns(
    st: StateDep,
    bbox: Annotated[
        str,
        Query(description="west,south,east,north in degrees; west > east crosses the antimeridian."),
    ] = "-180,-90,180,90",
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many towns.")] = 100,
    min_population: Annotated[
        int, Query(ge=0, le=50_000_000, description="Only towns of at least this many people.")
    ] = 0,
) -> TownList:
    """The most populous towns in the box (GeoNames cities of 10,000 people or more, from the
    gazetteer index), for labels a reader finds their bearings by. A server without the index answers
    `available: false` and no towns, rather than an error: the map is still readable without them."""
    # an empty bbox ("?bbox=") is the whole world, as no bbox is
    box = parse_bbox(bbox, antimeridian=True) or parse_bbox("-180,-90,180,90")
    assert box is not None
    try:
        found = st.get_towns().in_box(box, limit=limit, min_population=min_population)
    except GazetteerError as exc:
        log.warning("towns unavailable: %s", exc)
        return TownList(items=[], available=False, detail=exc.message)
    return TownList(
        items=[
            TownOut(
                geonameid=t.geonameid,
                name=t.name,
                lat=t.lat,
                lon=t.lon,
                country_code=t.country_code,
                admin1=t.admin1,
                population=t.population,
            )
            for t in found
        ],
        available=True,
    )
