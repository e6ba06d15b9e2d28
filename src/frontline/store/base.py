"""The store's interface: what the CLI, the API and the exports may ask of a database.

Two backends implement it with one schema and one code path (``frontline.store.sql``): SQLite (the
default, a file in the user's data directory) and PostgreSQL (a team server). Open one with
``frontline.store.open_store(url_or_path)``; a ``postgresql://`` URL picks PostgreSQL, anything else is
a SQLite path.

Writes go through one writer (``save_analysis``), one transaction per article: a crash leaves the article
either wholly stored or not at all. Ids are content hashes, so saving the same article twice changes
nothing. Reads may come from any thread.

Errors: ``StoreError`` (cannot open, migrate or write), ``NotFound`` (``get_*`` of an unknown id).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from .models import (
    ActorSummary,
    ArticleHit,
    ArticleSummary,
    BBox,
    ControlChange,
    EventFilter,
    MergedEvent,
    Page,
    Place,
    SaveResult,
    StoredArticle,
    StoreStats,
)

if TYPE_CHECKING:
    from ..article import Article
    from ..schema import Analysis


@runtime_checkable
class Store(Protocol):
    """A Frontline database. Every method is safe to call from several threads."""

    backend: str  # "sqlite" or "postgresql"

    # --- writing --------------------------------------------------------------------------------------

    def save_analysis(self, article: Article, analysis: Analysis, *, origin: str | None = None) -> SaveResult:
        """Store one article and its analysis, and merge its events and control changes into the timeline.

        Atomic (one transaction) and idempotent: the article's id is its content hash, so a second call
        with the same article and analysis returns status ``unchanged`` and writes nothing. The same
        article with a different analysis (a newer pipeline) replaces the old reports (``updated``).
        ``origin`` records where it came from (path, URL, feed) for ``seen``.
        """
        ...

    def has_article(self, article_id: str) -> bool:
        """Whether an article with this id is stored (ingest skips those before extracting them)."""
        ...

    def seen(self, origin: str) -> str | None:
        """The id of the article last stored from this origin (a URL or path), or None: lets ``watch``
        skip feed entries it already has without fetching them again."""
        ...

    def mark_seen(self, origin: str, article_id: str | None, *, error: str | None = None) -> None:
        """Record that an origin was fetched (and what came of it) without storing an article."""
        ...

    def migrate(self) -> list[int]:
        """Apply pending migrations; returns the versions applied (none when up to date). Re-runnable."""
        ...

    def close(self) -> None: ...

    # --- articles ------------------------------------------------------------------------------------

    def get_article(self, article_id: str) -> StoredArticle:
        """One article with its text and stored analysis; ``NotFound`` if unknown."""
        ...

    def list_articles(self, *, limit: int = 50, offset: int = 0) -> Page[ArticleSummary]:
        """Articles, most recently published first."""
        ...

    def search_articles(self, q: str, *, limit: int = 20, offset: int = 0) -> Page[ArticleHit]:
        """Full-text search over titles and text (SQLite FTS5 / PostgreSQL tsvector), best match first.

        ``q`` is plain words (all must match); quotes and operators are treated as words, never as
        query syntax, so user input cannot break the query.
        """
        ...

    # --- events --------------------------------------------------------------------------------------

    def list_events(
        self,
        filters: EventFilter | None = None,
        *,
        limit: int = 100,
        offset: int = 0,
        with_sources: bool = False,
    ) -> Page[MergedEvent]:
        """Merged events matching ``filters``, by date (newest first, undated last), with the total count."""
        ...

    def iter_events(
        self, filters: EventFilter | None = None, *, with_sources: bool = False, batch: int = 1000
    ) -> Iterator[MergedEvent]:
        """Every matching merged event, oldest first, streamed in batches (for exports)."""
        ...

    def get_event(self, event_id: str) -> MergedEvent:
        """One merged event with all its sources (article, url, outlet, sentence, span); ``NotFound``."""
        ...

    # --- places, actors, control ---------------------------------------------------------------------

    def list_places(
        self,
        *,
        q: str | None = None,
        country: str | None = None,
        bbox: BBox | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> Page[Place]:
        """Places that events or control changes happened in; ``q`` is a case-insensitive name prefix."""
        ...

    def find_places(self, name_or_id: str) -> list[Place]:
        """Places by id ("gn:170017"), GeoNames id ("170017") or name (case-insensitive), busiest first."""
        ...

    def control_history(self, place: str) -> list[ControlChange]:
        """The control changes of one place (id, GeoNames id or name), oldest first, with their evidence.

        A name that matches several places takes the one with the most control changes; ``NotFound`` if
        none matches.
        """
        ...

    def control_at(
        self,
        date: dt.date,
        *,
        country: str | None = None,
        bbox: BBox | None = None,
        with_evidence: bool = False,
    ) -> list[ControlChange]:
        """Who holds each place on ``date``: per place, its latest effective (not denied) change on or
        before that date. Places with no change by then are left out. Sorted by country and place name."""
        ...

    def list_actors(self, *, q: str | None = None, limit: int = 100, offset: int = 0) -> Page[ActorSummary]:
        """Actors named in merged events, most events first; ``q`` is a case-insensitive substring."""
        ...

    def stats(self) -> StoreStats:
        """Counts of everything, the date range, the schema version and (for SQLite) the file size."""
        ...
