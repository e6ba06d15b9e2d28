"""Dependencies shared by the routes: the store, the pipeline, tokens, paging and parameter checks.

Each is an ``Annotated`` alias (``StoreDep``, ``Paging`` ...) so a route's signature says what it needs.
Parameter checks raise ``BadParameter``, which ``errors.py`` turns into a 422 that names the parameter.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..article import Article
from ..errors import InputError
from ..gazetteer.towns import Towns
from ..schema import ACLED_SUB_TO_TYPE, ACLED_TYPES, MODALITIES, PLOVER_EVENTS, Analysis
from ..settings import Settings
from ..store import Store
from ..store.models import BBox, ControlChange, country_code
from .analysis import Analyser
from .errors import BadParameter, Unauthorized
from .security import check_token

Pipeline = Callable[[Article], Analysis]
MAX_LIMIT = 1000
# Offsets past this are a crawler walking pages, not a person; a date filter is the way further back.
MAX_OFFSET = 1_000_000


@dataclass
class AppState:
    """What the application holds for its lifetime (``app.state.frontline``)."""

    settings: Settings
    store: Store | None = None
    own_store: bool = False  # opened by the app, so closed by it
    pipeline: Pipeline | None = None  # a callable passed in; else settings.pipeline_factory in a child
    reads_need_token: bool = False
    towns: Towns | None = None  # the map's town labels, from the gazetteer index
    analyser: Analyser | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get_store(self) -> Store:
        if self.store is None:
            with self._lock:
                if self.store is None:
                    from ..store import open_store

                    self.store = open_store(self.settings.database_url(), settings=self.settings)
                    self.own_store = True
        return self.store

    def get_towns(self) -> Towns:
        if self.towns is None:
            with self._lock:
                if self.towns is None:
                    self.towns = Towns(self.settings.gazetteer_file())
        return self.towns

    def get_analyser(self) -> Analyser:
        if self.analyser is None:
            with self._lock:
                if self.analyser is None:
                    from .analysis import ProcessAnalyser, ThreadAnalyser

                    self.analyser = (
                        ThreadAnalyser(self.pipeline)
                        if self.pipeline is not None
                        else ProcessAnalyser(self.settings.pipeline_factory, self.settings)
                    )
        return self.analyser

    def analyse(self, article: Article) -> Analysis:
        """The article's analysis within ``settings.analyse_timeout`` (``TimeLimitExceeded`` past it)."""
        return self.get_analyser().analyse(article, timeout=self.settings.analyse_timeout)

    def stop_analysis(self) -> None:
        """End any analysis under way and refuse new ones: for shutdown (SIGTERM, Ctrl-C)."""
        with self._lock:
            analyser = self.analyser
        if analyser is not None:
            analyser.close()


def state(request: Request) -> AppState:
    st: AppState = request.app.state.frontline
    return st


StateDep = Annotated[AppState, Depends(state)]


def get_store(st: StateDep) -> Store:
    return st.get_store()


def get_settings(st: StateDep) -> Settings:
    return st.settings


def get_pipeline(st: StateDep) -> Pipeline:
    return st.analyse


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]

# A security scheme rather than a plain header parameter: the OpenAPI document then says which routes
# need the token, and /docs offers an "Authorize" button. auto_error=False: our own 401 explains itself.
bearer = HTTPBearer(
    auto_error=False, description="FRONTLINE_API_TOKEN, sent as 'Authorization: Bearer <token>'."
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def require_write_token(st: StateDep, credentials: Credentials, request: Request) -> None:
    check_token(st.settings.api_token, _given(credentials, request), action="writing")


def require_read_token(st: StateDep, credentials: Credentials, request: Request) -> None:
    # Open on loopback; a server started on another interface without --public needs the token for reads.
    if st.reads_need_token:
        check_token(st.settings.api_token, _given(credentials, request), action="reading")


def _given(credentials: HTTPAuthorizationCredentials | None, request: Request) -> str | None:
    """The bearer token sent, or None if no Authorization header came; any other scheme is refused."""
    if credentials is not None:
        return credentials.credentials
    if request.headers.get("authorization", "").strip():
        raise Unauthorized("the Authorization header must be 'Bearer <token>'")
    return None


# --- undeclared parameters -------------------------------------------------------------------------


def declared_query(dependant: Any) -> frozenset[str]:
    """The query parameters a route declares: its own and its dependencies' (``Paging``'s limit and
    offset ...), by the names clients send (aliases). Read from the route's signature, so a parameter
    added to a route is accepted without a list to keep."""
    names: set[str] = set()
    stack = [dependant]
    while stack:
        d = stack.pop()
        names.update(p.alias or p.name for p in d.query_params)
        stack.extend(d.dependencies)
    return frozenset(names)


def reject_unknown_query(request: Request) -> None:
    """422 for a query parameter the route does not take: a misspelt filter (``?from=`` for ``start``)
    would otherwise be ignored and the answer look like a filtered one."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or not request.query_params:
        return
    accepted = getattr(route, "_frontline_query", None)
    if accepted is None:  # once per route, kept on the route itself
        accepted = declared_query(dependant)
        route._frontline_query = accepted  # type: ignore[union-attr]
    unknown = sorted({k for k in request.query_params if k not in accepted})
    if unknown:
        takes = ", ".join(sorted(accepted)) if accepted else "no query parameters"
        raise BadParameter(
            "query",
            unknown[0],
            f"this route does not take {', '.join(map(repr, unknown))}; it takes: {takes}",
        )


# --- paging ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
) -> PageParams:
    return PageParams(limit, offset)


Paging = Annotated[PageParams, Depends(paging)]


# --- parameter checks ------------------------------------------------------------------------------


def parse_bbox(value: str | None, *, name: str = "bbox", antimeridian: bool = False) -> BBox | None:
    """``west,south,east,north`` in degrees (GeoJSON's order). West > east is a box across the
    antimeridian, accepted only where the store's query handles it (``antimeridian=True``)."""
    if value is None or not value.strip():
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise BadParameter(
            "query", name, f"expected 4 numbers west,south,east,north, got {len(parts)} value(s) in {value!r}"
        )
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise BadParameter("query", name, f"expected numbers west,south,east,north, got {value!r}") from None
    for label, v, lo, hi in (
        ("west", west, -180, 180),
        ("east", east, -180, 180),
        ("south", south, -90, 90),
        ("north", north, -90, 90),
    ):
        if not lo <= v <= hi:
            raise BadParameter("query", name, f"{label} {v} is outside {lo}..{hi}")
    if south > north:
        raise BadParameter("query", name, f"south {south} is north of north {north}")
    if west > east and not antimeridian:
        raise BadParameter(
            "query",
            name,
            f"west {west} is east of east {east} (boxes across the "
            "antimeridian are supported for events only)",
        )
    return (west, south, east, north)


def check_one_of(value: str | None, allowed: Iterable[str], *, name: str) -> str | None:
    if value is None:
        return None
    allowed = tuple(allowed)
    if value not in allowed:
        shown = ", ".join(repr(a) for a in allowed)
        raise BadParameter("query", name, f"{value!r} is not one of {shown}")
    return value


def check_many_of(value: str | None, allowed: Iterable[str], *, name: str) -> list[str] | None:
    """A comma-separated list of allowed values (any of which matches); None when empty."""
    if value is None or not value.strip():
        return None
    parts = [part.strip() for part in value.split(",") if part.strip()]
    return [check_one_of(part, allowed, name=name) or part for part in parts] or None


def check_country(value: str | None, *, name: str = "country") -> str | None:
    if value is None:
        return None
    try:
        return country_code(value, field=name)
    except InputError as exc:
        raise BadParameter("query", name, exc.message) from None


EVENT_TYPES: tuple[str, ...] = tuple(ACLED_TYPES)
SUB_EVENT_TYPES: tuple[str, ...] = tuple(ACLED_SUB_TO_TYPE)


def vocabularies() -> dict[str, Any]:
    return {
        "event_types": {k: list(v) for k, v in ACLED_TYPES.items()},
        "modalities": list(MODALITIES),
        "plover_events": list(PLOVER_EVENTS),
        "control_statuses": ["confirmed", "claimed", "denied", "contested"],
    }


# --- adapters over the store ----------------------------------------------------------------------

# Bound on the places whose histories one request reads: the adapter below costs a query per place.
MAX_HISTORY_PLACES = 2000


def control_changes(
    store: Store,
    *,
    country: str | None = None,
    bbox: BBox | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[list[ControlChange], bool]:
    """Every change of control (in a country or box, between two dates), oldest first, and whether the
    place bound cut the list short.

    An adapter: the ``Store`` protocol has no listing of changes across places, so this walks the places
    and reads each one's history (a query per place with changes). A ``list_control_changes`` in the
    store would make it one query; then this becomes a call to it.
    """
    found: list[ControlChange] = []
    offset = 0
    truncated = False
    while True:
        page = store.list_places(country=country, bbox=bbox, limit=MAX_LIMIT, offset=offset)
        for place in page.items:
            if place.n_control_changes:
                found.extend(
                    c
                    for c in store.control_history(place.id)
                    if (date_from is None or (c.date is not None and c.date >= date_from))
                    and (date_to is None or (c.date is not None and c.date <= date_to))
                )
        offset += len(page.items)
        if offset >= page.total or not page.items:
            break
        if offset >= MAX_HISTORY_PLACES:
            truncated = True
            break
    found.sort(key=lambda c: (c.date or dt.date.max, c.place.name, c.id))
    return found, truncated
