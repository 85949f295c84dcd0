"""Aggregations: forward + backward, Geode vs PyG side by side.

200,000 messages (64 channels, requiring grad) into 10,000 destinations, index sorted by
destination and ``dim_size`` given to both. Each aggregation of both libraries is timed in
interleaved rounds; medians with quartiles; ratio = PyG / Geode.
Usage: python bench/aggr.py [--quick] [--repeats N] [--threads T] [--only NAME ...]
Writes bench/results/aggr.json.
"""

from __future__ import annotations

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from _common import interleaved, print_table, pyg_version, summary, write_json

NUM_MESSAGES, NUM_SEGMENTS, CHANNELS = 200_000, 10_000, 64


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
        "degree_scaler": ("DegreeScalerAggregation", ("mean", ["identity", "amplification"], deg), {}),
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


def make_step(module, x, index):
    def step():
        module.zero_grad(set_to_none=True)
        x.grad = None
        out = module(x, index, dim_size=NUM_SEGMENTS)
        out.sum().backward()
    return step


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3 repeats")
    ap.add_argument("--repeats", type=int, default=None)
    ap.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0: torch's default)")
    ap.add_argument("--only", nargs="+", default=None, help="aggregation names to run")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    pyg = pyg_version()
    libs = ["geode"] + (["pyg"] if pyg else [])
    repeats = args.repeats or (3 if args.quick else 11)
    gen = torch.Generator().manual_seed(0)
    index = torch.sort(torch.randint(0, NUM_SEGMENTS, (NUM_MESSAGES,), generator=gen)).values
    x = torch.randn(NUM_MESSAGES, CHANNELS, generator=gen, requires_grad=True)
    deg = torch.bincount(torch.bincount(index, minlength=NUM_SEGMENTS))
    rows, results = [], {}
    for name in catalogue(deg):
        if args.only and name not in args.only:
            continue
        steps = {}
        for lib in libs:
            torch.manual_seed(0)
            cls_name, a, kw = catalogue(deg)[name]
            cls = resolve(lib, cls_name)
            if cls is not None:
                steps[lib] = make_step(cls(*a, **kw), x, index)
        times = interleaved(steps, repeats, warmup=1)
        entry = {lib: summary(t) for lib, t in times.items()}
        entry["ratio"] = (round(entry["pyg"]["median_ms"] / entry["geode"]["median_ms"], 2)
                          if "pyg" in entry and "geode" in entry else None)
        results[name] = entry
        row = [name] + [f"{entry[lib]['median_ms']:.1f} [{entry[lib]['q1_ms']:.1f}-{entry[lib]['q3_ms']:.1f}]"
                        if lib in entry else "-" for lib in libs]
        rows.append(row + ([f"{entry['ratio']:.2f}x" if entry["ratio"] else "-"] if pyg else []))
        print(" ".join(str(c) for c in rows[-1]), flush=True)
    print(f"\naggregation forward+backward, {NUM_MESSAGES:,} messages -> {NUM_SEGMENTS:,} "
          f"destinations, {CHANNELS} channels, {repeats} interleaved rounds, "
          f"{torch.get_num_threads()} threads, PyG {pyg or '-'}")
    print_table(["aggregation"] + [f"{lib} ms [q1-q3]" for lib in libs] + (["PyG/Geode"] if pyg else []),
                rows)
    write_json("aggr-quick" if args.quick else "aggr", {
        "workload": {"num_messages": NUM_MESSAGES, "num_segments": NUM_SEGMENTS,
                     "channels": CHANNELS, "repeats": repeats, "index": "sorted, dim_size given"},
        "pyg": pyg, "results": results})


if __name__ == "__main__":
    main()
