"""``frontline serve``: the API and the web map over a store."""

from __future__ import annotations

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
    from ..settings import Settings
    from ..store import open_store

    settings = Settings(db=db) if db else Settings()
    reads_need_token = not is_loopback(host) and not public
    if reads_need_token and not settings.api_token:
        raise ConfigError(
            f"serving on {host} (beyond this machine) needs FRONTLINE_API_TOKEN for reads and "
            "writes; set it, or pass --public to open reads to anyone who can reach the port"
        )
    # Open (and migrate) now, so a bad --db fails here with its message rather than on the first request.
    # A server over a database that does not exist would answer every read with nothing.
    store = open_store(settings.database_url(), settings=settings, create=False)
    app = create_app(settings, store, reads_need_token=reads_need_token)
    click.echo(f"Frontline on http://{host}:{port}/  (API docs: /docs; database: {store.backend})", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
    finally:
        store.close()
