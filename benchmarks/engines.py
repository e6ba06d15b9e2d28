"""The engines side by side: ``local`` and ``ray`` with 1 and 2 workers over the same corpus.

    .venv/bin/python benchmarks/engines.py                # 200 articles per configuration
    .venv/bin/python benchmarks/engines.py -n 60 --configs local:1 local:2

Each configuration runs in a fresh Python process (so one's memory or Ray instance cannot colour the
next) and prints: time to the first result, articles/s end to end (start-up included: process spawn,
pipeline load and, for ray, starting a local Ray instance) and steady (first result to last), and the
peak resident memory of each worker as the workers themselves report it (``ru_maxrss``).
The corpus is ``extract_throughput.make_corpus`` (synthetic, deterministic).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from extract_throughput import make_corpus, run_frontline  # noqa: E402

DEFAULT_CONFIGS = ["local:1", "local:2", "ray:1", "ray:2"]


def run_one(engine: str, workers: int, n: int, seed: int) -> dict:
    figures = run_frontline(make_corpus(n, seed), workers, engine)
    if engine == "ray":
        import ray

        if ray.is_initialized():
            ray.shutdown()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--configs", nargs="+", default=DEFAULT_CONFIGS, metavar="ENGINE:WORKERS")
    parser.add_argument("--one", metavar="ENGINE:WORKERS", help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args()

    if args.one:
        engine, workers = args.one.split(":")
        print(json.dumps(run_one(engine, int(workers), args.articles, args.seed)))
        return

    print(f"corpus: {args.articles} synthetic articles (seed {args.seed}); one fresh process per row")
    header = (
        f"{'engine':<7}{'workers':>8}{'first (s)':>11}{'total (s)':>11}{'end-to-end/s':>14}"
        f"{'steady/s':>10}{'per CPU-s':>11}  peak MB per worker, load s per worker"
    )
    print(header)
    rows = []
    for config in args.configs:
        proc = subprocess.run(
            [sys.executable, __file__, "--one", config, "-n", str(args.articles), "--seed", str(args.seed)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            print(f"{config}: failed\n{proc.stderr[-2000:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(r)
        print(
            f"{r['engine']:<7}{r['workers']:>8}{r['first_result_s']:>11.2f}{r['total_s']:>11.2f}"
            f"{r['rate_end_to_end']:>14.2f}{r['rate_steady'] or 0:>10.2f}{r['rate_per_cpu_second']:>11.2f}"
            f"  {r['worker_peak_mb']}, {r['worker_load_s']}"
            + (f"  ({r['failed']} failed)" if r["failed"] else "")
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
