"""Neighbour-sampling throughput of geode-sampler on a synthetic power-law graph.

Default: 100,000 nodes / 2,000,000 edges (under a minute). ``--full``: 1,000,000 nodes /
20,000,000 edges, the size of the PyG 2.8 + torch-sparse reference in
docs/PERFORMANCE-NOTES (2.8 batches/s, 0.46 M sampled edges/s, ~153k nodes per batch).
Usage: python bench/sampler.py [--full] [--batches 20] [--batch-size 1024] [--fanout 15 10] [--threads 1]
Writes bench/results/sampler[-full].json.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import platform
import statistics
import time

import torch

from geode_sampler import NeighborSampler


def power_law_graph(num_nodes: int, num_edges: int, alpha: float, seed: int) -> torch.Tensor:
    """Chung-Lu style: both endpoints drawn with probability proportional to rank^-alpha."""
    gen = torch.Generator().manual_seed(seed)
    p = torch.arange(1, num_nodes + 1, dtype=torch.float64).pow(-alpha)
    cdf = torch.cumsum(p, 0)
    cdf /= cdf[-1].clone()

    def draw() -> torch.Tensor:
        idx = torch.searchsorted(cdf, torch.rand(num_edges, generator=gen, dtype=torch.float64))
        return idx.clamp_max_(num_nodes - 1)

    relabel = torch.randperm(num_nodes, generator=gen)  # hubs are not the small ids
    return torch.stack([relabel[draw()], relabel[draw()]])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="1M nodes / 20M edges")
    ap.add_argument("--batches", type=int, default=20)
    ap.add_argument("--batch-size", type=int, default=1024)
    ap.add_argument("--fanout", type=int, nargs="+", default=[15, 10])
    ap.add_argument("--alpha", type=float, default=0.6, help="power-law exponent of the rank weights (0: uniform random graph)")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch intra-op threads (default 1: one sampler per loader worker; "
                         "0 keeps torch's default)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    num_nodes, num_edges = (1_000_000, 20_000_000) if args.full else (100_000, 2_000_000)

    t0 = time.perf_counter()
    ei = power_law_graph(num_nodes, num_edges, args.alpha, seed=0)
    t_graph = time.perf_counter() - t0
    t0 = time.perf_counter()
    sampler = NeighborSampler(ei, args.fanout, num_nodes=num_nodes)
    t_csc = time.perf_counter() - t0
    deg = sampler.csc.degree()

    gen = torch.Generator().manual_seed(1)
    order = torch.randperm(num_nodes, generator=gen)
    batches = [order[i * args.batch_size:(i + 1) * args.batch_size] for i in range(args.batches + 1)]
    sampler.sample(batches[0], generator=gen)  # warm-up
    times, nodes, edges = [], [], []
    for seeds in batches[1:]:
        t0 = time.perf_counter()
        out = sampler.sample(seeds, generator=gen)
        times.append(time.perf_counter() - t0)
        nodes.append(out.n_id.numel())
        edges.append(out.e_id.numel())
    total = sum(times)
    result = {
        "graph": {"num_nodes": num_nodes, "num_edges": num_edges, "alpha": args.alpha,
                  "max_in_degree": int(deg.max()), "mean_in_degree": float(deg.float().mean())},
        "fanout": args.fanout,
        "batch_size": args.batch_size,
        "batches": args.batches,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "machine": platform.machine(),
        "graph_gen_s": round(t_graph, 3),
        "csc_build_s": round(t_csc, 3),
        "batches_per_s": round(args.batches / total, 3),
        "median_batch_ms": round(1000 * statistics.median(times), 2),
        "sampled_edges_per_s_M": round(sum(edges) / total / 1e6, 3),
        "nodes_per_batch": round(statistics.mean(nodes)),
        "edges_per_batch": round(statistics.mean(edges)),
    }
    width = max(len(k) for k in result)
    print(f"geode-sampler NeighborSampler  ({num_nodes:,} nodes / {num_edges:,} edges)")
    for key, value in result.items():
        print(f"  {key:<{width}}  {value}")
    out_dir = pathlib.Path(__file__).parent / "results"
    out_dir.mkdir(exist_ok=True)
    name = "sampler-full" if args.full else "sampler"
    if args.alpha != 0.6:
        name += f"-alpha{args.alpha:g}"
    path = out_dir / f"{name}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
