"""Every accuracy figure Frontline has, in one run: PLOVER GSR, the gold JSONL, the Hama rules, places.

    .venv/bin/python benchmarks/accuracy.py            # tables, and each figure against its floor
    .venv/bin/python benchmarks/accuracy.py --json     # one JSON object (for notes and dashboards)
    .venv/bin/python benchmarks/accuracy.py --pin      # raise tests/eval/floors.json to what was measured

Pinning sets each floor 0.01 below the measured value (rounded down to 0.01) and the corpus hashes; it never
lowers a floor unless given --allow-lower, because floors only go up.

The PLOVER misclassifications go to benchmarks/out/plover_errors.jsonl (git-ignored), one record a line
with the extractor's events, for error analysis. The shared data is found as the tests find it
($FRONTLINE_SHARED, else ../shared beside the repository).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "eval" / "gold.jsonl"
FLOORS = ROOT / "tests" / "eval" / "floors.json"
OUT = ROOT / "benchmarks" / "out"


def timed(label: str, func: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    print(f"[{label}: {seconds:.1f} s]", file=sys.stderr, flush=True)
    return result, seconds


def floor_of(value: float | None) -> float:
    """The floor for a measured value: 0.01 under it, rounded down to 0.01 (so 0.8106 -> 0.80)."""
    return 0.0 if value is None else max(0.0, round(math.floor(value * 100 + 1e-9) / 100 - 0.01, 2))


def pin(
    floors: dict[str, Any], plover: dict[str, Any], gold: dict[str, Any], *, allow_lower: bool
) -> list[str]:
    """Update ``floors`` in place from the measured reports; returns the floors that would go down."""
    lowered: list[str] = []
    today = dt.date.today().isoformat()

    def keep(name: str, old: float | None, new: float) -> float:
        if old is not None and new < old and not allow_lower:
            lowered.append(f"{name}: measured floor {new} < pinned {old}")
            return old
        return new

    p = floors.setdefault("plover", {})
    same_corpus = p.get("sha256") == plover["sha256"]
    p.update(
        {
            "corpus": "shared/data/plover-gsr/PLOVER_GSR_CAMEO.json",
            "sha256": plover["sha256"],
            "records": plover["records"],
            "measured_on": today,
            "measured": {"accuracy": plover["accuracy"], "macro_f1": plover["macro_f1"]},
        }
    )
    for key in ("accuracy", "macro_f1"):
        p[key] = keep(f"plover.{key}", p.get(key) if same_corpus else None, floor_of(plover[key]))
    g = floors.setdefault("gold", {})
    same_corpus = g.get("sha256") == gold["sha256"]
    old_parts = g.get("parts", {}) if same_corpus else {}
    g.update(
        {
            "corpus": "tests/data/eval/gold.jsonl",
            "sha256": gold["sha256"],
            "measured_on": today,
            "measured": {k: v["f1"] for k, v in gold["parts"].items()},
        }
    )
    g["parts"] = {
        k: {"f1": keep(f"gold.{k}.f1", old_parts.get(k, {}).get("f1"), floor_of(v["f1"]))}
        for k, v in gold["parts"].items()
    }
    return lowered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    parser.add_argument("--shared", type=Path, help="the shared data folder")
    parser.add_argument("--geo-gold", type=Path, help="a gold toponym JSONL for frontline.eval.geo")
    parser.add_argument("--pin", action="store_true", help="raise tests/eval/floors.json to the measurement")
    parser.add_argument("--allow-lower", action="store_true", help="with --pin: let floors go down too")
    args = parser.parse_args(argv)

    import frontline
    from frontline.eval import HAMA_ARTICLE, HAMA_EXPECTED, PLOVER_GSR, UCDP_SAMPLE, shared_dir
    from frontline.eval.gold import evaluate_gold
    from frontline.eval.plover import evaluate_plover, write_errors
    from frontline.eval.report import check_floors
    from frontline.eval.rules import evaluate_rules

    shared = shared_dir(args.shared)
    pipeline, load_s = timed("pipeline loaded", frontline.get_pipeline)
    floors = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.is_file() else {}

    plover, plover_s = timed("PLOVER GSR", lambda: evaluate_plover(shared / PLOVER_GSR, pipeline=pipeline))
    errors_path = OUT / "plover_errors.jsonl"
    n_errors = write_errors(plover, errors_path)
    gold, gold_s = timed("gold JSONL", lambda: evaluate_gold(GOLD, pipeline=pipeline))
    rules, rules_s = timed(
        "Hama rules",
        lambda: evaluate_rules(shared / HAMA_EXPECTED, shared / HAMA_ARTICLE, pipeline=pipeline),
    )

    geo: dict[str, Any] = {}
    try:
        from frontline.eval import geo as geo_eval
    except ImportError as exc:
        geo["error"] = f"frontline.eval.geo not available: {exc}"
    else:
        geo["ucdp"], _ = timed(
            "UCDP places",
            lambda: geo_eval.evaluate_ucdp(shared / UCDP_SAMPLE, pipeline.resources.gazetteer),
        )
        if args.geo_gold:
            geo["gold"], _ = timed("geo gold", lambda: geo_eval.evaluate_geo(args.geo_gold, pipeline))

    gates = {
        "plover": check_floors(plover.to_dict(), floors.get("plover", {})),
        "gold": check_floors(gold.to_dict(), floors.get("gold", {})),
        "hama": [f"{r.rule.label}: {r.reason}" for r in rules.failures()],
    }
    seconds = {"load": load_s, "plover": plover_s, "gold": gold_s, "hama": rules_s}

    if args.json:
        print(
            json.dumps(
                {
                    "plover": plover.to_dict(),
                    "gold": gold.to_dict(),
                    "hama": rules.to_dict(),
                    "geo": geo,
                    "gates": gates,
                    "seconds": {k: round(v, 2) for k, v in seconds.items()},
                },
                indent=2,
                default=str,
            )
        )
    else:
        print(plover.to_table(), end="\n\n")
        print(gold.to_table(), end="\n\n")
        print(rules.to_table(), end="\n\n")
        for name, result in geo.items():
            print(f"geo {name}: {json.dumps(result, default=str)[:2000]}", end="\n\n")
        print(f"{n_errors} PLOVER misclassifications written to {errors_path.relative_to(ROOT)}")
        for name, failures in gates.items():
            verdict = "ok" if not failures else f"{len(failures)} below floor / failing"
            print(f"gate {name}: {verdict}")
            for failure in failures:
                print(f"    {failure}")
    if args.pin:
        lowered = pin(floors, plover.to_dict(), gold.to_dict(), allow_lower=args.allow_lower)
        FLOORS.write_text(json.dumps(floors, indent=2) + "\n", encoding="utf-8")
        print(f"floors pinned in {FLOORS.relative_to(ROOT)}", file=sys.stderr)
        for line in lowered:
            print(f"    kept (would go down; --allow-lower to lower): {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
