"""Per-layer training-step time of the geode-core layer zoo next to PyTorch Geometric.

Seed workload: a random graph of 10,000 nodes / 200,000 edges with 64 features; each
layer maps 64 -> 64 channels; one step = forward + backward of ``out.square().mean()``.
Geode and PyG run interleaved in one process; medians with the interquartile spread.
Usage: python bench/layers.py [--quick] [--threads 2] [--device cuda] [--layers SGConv ...]
Writes bench/results/layers.json (layers-cuda.json on the GPU).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import statistics
import time

import torch

import geode_core.nn as gnn

#: name -> (constructor arguments, whether forward takes the features only plus edge_index)
LAYERS = {
    "SGConv": ((64, 64), {"K": 2}),
    "APPNP": ((), {"K": 5, "alpha": 0.1}),
    "TAGConv": ((64, 64), {"K": 2}),
    "ChebConv": ((64, 64), {"K": 3}),
    "LGConv": ((), {}),
    "ClusterGCNConv": ((64, 64), {}),
    "MixHopConv": ((64, 64), {"powers": [0, 1, 2]}),
    "GATConv": ((64, 16), {"heads": 4}),
    "GATv2Conv": ((64, 16), {"heads": 4}),
    "TransformerConv": ((64, 16), {"heads": 4}),
    "ResGatedGraphConv": ((64, 64), {}),
}


def _pyg_layers():
    try:
        import torch_geometric.nn as pyg
    except ImportError:
        return None
    return pyg


def _step(layer, x, edge_index) -> float:
    sync = torch.cuda.synchronize if x.is_cuda else (lambda: None)
    sync()
    t0 = time.perf_counter()
    out = layer(x, edge_index)
    out.square().mean().backward()
    sync()
    return time.perf_counter() - t0


def _summary(times: list[float]) -> dict:
    q = statistics.quantiles(times, n=4) if len(times) >= 4 else [min(times), 0, max(times)]
    return {"median_ms": round(1000 * statistics.median(times), 2),
            "iqr_ms": round(1000 * (q[2] - q[0]), 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    ap.add_argument("--layers", nargs="+", default=list(LAYERS))
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    repeats, warmup = (3, 1) if args.quick else (11, 2)
    gen = torch.Generator().manual_seed(0)
    num_nodes, num_edges = 10_000, 200_000
    edge_index = torch.randint(0, num_nodes, (2, num_edges), generator=gen).to(args.device)
    x = torch.randn(num_nodes, 64, generator=gen).to(args.device).requires_grad_()
    pyg = _pyg_layers()
    rows = []
    for name in args.layers:
        pos, kw = LAYERS[name]
        impls = {"geode": getattr(gnn, name)(*pos, **kw).to(args.device)}
        if pyg is not None:
            impls["pyg"] = getattr(pyg, name)(*pos, **kw).to(args.device)
        times: dict[str, list[float]] = {k: [] for k in impls}
        for i in range(warmup + repeats):
            for key, layer in impls.items():  # interleaved
                t = _step(layer, x, edge_index)
                if i >= warmup:
                    times[key].append(t)
        row = {"layer": name, **{f"{k}_{m}": v for k in impls for m, v in _summary(times[k]).items()}}
        if "pyg" in impls:
            row["speedup"] = round(statistics.median(times["pyg"]) / statistics.median(times["geode"]), 2)
        rows.append(row)
        print(f"{name:<18} geode {row['geode_median_ms']:>8.2f} ms (iqr {row['geode_iqr_ms']:.2f})"
              + (f"   pyg {row['pyg_median_ms']:>8.2f} ms (iqr {row['pyg_iqr_ms']:.2f})"
                 f"   pyg/geode {row['speedup']:.2f}x" if "pyg" in impls else "   (PyG not installed)"),
              flush=True)
    device = torch.cuda.get_device_name() if args.device == "cuda" else platform.processor()
    result = {"workload": {"num_nodes": num_nodes, "num_edges": num_edges, "channels": 64,
                           "step": "forward + backward"}, "device": device,
              "repeats": repeats, "threads": torch.get_num_threads(), "torch": torch.__version__,
              "pyg": None if pyg is None else __import__("torch_geometric").__version__,
              "machine": platform.machine(), "cpus": os.cpu_count(), "rows": rows}
    out_dir = pathlib.Path(__file__).parent / "results"
    out_dir.mkdir(exist_ok=True)
    path = out_dir / ("layers.json" if args.device == "cpu" else f"layers-{args.device}.json")
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
