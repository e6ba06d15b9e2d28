"""Load test of ``GET /api/events`` over a store of 100,000 events, on loopback only, bounded in time.

    .venv/bin/python benchmarks/api_load.py                 # builds benchmarks/out/load-100k.db once
    .venv/bin/python benchmarks/api_load.py --seconds 10 --concurrency 8

The database is filled through the store's ``save_analysis`` (10 events an article, 10,000 articles) with
events laid out so that none merge: 1,000 places on a half-degree grid, each with an event every ten
days. It is kept in ``benchmarks/out/`` (gitignored) and reused while it holds the expected count.

The server runs in its own process (uvicorn, one worker), so client and server do not share a GIL; the
client keeps ``--concurrency`` requests in flight for ``--seconds`` per scenario and prints requests per
second and latency percentiles, and beside them the same query's time in-process without HTTP ("store
ms"), which shows how much of the latency is the database's. Figures depend on the machine: compare runs
on the same one.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from frontline.article import Article
from frontline.schema import ACLED_TYPES, Actor, Analysis, ArticleInfo, Event, Location, Plover
from frontline.store import open_store

OUT = Path(__file__).parent / "out"
HOST = "127.0.0.1"  # loopback only, by design: this is never pointed at someone else's server
PER_ARTICLE = 10
GRID_W, GRID_H = 40, 25  # 1,000 places, half a degree apart: far beyond the 5 km merge distance
START = dt.date(2022, 1, 1)
SUBS = [(et, sub) for et, subs in ACLED_TYPES.items() for sub in subs]
SIDES = [("Government forces", "government"), ("Rebel fighters", "rebels"), ("Militia", "militia")]
WORDS = [
    "shelling",
    "clashes",
    "convoy",
    "checkpoint",
    "village",
    "bridge",
    "market",
    "airstrike",
    "protest",
    "district",
    "border",
    "outpost",
]

SCENARIOS: dict[str, dict[str, str | int]] = {
    "first page (100)": {"limit": 100},
    "deep page": {"limit": 100, "offset": 50_000},
    "country + month": {"country": "SY", "start": "2023-03-01", "end": "2023-03-31"},
    "bbox (map view)": {"bbox": "30,35,36,40", "limit": 500},
    "event type + modality": {"event_type": "Battles", "modality": "claimed"},
    "actor": {"actor": "militia", "limit": 50},
    "text search": {"q": "bridge convoy", "limit": 50},
}


def place(i: int) -> Location:
    row, col = divmod(i, GRID_W)
    country = "SY" if col < GRID_W // 2 else "IQ"
    return Location(
        name=f"Place {i}",
        geonameid=9_000_000 + i,
        lat=30.0 + row * 0.5,
        lon=20.0 + col * 0.5,
        country_code=country,
        admin1=f"Region {row // 5}",
    )


def article(n: int) -> tuple[Article, Analysis]:
    """Article n holds events k = 10n .. 10n+9; event k is at place k % 1000 on day 10 * (k // 1000)."""
    events, sentences = [], []
    text = ""
    for j in range(PER_ARTICLE):
        k = n * PER_ARTICLE + j
        p = k % (GRID_W * GRID_H)
        day = START + dt.timedelta(days=10 * (k // (GRID_W * GRID_H)))
        et, sub = SUBS[k % len(SUBS)]
        a1, s1 = SIDES[k % 3]
        a2, s2 = SIDES[(k + 1) % 3]
        loc = place(p)
        sentence = (
            f"{a1} reported {WORDS[k % len(WORDS)]} and {WORDS[(k * 7) % len(WORDS)]} near "
            f"{loc.name} on {day.isoformat()}."
        )
        start = len(text) + (1 if text else 0)
        text = f"{text} {sentence}" if text else sentence
        sentences.append(sentence)
        events.append(
            Event(
                id=f"e{j}",
                sentence=sentence,
                span=(start, start + len(sentence) - 1),
                event_type=et,
                sub_event_type=sub,
                plover=Plover(event="ASSAULT"),
                modality="claimed" if k % 5 == 0 else "asserted",
                date=day,
                time_precision=1,
                location=loc,
                actor1=Actor(text=a1, name=a1, side=s1),
                actor2=Actor(text=a2, name=a2, side=s2),
                fatalities=k % 7 or None,
                confidence=0.7,
            )
        )
    published = max(e.date for e in events if e.date) + dt.timedelta(days=1)
    art = Article(
        text=text,
        id=f"bench-{n:05d}",
        title=f"Report {n}",
        published=published,
        url=f"https://bench.invalid/{n}",
        source="Bench Wire",
    )
    info = ArticleInfo(id=art.id, title=art.title, published=published, url=art.url, source=art.source)
    return art, Analysis(article=info, events=events)


def build(path: Path, events: int) -> None:
    store = open_store(str(path))
    try:
        have = store.stats().events
        if have >= events:
            return
        articles = events // PER_ARTICLE
        first = have // PER_ARTICLE
        t0 = time.perf_counter()
        for n in range(first, articles):
            store.save_analysis(*article(n))
            if n and n % 1000 == 0:
                done = n * PER_ARTICLE
                rate = (done - have) / (time.perf_counter() - t0)
                print(f"  stored {done:,} events ({rate:,.0f}/s)", file=sys.stderr)
        print(f"built {path} in {time.perf_counter() - t0:,.0f} s", file=sys.stderr)
    finally:
        store.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    code = (
        "import uvicorn, sys; from frontline.api import create_app; from frontline.settings import Settings; "
        f"uvicorn.run(create_app(Settings(db={str(db)!r})), host={HOST!r}, port={port}, "
        "log_level='warning', access_log=False)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{port}/api/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("the server did not start")


async def hammer(
    base: str, params: dict[str, str | int], seconds: float, concurrency: int, max_requests: int
) -> tuple[list[float], int, float, int]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        total = (await client.get("/api/events", params=params)).json()["total"]  # warm the caches once

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop and len(latencies) + errors < max_requests:
                t = time.perf_counter()
                r = await client.get("/api/events", params=params)
                if r.status_code == 200:
                    latencies.append(time.perf_counter() - t)
                else:
                    errors += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    return latencies, errors, elapsed, int(total)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]
    )


def store_ms(db: Path, params: dict[str, str | int], runs: int = 3) -> float:
    """The same query without HTTP: the route's own function called in-process, median of ``runs``. The
    difference from the HTTP latency is what the web layer (and queueing behind other requests) costs."""
    from frontline.api.deps import PageParams
    from frontline.api.routes.events import list_events

    kwargs: dict[str, object] = {k: v for k, v in params.items() if k not in ("limit", "offset")}
    for key in ("start", "end"):
        if key in kwargs:
            kwargs[key] = dt.date.fromisoformat(str(kwargs[key]))
    page = PageParams(int(params.get("limit", 100)), int(params.get("offset", 0)))
    store = open_store(str(db), migrate=False)
    try:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            list_events(store, page, **kwargs)  # type: ignore[arg-type]
            times.append(time.perf_counter() - t)
            if sum(times) > 2:  # one slow query is measurement enough; keep the run bounded
                break
        return statistics.median(times) * 1000
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, default=OUT / "load-100k.db")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=8.0, help="per scenario (bounded)")
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--max-requests", type=int, default=5_000, help="per scenario (bounded)")
    args = ap.parse_args()
    if args.seconds > 60:
        raise SystemExit("--seconds is capped at 60 per scenario: this is a short, bounded test")

    args.db.parent.mkdir(parents=True, exist_ok=True)
    build(args.db, args.events)
    # Measured first, while nothing else runs: the store's share of each scenario's latency.
    in_process = {name: store_ms(args.db, params) for name, params in SCENARIOS.items()}
    port = free_port()
    server = start_server(args.db, port)
    base = f"http://{HOST}:{port}"
    try:
        stats = httpx.get(f"{base}/api/meta").json()["stats"]
        print(
            f"/api/events over {stats['events']:,} events ({stats['articles']:,} articles), "
            f"SQLite, 1 uvicorn worker, {args.concurrency} concurrent clients, "
            f"{args.seconds:g} s a scenario, "
            f"{os.cpu_count()} CPUs"
        )
        print(
            f"{'scenario':24} {'matches':>8} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'errors':>6} {'store ms':>8}"
        )
        for name, params in SCENARIOS.items():
            lat, errors, elapsed, matches = asyncio.run(
                hammer(base, params, args.seconds, args.concurrency, args.max_requests)
            )
            print(
                f"{name:24} {matches:8,} {len(lat):8,} {len(lat) / elapsed:8.1f} {pct(lat, 50) * 1000:8.1f} "
                f"{pct(lat, 95) * 1000:8.1f} {pct(lat, 99) * 1000:8.1f} {errors:6} {in_process[name]:8.1f}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
