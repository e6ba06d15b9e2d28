"""The application factory: settings and store in, a FastAPI app out (routes, errors, security, page)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..settings import Settings, load_settings
from ..store import Store
from . import errors
from .deps import AppState, Pipeline, reject_unknown_query, require_read_token
from .routes import actors, analyse, articles, control, events, meta, places, reference
from .security import BodyLimitMiddleware, HostGuardMiddleware, SecurityHeadersMiddleware, served_hosts

log = logging.getLogger("frontline.api")

WEB_DIR = Path(__file__).parent / "web"
VENDOR_DIR = WEB_DIR / "vendor"

DESCRIPTION = """\
Conflict events, places and who controls them, read from news by Frontline, with the sentence behind
every record.

Reads are open on loopback. Writes (`POST /api/analyse`, `POST /api/articles`) need the server's
`FRONTLINE_API_TOKEN` as `Authorization: Bearer <token>`. Errors are JSON: `{"detail": "..."}`, and
422 responses add `errors`, one entry per bad parameter.
"""


def create_app(
    settings: Settings | None = None,
    store: Store | None = None,
    *,
    pipeline: Pipeline | None = None,
    reads_need_token: bool = False,
    served_host: str | None = None,
) -> FastAPI:
    """Build the API and web map.

    ``store`` is used as given (and left open) when passed; otherwise the app opens
    ``settings.database_url()`` on first use and closes it at shutdown. Analyses run
    ``settings.pipeline_factory`` in a child process, loaded on the first one and stopped at
    ``settings.analyse_timeout`` (``frontline.api.analysis``); a ``pipeline`` callable passed here runs
    on a thread instead (its time-out answers the request but cannot stop the work).
    ``reads_need_token`` is for servers reachable beyond loopback. ``served_host`` is the interface
    the server listens on (default loopback): requests are answered only under its names and those in
    ``settings.allowed_hosts`` (``security.served_hosts``).
    """
    settings = settings or load_settings()
    st = AppState(settings=settings, store=store, pipeline=pipeline, reads_need_token=reads_need_token)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        st.stop_analysis()
        if st.own_store and st.store is not None:
            st.store.close()
            st.store = None

    app = FastAPI(
        title="Frontline",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.frontline = st
    errors.install(app)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # A bug: the client learns that much; the log gets the traceback.
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal error; see the server's log"}, status_code=500)

    api = APIRouter(prefix="/api", dependencies=[Depends(require_read_token), Depends(reject_unknown_query)])
    for module in (events, places, control, actors, articles, analyse, meta, reference):
        api.include_router(module.router)
    app.include_router(api)
    app.include_router(meta.open_router, prefix="/api", dependencies=[Depends(reject_unknown_query)])

    _add_page(app)

    # Order matters: the last added runs first, so the size limit sees the request before anything else.
    app.add_middleware(SecurityHeadersMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            allow_credentials=False,
        )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(HostGuardMiddleware, allowed=served_hosts(served_host, settings.allowed_hosts))
    return app


def _add_page(app: FastAPI) -> None:
    # StaticFiles resolves every path inside WEB_DIR and refuses anything that lands outside it.
    app.mount("/static", StaticFiles(directory=WEB_DIR, check_dir=False), name="static")

    # The page keeps its view in its own URL (docs/api.md, "A view you can share"); the server only serves
    # the page, but declares those parameters, so a strict check of query parameters lets them through.
    # The page reads and checks them itself: a bad value there falls back to the default view, not a 422.
    @app.get("/", include_in_schema=False, response_model=None)
    def index(
        date: Annotated[str | None, Query(max_length=10, description="The slider's day.")] = None,
        bbox: Annotated[str | None, Query(max_length=100, description="The view: W,S,E,N.")] = None,
        type: Annotated[str | None, Query(max_length=100, description="ACLED event type.")] = None,
        modality: Annotated[str | None, Query(max_length=200, description="Modalities shown.")] = None,
        window: Annotated[str | None, Query(max_length=4, description="Days of events.")] = None,
        q: Annotated[str | None, Query(max_length=200, description="Words searched.")] = None,
        place: Annotated[str | None, Query(max_length=300, description="The place opened.")] = None,
        event: Annotated[str | None, Query(max_length=200, description="The event opened.")] = None,
    ) -> Response:
        if not (VENDOR_DIR / "leaflet.js").is_file():
            return HTMLResponse(
                "<!doctype html><title>Frontline</title><p>The map's JavaScript is not "
                "built: run <code>scripts/build-web.sh</code> (needs npm). The API is at "
                "<a href='docs'>/docs</a>.",
                status_code=503,
            )
        return FileResponse(WEB_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        # Swagger UI from the vendor folder (npm, at set-up), so the API docs work offline too.
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="Frontline API",
            swagger_js_url="/static/vendor/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )
