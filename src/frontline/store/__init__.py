"""The store: SQLite (default) and PostgreSQL behind one interface (``base.Store``).

>>> from frontline.store import open_store
>>> store = open_store("frontline.db")            # or "postgresql://user@host/db"
>>> store.control_at(datetime.date(2024, 12, 6), country="SY")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Store
from .models import (
    ActorSummary,
    ArticleHit,
    ArticleSummary,
    ControlChange,
    ControlEvidence,
    EventFilter,
    EventSource,
    MergedEvent,
    Page,
    Place,
    SaveResult,
    StoredArticle,
    StoreStats,
)

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = [
    "ActorSummary",
    "ArticleHit",
    "ArticleSummary",
    "ControlChange",
    "ControlEvidence",
    "EventFilter",
    "EventSource",
    "MergedEvent",
    "Page",
    "Place",
    "SaveResult",
    "Store",
    "StoreStats",
    "StoredArticle",
    "open_store",
]


def open_store(
    url_or_path: str | None = None,
    *,
    settings: Settings | None = None,
    migrate: bool = True,
    create: bool = True,
) -> Store:
    """Open (and by default migrate) the database at ``url_or_path``.

    ``postgresql://`` (or ``postgres://``) URLs open PostgreSQL; anything else is a SQLite file path.
    ``create`` makes a missing SQLite file (with its folder) or an empty PostgreSQL database a new
    Frontline database; with ``create=False`` either is a ``NoDatabase`` error, so a mistyped path
    is refused instead of answered from an empty database. Without an argument:
    ``settings.database_url()`` (``--db``, ``FRONTLINE_DB``, else ``frontline.db`` in the data directory).
    """
    from .sql import SQLStore

    if url_or_path is None:
        from ..settings import get_settings

        url_or_path = (settings or get_settings()).database_url()
    return SQLStore.open(str(url_or_path), migrate=migrate, create=create)
