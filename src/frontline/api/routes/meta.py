"""What the page (and any client) asks first: is it up, what is stored, which words the filters take."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter

from ... import __version__
from ...store import Store
from ...store.models import EventFilter
from ..deps import StateDep, StoreDep, vocabularies
from ..models import Health, Meta

router = APIRouter(tags=["meta"])
# Liveness stays open even when reads need the token: a load balancer has no token to send.
open_router = APIRouter(tags=["meta"])


@open_router.get("/health", response_model=Health, summary="Liveness")
def health() -> Health:
    return Health(version=__version__)


@router.get("/meta", response_model=Meta, summary="Counts, date range and vocabularies")
def meta(store: StoreDep, st: StateDep) -> Meta:
    """Counts of what is stored, its date range, and the values the filters accept."""
    # Where the database lives is the operator's business, not the reader's.
    stats = store.stats().model_dump(mode="json", exclude={"location", "size_bytes"})
    return Meta(
        version=__version__,
        backend=store.backend,
        writes_enabled=bool(st.settings.api_token),
        stats=stats,
        vocabularies=vocabularies(),
        period=period(store, stats.get("last_event_date")),
    )


def period(store: Store, last: str | None) -> dict[str, str | None]:
    """The span the time slider covers: from the oldest event that happened as reported (asserted,
    claimed or denied) to the newest. A massacre of 1982 recalled in a report from 2024 is an event of
    1982, but starting the slider there would squeeze the weeks the corpus is about into a few pixels."""
    starts = []
    for modality in ("asserted", "claimed", "denied"):
        dated = EventFilter(modality=modality, date_from=dt.date(1900, 1, 1))
        events = store.iter_events(dated, batch=1)
        try:
            first = next(events, None)
        finally:
            # A generator holds its query open until closed; the protocol only promises an Iterator.
            close = getattr(events, "close", None)
            if close is not None:
                close()
        if first is not None and first.date is not None:
            starts.append(first.date)
    return {"start": min(starts).isoformat() if starts else None, "end": last}
