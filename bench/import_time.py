"""How much ``import geode`` (and first namespace use) adds over ``import torch``.

Runs each statement in fresh interpreters, interleaved, and prints medians with spread.
Usage: python bench/import_time.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import subprocess
import sys
import time

CASES = {
    "import torch": "import torch",
    "import torch, geode": "import torch, geode",
    "geode.nn.aggr.SumAggregation": "import torch, geode; geode.nn.aggr.SumAggregation",
}


def time_once(statement: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.repeats):
        for name, statement in CASES.items():
            samples[name].append(time_once(statement))
    base = statistics.median(samples["import torch"])
    rows = []
    print(f"{'case':32} {'median ms':>10} {'IQR ms':>8} {'over torch ms':>14}")
    for name, values in samples.items():
        q1, _, q3 = statistics.quantiles(values, n=4)
        median = statistics.median(values)
        rows.append({"case": name, "median_ms": median * 1e3, "iqr_ms": (q3 - q1) * 1e3,
                     "over_torch_ms": (median - base) * 1e3})
        print(f"{name:32} {median*1e3:10.1f} {(q3-q1)*1e3:8.1f} {(median-base)*1e3:14.1f}")
    out = pathlib.Path(__file__).parent / "results" / "import_time.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
