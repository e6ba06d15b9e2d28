"""How fast is "who holds what on a date" over a large store?

Builds a synthetic store (100,000 merged events, their places, and a control timeline for the places)
with bulk inserts, then times ``control_at`` for random dates, for the whole store, for one country, and
for a bounding box; and ``control_history`` for single places. Prints median and 95th-percentile
latencies in milliseconds. The aim is under 50 ms for ``control_at``.

    python benchmarks/control_query.py                      # SQLite in a temporary folder
    python benchmarks/control_query.py --db postgresql://...  # a PostgreSQL database (tables must be empty)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sized
from pathlib import Path

from frontline.store import open_store
from frontline.store.sql import SQLStore

COUNTRIES = ["SY", "UA", "SD", "ML", "MM", "YE", "CD", "SO", "ET", "LY"]
START = dt.date(2014, 1, 1)
DAYS = 4000
SIDES = ["government", "rebels", "militia", "jihadists"]


def build(store: SQLStore, *, events: int, places: int, changes: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    place_rows = []
    for i in range(places):
        cc = COUNTRIES[i % len(COUNTRIES)]
        lat, lon = rng.uniform(-10, 50), rng.uniform(-10, 100)
        place_rows.append(
            (f"gn:{1_000_000 + i}", f"Place {i}", 1_000_000 + i, lat, lon, cc, f"Region {i % 40}")
        )
    event_rows = []
    for i in range(events):
        pid, name, gid, lat, lon, cc, admin1 = place_rows[rng.randrange(places)]
        day = (START + dt.timedelta(days=rng.randrange(DAYS))).isoformat()
        event_rows.append(
            (
                f"ev{i:018d}",
                "Battles",
                "Armed clash",
                "ASSAULT",
                "asserted",
                day,
                1,
                day,
                day,
                f'["{day}"]',
                day,
                pid,
                name,
                gid,
                lat,
                lon,
                cc,
                admin1,
                1,
                f"Actor {i % 300}",
                rng.choice(SIDES),
                f"Actor {(i + 7) % 300}",
                rng.choice(SIDES),
                rng.randrange(20),
                1,
                1,
                1,
                "[]",
                0.7,
                "A synthetic report sentence.",
                now,
                now,
            )
        )
    change_rows = []
    for i in range(changes):
        pid, name, gid, lat, lon, cc, admin1 = place_rows[i % places]
        day = (START + dt.timedelta(days=rng.randrange(DAYS))).isoformat()
        status = rng.choice(["confirmed", "confirmed", "claimed", "contested", "denied"])
        rank = {"confirmed": 0, "contested": 1, "claimed": 2, "denied": 3}[status]
        change_rows.append(
            (
                f"cc{i:018d}",
                pid,
                day,
                1,
                f"Actor {i % 300}",
                rng.choice(SIDES),
                f"Actor {(i + 1) % 300}",
                rng.choice(SIDES),
                status,
                rank,
                0 if status == "denied" else 1,
                1,
                cc,
                lat,
                lon,
                now,
            )
        )
    db = store.db
    with db.transaction():
        db.executemany(
            "INSERT INTO places (id, name, geonameid, lat, lon, country_code, admin1) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            place_rows,
        )
        db.executemany(
            "INSERT INTO events (id, event_type, sub_event_type, plover_event, modality, date, "
            "time_precision, date_min, date_max, dates_reported, published, place_id, location, geonameid, "
            "lat, lon, country_code, admin1, geo_precision, actor1, actor1_side, actor2, actor2_side, "
            "fatalities, n_reports, n_articles, n_outlets, outlets, confidence, notes, created_at, "
            "updated_at) "
            "VALUES (" + ", ".join("?" * 32) + ")",
            event_rows,
        )
        db.executemany(
            "INSERT INTO control_changes (id, place_id, date, time_precision, to_actor, to_side, from_actor, "
            "from_side, status, status_rank, effective, n_reports, country_code, lat, lon, updated_at) "
            "VALUES "
            "(" + ", ".join("?" * 16) + ")",
            change_rows,
        )
    store.rebuild_timeline()  # bulk rows bypass save_analysis, which keeps the timeline as it goes
    if store.backend == "sqlite":
        db.execute("ANALYZE")
    else:
        db.execute("ANALYZE places")
        db.execute("ANALYZE events")
        db.execute("ANALYZE control_changes")


def timed(fn: Callable[[], Sized], runs: int) -> dict[str, float | int]:
    """Wall-clock median and 95th percentile, and the median CPU time of this process (which a busy
    shared machine inflates far less than the wall clock)."""
    wall, cpu, size = [], [], 0
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        size = len(fn())
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    wall.sort()
    return {
        "median_ms": round(statistics.median(wall), 2),
        "p95_ms": round(wall[int(0.95 * (len(wall) - 1))], 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "rows": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="database (default: a new SQLite file in a temporary folder)")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=5_000)
    parser.add_argument("--changes", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or str(Path(tmp) / "bench.db")
        store = open_store(url)
        assert isinstance(store, SQLStore)
        t = time.perf_counter()
        build(store, events=args.events, places=args.places, changes=args.changes)
        build_s = time.perf_counter() - t
        rng = random.Random(1)

        def day() -> dt.date:
            return START + dt.timedelta(days=rng.randrange(DAYS))

        figures = {
            "backend": store.backend,
            "events": args.events,
            "places": args.places,
            "control_changes": args.changes,
            "build_seconds": round(build_s, 2),
        }
        queries: list[tuple[str, Callable[[], Sized]]] = [
            ("control_at_all", lambda: store.control_at(day())),
            ("control_at_country", lambda: store.control_at(day(), country="SY")),
            ("control_at_bbox", lambda: store.control_at(day(), bbox=(20.0, 10.0, 40.0, 30.0))),
            (
                "control_history_place",
                lambda: store.control_history(f"gn:{1_000_000 + rng.randrange(args.places)}"),
            ),
            ("list_events_country_month", lambda: store.list_events(_month_filter(day())).items),
        ]
        for label, fn in queries:
            figures[label] = timed(fn, args.runs)
        store.close()

    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"{figures['backend']}: {args.events:,} events, {args.places:,} places, {args.changes:,} control "
        f"changes (built in {build_s:.1f} s)"
    )
    for key, value in figures.items():
        if isinstance(value, dict):
            print(
                f"  {key:<26} median {value['median_ms']:8.2f} ms   p95 {value['p95_ms']:8.2f} ms   "
                f"cpu {value['cpu_median_ms']:7.2f} ms   ({value['rows']} rows)"
            )


def _month_filter(start: dt.date) -> object:
    from frontline.store import EventFilter

    return EventFilter(country="SY", date_from=start, date_to=start + dt.timedelta(days=30))


if __name__ == "__main__":
    main()
