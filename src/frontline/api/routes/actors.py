"""Actors named in events, most active first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ...store.models import ActorSummary, Page
from ..deps import Paging, StoreDep

router = APIRouter(prefix="/actors", tags=["actors"])


@router.get("", response_model=Page[ActorSummary], summary="List actors")
def list_actors(
    store: StoreDep,
    page: Paging,
    q: Annotated[str | None, Query(max_length=200, description="Part of the actor's name.")] = None,
) -> Page[ActorSummary]:
    return store.list_actors(q=(q or "").strip() or None, limit=page.limit, offset=page.offset)
