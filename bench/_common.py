"""Helpers shared by the side-by-side suites: interleaved timing, medians, tables, JSON."""

from __future__ import annotations

import json
import os
import pathlib
import platform
import statistics
import time
from collections.abc import Callable

import torch

RESULTS = pathlib.Path(__file__).parent / "results"


def machine_info() -> dict:
    return {"machine": platform.machine(), "python": platform.python_version(),
            "torch": torch.__version__, "threads": torch.get_num_threads(),
            "cpus": os.cpu_count()}


def pyg_version() -> str | None:
    try:
        import torch_geometric
    except ImportError:
        return None
    return torch_geometric.__version__


def interleaved(steps: dict[str, Callable[[], None]], repeats: int, warmup: int = 2) -> dict[str, list[float]]:
    """Run each step ``warmup`` times, then ``repeats`` rounds of every step in turn (seconds)."""
    for step in steps.values():
        for _ in range(warmup):
            step()
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            t0 = time.perf_counter()
            step()
            times[name].append(time.perf_counter() - t0)
    return times


def summary(samples: list[float]) -> dict:
    """Median and interquartile spread in milliseconds."""
    ms = sorted(1000 * s for s in samples)
    q = statistics.quantiles(ms, n=4) if len(ms) > 1 else [ms[0]] * 3
    return {"median_ms": round(statistics.median(ms), 3), "q1_ms": round(q[0], 3),
            "q3_ms": round(q[2], 3), "n": len(ms)}


def print_table(headers: list[str], rows: list[list]) -> None:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for k, row in enumerate(cells):
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if k == 0:
            print("  ".join("-" * w for w in widths))


def write_json(name: str, payload: dict) -> pathlib.Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine_info(), **payload}, indent=2) + "\n")
    print(f"wrote {path}")
    return path
