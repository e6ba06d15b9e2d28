"""Parquet in and out, for corpora and results that live in a data lake.

In: a Parquet file with (at least) a ``text`` column, and any of ``id``, ``title``, ``published``, ``url``,
``source``; read in record batches, so a file larger than memory streams.

Out: a *dataset*, a folder of Hive-partitioned tables that DuckDB, Spark, Polars or pyarrow read as is::

    out/
      _frontline.json                        what wrote it: schema version, counts, partitioning
      articles/month=2024-12/part-00000-0.parquet
      events/month=2024-12/...               one row per event, flattened (location, actors, PLOVER)
      control_changes/month=2024-12/...
      toponyms/...  quotes/...

``events`` and ``control_changes`` are partitioned by the month *the event happened* (``date``), the other
tables by the article's publication month; rows without a date go to Hive's null partition
(``month=__HIVE_DEFAULT_PARTITION__``). ``articles`` keeps each article's full Analysis JSON in
``analysis`` (the contract of ``frontline extract``) and failed articles with their ``error``. For example::

    SELECT month, sub_event_type, count(*) FROM read_parquet('out/events/**/*.parquet', hive_partitioning=1)
    WHERE country_code = 'SY' GROUP BY ALL ORDER BY ALL;

The dataset is written into a hidden folder beside the target and renamed into place when complete, so a
reader never sees half a dataset and a crashed run leaves the previous one intact.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from .article import JSON_KEYS, Article, ReadFailure, from_mapping
from .errors import ConfigError, InputError
from .schema import SCHEMA

if TYPE_CHECKING:
    from .schema import Actor, Analysis, Location

MANIFEST = "_frontline.json"
PARTITIONS = {"month": "%Y-%m", "year": "%Y", "day": "%Y-%m-%d"}


@lru_cache(maxsize=4096)
def _partition_label(date: dt.date, fmt: str) -> str:
    return date.strftime(fmt)  # cached: a corpus has few distinct dates and many rows per date


READ_BATCH_ROWS = 512


# --- reading ---------------------------------------------------------------------------------------


def iter_parquet_file(path: Path, *, max_bytes: int) -> Iterator[Article | ReadFailure]:
    """Stream the articles of one Parquet file; a bad row is a ``ReadFailure`` and the rest go on."""
    name = str(path)
    try:
        file = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"not a readable Parquet file ({exc})", source=name) from exc
    present = [key for key in JSON_KEYS if key in file.schema_arrow.names]
    if "text" not in present:
        raise InputError(f"no 'text' column (columns: {', '.join(file.schema_arrow.names)})", source=name)
    row = 0
    for batch in file.iter_batches(batch_size=READ_BATCH_ROWS, columns=present):
        for record in batch.to_pylist():
            row += 1
            where = f"{name} row {row}"
            ident = record.get("id")
            text = record.get("text")
            if isinstance(text, str) and len(text) > max_bytes // 4 and len(text.encode()) > max_bytes:
                yield ReadFailure(
                    None if ident is None else str(ident),
                    row,
                    str(InputError(f"text is over the {max_bytes:,}-byte limit", source=where)),
                )
                continue
            try:
                yield from_mapping(record, name=where)
            except InputError as exc:
                yield ReadFailure(None if ident is None else str(ident), row, str(exc))


# --- writing ---------------------------------------------------------------------------------------


def _actor_fields(prefix: str) -> list[pa.Field]:
    return [pa.field(f"{prefix}_{key}", pa.string()) for key in ("text", "name", "side", "country_code")]


def _location_fields(prefix: str) -> list[pa.Field]:
    return [
        pa.field(f"{prefix}name", pa.string()),
        pa.field("geonameid", pa.int64()),
        pa.field("lat", pa.float64()),
        pa.field("lon", pa.float64()),
        pa.field("country_code", pa.string()),
        pa.field("admin1", pa.string()),
        pa.field("geo_precision", pa.int8()),
    ]


SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("id", pa.string()),
            ("title", pa.string()),
            ("published", pa.date32()),
            ("url", pa.string()),
            ("source", pa.string()),
            ("error", pa.string()),
            ("n_events", pa.int32()),
            ("n_control_changes", pa.int32()),
            ("warnings", pa.list_(pa.string())),
            ("analysis", pa.string()),
        ]
    ),
    "events": pa.schema(
        [
            ("article_id", pa.string()),
            ("event_id", pa.string()),
            ("date", pa.date32()),
            ("time_precision", pa.int8()),
            ("date_text", pa.string()),
            ("event_type", pa.string()),
            ("sub_event_type", pa.string()),
            ("plover_event", pa.string()),
            ("plover_mode", pa.string()),
            ("plover_context", pa.list_(pa.string())),
            ("modality", pa.string()),
            *_location_fields("location_"),
            *_actor_fields("actor1"),
            *_actor_fields("actor2"),
            ("fatalities", pa.int32()),
            ("confidence", pa.float32()),
            ("sentence", pa.string()),
            ("span_start", pa.int32()),
            ("span_end", pa.int32()),
            ("article_published", pa.date32()),
        ]
    ),
    "control_changes": pa.schema(
        [
            ("article_id", pa.string()),
            ("date", pa.date32()),
            ("time_precision", pa.int8()),
            *_location_fields("place_"),
            *_actor_fields("to"),
            *_actor_fields("from"),
            ("status", pa.string()),
            ("event_ids", pa.list_(pa.string())),
            ("article_published", pa.date32()),
        ]
    ),
    "toponyms": pa.schema(
        [
            ("article_id", pa.string()),
            ("text", pa.string()),
            ("span_start", pa.int32()),
            ("span_end", pa.int32()),
            ("geonameid", pa.int64()),
            ("lat", pa.float64()),
            ("lon", pa.float64()),
            ("country_code", pa.string()),
            ("feature", pa.string()),
            ("article_published", pa.date32()),
        ]
    ),
    "quotes": pa.schema(
        [
            ("article_id", pa.string()),
            *_actor_fields("speaker"),
            ("affiliation", pa.string()),
            ("text", pa.string()),
            ("span_start", pa.int32()),
            ("span_end", pa.int32()),
            ("article_published", pa.date32()),
        ]
    ),
}
TABLES = tuple(SCHEMAS)


def _actor(prefix: str, actor: Actor | None) -> dict[str, Any]:
    # Spelled out rather than a comprehension: this runs for every actor of every event on the driver.
    if actor is None:
        return {
            f"{prefix}_text": None,
            f"{prefix}_name": None,
            f"{prefix}_side": None,
            f"{prefix}_country_code": None,
        }
    return {
        f"{prefix}_text": actor.text,
        f"{prefix}_name": actor.name,
        f"{prefix}_side": actor.side,
        f"{prefix}_country_code": actor.country_code,
    }


def _location(prefix: str, loc: Location | None) -> dict[str, Any]:
    if loc is None:
        return {
            f"{prefix}name": None,
            "geonameid": None,
            "lat": None,
            "lon": None,
            "country_code": None,
            "admin1": None,
            "geo_precision": None,
        }
    return {
        f"{prefix}name": loc.name,
        "geonameid": loc.geonameid,
        "lat": loc.lat,
        "lon": loc.lon,
        "country_code": loc.country_code,
        "admin1": loc.admin1,
        "geo_precision": loc.geo_precision,
    }


def analysis_rows(analysis: Analysis) -> dict[str, list[dict[str, Any]]]:
    """The flattened rows of one analysis, per table (``articles`` excepted)."""
    aid = analysis.article.id
    published = analysis.article.published
    events = [
        {
            "article_id": aid,
            "event_id": e.id,
            "date": e.date,
            "time_precision": e.time_precision,
            "date_text": e.date_text,
            "event_type": e.event_type,
            "sub_event_type": e.sub_event_type,
            "plover_event": e.plover.event,
            "plover_mode": e.plover.mode,
            "plover_context": list(e.plover.context),
            "modality": e.modality,
            **_location("location_", e.location),
            **_actor("actor1", e.actor1),
            **_actor("actor2", e.actor2),
            "fatalities": e.fatalities,
            "confidence": e.confidence,
            "sentence": e.sentence,
            "span_start": e.span[0],
            "span_end": e.span[1],
            "article_published": published,
        }
        for e in analysis.events
    ]
    control = [
        {
            "article_id": aid,
            "date": c.date,
            "time_precision": c.time_precision,
            **_location("place_", c.place),
            **_actor("to", c.to),
            **_actor("from", c.from_),
            "status": c.status,
            "event_ids": list(c.event_ids),
            "article_published": published,
        }
        for c in analysis.control_changes
    ]
    toponyms = [
        {
            "article_id": aid,
            "text": t.text,
            "span_start": t.span[0],
            "span_end": t.span[1],
            "geonameid": t.geonameid,
            "lat": t.lat,
            "lon": t.lon,
            "country_code": t.country_code,
            "feature": t.feature,
            "article_published": published,
        }
        for t in analysis.toponyms
    ]
    quotes = [
        {
            "article_id": aid,
            **_actor("speaker", q.speaker),
            "affiliation": q.affiliation,
            "text": q.text,
            "span_start": q.span[0],
            "span_end": q.span[1],
            "article_published": published,
        }
        for q in analysis.quotes
    ]
    return {"events": events, "control_changes": control, "toponyms": toponyms, "quotes": quotes}


class ParquetDatasetWriter:
    """Collects results and writes them as a partitioned dataset; ``commit`` moves it into place."""

    def __init__(
        self, path: str | Path, *, partition_by: str | None = "month", flush_every: int = 5000
    ) -> None:
        if partition_by is not None and partition_by not in PARTITIONS:
            raise ConfigError(f"partition_by {partition_by!r}: use one of {', '.join(PARTITIONS)} or none")
        self.path = Path(path)
        self.partition_by = partition_by
        self.flush_every = flush_every
        self._check_target()
        self._tmp = self.path.parent / f".{self.path.name}.tmp-{os.getpid()}"
        if self._tmp.exists():
            shutil.rmtree(self._tmp)
        self._tmp.mkdir(parents=True)
        self._rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
        self._pending = 0
        self._flushes = 0
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)

    def _check_target(self) -> None:
        # Replacing a previous Frontline dataset is a re-run; replacing anything else would destroy data.
        p = self.path
        if p.exists() and not (p.is_dir() and ((p / MANIFEST).exists() or not any(p.iterdir()))):
            raise ConfigError(
                f"output {p} exists and is not a Frontline Parquet dataset; choose another path or remove it"
            )

    def add(self, article: Article, analysis: Analysis | None, error: str | None = None) -> None:
        """One article's result (or its failure). Rows are written in the order they are added."""
        self._rows["articles"].append(
            {
                "id": article.id,
                "title": article.title,
                "published": article.published,
                "url": article.url,
                "source": article.source,
                "error": error,
                "n_events": len(analysis.events) if analysis else None,
                "n_control_changes": len(analysis.control_changes) if analysis else None,
                "warnings": list(analysis.warnings) if analysis else None,
                "analysis": analysis.to_json() if analysis else None,
            }
        )
        if analysis is not None:
            for table, rows in analysis_rows(analysis).items():
                self._rows[table].extend(rows)
        self._after_add()

    def add_failure(self, ident: str | None, error: str) -> None:
        """An input record that could not be read as an article."""
        self._rows["articles"].append({"id": ident, "error": error})
        self._after_add()

    def _after_add(self) -> None:
        self._pending += 1
        if self._pending >= self.flush_every:
            self.flush()

    def _partition_value(self, table: str, row: dict[str, Any]) -> str | None:
        # Events and control changes by when they happened; the rest by when the article was published.
        date = (
            row.get("date")
            if table in ("events", "control_changes")
            else row.get("published" if table == "articles" else "article_published")
        )
        if not isinstance(date, dt.date) or self.partition_by is None:
            return None
        return _partition_label(date, PARTITIONS[self.partition_by])

    def flush(self) -> None:
        for table, rows in self._rows.items():
            if not rows:
                continue
            schema = SCHEMAS[table]
            partitioning = None
            if self.partition_by is not None:
                key = self.partition_by
                for row in rows:
                    row[key] = self._partition_value(table, row)
                schema = schema.append(pa.field(key, pa.string()))
                partitioning = ds.partitioning(pa.schema([(key, pa.string())]), flavor="hive")
            data = pa.Table.from_pylist(rows, schema=schema)
            ds.write_dataset(
                data,
                self._tmp / table,
                format="parquet",
                partitioning=partitioning,
                basename_template=f"part-{self._flushes:05d}-{{i}}.parquet",
                existing_data_behavior="overwrite_or_ignore",
            )
            self.counts[table] += len(rows)
            rows.clear()
        self._pending = 0
        self._flushes += 1

    def commit(self) -> Path:
        """Write what is left and the manifest, then put the dataset in place of any previous one."""
        self.flush()
        for table, count in self.counts.items():
            if count == 0:
                # An empty table still gets a file, so `read_parquet('out/quotes/**/*.parquet')` finds a
                # schema and returns no rows instead of failing for want of files.
                (self._tmp / table).mkdir(exist_ok=True)
                pq.write_table(SCHEMAS[table].empty_table(), self._tmp / table / "part-empty.parquet")
        manifest = {
            "schema": SCHEMA,
            "format": "frontline.parquet/1",
            "partition_by": self.partition_by,
            "rows": self.counts,
            "tables": list(TABLES),
            "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        (self._tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        self._check_target()
        old = None
        if self.path.exists():
            old = self.path.parent / f".{self.path.name}.old-{os.getpid()}"
            os.rename(self.path, old)
        os.rename(self._tmp, self.path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return self.path

    def abort(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)
