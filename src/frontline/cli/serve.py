"""``frontline serve``: the API and the web map over a store."""

from __future__ import annotations

import threading
from types import FrameType
from typing import Any

import click

from . import handle_errors, main


@main.command()
@click.option(
    "--db",
    metavar="URL",
    help="Database: a SQLite path or a postgresql:// URL (default: FRONTLINE_DB, "
    "else frontline.db in the data directory).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
)
@click.option(
    "--public", is_flag=True, help="Off loopback, let anyone read without the token (writes still need it)."
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
@handle_errors
def serve(db: str | None, host: str, port: int, public: bool, log_level: str) -> None:
    """Serve the REST API (/api, OpenAPI at /docs) and the web map (/).

    \b
    Reads are open on loopback. Writes (POST /api/analyse, POST /api/articles) need
    FRONTLINE_API_TOKEN, sent as 'Authorization: Bearer <token>'. On any other interface
    reads need the token too, unless --public.
    """
    import uvicorn

    from ..api import create_app
    from ..api.security import is_loopback
    from ..errors import ConfigError
    from ..settings import load_settings
    from ..store import open_store

    settings = load_settings(db=db) if db else load_settings()
    reads_need_token = not is_loopback(host) and not public
    if reads_need_token and not settings.api_token:
        raise ConfigError(
            f"serving on {host} (beyond this machine) needs FRONTLINE_API_TOKEN for reads and "
            "writes; set it, or pass --public to open reads to anyone who can reach the port"
        )
    # Open (and migrate) now, so a bad --db fails here with its message rather than on the first request.
    # A server over a database that does not exist would answer every read with nothing.
    store = open_store(settings.database_url(), settings=settings, create=False)
    app = create_app(settings, store, reads_need_token=reads_need_token, served_host=host)
    click.echo(f"Frontline on http://{host}:{port}/  (API docs: /docs; database: {store.backend})", err=True)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        server_header=False,
        # After SIGTERM, requests in flight get this long to finish; then they are cancelled.
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
    )
    try:
        stopping_server(config).run()
    finally:
        store.close()


# Seconds that requests in flight may take to finish after SIGTERM or Ctrl-C.
SHUTDOWN_GRACE = 5


def stopping_server(config: Any) -> Any:
    """uvicorn's server, which on SIGTERM or Ctrl-C also stops the analysis under way at once: its
    request is answered (503, "shutting down") instead of holding the shutdown for minutes."""
    import uvicorn

    class StoppingServer(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            super().handle_exit(sig, frame)
            state = getattr(getattr(self.config.app, "state", None), "frontline", None)
            if state is not None:
                # Off the signal handler: killing and joining the child may take a moment.
                threading.Thread(target=state.stop_analysis, name="frontline-stop", daemon=True).start()

    return StoppingServer(config)
