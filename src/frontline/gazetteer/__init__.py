"""GeoNames gazetteer: an index built once, opened read-only by every process, and the geoparser on it.

>>> from frontline.gazetteer import open_gazetteer
>>> gaz = open_gazetteer(settings)
>>> gaz.candidates("Hamah")[0].geonameid
170017
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .base import FEATURES, Gazetteer, Place
from .build import INDEX_VERSION
from .index import GeoNamesIndex

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = [
    "FEATURES",
    "Gazetteer",
    "GeoNamesIndex",
    "Place",
    "build_gazetteer",
    "index_version",
    "open_gazetteer",
]


def build_gazetteer(settings: Settings, *, force: bool = False, quiet: bool = False) -> Path:
    """Build the index at ``settings.gazetteer_file()`` unless it is there (or ``force``); return its path."""
    from .build import build_index

    path = settings.gazetteer_file()
    if path.exists() and not force and index_version(path) == INDEX_VERSION:
        return path

    def say(msg: str) -> None:
        if not quiet:
            print(f"gazetteer: {msg}", file=sys.stderr, flush=True)

    build_index(path, progress=say, spacy_model=settings.spacy_model)
    return path


def index_version(path: Path) -> str | None:
    """The version an index file was built as; None if it is missing or not an index."""
    if not path.exists():
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def open_gazetteer(settings: Settings) -> GeoNamesIndex:
    """The GeoNames index of these settings, built first (about a minute, once) if it is missing or was
    built by another version of Frontline."""
    path = settings.gazetteer_file()
    found = index_version(path)
    if found != INDEX_VERSION:
        why = "no index" if not path.exists() else f"an index of version {found or 'unknown'}"
        print(f"gazetteer: {why} at {path}; building it (about a minute)", file=sys.stderr, flush=True)
        build_gazetteer(settings, force=True)
    return GeoNamesIndex(path, regions=settings.regions)
