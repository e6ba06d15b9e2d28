"""Every accuracy figure Frontline has, in one run: the reading benchmark (reports, relabelled sentences and
ACLED-style notes, dev and test), PLOVER GSR, the synthetic PLOVER stories' held-out part, the Hama rules.

    .venv/bin/python benchmarks/accuracy.py            # tables, and each figure against its floor
    .venv/bin/python benchmarks/accuracy.py --json     # one JSON object (for notes and dashboards)
    .venv/bin/python benchmarks/accuracy.py --pin      # raise tests/eval/floors.json to what was measured

Pinning sets each floor 0.01 below the measured value (rounded down to 0.01) with the data's sha256; it
never lowers a floor unless given --allow-lower, because floors only go up. Test-split figures are printed
as aggregates only.
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
FLOORS = ROOT / "tests" / "eval" / "floors.json"
OUT = ROOT / "benchmarks" / "out"

# The figures of each benchmark part that get floors (dotted keys into its to_dict()).
FLOOR_KEYS = {
    "reports": (
        "control_strict.f1",
        "control_strict.precision",
        "control_place.f1",
        "genuine_capture_share",
        "events.f1",
        "acled_sub_event.weighted_f1",
        "plover_event.macro_f1",
        "modality_accuracy",
        "plover_mode_accuracy",
        "date_accuracy",
        "quotes.f1",
    ),
    "sentences": ("change_detection.f1", "change_detection.precision"),
    "notes": ("sub_event.weighted_f1", "sub_event.accuracy"),
}


def timed(label: str, func: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    print(f"[{label}: {seconds:.1f} s]", file=sys.stderr, flush=True)
    return result, seconds


def floor_of(value: float | None) -> float:
    """The floor for a measured value: 0.01 under it, rounded down to 0.01 (so 0.8106 -> 0.80)."""
    return 0.0 if value is None else max(0.0, round(math.floor(value * 100 + 1e-9) / 100 - 0.01, 2))


def dig(data: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        data = data[part]
    return data


def nest(key: str, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    cur = out
    parts = key.split(".")
    for part in parts[:-1]:
        cur = cur.setdefault(part, {})
    cur[parts[-1]] = value
    return out


def merge(a: dict[str, Any], b: dict[str, Any]) -> None:
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(a.get(k), dict):
            merge(a[k], v)
        else:
            a[k] = v


def pin_section(
    old: dict[str, Any],
    measured: dict[str, Any],
    keys: tuple[str, ...],
    *,
    allow_lower: bool,
    name: str,
    lowered: list[str],
) -> dict[str, Any]:
    same = old.get("sha256") == measured["sha256"]
    section: dict[str, Any] = {
        "sha256": measured["sha256"],
        "measured_on": dt.date.today().isoformat(),
        "measured": {},
    }
    for count in ("records", "reports", "stories", "sentences"):
        if isinstance(measured.get(count), int):
            section[count] = measured[count]
    for key in keys:
        value = dig(measured, key)
        new = floor_of(value)
        try:
            before = dig(old, key) if same else None
        except KeyError:
            before = None
        if before is not None and new < before and not allow_lower:
            lowered.append(f"{name}.{key}: measured floor {new} < pinned {before}")
            new = before
        merge(section, nest(key, new))
        section["measured"][key] = value
    return section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    parser.add_argument("--shared", type=Path, help="the shared data folder")
    parser.add_argument("--pin", action="store_true", help="raise tests/eval/floors.json to the measurement")
    parser.add_argument("--allow-lower", action="store_true", help="with --pin: let floors go down too")
    args = parser.parse_args(argv)

    import frontline
    from frontline.eval import HAMA_ARTICLE, HAMA_EXPECTED, PLOVER_GSR, shared_dir
    from frontline.eval.corpus import evaluate_corpus
    from frontline.eval.plover import evaluate_plover, write_errors
    from frontline.eval.report import check_floors
    from frontline.eval.rules import evaluate_rules
    from frontline.eval.synthetic import evaluate_synthetic

    shared = shared_dir(args.shared)
    pipeline, _ = timed("pipeline loaded", frontline.get_pipeline)
    floors = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.is_file() else {}

    corpus: dict[str, dict[str, Any]] = {}
    for part in FLOOR_KEYS:
        for split in ("dev", "test"):
            result, _ = timed(
                f"{part} {split}", lambda p=part, s=split: evaluate_corpus(p, s, pipeline=pipeline)
            )
            corpus.setdefault(part, {})[split] = result
    plover, _ = timed("PLOVER GSR", lambda: evaluate_plover(shared / PLOVER_GSR, pipeline=pipeline))
    write_errors(plover, OUT / "plover_errors.jsonl")
    synthetic, _ = timed(
        "PLOVER synthetic stories, held-out part", lambda: evaluate_synthetic(shared, pipeline=pipeline)
    )
    rules, _ = timed(
        "Hama rules", lambda: evaluate_rules(shared / HAMA_EXPECTED, shared / HAMA_ARTICLE, pipeline=pipeline)
    )

    gates: dict[str, list[str]] = {
        "plover": check_floors(plover.to_dict(), floors.get("plover", {})),
        "synthetic": check_floors(synthetic.to_dict(), floors.get("synthetic", {})),
        "hama": [f"{r.rule.label}: {r.reason}" for r in rules.failures()],
    }
    for part, splits in corpus.items():
        for split, result in splits.items():
            gates[f"corpus.{part}.{split}"] = check_floors(
                result.to_dict(), floors.get("corpus", {}).get(part, {}).get(split, {})
            )

    if args.json:
        print(
            json.dumps(
                {
                    "corpus": {p: {s: r.to_dict() for s, r in v.items()} for p, v in corpus.items()},
                    "plover": plover.to_dict(),
                    "synthetic": synthetic.to_dict(),
                    "hama": rules.to_dict(),
                    "gates": gates,
                },
                indent=2,
                default=str,
            )
        )
    else:
        for splits in corpus.values():
            for result in splits.values():
                print(result.to_table(), end="\n\n")
        print(plover.to_table(), end="\n\n")
        print(synthetic.to_table(), end="\n\n")
        print(rules.to_table(), end="\n\n")
        for name, failures in gates.items():
            print(f"gate {name}: {'ok' if not failures else f'{len(failures)} below floor / failing'}")
            for failure in failures:
                print(f"    {failure}")
    if args.pin:
        lowered: list[str] = []
        c = floors.setdefault("corpus", {})
        for part, splits in corpus.items():
            for split, result in splits.items():
                old = c.get(part, {}).get(split, {})
                c.setdefault(part, {})[split] = pin_section(
                    old,
                    result.to_dict(),
                    FLOOR_KEYS[part],
                    allow_lower=args.allow_lower,
                    name=f"corpus.{part}.{split}",
                    lowered=lowered,
                )
        floors["plover"] = pin_section(
            floors.get("plover", {}),
            plover.to_dict(),
            ("accuracy", "macro_f1"),
            allow_lower=args.allow_lower,
            name="plover",
            lowered=lowered,
        )
        floors["synthetic"] = pin_section(
            floors.get("synthetic", {}),
            synthetic.to_dict(),
            ("accuracy", "macro_f1", "mode_accuracy"),
            allow_lower=args.allow_lower,
            name="synthetic",
            lowered=lowered,
        )
        floors.pop("gold", None)  # the earlier gold file now lives in the benchmark (corpus/), re-annotated
        FLOORS.write_text(json.dumps(floors, indent=2) + "\n", encoding="utf-8")
        print(f"floors pinned in {FLOORS.relative_to(ROOT)}", file=sys.stderr)
        for line in lowered:
            print(f"    kept (would go down; --allow-lower to lower): {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
