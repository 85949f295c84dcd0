"""Neighbour-sampling throughput of geode-sampler on a synthetic power-law graph.

Measures the NeighborLoader (features sliced, 16 per node) on 0, 1 and 2 worker
processes and the tensor-level NeighborSampler alone: sampled edges/s, batches/s, nodes
per batch and peak memory, as medians over interleaved repeats with their spread.

Sizes: ``--quick`` 50,000 nodes / 1,000,000 edges; default 100,000 / 2,000,000;
``--full`` 1,000,000 / 20,000,000 (the size of the PyG 2.8 + torch-sparse reference in
PERFORMANCE-NOTES: 2.8 batches/s, 0.46 M sampled edges/s, ~153k nodes per batch).
PyG's NeighborLoader needs pyg-lib or torch-sparse; it runs side by side when one is
installed, otherwise the table compares with the reference figure.
Usage: python bench/sampler.py [--quick | --full] [--batches 12] [--repeats 3] [--workers 0 1 2]
Writes bench/results/sampler[-quick|-full].json.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import resource
import statistics
import time

import torch

from geode_core.data import Data
from geode_sampler import NeighborLoader, NeighborSampler

#: PyG 2.8 + torch-sparse 0.6.18 on this project's 2-core machine, 1M nodes / 20M edges.
REFERENCE_EDGES_PER_S_M = 0.46
WARMUP_BATCHES = 2


def power_law_graph(num_nodes: int, num_edges: int, alpha: float, seed: int) -> torch.Tensor:
    """Chung-Lu style: both endpoints drawn with probability ~ rank^-alpha (continuous
    inverse CDF, so generation is one elementwise pass); hubs get random ids."""
    gen = torch.Generator().manual_seed(seed)

    def draw() -> torch.Tensor:
        u = torch.rand(num_edges, generator=gen, dtype=torch.float64)
        if alpha == 1.0:
            r = torch.exp(u * torch.log(torch.tensor(num_nodes + 1.0, dtype=torch.float64)))
        else:
            a = 1.0 - alpha
            r = ((float(num_nodes + 1) ** a - 1.0) * u + 1.0) ** (1.0 / a)
        return (r.long() - 1).clamp_(0, num_nodes - 1)

    relabel = torch.randperm(num_nodes, generator=gen)
    return torch.stack([relabel[draw()], relabel[draw()]])


def peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def pyg_loader_available() -> str | None:
    """Why PyG's NeighborLoader cannot run here (None when it can)."""
    try:
        import torch_geometric  # noqa: F401
    except ImportError:
        return "torch_geometric not installed"
    try:
        import pyg_lib  # noqa: F401
        return None
    except ImportError:
        pass
    try:
        import torch_sparse  # noqa: F401
        return None
    except ImportError:
        return ("PyG NeighborLoader needs pyg-lib (not on PyPI) or torch-sparse (a ~45 min source "
                "build here); not installed, so the reference figure is used")


def time_loader(make_loader, batches: int) -> tuple[float, int, int]:
    """Seconds for ``batches`` batches after a warm-up, with sampled edges and nodes."""
    it = iter(make_loader())
    for _ in range(WARMUP_BATCHES):
        next(it)
    edges = nodes = 0
    t0 = time.perf_counter()
    for _ in range(batches):
        b = next(it)
        edges += b.edge_index.size(1)
        nodes += b.x.size(0)
    elapsed = time.perf_counter() - t0
    del it
    return elapsed, edges, nodes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="50k nodes / 1M edges")
    size.add_argument("--full", action="store_true", help="1M nodes / 20M edges")
    ap.add_argument("--batches", type=int, default=12, help="timed batches per repeat")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--workers", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--batch-size", type=int, default=1024)
    ap.add_argument("--fanout", type=int, nargs="+", default=[15, 10])
    ap.add_argument("--features", type=int, default=16)
    ap.add_argument("--alpha", type=float, default=0.6, help="power-law exponent (0: uniform random graph)")
    args = ap.parse_args()
    torch.set_num_threads(1)  # one sampler per process, as in loader workers
    load_start = os.getloadavg()[0]  # the machine is shared: record how busy it was
    num_nodes, num_edges = (1_000_000, 20_000_000) if args.full else \
        (50_000, 1_000_000) if args.quick else (100_000, 2_000_000)

    t0 = time.perf_counter()
    ei = power_law_graph(num_nodes, num_edges, args.alpha, seed=0)
    data = Data(x=torch.randn(num_nodes, args.features), edge_index=ei)
    t_graph = time.perf_counter() - t0
    t0 = time.perf_counter()
    sampler = NeighborSampler(data, args.fanout)
    t_csc = time.perf_counter() - t0
    deg = sampler.csc[("_", "_", "_")].degree()
    rss_graph = peak_rss_mb(resource.RUSAGE_SELF)
    seeds_needed = (WARMUP_BATCHES + args.batches) * args.batch_size

    def make(workers: int):
        def build():
            seeds = torch.randperm(num_nodes)[:seeds_needed]
            return NeighborLoader(data, args.fanout, input_nodes=seeds, batch_size=args.batch_size,
                                  neighbor_sampler=sampler, num_workers=workers,
                                  filter_per_worker=workers > 0)
        return build

    configs = {f"NeighborLoader, {w} worker{'s' if w != 1 else ''}": make(w) for w in args.workers}
    samples = {name: [] for name in configs}
    sampler_only = []
    for _ in range(args.repeats):  # interleaved: every configuration once per round
        for name, build in configs.items():
            elapsed, edges, nodes = time_loader(build, args.batches)
            samples[name].append((edges / elapsed, args.batches / elapsed, nodes / args.batches))
        seeds = torch.randperm(num_nodes)[:seeds_needed].split(args.batch_size)
        sampler.sample(seeds[0])
        t0, edges = time.perf_counter(), 0
        for s in seeds[WARMUP_BATCHES:]:
            edges += sampler.sample(s).e_id.numel()
        sampler_only.append(edges / (time.perf_counter() - t0))

    rows = []
    for name, values in [*samples.items(), ("NeighborSampler only (no features)", None)]:
        eps = [v[0] for v in values] if values else sampler_only
        row = {
            "case": name,
            "edges_per_s_M": round(statistics.median(eps) / 1e6, 3),
            "edges_per_s_M_min": round(min(eps) / 1e6, 3),
            "edges_per_s_M_max": round(max(eps) / 1e6, 3),
            "ratio_vs_pyg_reference": round(statistics.median(eps) / 1e6 / REFERENCE_EDGES_PER_S_M, 2),
        }
        if values:
            row["batches_per_s"] = round(statistics.median(v[1] for v in values), 2)
            row["nodes_per_batch"] = round(statistics.median(v[2] for v in values))
        rows.append(row)
    pyg_reason = pyg_loader_available()
    result = {
        "graph": {"num_nodes": num_nodes, "num_edges": num_edges, "alpha": args.alpha,
                  "max_in_degree": int(deg.max()), "mean_in_degree": float(deg.float().mean()),
                  "features": args.features},
        "fanout": args.fanout, "batch_size": args.batch_size, "timed_batches": args.batches,
        "repeats": args.repeats, "torch": torch.__version__, "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "load_average_1min_at_start_end": [round(load_start, 2), round(os.getloadavg()[0], 2)],
        "graph_build_s": round(t_graph, 2), "sampler_build_s": round(t_csc, 2),
        "peak_rss_mb": {"after_graph_and_csc": round(rss_graph), "main_process": round(peak_rss_mb(resource.RUSAGE_SELF)),
                        "largest_worker": round(peak_rss_mb(resource.RUSAGE_CHILDREN))},
        "pyg": pyg_reason or "available",
        "pyg_reference_edges_per_s_M": REFERENCE_EDGES_PER_S_M,
        "rows": rows,
    }
    print(f"geode-sampler NeighborLoader {args.fanout}, batch {args.batch_size}, {args.features} features "
          f"({num_nodes:,} nodes / {num_edges:,} edges, power law alpha {args.alpha}); "
          f"median [min-max] of {args.repeats} interleaved repeats")
    print(f"{'case':38} {'M edges/s':>10} {'spread':>15} {'batches/s':>10} {'nodes/batch':>12} {'vs PyG ref':>10}")
    for r in rows:
        spread = f"[{r['edges_per_s_M_min']:.2f}-{r['edges_per_s_M_max']:.2f}]"
        print(f"{r['case']:38} {r['edges_per_s_M']:10.3f} {spread:>15} {r.get('batches_per_s', ''):>10} "
              f"{r.get('nodes_per_batch', ''):>12} {r['ratio_vs_pyg_reference']:>9}x")
    print(f"PyG side by side: {result['pyg']}; reference {REFERENCE_EDGES_PER_S_M} M edges/s "
          f"(PyG 2.8 + torch-sparse, 1M/20M, this machine)")
    print(f"peak RSS MB: {result['peak_rss_mb']}; load average (1 min) at start/end: "
          f"{result['load_average_1min_at_start_end']} on {os.cpu_count()} cores")
    out_dir = pathlib.Path(__file__).parent / "results"
    out_dir.mkdir(exist_ok=True)
    name = "sampler-full" if args.full else "sampler-quick" if args.quick else "sampler"
    if args.alpha != 0.6:
        name += f"-alpha{args.alpha:g}"
    path = out_dir / f"{name}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
