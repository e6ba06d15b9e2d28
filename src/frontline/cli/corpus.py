"""``frontline ingest``, ``watch``, ``control``, ``export`` and ``db ...``: the corpus and its timeline.

Thin, as every command is: options in, one library call (``frontline.ingest``, ``frontline.store``,
``frontline.export``), results printed, errors mapped to exit codes by ``handle_errors``.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from ..errors import InputError
from . import handle_errors, main

if TYPE_CHECKING:
    from ..engine.base import Engine
    from ..ingest import IngestSummary, Stop
    from ..settings import Settings
    from ..store.base import Store
    from ..store.models import BBox, ControlChange

DB_HELP = (
    "Database: a SQLite file or a postgresql:// URL (default: FRONTLINE_DB, else frontline.db in "
    "the data directory)."
)


def _settings(db: str | None) -> Settings:
    from ..settings import load_settings

    return load_settings(db=db) if db else load_settings()


def _store(settings: Settings, *, create: bool = False) -> Store:
    """The database; read commands (the default) refuse one that does not exist, so a mistyped
    ``--db`` is an error rather than an empty answer. Only ``ingest``, ``watch`` and ``db init`` create."""
    from ..store import open_store

    return open_store(settings.database_url(), settings=settings, create=create)


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{value!r} is not a YYYY-MM-DD date", field=name) from None


def _country(value: str | None) -> str | None:
    from ..store.models import country_code

    return None if value is None else country_code(value)


def _bbox(value: str | None) -> BBox | None:
    if value is None:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise InputError(f"{value!r} is not WEST,SOUTH,EAST,NORTH in degrees", field="bbox") from None
    if not (-90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
        raise InputError(
            f"{value!r}: latitudes must be -90..90 with SOUTH <= NORTH, longitudes -180..180", field="bbox"
        )
    return (west, south, east, north)


def _engine(name: str | None, workers: int | None, factory: str | None, settings: Settings) -> Engine:
    from ..engine import get_engine

    if factory:
        return get_engine(name, settings=settings, workers=workers, pipeline_factory=factory)
    return get_engine(name, settings=settings, workers=workers)


@contextmanager
def _stop_on_signals() -> Iterator[Stop]:
    """SIGTERM (and a first Ctrl-C) ask for a clean stop after the article being saved."""
    from ..ingest import Stop

    stop = Stop()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, frame: Any) -> None:
        if stop.is_set():  # a second Ctrl-C: stop now (the open transaction is rolled back)
            raise KeyboardInterrupt
        stop.request(signal.Signals(signum).name)
        click.echo("stopping after the current article (again to stop at once) ...", err=True)

    old_int = signal.signal(signal.SIGINT, handler)
    old_term = signal.signal(signal.SIGTERM, handler)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, old_int)
        signal.signal(signal.SIGTERM, old_term)


class _RichProgress:
    """The ingest progress bar: done/total, articles per second, time left; on standard error."""

    def __init__(self, enabled: bool) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task: Any) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed:.1f} art/s" if speed else "- art/s", style="progress.data.speed")

        self.progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[status]}"),
            console=Console(stderr=True),
            disable=not enabled,
            transient=False,
        )
        self.task = self.progress.add_task("ingest", total=0, status="")
        self.total = 0
        self.counts: dict[str, int] = {}

    def add_total(self, n: int) -> None:
        self.total += n
        self.progress.update(self.task, total=self.total)

    def advance(self, status: str) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1
        label = " ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        self.progress.update(self.task, advance=1, status=label)

    def __enter__(self) -> _RichProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def _print_summary(summary: IngestSummary, fmt: str, out: Callable[[str], None]) -> None:
    if fmt == "json":
        out(json.dumps(summary.to_dict(), indent=2))
        return
    out(
        f"new {summary.new}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"failed {len(summary.failed)} in {summary.seconds:.1f} s ({summary.rate:.1f} articles/s); "
        f"events: {summary.events_created} new, {summary.events_merged} merged into existing; "
        f"control changes: {summary.control_changes}"
    )
    for failure in summary.failed:
        # Errors usually name their input already (InputError's source); don't say it twice.
        named = failure.error.startswith((failure.origin, failure.origin.rsplit(":", 1)[0]))
        out(f"  failed: {failure.error}" if named else f"  failed: {failure.origin}: {failure.error}")


def _stopped_note(summary: IngestSummary) -> str:
    return (
        f"stopped by {summary.stopped} before the end: {summary.stored} articles stored in this run, "
        f"{summary.not_done} not done; run the same command again to finish (what is stored is skipped)"
    )


def _exit_code(summary: IngestSummary) -> int:
    """128 + the signal's number when a signal stopped the run (as a shell reports it), else 1 for any
    failed input, else 0."""
    if summary.stopped:
        try:
            return 128 + int(signal.Signals[summary.stopped])
        except KeyError:
            return 1
    return 1 if summary.failed else 0


ENGINE_OPTIONS = [
    click.option(
        "--engine",
        type=click.Choice(["serial", "local", "ray"]),
        default=None,
        help="Extraction engine: local process pool (default), ray cluster, or serial.",
    ),
    click.option(
        "--workers", type=int, default=None, help="Extraction worker processes (default: all cores)."
    ),
    click.option(
        "--fetch-workers",
        type=int,
        default=8,
        show_default=True,
        help="Threads fetching pages and reading files at once.",
    ),
    click.option(
        "--pipeline-factory",
        default=None,
        metavar="MODULE:CALLABLE",
        help="Use another extraction pipeline (settings -> callable(Article) -> Analysis).",
    ),
]


def _engine_options(func: Any) -> Any:
    for option in reversed(ENGINE_OPTIONS):
        func = option(func)
    return func


@main.command("ingest")
@click.argument("inputs", nargs=-1, required=True, metavar="PATH|DIR|URL|FEED ...")
@click.option("--db", default=None, help=DB_HELP)
@_engine_options
@click.option("--refetch", is_flag=True, help="Fetch pages again even if fetched before.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="The summary as a line of text or as JSON.",
)
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@handle_errors
def ingest_command(
    inputs: tuple[str, ...],
    db: str | None,
    engine: str | None,
    workers: int | None,
    fetch_workers: int,
    pipeline_factory: str | None,
    refetch: bool,
    fmt: str,
    progress: bool | None,
) -> None:
    """Store articles from files, folders, web pages and RSS/Atom feeds, extracting their events.

    \b
    Files: .txt .html .json .jsonl (folders are walked); .xml/.rss/.atom files are read as feeds.
    URLs: a page is fetched and its main text read; a feed's entries are each fetched.
    Re-runnable: what is stored already is skipped (content-hash ids), so a run that was stopped or
    killed can simply be run again. Exit status 1 if any input failed (each is listed with its reason);
    stopped by SIGTERM or Ctrl-C, it finishes the article being saved, says what is left, and exits
    with 143 or 130.
    """
    from ..ingest import ingest
    from ..sources import Fetcher

    settings = _settings(db)
    store = _store(settings, create=True)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        with (
            _engine(engine, workers, pipeline_factory, settings) as eng,
            Fetcher(settings) as fetcher,
            _RichProgress(show) as bar,
            _stop_on_signals() as stop,
        ):
            summary = ingest(
                inputs,
                store,
                eng,
                fetcher=fetcher,
                settings=settings,
                fetch_workers=fetch_workers,
                progress=bar,
                refetch=refetch,
                stop=stop,
            )
    except KeyboardInterrupt:
        click.echo(
            "stopped at once: the article being saved was rolled back; run the same command again to "
            "finish (what is stored is skipped)",
            err=True,
        )
        sys.exit(130)
    finally:
        store.close()
    _print_summary(summary, fmt, click.echo if fmt == "json" else lambda s: click.echo(s, err=True))
    if summary.stopped:
        click.echo(_stopped_note(summary), err=True)
    sys.exit(_exit_code(summary))


@main.command("watch")
@click.argument("feeds", nargs=-1, required=True, metavar="FEED ...")
@click.option("--every", default="15m", show_default=True, help="How often to poll: 90s, 15m, 1h ...")
@click.option(
    "--rounds", type=int, default=None, help="Stop after this many polls (default: run until stopped)."
)
@click.option("--db", default=None, help=DB_HELP)
@_engine_options
@handle_errors
def watch_command(
    feeds: tuple[str, ...],
    every: str,
    rounds: int | None,
    db: str | None,
    engine: str | None,
    workers: int | None,
    fetch_workers: int,
    pipeline_factory: str | None,
) -> None:
    """Poll RSS/Atom feeds and ingest only their new entries, until stopped (Ctrl-C or SIGTERM).

    A feed that is down or malformed is reported for that round and tried again the next.
    """
    from ..ingest import parse_interval, watch
    from ..sources import Fetcher

    seconds = parse_interval(every)
    settings = _settings(db)
    store = _store(settings, create=True)

    def report(n: int, summary: IngestSummary) -> None:
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        click.echo(f"[{stamp}] round {n}: ", err=True, nl=False)
        _print_summary(summary, "text", lambda s: click.echo(s, err=True))

    try:
        with (
            _engine(engine, workers, pipeline_factory, settings) as eng,
            Fetcher(settings) as fetcher,
            _stop_on_signals() as stop,
        ):
            watch(
                list(feeds),
                store,
                eng,
                every=seconds,
                fetcher=fetcher,
                settings=settings,
                rounds=rounds,
                on_round=report,
                stop=stop,
                fetch_workers=fetch_workers,
            )
    finally:
        store.close()


def _change_json(change: ControlChange) -> dict[str, Any]:
    return change.model_dump(mode="json")


def _evidence_line(change: ControlChange) -> str:
    outlets = sorted({e.source or e.url or e.article_id for e in change.evidence})
    return ", ".join(outlets[:5]) + (f" (+{len(outlets) - 5})" if len(outlets) > 5 else "")


@main.command("control")
@click.argument("place", required=False)
@click.option("--at", "at", default=None, metavar="DATE", help="Who holds what on this day (YYYY-MM-DD).")
@click.option("--country", default=None, help="Only this country (ISO alpha-2), with --at.")
@click.option("--bbox", default=None, metavar="W,S,E,N", help="Only inside this box (degrees), with --at.")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@handle_errors
def control_command(
    place: str | None, at: str | None, country: str | None, bbox: str | None, db: str | None, fmt: str
) -> None:
    """Control of places over time, with the evidence.

    \b
    frontline control Hama                      the control history of Hama
    frontline control Hama --at 2024-12-06      who held Hama that day
    frontline control --at 2024-12-06 --country SY
    """
    if place is None and at is None:
        raise InputError("give a PLACE, or --at DATE (or both)")
    day = _date(at, "at")
    box = _bbox(bbox)
    country = _country(country)
    if place is not None and (country or box):
        raise InputError("--country and --bbox go with --at and no PLACE (a PLACE is one place already)")
    store = _store(_settings(db))
    try:
        if place is not None:
            changes = store.control_history(place)
            if day is not None:
                changes = [
                    c
                    for c in changes
                    if c.effective and c.date and c.date <= day and (c.until is None or c.until > day)
                ]
        else:
            assert day is not None
            changes = store.control_at(day, country=country, bbox=box, with_evidence=True)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps([_change_json(c) for c in changes], indent=2, ensure_ascii=False))
        return
    if not changes:
        click.echo("no control changes recorded" + (f" on or before {day}" if day else ""), err=True)
        return
    from rich import box as rich_box
    from rich.console import Console
    from rich.table import Table

    from .extract import terminal_width

    width = terminal_width(piped=200)  # piped: room for whole lines; a terminal: its width
    rows = []
    for c in changes:
        since = c.date.isoformat() if c.date else "?"
        if c.time_precision and c.time_precision > 1:
            since += "~w" if c.time_precision == 2 else "~m"
        rows.append(
            [
                f"{c.place.name} ({c.place.country_code or '?'})",
                c.to_actor,
                since,
                c.status,
                c.from_actor or "-",
                c.until.isoformat() if c.until else "",
                str(c.n_reports),
                _evidence_line(c),
            ]
        )
    # Dates, statuses and counts are never cut or wrapped; names and evidence wrap at word boundaries.
    columns = [
        ("place", {"ratio": 2, "overflow": "fold"}),
        ("held by", {"ratio": 3, "overflow": "fold"}),
        ("since", {"no_wrap": True, "min_width": 10}),
        ("status", {"no_wrap": True, "min_width": 9}),
        ("from", {"ratio": 3, "overflow": "fold"}),
        ("until", {"no_wrap": True, "min_width": 10}),
        ("n", {"no_wrap": True, "justify": "right"}),
        ("evidence", {"ratio": 3, "overflow": "fold"}),
    ]
    keep = [i for i, (name, _) in enumerate(columns) if name != "until" or any(r[i] for r in rows)]
    table = Table(box=rich_box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, expand=False)
    for i in keep:
        name, options = columns[i]
        table.add_column(name, **options)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*(row[i] for i in keep))
    console = Console(width=width)
    console.print(table)
    console.print(
        "since: the day control changed (~w, ~m: known to the week or month); status: confirmed, "
        "claimed (only claims), denied (does not move control), contested; from: who held it before "
        "('-': not stated); n: reports; evidence: the outlets.",
        soft_wrap=False,
        width=width,
        highlight=False,
    )


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["acled-csv", "plover-jsonl", "geojson"]),
    required=True,
    help="acled-csv: ACLED's columns; plover-jsonl: PLOVER's JSON fields; geojson: a FeatureCollection.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write here (default: standard output).",
)
@click.option("--from", "date_from", default=None, metavar="DATE", help="Events on or after this day.")
@click.option("--to", "date_to", default=None, metavar="DATE", help="Events on or before this day.")
@click.option("--country", default=None, help="ISO alpha-2 country code.")
@click.option("--bbox", default=None, metavar="W,S,E,N", help="Bounding box in degrees.")
@click.option("--actor", default=None, help="Actor name or side (case-insensitive substring).")
@click.option("--event-type", default=None, help="ACLED event type, e.g. Battles.")
@click.option("--sub-event-type", default=None, help="ACLED sub-event type, e.g. 'Air/drone strike'.")
@click.option(
    "--min-reports", type=int, default=None, help="Only events resting on this many reports or more."
)
@click.option(
    "--all",
    "include_all",
    is_flag=True,
    help="Also threats, plans, hypothetical and negated events (left out by default).",
)
@click.option(
    "--include-unlocated",
    is_flag=True,
    help="geojson: also events without coordinates, as features with null geometry (left out by "
    "default: every feature is a Point).",
)
@click.option("--db", default=None, help=DB_HELP)
@handle_errors
def export_command(
    fmt: str,
    output: str | None,
    date_from: str | None,
    date_to: str | None,
    country: str | None,
    bbox: str | None,
    actor: str | None,
    event_type: str | None,
    sub_event_type: str | None,
    min_reports: int | None,
    include_all: bool,
    include_unlocated: bool,
    db: str | None,
) -> None:
    """Write merged events as ACLED-style CSV, PLOVER JSONL or GeoJSON, with every source.

    \b
    Only what a format can hold whole is written, and the summary on standard error counts the rest
    by reason: ACLED rows need an ACLED event type, a date and a country; GeoJSON features need
    coordinates (--include-unlocated writes the others with null geometry).
    """
    if include_unlocated and fmt != "geojson":
        raise InputError("--include-unlocated is for --format geojson")
    from ..schema import ACLED_SUB_TO_TYPE, ACLED_TYPES

    # An unknown type would match nothing and write an empty file: say so instead.
    for value, allowed, name in (
        (event_type, ACLED_TYPES, "event-type"),
        (sub_event_type, ACLED_SUB_TO_TYPE, "sub-event-type"),
    ):
        if value is not None and value not in allowed:
            raise InputError(f"{value!r} is not one of {', '.join(repr(a) for a in allowed)}", field=name)
    from ..export import export
    from ..store.models import EventFilter

    filters = EventFilter(
        date_from=_date(date_from, "from"),
        date_to=_date(date_to, "to"),
        country=_country(country),
        bbox=_bbox(bbox),
        actor=actor,
        event_type=event_type,
        sub_event_type=sub_event_type,
        min_reports=min_reports,
    )
    store = _store(_settings(db))
    options = {"include_unrealised": include_all, "include_unlocated": include_unlocated}
    try:
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                summary = export(store, fmt, fh, filters, **options)
        else:
            summary = export(store, fmt, sys.stdout, filters, **options)
    finally:
        store.close()
    where = f" to {output}" if output else ""
    click.echo(summary.describe().replace(" written", f" written{where}", 1), err=True)


@main.group("db")
def db_group() -> None:
    """The database: create it, migrate it, see what it holds."""


@db_group.command("init")
@click.option("--db", default=None, help=DB_HELP)
@handle_errors
def db_init(db: str | None) -> None:
    """Create an empty database (a SQLite file and its folder, or the tables in a PostgreSQL database);
    re-runnable: an existing one is only brought up to date."""
    store = _store(_settings(db), create=True)
    try:
        stats = store.stats()
    finally:
        store.close()
    click.echo(
        f"database ready at {stats.location} (schema version {stats.schema_version}, "
        f"{stats.articles} articles)"
    )


@db_group.command("migrate")
@click.option("--db", default=None, help=DB_HELP)
@handle_errors
def db_migrate(db: str | None) -> None:
    """Bring an existing database's schema up to date (re-runnable; nothing happens when it is)."""
    from ..store.dialect import connect
    from ..store.sql import SQLStore

    store = SQLStore(connect(_settings(db).database_url(), create=False))
    try:
        applied = store.migrate()
        version = store.schema_version()
    finally:
        store.close()
    click.echo(
        f"applied migrations {applied}; schema at version {version}"
        if applied
        else f"up to date (schema version {version})"
    )


@db_group.command("info")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@handle_errors
def db_info(db: str | None, fmt: str) -> None:
    """Where the database is, its schema version, and how many articles, events and places it holds."""
    store = _store(_settings(db))
    try:
        stats = store.stats()
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(stats.model_dump(mode="json"), indent=2))
        return
    for key, value in stats.model_dump().items():
        click.echo(f"{key:>18}: {value if value is not None else '-'}")
