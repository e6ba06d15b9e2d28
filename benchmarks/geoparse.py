"""Geoparser benchmark: index load time, the index's memory, and resolutions per second.

    .venv/bin/python benchmarks/geoparse.py [--seconds 2] [--index PATH]

Resolutions are ``frontline.gazetteer.resolve.resolve`` calls (name -> ranked GeoNames candidates -> one
place) with an article context, over place names taken from the UCDP GED sample's descriptions (words
that start with a capital letter). "cold" counts names the process has not looked up before (SQLite
queries); "warm" repeats them, as a corpus does (the index keeps per-process caches).
Prints one JSON object. Short on purpose: the machine is shared.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The shared data as the tests find it: $FRONTLINE_SHARED, else ../shared beside the repository.
SHARED = Path(os.environ.get("FRONTLINE_SHARED") or ROOT.parent / "shared")
UCDP = SHARED / "data" / "ucdp-ged-sample" / "ucdp_ged_23_1_sample_1000.csv"


def rss_mb() -> float:
    """Resident memory of this process (Linux /proc), in MB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def names_from_ucdp(path: Path) -> list[str]:
    words: list[str] = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            words += re.findall(r"\b[A-Z][\w'’-]{2,}(?: [A-Z][\w'’-]{2,})?", row["where_description"])
    return list(dict.fromkeys(words))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time spent on each throughput run")
    parser.add_argument("--index", type=Path, help="index file (default: the settings' gazetteer file)")
    args = parser.parse_args()

    from frontline.gazetteer import GeoNamesIndex, open_gazetteer
    from frontline.gazetteer.resolve import Context, resolve
    from frontline.settings import get_settings

    base = rss_mb()
    t0 = time.perf_counter()
    gaz = GeoNamesIndex(args.index) if args.index else open_gazetteer(get_settings())
    first = gaz.candidates("Hama")  # opening is lazy: the first query opens the file
    load_s = time.perf_counter() - t0
    assert first, "the index answers nothing: is it built?"

    names = names_from_ucdp(UCDP) if UCDP.exists() else ["Hama", "Aleppo", "Kyiv", "Kharkiv", "Homs"]
    ctx = Context()
    ctx.countries["SY"] += 3.0
    ctx.countries["UA"] += 1.0

    # Cold: every name for the first time (SQLite lookups through the index's key tables).
    t = time.perf_counter()
    for name in names:
        resolve(gaz, name, ctx)
    cold = len(names) / (time.perf_counter() - t)

    # Warm: a corpus repeats its names; the candidates come from the per-process cache.
    n, t = 0, time.perf_counter()
    while time.perf_counter() - t < args.seconds:
        for name in names:
            resolve(gaz, name, ctx)
        n += len(names)
    warm = n / (time.perf_counter() - t)

    size = Path(gaz.path).stat().st_size
    print(
        json.dumps(
            {
                "index_file_mb": round(size / 2**20, 1),
                "index_load_s": round(load_s, 3),
                "distinct_names": len(names),
                "resolutions_per_s_cold": round(cold),
                "resolutions_per_s_warm": round(warm),
                "rss_mb_before_index": round(base, 1),
                "rss_mb_after": round(rss_mb(), 1),
                "index_memory_mb": round(rss_mb() - base, 1),
                "pid": os.getpid(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
