"""Aggregations: forward + backward, Geode vs PyG side by side.

200,000 messages (64 channels, requiring grad) into 10,000 destinations, ``dim_size`` given to
both, in two calls: ``(x, index)`` with the index sorted by destination (PyG's usual call, the
path the targets are judged on) and ``(x, ptr=ptr)`` with CSR pointers. Every aggregation of
both libraries is timed in interleaved rounds with the same constructor arguments; medians
with quartiles; ratio = PyG / Geode. Peak memory is not reported (no cheap CPU counter).
Usage: python bench/aggr.py [--quick] [--repeats N] [--threads T] [--only NAME ...]
       [--paths index ptr]
Writes bench/results/aggr.json (aggr-quick.json with --quick).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(__file__))
from _common import interleaved, print_table, pyg_version, summary, write_json

NUM_MESSAGES, NUM_SEGMENTS, CHANNELS = 200_000, 10_000, 64
SLOW_S = 1.0  # a step slower than this is timed once, on the index path only


def catalogue(deg: torch.Tensor) -> dict:
    """name -> (constructor name, args, kwargs), with fresh modules on every call."""
    c = CHANNELS

    def mlp():
        return torch.nn.Linear(c, c)

    return {
        "sum": ("SumAggregation", (), {}),
        "mean": ("MeanAggregation", (), {}),
        "max": ("MaxAggregation", (), {}),
        "min": ("MinAggregation", (), {}),
        "mul": ("MulAggregation", (), {}),
        "multi[sum,mean,std]": ("MultiAggregation", (["sum", "mean", "std"],), {}),
        "var": ("VarAggregation", (), {}),
        "std": ("StdAggregation", (), {}),
        "softmax(learn)": ("SoftmaxAggregation", (), {"learn": True}),
        "power_mean(learn)": ("PowerMeanAggregation", (), {"learn": True}),
        "variance_preserving": ("VariancePreservingAggregation", (), {}),
        "median": ("MedianAggregation", (), {}),
        "quantile(0.25)": ("QuantileAggregation", ([0.25],), {}),
        # a list: PyG 2.8 reads a scaler list given with a single aggregation name as one scaler
        "degree_scaler": ("DegreeScalerAggregation", (["mean"], ["identity", "amplification"], deg), {}),
        "sort(k=4)": ("SortAggregation", (4,), {}),
        "attentional": ("AttentionalAggregation", (), {"gate_nn": torch.nn.Linear(c, 1), "nn": mlp()}),
        "deep_sets": ("DeepSetsAggregation", (), {"local_nn": mlp(), "global_nn": mlp()}),
        "set2set": ("Set2Set", (c, 2), {}),
        "lstm": ("LSTMAggregation", (c, c), {}),
        "gru": ("GRUAggregation", (c, c), {}),
        "mlp": ("MLPAggregation", (c, c, int(deg.nonzero().max()) + 1), {"num_layers": 1}),
        "set_transformer": ("SetTransformerAggregation", (c,), {}),
        "graph_multiset_transformer": ("GraphMultisetTransformer", (c, 4), {}),
        "equilibrium": ("EquilibriumAggregation", (c, c, [32, 32]), {"grad_iter": 3}),
        "lcm": ("LCMAggregation", (c, c), {}),
        "patch_transformer": ("PatchTransformerAggregation", (c, c, 8, c), {}),
    }


def resolve(lib: str, cls_name: str):
    if lib == "geode":
        import geode_aggr
        import geode_core.nn.aggr as core

        return getattr(core, cls_name, None) or getattr(geode_aggr, cls_name, None)
    import torch_geometric.nn.aggr as pyg

    return getattr(pyg, cls_name, None)


#: the issue's targets: PyG / Geode at least this much on the index path (1.0 for the rest)
TARGETS = {"sum": 2.0, "mean": 2.0, "max": 2.0, "min": 2.0, "multi[sum,mean,std]": 2.0}


def make_step(module, x, index, ptr):
    def step():
        module.zero_grad(set_to_none=True)
        x.grad = None
        if ptr is None:
            out = module(x, index, dim_size=NUM_SEGMENTS)
        else:
            out = module(x, ptr=ptr, dim_size=NUM_SEGMENTS)
        out.sum().backward()
    return step


def runnable(step) -> float | None:
    """Seconds one call took (the warm-up), or None where a library does not support the
    call (PyG's dense aggregations need index)."""
    t0 = time.perf_counter()
    try:
        step()
    except (NotImplementedError, RuntimeError, ValueError):
        return None
    return time.perf_counter() - t0


def measure(name: str, libs: list[str], deg, x, index, ptr, repeats: int) -> dict:
    """Medians of interleaved rounds for every library that runs the call (one round for a
    step slower than ``SLOW_S``; then ``entry["slow"]``)."""
    steps, first = {}, []
    for lib in libs:
        torch.manual_seed(0)
        cls_name, a, kw = catalogue(deg)[name]
        cls = resolve(lib, cls_name)
        if cls is not None:
            step = make_step(cls(*a, **kw), x, index, ptr)
            took = runnable(step)
            if took is not None:
                steps[lib] = step
                first.append(took)
    slow = max(first) > SLOW_S
    times = interleaved(steps, 1 if slow else repeats, warmup=0)
    entry = {lib: summary(t) for lib, t in times.items()}
    entry["ratio"] = (round(entry["pyg"]["median_ms"] / entry["geode"]["median_ms"], 2)
                      if "pyg" in entry and "geode" in entry else None)
    entry["slow"] = slow
    return entry


def cells(entry: dict, libs: list[str]) -> list[str]:
    row = [f"{entry[lib]['median_ms']:.1f} [{entry[lib]['q1_ms']:.1f}-{entry[lib]['q3_ms']:.1f}]"
           if lib in entry else "-" for lib in libs]
    return [*row, f"{entry['ratio']:.2f}x" if entry.get("ratio") else "-"]


def verdict(name: str, entry: dict) -> str:
    if entry.get("ratio") is None:
        return "geode only" if "pyg" not in entry else "-"
    need = TARGETS.get(name, 1.0)
    return f"{'met' if entry['ratio'] >= need else 'MISSED'} (>= {need:g}x)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3 repeats")
    ap.add_argument("--repeats", type=int, default=None)
    ap.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0: torch's default)")
    ap.add_argument("--only", nargs="+", default=None, help="aggregation names to run")
    ap.add_argument("--paths", nargs="+", default=["index", "ptr"], choices=["index", "ptr"],
                    help="call with a sorted index, with CSR pointers, or both")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    pyg = pyg_version()
    libs = ["geode"] + (["pyg"] if pyg else [])
    repeats = args.repeats or (3 if args.quick else 5)
    gen = torch.Generator().manual_seed(0)
    index = torch.sort(torch.randint(0, NUM_SEGMENTS, (NUM_MESSAGES,), generator=gen)).values
    counts = torch.bincount(index, minlength=NUM_SEGMENTS)
    ptr = torch.cat([counts.new_zeros(1), counts.cumsum(0)])
    x = torch.randn(NUM_MESSAGES, CHANNELS, generator=gen, requires_grad=True)
    deg = torch.bincount(counts)
    names = [n for n in catalogue(deg) if not args.only or n in args.only]
    results: dict[str, dict] = {path: {} for path in args.paths}
    rows = []
    for name in names:
        row, slow = [name], False
        for path in args.paths:
            if slow:  # the dense models turn ptr into an index first: the same path again
                row += ["-"] * (len(libs) + 1)
                continue
            entry = measure(name, libs, deg, x, index, ptr if path == "ptr" else None, repeats)
            results[path][name] = entry
            slow = entry["slow"]
            row += cells(entry, libs)
        rows.append([*row, verdict(name, results[args.paths[0]][name])])
        print(" | ".join(rows[-1]), flush=True)
    print(f"\naggregation forward+backward, {NUM_MESSAGES:,} messages -> {NUM_SEGMENTS:,} "
          f"destinations, {CHANNELS} channels, {repeats} interleaved rounds (one, and no ptr path, "
          f"for steps over {SLOW_S:g} s), {torch.get_num_threads()} threads, PyG {pyg or '-'}; ratio = PyG / Geode; "
          f"target judged on the {args.paths[0]} path")
    headers = ["aggregation"]
    for path in args.paths:
        headers += [f"{lib} {path} ms [q1-q3]" for lib in libs] + [f"{path} ratio"]
    print_table([*headers, "target"], rows)
    write_json("aggr-quick" if args.quick else "aggr", {
        "workload": {"num_messages": NUM_MESSAGES, "num_segments": NUM_SEGMENTS,
                     "channels": CHANNELS, "repeats": repeats,
                     "index": "sorted index, dim_size given",
                     "ptr": "CSR pointers, dim_size given (PyG's dense aggregations need index: -)"},
        "pyg": pyg, "targets": TARGETS,
        "results": results.get("index", {}), "results_ptr": results.get("ptr", {})})


if __name__ == "__main__":
    main()
