"""The store, written once for SQLite and PostgreSQL (``dialect`` holds what differs).

Writes: ``save_analysis`` is the one writer. Inside one transaction it stores the article, its reports
(one per extracted event), merges each report into a merged event (rules in ``frontline.timeline``),
and each control change into the place's control timeline. Reads build the ``models`` the CLI, API and
exports share.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .. import timeline
from ..errors import NoDatabase, NotFound, StoreError
from . import migrations as mig
from .dialect import NO_DATABASE, Backend, connect
from .models import (
    ActorSummary,
    ArticleHit,
    ArticleSummary,
    BBox,
    ControlChange,
    ControlEvidence,
    EventFilter,
    EventSource,
    MergedEvent,
    Page,
    Place,
    SaveResult,
    SaveStatus,
    StoredArticle,
    StoreStats,
)

if TYPE_CHECKING:
    from ..article import Article
    from ..schema import Analysis, Event
    from ..schema import ControlChange as ExtractedControlChange


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _loads(value: Any, default: Any) -> Any:
    if value in (None, ""):
        return default
    return json.loads(value)


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _outlet(article: Article) -> str | None:
    if article.source:
        return article.source
    if article.url:
        host = urlsplit(article.url).hostname or ""
        return host.removeprefix("www.") or None
    return None


# PostgreSQL advisory lock keys (any two fixed numbers of our own).
MIGRATION_LOCK = 8_142_024
WRITER_LOCK = 8_142_025

EVENT_AGG_COLUMNS = (
    "event_type",
    "sub_event_type",
    "plover_event",
    "plover_mode",
    "plover_context",
    "modality",
    "date",
    "time_precision",
    "date_min",
    "date_max",
    "dates_reported",
    "published",
    "place_id",
    "location",
    "geonameid",
    "lat",
    "lon",
    "country_code",
    "admin1",
    "geo_precision",
    "actor1",
    "actor1_side",
    "actor1_country",
    "actor2",
    "actor2_side",
    "actor2_country",
    "fatalities",
    "fatalities_reported",
    "n_reports",
    "n_articles",
    "n_outlets",
    "outlets",
    "confidence",
    "notes",
)
EVENT_JSON_COLUMNS = ("plover_context", "dates_reported", "fatalities_reported", "outlets")
REPORT_COLUMNS = (
    "id",
    "article_id",
    "event_id",
    "event_fk",
    "seq",
    "published",
    "outlet",
    "event_type",
    "sub_event_type",
    "plover_event",
    "plover_mode",
    "plover_context",
    "modality",
    "date",
    "time_precision",
    "date_text",
    "place_id",
    "location",
    "geonameid",
    "lat",
    "lon",
    "country_code",
    "admin1",
    "geo_precision",
    "actor1",
    "actor1_text",
    "actor1_side",
    "actor1_country",
    "actor2",
    "actor2_text",
    "actor2_side",
    "actor2_country",
    "fatalities",
    "confidence",
    "sentence",
    "span_start",
    "span_end",
)
CLAIM_COLUMNS = (
    "id",
    "article_id",
    "change_id",
    "seq",
    "place_id",
    "published",
    "date",
    "time_precision",
    "to_actor",
    "to_side",
    "from_actor",
    "from_side",
    "status",
    "event_ids",
)
CHANGE_AGG_COLUMNS = (
    "date",
    "time_precision",
    "status",
    "status_rank",
    "effective",
    "to_actor",
    "to_side",
    "from_actor",
    "from_side",
    "n_reports",
    "updated_at",
)


class SQLStore:
    """The ``Store`` over a ``dialect.Backend``. Open with ``frontline.store.open_store``."""

    def __init__(self, db: Backend) -> None:
        self.db = db
        self.backend = db.name
        # Newest events first, undated last, in an order an index can give without sorting every row:
        # SQLite already puts NULLs last in a descending sort; PostgreSQL is told to, with an index to match.
        self._newest_first = (
            "date DESC, id DESC" if self.backend == "sqlite" else "date DESC NULLS LAST, id DESC"
        )

    @classmethod
    def open(cls, url_or_path: str, *, migrate: bool = True, create: bool = True) -> SQLStore:
        store = cls(connect(url_or_path, create=create))
        if not create and not store._has_table("migrations"):
            # PostgreSQL: the server's database exists, but holds no Frontline tables.
            store.close()
            raise NoDatabase(NO_DATABASE, source=store.db.location)
        if migrate:
            store.migrate()
        elif (version := store.schema_version()) < mig.LATEST:
            store.close()
            raise StoreError(
                f"database schema is at version {version}, this Frontline needs "
                f"{mig.LATEST}: run `frontline db migrate`",
                source=store.db.location,
            )
        return store

    def __enter__(self) -> SQLStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # --- migrations -----------------------------------------------------------------------------------

    def schema_version(self) -> int:
        if not self._has_table("migrations"):
            return 0
        return int(self.db.scalar("SELECT COALESCE(max(version), 0) AS v FROM migrations") or 0)

    def _has_table(self, name: str) -> bool:
        if self.backend == "sqlite":
            sql = "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?"
        else:
            sql = (
                "SELECT count(*) AS n FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_name = ?"
            )
        return bool(self.db.scalar(sql, (name,)))

    def migrate(self) -> list[int]:
        """Apply pending steps, each in its own transaction with its record. Safe to run concurrently:
        the transaction's write lock (SQLite) or an advisory lock (PostgreSQL) serialises runners."""
        applied: list[int] = []
        self.db.execute(mig.MIGRATIONS_TABLE)
        for step in mig.MIGRATIONS:
            with self.db.transaction():
                if self.backend == "postgresql":
                    self.db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
                done = self.db.scalar(
                    "SELECT count(*) AS n FROM migrations WHERE version = ?", (step.version,)
                )
                if done:
                    continue
                for statement in step.statements(self.backend):
                    self.db.execute(statement)
                self.db.execute(
                    "INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (step.version, step.name, _now()),
                )
            applied.append(step.version)
        return applied

    def migrations(self) -> list[dict[str, Any]]:
        return self.db.query("SELECT version, name, applied_at FROM migrations ORDER BY version")

    # --- writing --------------------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        return self.db.query_one("SELECT 1 AS x FROM articles WHERE id = ?", (article_id,)) is not None

    def seen(self, origin: str) -> str | None:
        row = self.db.query_one("SELECT article_id FROM seen WHERE origin = ? AND error IS NULL", (origin,))
        return row["article_id"] if row else None

    def mark_seen(self, origin: str, article_id: str | None, *, error: str | None = None) -> None:
        with self.db.transaction():
            self._mark_seen(origin, article_id, error)

    def _mark_seen(self, origin: str | None, article_id: str | None, error: str | None) -> None:
        if not origin:
            return
        self.db.execute(
            "INSERT INTO seen (origin, article_id, error, seen_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (origin) DO UPDATE SET article_id = excluded.article_id, error = excluded.error, "
            "seen_at = excluded.seen_at",
            (origin, article_id, error, _now()),
        )

    def save_analysis(self, article: Article, analysis: Analysis, *, origin: str | None = None) -> SaveResult:
        stored = analysis.to_json_dict()
        stored["article"].pop("text", None)  # the text is stored once, in articles.text
        analysis_json = _json(stored)
        analysis_hash = timeline.short_hash(analysis_json)
        content_hash = article.content_hash
        with self.db.transaction():
            if self.backend == "postgresql":
                # One writer across processes, as SQLite's BEGIN IMMEDIATE gives us: two ingests merging
                # reports of one event at once would otherwise each create it.
                self.db.execute("SELECT pg_advisory_xact_lock(?)", (WRITER_LOCK,))
            row = self.db.query_one(
                "SELECT content_hash, analysis_hash FROM articles WHERE id = ?", (article.id,)
            )
            if row and row["content_hash"] == content_hash and row["analysis_hash"] == analysis_hash:
                self._mark_seen(origin, article.id, None)
                n = self.db.scalar("SELECT count(*) AS n FROM reports WHERE article_id = ?", (article.id,))
                return SaveResult(article_id=article.id, status="unchanged", reports=int(n or 0))
            values = (
                content_hash,
                article.title,
                _iso(article.published),
                article.url,
                article.source,
                origin,
                article.text,
                analysis_json,
                analysis_hash,
                len(analysis.events),
                _now(),
            )
            if row:
                self._unlink_article(article.id)
                self.db.execute(
                    "UPDATE articles SET content_hash = ?, title = ?, published = ?, url = ?, source = ?, "
                    "origin = COALESCE(?, origin), text = ?, analysis = ?, analysis_hash = ?, n_events = ?, "
                    "ingested_at = ? WHERE id = ?",
                    (*values, article.id),
                )
                status: SaveStatus = "updated"
            else:
                self.db.execute(
                    "INSERT INTO articles (content_hash, title, published, url, source, origin, text, "
                    "analysis, "
                    "analysis_hash, n_events, ingested_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, article.id),
                )
                status = "new"
            result = SaveResult(article_id=article.id, status=status, reports=len(analysis.events))
            for seq, event in enumerate(analysis.events):
                event_id, created = self._merge_report(article, seq, event)
                target = result.events_created if created else result.events_merged
                if event_id not in target:
                    target.append(event_id)
            for seq, change in enumerate(analysis.control_changes):
                change_id = self._merge_claim(article, seq, change, analysis)
                if change_id and change_id not in result.control_changes:
                    result.control_changes.append(change_id)
            self._mark_seen(origin, article.id, None)
        return result

    def _unlink_article(self, article_id: str) -> None:
        """Take an article's reports and claims out of the timeline (before re-saving it)."""
        events = [
            r["event_fk"]
            for r in self.db.query(
                "SELECT DISTINCT event_fk FROM reports WHERE article_id = ?", (article_id,)
            )
        ]
        changes = [
            r["change_id"]
            for r in self.db.query(
                "SELECT DISTINCT change_id FROM control_claims WHERE article_id = ?", (article_id,)
            )
        ]
        self.db.execute("DELETE FROM reports WHERE article_id = ?", (article_id,))
        self.db.execute("DELETE FROM control_claims WHERE article_id = ?", (article_id,))
        for event_id in events:
            self._refresh_event(event_id)
        for change_id in changes:
            self._refresh_change(change_id)

    def _upsert_place(self, pid: str, loc: Any) -> None:
        self.db.execute(
            "INSERT INTO places (id, name, geonameid, lat, lon, country_code, admin1) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET lat = COALESCE(places.lat, excluded.lat), "
            "lon = COALESCE(places.lon, excluded.lon), admin1 = COALESCE(places.admin1, excluded.admin1), "
            "country_code = COALESCE(places.country_code, excluded.country_code)",
            (
                pid,
                loc.name,
                loc.geonameid,
                loc.lat,
                loc.lon,
                (loc.country_code or "").upper() or None,
                loc.admin1,
            ),
        )

    def _upsert_actor(self, actor: Any) -> None:
        label = timeline.actor_label(actor)
        if not label or not (actor.name or actor.side):
            return  # words as written ("fighters") are kept on the report, not catalogued as actors
        self.db.execute(
            "INSERT INTO actors (id, name, side, country_code) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET side = COALESCE(actors.side, excluded.side), "
            "country_code = COALESCE(actors.country_code, excluded.country_code)",
            (timeline.actor_id(label), label, actor.side, (actor.country_code or "").upper() or None),
        )

    def _report_row(self, article: Article, seq: int, event: Event) -> dict[str, Any]:
        loc = event.location
        pid = timeline.place_id(loc)
        row: dict[str, Any] = {
            "id": timeline.short_hash(article.id, seq, event.id),
            "article_id": article.id,
            "event_id": event.id,
            "event_fk": None,
            "seq": seq,
            "published": _iso(article.published),
            "outlet": _outlet(article),
            "event_type": event.event_type,
            "sub_event_type": event.sub_event_type,
            "plover_event": event.plover.event,
            "plover_mode": event.plover.mode,
            "plover_context": list(event.plover.context),
            "modality": event.modality,
            "date": _iso(event.date),
            "time_precision": event.time_precision,
            "date_text": event.date_text,
            "place_id": pid,
            "location": loc.name if loc else None,
            "geonameid": loc.geonameid if loc else None,
            "lat": loc.lat if loc else None,
            "lon": loc.lon if loc else None,
            "country_code": (loc.country_code or "").upper() or None if loc else None,
            "admin1": loc.admin1 if loc else None,
            "geo_precision": loc.geo_precision if loc else None,
            "fatalities": event.fatalities,
            "confidence": event.confidence,
            "sentence": event.sentence,
            "span_start": event.span[0],
            "span_end": event.span[1],
        }
        for which in ("actor1", "actor2"):
            actor = getattr(event, which)
            row[which] = timeline.actor_label(actor)
            row[f"{which}_text"] = actor.text if actor else None
            row[f"{which}_side"] = actor.side if actor else None
            row[f"{which}_country"] = (actor.country_code or "").upper() or None if actor else None
        return row

    def _merge_report(self, article: Article, seq: int, event: Event) -> tuple[str, bool]:
        row = self._report_row(article, seq, event)
        if event.location is not None and row["place_id"]:
            self._upsert_place(row["place_id"], event.location)
        for actor in (event.actor1, event.actor2):
            if actor is not None:
                self._upsert_actor(actor)
        target = timeline.best_match(row, self._candidate_events(row))
        created = target is None
        if target is None:
            target = "ev" + timeline.short_hash("event", row["id"], length=18)
            now = _now()
            self.db.execute(
                "INSERT INTO events (id, modality, n_reports, n_articles, n_outlets, created_at, "
                "updated_at) VALUES (?, ?, 0, 0, 0, ?, ?)",
                (target, row["modality"], now, now),
            )
        row["event_fk"] = target
        row["plover_context"] = _json(row["plover_context"])
        placeholders = ", ".join("?" for _ in REPORT_COLUMNS)
        self.db.execute(
            f"INSERT INTO reports ({', '.join(REPORT_COLUMNS)}) VALUES ({placeholders})",
            [row[c] for c in REPORT_COLUMNS],
        )
        self._refresh_event(target)
        return target, created

    _CANDIDATE_COLUMNS = (
        "id, modality, event_type, sub_event_type, plover_event, date, time_precision, published, place_id, "
        "lat, lon, geo_precision, actor1, actor1_side, actor2, actor2_side, n_reports"
    )

    def _candidate_events(self, row: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Events that might take this report: a cheap superset that ``timeline.best_match`` narrows."""
        anchor, tol = timeline.anchor_date(row)
        if anchor is None:
            return []

        def span(days: int) -> list[str]:
            return [
                (anchor - dt.timedelta(days=days)).isoformat(),
                (anchor + dt.timedelta(days=days)).isoformat(),
            ]

        # Within the report's own tolerance any event may match; wider only for events whose coarser
        # precision allows it (so a day-precise report does not drag in a month of candidates).
        dates: list[str] = ["(date BETWEEN ? AND ?)"]
        params: list[Any] = span(tol)
        for precision in (2, 3):
            wide = timeline.date_tolerance(precision)
            if wide > tol:
                dates.append("(time_precision = ? AND date BETWEEN ? AND ?)")
                params += [precision, *span(wide)]
        dates.append("(date IS NULL AND published BETWEEN ? AND ?)")
        params += span(tol + timeline.UNDATED_TOLERANCE_DAYS)
        where = "(" + " OR ".join(dates) + ")"
        if row.get("sub_event_type"):
            where += " AND (sub_event_type = ? OR (sub_event_type IS NULL AND plover_event = ?))"
            params += [row["sub_event_type"], row["plover_event"]]
        else:
            where += " AND plover_event = ?"
            params.append(row["plover_event"])
        box = timeline.search_box(row)
        if row.get("place_id") and box:
            where += " AND (place_id = ? OR (lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?))"
            params += [row["place_id"], *box]
        elif row.get("place_id"):
            where += " AND place_id = ?"
            params.append(row["place_id"])
        elif row.get("actor1"):
            where += " AND place_id IS NULL AND actor1 = ?"
            params.append(row["actor1"])
        else:
            return []
        return self.db.query(f"SELECT {self._CANDIDATE_COLUMNS} FROM events WHERE {where}", params)

    def _refresh_event(self, event_id: str) -> None:
        reports = self.db.query(
            "SELECT * FROM reports WHERE event_fk = ? ORDER BY COALESCE(published, ''), article_id, seq",
            (event_id,),
        )
        if not reports:
            self.db.execute("DELETE FROM events WHERE id = ?", (event_id,))
            return
        for r in reports:
            r["plover_context"] = _loads(r["plover_context"], [])
        agg = timeline.aggregate(reports)
        published = sorted(str(r["published"]) for r in reports if r.get("published"))
        agg["published"] = published[0] if published else None
        for col in EVENT_JSON_COLUMNS:
            agg[col] = _json(agg[col])
        sets = ", ".join(f"{c} = ?" for c in EVENT_AGG_COLUMNS)
        self.db.execute(
            f"UPDATE events SET {sets}, updated_at = ? WHERE id = ?",
            [*(agg[c] for c in EVENT_AGG_COLUMNS), _now(), event_id],
        )

    def _merge_claim(
        self, article: Article, seq: int, change: ExtractedControlChange, analysis: Analysis
    ) -> str | None:
        pid = timeline.place_id(change.place)
        to_actor = timeline.actor_label(change.to)
        if not pid or not to_actor:
            return None
        self._upsert_place(pid, change.place)
        self._upsert_actor(change.to)
        if change.from_ is not None:
            self._upsert_actor(change.from_)
        claim: dict[str, Any] = {
            "id": timeline.short_hash(article.id, "control", seq),
            "article_id": article.id,
            "change_id": None,
            "seq": seq,
            "place_id": pid,
            "published": _iso(article.published),
            "date": _iso(change.date),
            "time_precision": change.time_precision,
            "to_actor": to_actor,
            "to_side": change.to.side,
            "from_actor": timeline.actor_label(change.from_),
            "from_side": change.from_.side if change.from_ else None,
            "status": change.status,
            "event_ids": _json(list(change.event_ids)),
        }
        candidates = self.db.query("SELECT * FROM control_changes WHERE place_id = ?", (pid,))
        matches = [c for c in candidates if timeline.control_compatible(claim, c)]
        if matches:
            d, _ = timeline.anchor_date(claim)
            target = min(
                matches,
                key=lambda c: (
                    abs((d - dt.date.fromisoformat(c["date"])).days) if d and c.get("date") else 0,
                    c["id"],
                ),
            )["id"]
        else:
            target = "cc" + timeline.short_hash("control", claim["id"], length=18)
            self.db.execute(
                "INSERT INTO control_changes (id, place_id, to_actor, status, status_rank, effective, "
                "n_reports, "
                "country_code, lat, lon, updated_at) VALUES (?, ?, ?, ?, 0, 1, 0, ?, ?, ?, ?)",
                (
                    target,
                    pid,
                    to_actor,
                    change.status,
                    (change.place.country_code or "").upper() or None,
                    change.place.lat,
                    change.place.lon,
                    _now(),
                ),
            )
        claim["change_id"] = target
        placeholders = ", ".join("?" for _ in CLAIM_COLUMNS)
        self.db.execute(
            f"INSERT INTO control_claims ({', '.join(CLAIM_COLUMNS)}) VALUES ({placeholders})",
            [claim[c] for c in CLAIM_COLUMNS],
        )
        self._refresh_change(target)
        return target

    def _refresh_change(self, change_id: str) -> None:
        claims = self.db.query(
            "SELECT * FROM control_claims WHERE change_id = ? "
            "ORDER BY COALESCE(published, ''), article_id, seq",
            (change_id,),
        )
        if not claims:
            gone = self.db.query_one("SELECT place_id FROM control_changes WHERE id = ?", (change_id,))
            self.db.execute("DELETE FROM control_changes WHERE id = ?", (change_id,))
            if gone:
                self._refresh_timeline(gone["place_id"])
            return
        agg = timeline.aggregate_control(claims)
        agg["status_rank"] = timeline.STATUS_RANK[agg["status"]]
        agg["updated_at"] = _now()
        sets = ", ".join(f"{c} = ?" for c in CHANGE_AGG_COLUMNS)
        self.db.execute(
            f"UPDATE control_changes SET {sets} WHERE id = ?",
            [*(agg[c] for c in CHANGE_AGG_COLUMNS), change_id],
        )
        self._refresh_timeline(claims[0]["place_id"])

    def _refresh_timeline(self, place_id: str | None = None) -> None:
        """Recompute ``valid_to`` (until when each change is in force) for one place, or for all."""
        if place_id is None:
            self.db.execute("UPDATE control_changes SET valid_to = NULL")
            self.db.execute(mig.TIMELINE_SQL.format(where=""))
            return
        self.db.execute("UPDATE control_changes SET valid_to = NULL WHERE place_id = ?", (place_id,))
        self.db.execute(mig.TIMELINE_SQL.format(where="AND place_id = ?"), (place_id,))

    def rebuild_timeline(self) -> None:
        """Recompute every place's control timeline (after bulk loads that bypass ``save_analysis``)."""
        with self.db.transaction():
            self._refresh_timeline(None)

    # --- articles ------------------------------------------------------------------------------------

    _ARTICLE_SUMMARY = "id, title, published, url, source, ingested_at, n_events"

    def get_article(self, article_id: str) -> StoredArticle:
        row = self.db.query_one(
            f"SELECT {self._ARTICLE_SUMMARY}, text, origin, analysis FROM articles WHERE id = ?",
            (article_id,),
        )
        if row is None:
            raise NotFound("no such article", source=article_id)
        analysis = _loads(row.pop("analysis"), None)
        if analysis is not None:
            analysis["article"]["text"] = row["text"]
        return StoredArticle(**row, analysis=analysis)

    def list_articles(self, *, limit: int = 50, offset: int = 0) -> Page[ArticleSummary]:
        total = int(self.db.scalar("SELECT count(*) AS n FROM articles") or 0)
        rows = self.db.query(
            f"SELECT {self._ARTICLE_SUMMARY} FROM articles "
            "ORDER BY published IS NULL, published DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return Page[ArticleSummary](
            items=[ArticleSummary(**r) for r in rows], total=total, limit=limit, offset=offset
        )

    def search_articles(self, q: str, *, limit: int = 20, offset: int = 0) -> Page[ArticleHit]:
        query = self.db.fts_query(q)
        if not query.strip():
            return Page[ArticleHit](items=[], total=0, limit=limit, offset=offset)
        total = int(self.db.scalar(self.db.search_count_sql(), (query,)) or 0)
        rows = self.db.query(self.db.search_sql(), (query, limit, offset))
        return Page[ArticleHit](
            items=[ArticleHit(**r) for r in rows], total=total, limit=limit, offset=offset
        )

    # --- events --------------------------------------------------------------------------------------

    def _where(self, f: EventFilter | None) -> tuple[str, list[Any]]:
        if f is None:
            return "1 = 1", []
        clauses: list[str] = []
        params: list[Any] = []
        if f.date_from:
            clauses.append("date >= ?")
            params.append(f.date_from.isoformat())
        if f.date_to:
            clauses.append("date <= ?")
            params.append(f.date_to.isoformat())
        if f.bbox:
            west, south, east, north = f.bbox
            clauses.append("lat BETWEEN ? AND ?")
            params += [south, north]
            if west <= east:
                clauses.append("lon BETWEEN ? AND ?")
                params += [west, east]
            else:  # the box crosses the antimeridian
                clauses.append("(lon >= ? OR lon <= ?)")
                params += [west, east]
        if f.country:
            clauses.append("country_code = ?")
            params.append(f.country.upper())
        if f.actor:
            clauses.append(
                "(lower(actor1) LIKE ? ESCAPE '\\' OR lower(actor2) LIKE ? ESCAPE '\\' "
                "OR lower(actor1_side) LIKE ? ESCAPE '\\' OR lower(actor2_side) LIKE ? ESCAPE '\\')"
            )
            params += [_like(f.actor)] * 4
        for column in ("event_type", "sub_event_type", "plover_event", "modality", "place_id"):
            value = getattr(f, column)
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if f.modalities:
            clauses.append(f"modality IN ({', '.join('?' * len(f.modalities))})")
            params += list(f.modalities)
        if f.min_reports:
            clauses.append("n_reports >= ?")
            params.append(f.min_reports)
        if f.q:
            query = self.db.fts_query(f.q)
            if query.strip():
                clauses.append(
                    f"id IN (SELECT event_fk FROM reports WHERE article_id IN ({self.db.fts_article_ids()}))"
                )
                params.append(query)
            else:
                clauses.append("1 = 0")
        return (" AND ".join(clauses) or "1 = 1"), params

    def _event(self, row: dict[str, Any]) -> MergedEvent:
        for col in EVENT_JSON_COLUMNS:
            row[col] = _loads(row.get(col), [])
        row.pop("published", None)
        return MergedEvent(**row)

    def _attach_sources(self, events: Sequence[MergedEvent]) -> None:
        if not events:
            return
        by_id = {e.id: e for e in events}
        ids = list(by_id)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.query(
                "SELECT r.id AS report_id, r.article_id, r.event_id, r.event_fk, a.url, a.source, a.title, "
                "r.published, r.sentence, r.span_start, r.span_end, r.modality, r.date, r.time_precision, "
                "r.date_text, r.fatalities, r.actor1, r.actor2, r.confidence "
                f"FROM reports r JOIN articles a ON a.id = r.article_id WHERE r.event_fk IN ({marks}) "
                "ORDER BY COALESCE(r.published, ''), r.article_id, r.seq",
                chunk,
            )
            for r in rows:
                event = by_id[r.pop("event_fk")]
                r["span"] = (r.pop("span_start"), r.pop("span_end"))
                event.sources.append(EventSource(**r))

    def list_events(
        self,
        filters: EventFilter | None = None,
        *,
        limit: int = 100,
        offset: int = 0,
        with_sources: bool = False,
    ) -> Page[MergedEvent]:
        where, params = self._where(filters)
        total = int(self.db.scalar(f"SELECT count(*) AS n FROM events WHERE {where}", params) or 0)
        rows = self.db.query(
            f"SELECT * FROM events WHERE {where} ORDER BY {self._newest_first} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        items = [self._event(r) for r in rows]
        if with_sources:
            self._attach_sources(items)
        return Page[MergedEvent](items=items, total=total, limit=limit, offset=offset)

    def iter_events(
        self, filters: EventFilter | None = None, *, with_sources: bool = False, batch: int = 1000
    ) -> Iterator[MergedEvent]:
        where, params = self._where(filters)
        # Keyset pagination on (date, id): stable and fast however far into the table we are.
        last: tuple[str, str] | None = None
        while True:
            if last is None:
                page_sql, page_params = where, params
            else:
                page_sql = f"({where}) AND (COALESCE(date, '') > ? OR (COALESCE(date, '') = ? AND id > ?))"
                page_params = [*params, last[0], last[0], last[1]]
            rows = self.db.query(
                f"SELECT * FROM events WHERE {page_sql} ORDER BY COALESCE(date, ''), id LIMIT ?",
                [*page_params, batch],
            )
            if not rows:
                return
            last = (rows[-1]["date"] or "", rows[-1]["id"])
            items = [self._event(r) for r in rows]
            if with_sources:
                self._attach_sources(items)
            yield from items

    def get_event(self, event_id: str) -> MergedEvent:
        row = self.db.query_one("SELECT * FROM events WHERE id = ?", (event_id,))
        if row is None:
            raise NotFound("no such event", source=event_id)
        event = self._event(row)
        self._attach_sources([event])
        return event

    # --- places, actors, control ---------------------------------------------------------------------

    _PLACE_COLUMNS = (
        "p.id, p.name, p.geonameid, p.lat, p.lon, p.country_code, p.admin1, "
        "(SELECT count(*) FROM events e WHERE e.place_id = p.id) AS n_events, "
        "(SELECT count(*) FROM control_changes c WHERE c.place_id = p.id) AS n_control_changes"
    )

    def list_places(
        self,
        *,
        q: str | None = None,
        country: str | None = None,
        bbox: BBox | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> Page[Place]:
        clauses: list[str] = ["1 = 1"]
        params: list[Any] = []
        if q:
            clauses.append("lower(p.name) LIKE ? ESCAPE '\\'")
            params.append(_like(q)[1:])  # a prefix, not a substring
        if country:
            clauses.append("p.country_code = ?")
            params.append(country.upper())
        if bbox:
            west, south, east, north = bbox
            clauses.append("p.lat BETWEEN ? AND ? AND p.lon BETWEEN ? AND ?")
            params += [south, north, west, east]
        where = " AND ".join(clauses)
        total = int(self.db.scalar(f"SELECT count(*) AS n FROM places p WHERE {where}", params) or 0)
        rows = self.db.query(
            f"SELECT {self._PLACE_COLUMNS} FROM places p WHERE {where} "
            "ORDER BY n_events DESC, p.name, p.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return Page[Place](items=[Place(**r) for r in rows], total=total, limit=limit, offset=offset)

    def find_places(self, name_or_id: str) -> list[Place]:
        key = name_or_id.strip()
        if key.isdigit():
            key = f"gn:{key}"
        rows = self.db.query(
            f"SELECT {self._PLACE_COLUMNS} FROM places p WHERE p.id = ? OR lower(p.name) = ? "
            "ORDER BY n_control_changes DESC, n_events DESC, p.id",
            (key, key.lower()),
        )
        return [Place(**r) for r in rows]

    def _evidence(self, change_ids: Sequence[str]) -> dict[str, list[ControlEvidence]]:
        out: dict[str, list[ControlEvidence]] = {cid: [] for cid in change_ids}
        for start in range(0, len(change_ids), 500):
            chunk = list(change_ids[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.query(
                "SELECT c.id AS claim_id, c.change_id, c.article_id, a.url, a.source, a.title, c.published, "
                "c.status, c.date, c.event_ids FROM control_claims c JOIN articles a ON a.id = c.article_id "
                f"WHERE c.change_id IN ({marks}) ORDER BY COALESCE(c.published, ''), c.article_id, c.seq",
                chunk,
            )
            for r in rows:
                r["event_ids"] = _loads(r["event_ids"], [])
                sentences: list[str] = []
                if r["event_ids"]:
                    marks2 = ", ".join("?" for _ in r["event_ids"])
                    sentences = [
                        s["sentence"]
                        for s in self.db.query(
                            f"SELECT sentence FROM reports WHERE article_id = ? AND event_id IN ({marks2}) "
                            "ORDER BY seq",
                            [r["article_id"], *r["event_ids"]],
                        )
                    ]
                out[r.pop("change_id")].append(ControlEvidence(**r, sentences=sentences))
        return out

    @staticmethod
    def _change(row: dict[str, Any], place: Place) -> ControlChange:
        return ControlChange(
            id=row["id"],
            place=place,
            date=row["date"],
            time_precision=row["time_precision"],
            to_actor=row["to_actor"],
            to_side=row["to_side"],
            from_actor=row["from_actor"],
            from_side=row["from_side"],
            status=row["status"],
            effective=bool(row["effective"]),
            n_reports=row["n_reports"],
            until=row.get("until"),
        )

    def control_history(self, place: str) -> list[ControlChange]:
        places = self.find_places(place)
        if not places:
            raise NotFound("no such place in the store", source=place)
        target = places[0]
        # Timeline order: on the same day the more certain change comes last, as the one in force.
        rows = self.db.query(
            "SELECT *, valid_to AS until FROM control_changes WHERE place_id = ? "
            "ORDER BY COALESCE(date, ''), status_rank DESC, id DESC",
            (target.id,),
        )
        evidence = self._evidence([r["id"] for r in rows])
        out = []
        for r in rows:
            change = self._change(r, target)
            change.evidence = evidence[r["id"]]
            out.append(change)
        return out

    def control_at(
        self,
        date: dt.date,
        *,
        country: str | None = None,
        bbox: BBox | None = None,
        with_evidence: bool = False,
    ) -> list[ControlChange]:
        day = date.isoformat()
        clauses: list[str] = []
        params: list[Any] = []
        if country:
            clauses.append("c.country_code = ?")
            params.append(country.upper())
        if bbox:
            west, south, east, north = bbox
            clauses.append("c.lat BETWEEN ? AND ? AND c.lon BETWEEN ? AND ?")
            params += [south, north, west, east]
        where = "".join(f" AND {c}" for c in clauses)
        # The materialised timeline makes this one range scan: the change in force on a day is the
        # effective one that started by then and whose validity (valid_to) runs past it.
        sql = f"""
            SELECT c.id, c.place_id, c.date, c.time_precision, c.to_actor, c.to_side, c.from_actor,
                   c.from_side, c.status, c.effective, c.n_reports, c.valid_to AS until,
                   p.name AS p_name, p.geonameid AS p_geonameid, p.lat AS p_lat, p.lon AS p_lon,
                   p.country_code AS p_country_code, p.admin1 AS p_admin1
            FROM control_changes c JOIN places p ON p.id = c.place_id
            WHERE c.effective = 1 AND c.date <= ? AND (c.valid_to IS NULL OR c.valid_to > ?){where}
            ORDER BY p.country_code, p.name, p.id"""
        try:
            columns, tuples = self.db.query_tuples(sql, [day, day, *params])
        except Exception as exc:  # the tuple path bypasses _execute's wrapping: name the store here
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"control_at failed: {exc}", source=self.db.location) from exc
        out = [self._change_fast(dict(zip(columns, t, strict=True))) for t in tuples]
        if with_evidence and out:
            evidence = self._evidence([c.id for c in out])
            for change in out:
                change.evidence = evidence[change.id]
        return out

    @staticmethod
    def _change_fast(r: dict[str, Any]) -> ControlChange:
        place = Place(
            id=r["place_id"],
            name=r["p_name"],
            geonameid=r["p_geonameid"],
            lat=r["p_lat"],
            lon=r["p_lon"],
            country_code=r["p_country_code"],
            admin1=r["p_admin1"],
        )
        return SQLStore._change(r, place)

    def list_actors(self, *, q: str | None = None, limit: int = 100, offset: int = 0) -> Page[ActorSummary]:
        clauses: list[str] = ["1 = 1"]
        params: list[Any] = []
        if q:
            clauses.append("lower(a.name) LIKE ? ESCAPE '\\'")
            params.append(_like(q))
        where = " AND ".join(clauses)
        total = int(self.db.scalar(f"SELECT count(*) AS n FROM actors a WHERE {where}", params) or 0)
        rows = self.db.query(
            "SELECT a.id, a.name, a.side, a.country_code, "
            "(SELECT count(*) FROM events e WHERE e.actor1 = a.name) + "
            "(SELECT count(*) FROM events e WHERE e.actor2 = a.name) AS n_events "
            f"FROM actors a WHERE {where} ORDER BY n_events DESC, a.name LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return Page[ActorSummary](
            items=[ActorSummary(**r) for r in rows], total=total, limit=limit, offset=offset
        )

    def stats(self) -> StoreStats:
        counts = {
            t: int(self.db.scalar(f"SELECT count(*) AS n FROM {t}") or 0)
            for t in ("articles", "reports", "events", "places", "actors", "control_changes")
        }
        dates = self.db.query_one("SELECT min(date) AS lo, max(date) AS hi FROM events") or {}
        return StoreStats(
            backend=self.backend,
            location=self.db.location,
            schema_version=self.schema_version(),
            first_event_date=dates.get("lo"),
            last_event_date=dates.get("hi"),
            size_bytes=self.db.size_bytes(),
            **counts,
        )
