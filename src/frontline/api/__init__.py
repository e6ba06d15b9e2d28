"""Frontline's HTTP API and web map: ``create_app(settings=None, store=None)`` builds the application.

    $ frontline serve --db frontline.db            # http://127.0.0.1:8000/ (map), /docs (OpenAPI)

Reads are open on loopback; writes (analyse, ingest) need ``FRONTLINE_API_TOKEN`` as a bearer token.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
