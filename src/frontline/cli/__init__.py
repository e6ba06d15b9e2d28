"""The ``frontline`` command: thin. Each command parses its options, calls the library, prints, and maps
``FrontlineError`` to a clear message and its exit code (``errors.py``); nothing else happens here.

Commands live one module per area (extract, geo, corpus, serve, evaluate) and register on ``main``.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import FrontlineError

F = TypeVar("F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="frontline")
def main() -> None:
    """Frontline: conflict news in; dated, geolocated events and control of places out.

    \b
    Read one article:        frontline extract article.json
    Store many:              frontline ingest articles/ https://example.org/feed.xml
    Who holds what:          frontline control Hama
    Map and API:             frontline serve
    """


def handle_errors(func: F) -> F:
    """Turn Frontline's errors into a one-line message and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FrontlineError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


# Each module adds its commands to ``main`` on import.
from . import corpus, evaluate, extract, geo, serve, train  # noqa: E402,F401
