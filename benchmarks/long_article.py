"""Extraction time of one long article against its length: the cost must grow linearly.

    .venv/bin/python benchmarks/long_article.py                      # 10, 50, 100, 200, 400 KB
    .venv/bin/python benchmarks/long_article.py --sizes 10,40 --repeat 1
    .venv/bin/python benchmarks/long_article.py --stages             # time per stage as well

Each article is built by joining paragraphs of the throughput benchmark's synthetic reports
(``extract_throughput.make_corpus``: several wars, real places and actors, quotes, dates) until it
reaches the size; every size starts with the same paragraphs, so a longer one only adds text. The
pipeline is loaded (and warmed) before timing. Prints per size the seconds (best of ``--repeat``, CPU
time of this process, so other work on a shared machine disturbs it less), seconds per KB, and that
figure as a ratio to the smallest size's: flat (about 1) is linear, a quadratic step doubles it with
every doubling of length. Exit status 1 if the largest ratio is over ``--max-ratio`` (1.5).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT / "src", ROOT / "benchmarks"):
    if str(extra) not in sys.path:  # run from a checkout without installing
        sys.path.insert(0, str(extra))


def long_text(n_bytes: int, seed: int = 7) -> str:
    """A report of about ``n_bytes`` UTF-8 bytes from varied synthetic paragraphs (deterministic)."""
    from extract_throughput import make_corpus

    paragraphs: list[str] = []
    size = 0
    batch = 0
    while size < n_bytes:
        for record in make_corpus(50, seed=seed + batch):
            for para in record["text"].split("\n\n")[1:]:  # the headline has no full stop: skip it
                paragraphs.append(para)
                size += len(para.encode("utf-8")) + 2
                if size >= n_bytes:
                    break
            if size >= n_bytes:
                break
        batch += 1
    return "\n\n".join(paragraphs)


def time_one(pipeline: object, text: str, *, stages: bool) -> tuple[float, dict[str, float]]:
    from frontline.article import from_text
    from frontline.pipeline.base import State
    from frontline.pipeline.output import to_analysis

    article = from_text(text, published="2024-12-06")
    per_stage: dict[str, float] = {}
    start = time.process_time()
    if stages:
        state = State(article=article, text=article.text)
        for stage in pipeline.stages:  # type: ignore[attr-defined]
            t = time.process_time()
            stage(state)
            per_stage[stage.name] = time.process_time() - t
        to_analysis(state)
    else:
        pipeline(article)  # type: ignore[operator]
    return time.process_time() - start, per_stage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,50,100,200,400", help="KB, comma-separated")
    parser.add_argument("--repeat", type=int, default=2, help="runs per size (the best is kept)")
    parser.add_argument("--stages", action="store_true", help="also print seconds per stage")
    parser.add_argument("--max-ratio", type=float, default=1.5)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    from frontline import get_pipeline

    t0 = time.perf_counter()
    pipeline = get_pipeline()
    time_one(pipeline, long_text(5_000), stages=False)  # load and warm outside the timing
    load = time.perf_counter() - t0

    rows = []
    for kb in sizes:
        text = long_text(kb * 1000)
        runs = [time_one(pipeline, text, stages=args.stages) for _ in range(max(1, args.repeat))]
        best, per_stage = min(runs, key=lambda r: r[0])
        rows.append({"kb": kb, "bytes": len(text.encode()), "seconds": best, "stages": per_stage})
    base = rows[0]["seconds"] / rows[0]["bytes"]
    for row in rows:
        row["s_per_kb"] = row["seconds"] / row["bytes"] * 1000
        row["ratio"] = (row["seconds"] / row["bytes"]) / base
    worst = max(r["ratio"] for r in rows)
    if args.json:
        print(json.dumps({"load_seconds": load, "rows": rows, "max_ratio": worst}, indent=2))
    else:
        print(f"pipeline load and warm-up: {load:.1f} s (CPU seconds below, best of {args.repeat})")
        print(f"{'KB':>6} {'seconds':>9} {'s/KB':>8} {'ratio':>6}")
        for row in rows:
            print(f"{row['kb']:>6} {row['seconds']:>9.2f} {row['s_per_kb']:>8.4f} {row['ratio']:>6.2f}")
            if row["stages"]:
                print("        " + "  ".join(f"{k} {v:.2f}" for k, v in row["stages"].items()))
        verdict = "linear" if worst <= args.max_ratio else "NOT linear"
        print(
            f"largest ratio of time per KB to the smallest size's: {worst:.2f} ({verdict}, "
            f"limit {args.max_ratio})"
        )
    sys.exit(0 if worst <= args.max_ratio else 1)


if __name__ == "__main__":
    main()
