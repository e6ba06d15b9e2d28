"""The schema, as numbered steps recorded in a ``migrations`` table (as sqlite-utils' migrations do).

One DDL for both backends: SQLite reads ``DOUBLE PRECISION``/``BIGINT`` by type affinity, and dates are
ISO text in both (so comparisons, indexes and results are the same everywhere). Only full-text search
differs: an FTS5 table kept in step by triggers in SQLite, a generated ``tsvector`` column with a GIN
index in PostgreSQL.

Steps are append-only: to change the schema, add a step; never edit one that has shipped. Each step runs
in its own transaction with its record, so a failed step leaves the database at the previous version.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    common: tuple[str, ...] = ()
    sqlite: tuple[str, ...] = ()
    postgresql: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)

    def statements(self, backend: str) -> tuple[str, ...]:
        return self.common + (self.sqlite if backend == "sqlite" else self.postgresql)


# Each effective change of a place is valid until the next one (in date order; on the same day the more
# certain change comes last, so it is the one in force). Denied changes get no validity. Window functions
# and UPDATE ... FROM run on both SQLite (3.33+) and PostgreSQL. ``{where}`` narrows it to one place.
TIMELINE_SQL = """UPDATE control_changes SET valid_to = w.nxt FROM (
    SELECT id, LEAD(date) OVER (PARTITION BY place_id
                                ORDER BY COALESCE(date, ''), status_rank DESC, id DESC) AS nxt
    FROM control_changes WHERE effective = 1 {where}
) AS w WHERE w.id = control_changes.id"""

MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)"""

_CORE = (
    # One row per article; ``id`` is the content hash (or the input's own id), ``analysis`` the
    # extraction contract's JSON, ``analysis_hash`` tells a re-analysis from a repeat.
    """CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,
        title TEXT,
        published TEXT,
        url TEXT,
        source TEXT,
        origin TEXT,
        text TEXT NOT NULL,
        analysis TEXT,
        analysis_hash TEXT,
        n_events INTEGER NOT NULL DEFAULT 0,
        ingested_at TEXT NOT NULL
    )""",
    "CREATE INDEX articles_published ON articles (published)",
    "CREATE INDEX articles_url ON articles (url)",
    # Where ingest has been (URLs, feed entries, files): lets watch skip what it has without fetching.
    """CREATE TABLE seen (
        origin TEXT PRIMARY KEY,
        article_id TEXT,
        error TEXT,
        seen_at TEXT NOT NULL
    )""",
    """CREATE TABLE places (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        geonameid BIGINT,
        lat DOUBLE PRECISION,
        lon DOUBLE PRECISION,
        country_code TEXT,
        admin1 TEXT
    )""",
    "CREATE INDEX places_name ON places (name)",
    "CREATE INDEX places_country ON places (country_code)",
    "CREATE INDEX places_geonameid ON places (geonameid)",
    """CREATE TABLE actors (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        side TEXT,
        country_code TEXT
    )""",
    # Merged events: one per real-world event, aggregated from its reports by frontline.timeline.
    """CREATE TABLE events (
        id TEXT PRIMARY KEY,
        event_type TEXT,
        sub_event_type TEXT,
        plover_event TEXT,
        plover_mode TEXT,
        plover_context TEXT,
        modality TEXT NOT NULL,
        date TEXT,
        time_precision INTEGER,
        date_min TEXT,
        date_max TEXT,
        dates_reported TEXT,
        published TEXT,
        place_id TEXT,
        location TEXT,
        geonameid BIGINT,
        lat DOUBLE PRECISION,
        lon DOUBLE PRECISION,
        country_code TEXT,
        admin1 TEXT,
        geo_precision INTEGER,
        actor1 TEXT,
        actor1_side TEXT,
        actor1_country TEXT,
        actor2 TEXT,
        actor2_side TEXT,
        actor2_country TEXT,
        fatalities INTEGER,
        fatalities_reported TEXT,
        n_reports INTEGER NOT NULL,
        n_articles INTEGER NOT NULL,
        n_outlets INTEGER NOT NULL,
        outlets TEXT,
        confidence DOUBLE PRECISION,
        notes TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX events_date ON events (date)",
    "CREATE INDEX events_country_date ON events (country_code, date)",
    "CREATE INDEX events_place_date ON events (place_id, date)",
    "CREATE INDEX events_latlon ON events (lat, lon)",
    "CREATE INDEX events_type ON events (event_type, sub_event_type)",
    "CREATE INDEX events_actor1 ON events (actor1)",
    "CREATE INDEX events_actor2 ON events (actor2)",
    # Reports: one row per event of one article, as the extractor gave it; ``event_fk`` is the merged
    # event it belongs to.
    """CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        event_id TEXT NOT NULL,
        event_fk TEXT NOT NULL REFERENCES events (id),
        seq INTEGER NOT NULL,
        published TEXT,
        outlet TEXT,
        event_type TEXT,
        sub_event_type TEXT,
        plover_event TEXT,
        plover_mode TEXT,
        plover_context TEXT,
        modality TEXT NOT NULL,
        date TEXT,
        time_precision INTEGER,
        date_text TEXT,
        place_id TEXT,
        location TEXT,
        geonameid BIGINT,
        lat DOUBLE PRECISION,
        lon DOUBLE PRECISION,
        country_code TEXT,
        admin1 TEXT,
        geo_precision INTEGER,
        actor1 TEXT,
        actor1_text TEXT,
        actor1_side TEXT,
        actor1_country TEXT,
        actor2 TEXT,
        actor2_text TEXT,
        actor2_side TEXT,
        actor2_country TEXT,
        fatalities INTEGER,
        confidence DOUBLE PRECISION,
        sentence TEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL
    )""",
    "CREATE INDEX reports_article ON reports (article_id)",
    "CREATE INDEX reports_event ON reports (event_fk)",
    # Changes of control, merged across reports, and the reports (claims) behind them.
    """CREATE TABLE control_changes (
        id TEXT PRIMARY KEY,
        place_id TEXT NOT NULL REFERENCES places (id),
        date TEXT,
        time_precision INTEGER,
        to_actor TEXT NOT NULL,
        to_side TEXT,
        from_actor TEXT,
        from_side TEXT,
        status TEXT NOT NULL,
        status_rank INTEGER NOT NULL,
        effective INTEGER NOT NULL,
        n_reports INTEGER NOT NULL,
        country_code TEXT,
        lat DOUBLE PRECISION,
        lon DOUBLE PRECISION,
        updated_at TEXT NOT NULL
    )""",
    # control_at's per-place seek: the latest effective change on or before a date.
    "CREATE INDEX control_place_date ON control_changes (place_id, effective, date)",
    "CREATE INDEX control_country ON control_changes (country_code)",
    """CREATE TABLE control_claims (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        change_id TEXT NOT NULL REFERENCES control_changes (id),
        seq INTEGER NOT NULL,
        place_id TEXT NOT NULL,
        published TEXT,
        date TEXT,
        time_precision INTEGER,
        to_actor TEXT NOT NULL,
        to_side TEXT,
        from_actor TEXT,
        from_side TEXT,
        status TEXT NOT NULL,
        event_ids TEXT
    )""",
    "CREATE INDEX control_claims_change ON control_claims (change_id)",
    "CREATE INDEX control_claims_article ON control_claims (article_id)",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "articles, reports, merged events, places, actors, control over time",
        common=_CORE,
        sqlite=(
            # External-content FTS5 over articles: the text is stored once, the index kept by triggers.
            "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
            "content_rowid='rowid', tokenize='porter unicode61')",
            """CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
                INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
            END""",
            """CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
                INSERT INTO articles_fts (articles_fts, rowid, title, text)
                VALUES ('delete', old.rowid, old.title, old.text);
            END""",
            """CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
                INSERT INTO articles_fts (articles_fts, rowid, title, text)
                VALUES ('delete', old.rowid, old.title, old.text);
                INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
            END""",
        ),
        postgresql=(
            "ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED",
            "CREATE INDEX articles_tsv ON articles USING gin (tsv)",
        ),
    ),
    Migration(
        2,
        "control timeline: each change's valid_to, so control_at is one range scan",
        common=(
            "ALTER TABLE control_changes ADD COLUMN valid_to TEXT",
            # control_at: effective changes on or before a day, whose validity runs past it.
            "CREATE INDEX control_at_date ON control_changes (effective, date, valid_to)",
            "CREATE INDEX control_at_country ON control_changes (country_code, effective, date, valid_to)",
            TIMELINE_SQL.format(where=""),
        ),
    ),
    Migration(
        3,
        "events newest first from an index: the API's default page no longer sorts the whole table",
        sqlite=("CREATE INDEX events_date_id ON events (date DESC, id DESC)",),
        postgresql=("CREATE INDEX events_date_id ON events (date DESC NULLS LAST, id DESC)",),
    ),
)

LATEST = MIGRATIONS[-1].version
