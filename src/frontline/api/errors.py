"""Errors to HTTP, in one place: ``FrontlineError.http_status`` for the library's errors, 422 with a
one-line ``detail`` for bad parameters, and the same JSON shape for every error the API returns:

    {"detail": "query parameter 'limit': must be at most 1000", "errors": [...]}
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import FrontlineError, TimeLimitExceeded

log = logging.getLogger("frontline.api")


class BadParameter(Exception):
    """A request parameter that parsed but makes no sense (a reversed date range, an unknown event type)."""

    def __init__(self, where: str, name: str, message: str) -> None:
        self.where = where
        self.name = name
        self.message = message
        super().__init__(f"{where} parameter {name!r}: {message}")


class Unauthorized(Exception):
    """A write (or, off loopback, a read) without a valid bearer token."""

    def __init__(self, message: str, status: int = 401) -> None:
        self.message = message
        self.status = status
        super().__init__(message)


def _loc_name(loc: tuple[Any, ...] | list[Any]) -> tuple[str, str]:
    where = str(loc[0]) if loc else "request"
    name = ".".join(str(p) for p in loc[1:]) if len(loc) > 1 else ""
    return where, name


def _validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors:
        where, name = _loc_name(err.get("loc", ()))
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where} parameter {name!r}: {msg}" if name else f"{where}: {msg}")
    return "; ".join(parts) or "invalid request"


def _error(
    status: int,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers; called once by ``create_app``."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's default body is a list only a program can read; keep it, but lead with one sentence.
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return _error(422, _validation_message(errors), errors)

    @app.exception_handler(BadParameter)
    async def _bad_parameter(request: Request, exc: BadParameter) -> JSONResponse:
        return _error(
            422, str(exc), [{"loc": [exc.where, exc.name], "msg": exc.message, "type": "value_error"}]
        )

    @app.exception_handler(Unauthorized)
    async def _unauthorized(request: Request, exc: Unauthorized) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return _error(exc.status, exc.message, headers=headers)

    @app.exception_handler(FrontlineError)
    async def _frontline(request: Request, exc: FrontlineError) -> JSONResponse:
        if exc.http_status >= 500 and not isinstance(exc, TimeLimitExceeded):
            # The message may name server paths; log it whole, tell the client only what kind of failure.
            log.error("%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc)
            return _error(exc.http_status, f"{type(exc).__name__}: the server could not do this; see its log")
        body_errors = None
        if exc.field:
            body_errors = [{"loc": ["body", exc.field], "msg": exc.message, "type": type(exc).__name__}]
        return _error(exc.http_status, str(exc), body_errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such route or file: {request.url.path}"
        return _error(exc.status_code, detail, headers=getattr(exc, "headers", None))
