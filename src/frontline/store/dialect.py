"""The thin layer between the store's one code path and its two databases.

The store writes SQL once, with ``?`` placeholders and SQL both databases accept (``ON CONFLICT``,
``COALESCE``, ``LIMIT ... OFFSET``); each backend here opens its connection, turns rows into dicts,
runs transactions and supplies the few fragments that differ (full-text search, size on disk).

Every call holds the backend's lock: one connection serves all threads, so reads from an API thread
pool and the single writer never interleave inside a transaction (datasette's one-writer rule).
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import NoDatabase, StoreError

Params = Sequence[Any]


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def redact(url: str) -> str:
    """A database URL without its password, for messages and ``stats``."""
    if not is_postgres_url(url):
        return url
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


class Backend:
    """What the store needs from a database connection."""

    name: str
    location: str

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._depth = 0

    # subclasses implement these four
    def _execute(self, sql: str, params: Params) -> Any: ...
    def _executemany(self, sql: str, rows: Sequence[Params]) -> None: ...
    def _begin(self) -> None: ...
    def _end(self, commit: bool) -> None: ...

    def execute(self, sql: str, params: Params = ()) -> None:
        with self._lock:
            self._execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if rows:
            with self._lock:
                self._executemany(sql, rows)

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        with self._lock:
            cur = self._execute(sql, params)
            return [dict(row) for row in cur.fetchall()]

    def query_tuples(self, sql: str, params: Params = ()) -> tuple[list[str], list[tuple]]:
        """Column names and plain tuples: for hot queries returning thousands of rows, where building a
        dict per row is most of the cost."""
        with self._lock:
            cur = self._cursor_tuples()
            cur.execute(self._sql(sql), tuple(params))
            return [d[0] for d in cur.description or ()], cur.fetchall()

    def _cursor_tuples(self) -> Any:
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        return sql

    def query_one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.query_one(sql, params)
        return next(iter(row.values())) if row else None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing; nested calls join the outer transaction."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._begin()
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self._end(commit=False)
                raise
            self._depth = 0
            self._end(commit=True)

    def close(self) -> None: ...

    def size_bytes(self) -> int | None:
        return None

    # dialect fragments
    def fts_article_ids(self) -> str:
        """SQL selecting article ids matching one ``?`` parameter (the output of ``fts_query``)."""
        raise NotImplementedError

    def fts_query(self, q: str) -> str:
        return q

    def search_sql(self) -> str:
        """SQL for a ranked search page: params (query, limit, offset); columns of ArticleHit."""
        raise NotImplementedError

    def search_count_sql(self) -> str:
        raise NotImplementedError


def _sqlite_dict_row(cursor: sqlite3.Cursor, row: tuple) -> dict[str, Any]:
    return {col[0]: value for col, value in zip(cursor.description, row, strict=True)}


class SQLiteBackend(Backend):
    name = "sqlite"

    def __init__(self, path: str) -> None:
        super().__init__()
        self.location = path
        if path != ":memory:":
            try:
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the database folder: {exc}", source=path) from exc
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is exactly one
            # article; check_same_thread=False because the lock above serialises access.
            self.conn = sqlite3.connect(
                os.path.expanduser(path), isolation_level=None, check_same_thread=False, timeout=30.0
            )
            self.conn.row_factory = _sqlite_dict_row
            self.conn.execute("PRAGMA foreign_keys = ON")
            if path != ":memory:":
                # WAL: readers never block the writer; NORMAL sync is still crash-safe in WAL mode
                # (a crash loses at most the last commits, never consistency).
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA busy_timeout = 30000")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the SQLite database: {exc}", source=path) from exc

    def _execute(self, sql: str, params: Params) -> Any:
        try:
            return self.conn.execute(sql, tuple(params))
        except sqlite3.Error as exc:
            raise StoreError(f"{exc} (in: {_first_line(sql)})", source=self.location) from exc

    def _cursor_tuples(self) -> Any:
        cur = self.conn.cursor()
        cur.row_factory = None
        return cur

    def _executemany(self, sql: str, rows: Sequence[Params]) -> None:
        try:
            self.conn.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise StoreError(f"{exc} (in: {_first_line(sql)})", source=self.location) from exc

    def _begin(self) -> None:
        # IMMEDIATE takes the write lock now, so two writers queue instead of failing mid-way.
        self._execute("BEGIN IMMEDIATE", ())

    def _end(self, commit: bool) -> None:
        if self.conn.in_transaction:
            self._execute("COMMIT" if commit else "ROLLBACK", ())

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def size_bytes(self) -> int | None:
        if self.location == ":memory:":
            return None
        page_count = self.scalar("PRAGMA page_count")
        page_size = self.scalar("PRAGMA page_size")
        return int(page_count) * int(page_size)

    def fts_query(self, q: str) -> str:
        # Every word quoted: FTS5 syntax in user input (AND, NEAR, quotes, *) is read as plain words.
        words = re.findall(r"\w+", q)
        return " ".join('"' + w + '"' for w in words)

    def fts_article_ids(self) -> str:
        return (
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid WHERE articles_fts MATCH ?"
        )

    def search_sql(self) -> str:
        return """SELECT a.id, a.title, a.published, a.url, a.source, a.ingested_at, a.n_events,
                         snippet(articles_fts, 1, '[', ']', '…', 16) AS snippet, -bm25(articles_fts) AS rank
                  FROM articles_fts f JOIN articles a ON a.rowid = f.rowid
                  WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts), a.id LIMIT ? OFFSET ?"""

    def search_count_sql(self) -> str:
        return "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"


class PostgresBackend(Backend):
    name = "postgresql"

    def __init__(self, url: str) -> None:
        super().__init__()
        self.location = redact(url)
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise StoreError(
                "PostgreSQL needs psycopg: pip install 'psycopg[binary]'", source=self.location
            ) from exc
        self._psycopg = psycopg
        try:
            self.conn = psycopg.connect(url, autocommit=True, row_factory=dict_row, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL: {exc}".strip(), source=self.location) from exc
        self._sql_cache: dict[str, str] = {}
        self._tx: Any = None

    def _convert(self, sql: str) -> str:
        # Our SQL never holds a literal '?' or '%', so the swap is safe; cached because it is hot.
        out = self._sql_cache.get(sql)
        if out is None:
            out = self._sql_cache[sql] = sql.replace("?", "%s")
        return out

    def _sql(self, sql: str) -> str:
        return self._convert(sql)

    def _cursor_tuples(self) -> Any:
        from psycopg.rows import tuple_row

        return self.conn.cursor(row_factory=tuple_row)

    def _execute(self, sql: str, params: Params) -> Any:
        try:
            return self.conn.execute(self._convert(sql), tuple(params))
        except self._psycopg.Error as exc:
            raise StoreError(f"{exc} (in: {_first_line(sql)})".strip(), source=self.location) from exc

    def _executemany(self, sql: str, rows: Sequence[Params]) -> None:
        try:
            with self.conn.cursor() as cur:
                cur.executemany(self._convert(sql), rows)
        except self._psycopg.Error as exc:
            raise StoreError(f"{exc} (in: {_first_line(sql)})".strip(), source=self.location) from exc

    def _begin(self) -> None:
        self._tx = self.conn.transaction()
        self._tx.__enter__()

    def _end(self, commit: bool) -> None:
        tx, self._tx = self._tx, None
        if tx is None:
            return
        if commit:
            try:
                tx.__exit__(None, None, None)
            except self._psycopg.Error as exc:
                raise StoreError(f"commit failed: {exc}", source=self.location) from exc
        else:
            err = RuntimeError("rollback")
            tx.__exit__(type(err), err, None)

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def size_bytes(self) -> int | None:
        # Our tables' share of the database (the schema may hold other people's tables).
        return int(
            self.scalar(
                "SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0) AS size FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                "AND c.relkind IN ('r', 'm')"
            )
            or 0
        )

    def fts_article_ids(self) -> str:
        return "SELECT id FROM articles WHERE tsv @@ plainto_tsquery('english', ?)"

    def search_sql(self) -> str:
        return """SELECT a.id, a.title, a.published, a.url, a.source, a.ingested_at, a.n_events,
                         ts_headline('english', a.text, q, 'StartSel=[, StopSel=], MaxWords=24, MinWords=8')
                           AS snippet,
                         ts_rank(a.tsv, q) AS rank
                  FROM articles a, plainto_tsquery('english', ?) q
                  WHERE a.tsv @@ q ORDER BY rank DESC, a.id LIMIT ? OFFSET ?"""

    def search_count_sql(self) -> str:
        return "SELECT count(*) FROM articles WHERE tsv @@ plainto_tsquery('english', ?)"


def _first_line(sql: str) -> str:
    line = " ".join(sql.split())
    return line[:80] + ("…" if len(line) > 80 else "")


NO_DATABASE = (
    "no Frontline database here (a mistyped --db or FRONTLINE_DB?); "
    "`frontline ingest` or `frontline db init` creates one"
)


def connect(url_or_path: str, *, create: bool = True) -> Backend:
    """A connection to the database; ``create=False`` refuses a SQLite file that does not exist
    (``NoDatabase``) rather than creating it and its folders."""
    if is_postgres_url(url_or_path):
        return PostgresBackend(url_or_path)
    if "://" in url_or_path and not url_or_path.startswith("sqlite://"):
        raise StoreError(
            "unknown database URL scheme; use a file path or postgresql://...", source=redact(url_or_path)
        )
    path = url_or_path.removeprefix("sqlite:///").removeprefix("sqlite://")
    if not create and path != ":memory:" and not Path(path).expanduser().is_file():
        raise NoDatabase(NO_DATABASE, source=path)
    return SQLiteBackend(path)
