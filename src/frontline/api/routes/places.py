"""Places that events or control changes happened in, and each one's control history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from ...errors import NotFound
from ...store.models import Page, Place
from ..deps import Paging, StoreDep, check_country, parse_bbox
from ..models import PlaceDetail

router = APIRouter(prefix="/places", tags=["places"])


@router.get("", response_model=Page[Place], summary="List places")
def list_places(
    store: StoreDep,
    page: Paging,
    q: Annotated[str | None, Query(max_length=200, description="Start of the place's name.")] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2 code.")] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees.")] = None,
) -> Page[Place]:
    return store.list_places(
        q=(q or "").strip() or None,
        country=check_country(country),
        bbox=parse_bbox(bbox),
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/{place_id:path}",
    response_model=PlaceDetail,
    summary="One place and its control history",
    responses={404: {"description": "No such place."}},
)
def get_place(store: StoreDep, place_id: Annotated[str, Path(max_length=300)]) -> PlaceDetail:
    """A place (by id such as `gn:170017`, or GeoNames id) with every change of control, oldest first,
    each with the reports it rests on."""
    found = store.find_places(place_id)
    if not found:
        raise NotFound(f"no place {place_id!r}")
    place = next((p for p in found if p.id == place_id), found[0])
    history = store.control_history(place.id) if place.n_control_changes else []
    return PlaceDetail(place=place, control=history)
