"""Data-layer operations, Geode and PyG side by side: batching, loading, transforms, utils.

Each case runs Geode and PyG on the same inputs in one process, interleaved, and reports
the median time with its spread (min-max) and the ratio PyG / Geode (> 1: Geode faster).
PyG is optional: without it only Geode's column is filled.
Usage: python bench/data.py [--quick] [--repeats 5] [--threads 1]
Writes bench/results/data.json.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import platform
import statistics
import time
import warnings
from collections.abc import Callable

import torch

import geode_core.data as gdata
import geode_core.loader as gloader
import geode_core.transforms as gT
import geode_core.utils as gU

try:  # PyG is only a comparison point; Geode never imports it
    import torch_geometric
    import torch_geometric.data as pdata
    import torch_geometric.loader as ploader
    import torch_geometric.transforms as pT
    import torch_geometric.utils as pU
except ImportError:
    torch_geometric = pdata = None


def small_graphs(count: int, lib, seed: int = 0) -> list:
    """MUTAG-sized molecules: ~18 nodes, ~40 edges, 16 features, 4 edge features."""
    g = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(count):
        n = int(torch.randint(10, 27, (1,), generator=g))
        ei = torch.randint(0, n, (2, 2 * n), generator=g)
        out.append(lib.Data(x=torch.randn(n, 16, generator=g), edge_index=ei,
                            edge_attr=torch.randn(2 * n, 4, generator=g),
                            y=torch.randint(0, 2, (1,), generator=g)))
    return out


def big_graph(lib, num_nodes: int, num_edges: int, seed: int = 1):
    g = torch.Generator().manual_seed(seed)
    ei = torch.randint(0, num_nodes, (2, num_edges), generator=g)
    ei = gU.to_undirected(gU.remove_self_loops(ei)[0], num_nodes=num_nodes)[0]
    return lib.Data(x=torch.randn(num_nodes, 8, generator=g), edge_index=ei)


def cases(quick: bool) -> list[tuple[str, Callable, Callable | None]]:
    n_small = 512 if quick else 2048
    n_big, e_big = (5_000, 25_000) if quick else (20_000, 100_000)
    libs = {"geode": gdata} | ({"pyg": pdata} if pdata else {})
    smalls = {k: small_graphs(n_small, lib) for k, lib in libs.items()}
    batches = {k: lib.Batch.from_data_list(smalls[k][:128]) for k, lib in libs.items()}
    bigs = {k: big_graph(lib, n_big, e_big) for k, lib in libs.items()}
    walk = {k: big_graph(lib, 1000, 4000, seed=2) for k, lib in libs.items()}
    ei = bigs["geode"].edge_index

    def both(geode: Callable, pyg: Callable | None):
        return geode, (pyg if pdata else None)

    def drain(loader):
        return sum(b.num_graphs for b in loader)

    table = [
        ("Batch.from_data_list (128 graphs)", *both(
            lambda: gdata.Batch.from_data_list(smalls["geode"][:128]),
            lambda: pdata.Batch.from_data_list(smalls["pyg"][:128]))),
        ("Batch.to_data_list (128 graphs)", *both(
            lambda: batches["geode"].to_data_list(), lambda: batches["pyg"].to_data_list())),
        (f"DataLoader epoch ({n_small} graphs, batch 128)", *both(
            lambda: drain(gloader.DataLoader(smalls["geode"], batch_size=128)),
            lambda: drain(ploader.DataLoader(smalls["pyg"], batch_size=128)))),
        (f"RandomLinkSplit undirected ({ei.size(1):,} edges)", *both(
            lambda: gT.RandomLinkSplit(is_undirected=True)(bigs["geode"]),
            lambda: pT.RandomLinkSplit(is_undirected=True)(bigs["pyg"]))),
        ("GCNNorm", *both(lambda: gT.GCNNorm()(bigs["geode"]), lambda: pT.GCNNorm()(bigs["pyg"]))),
        ("LargestConnectedComponents", *both(
            lambda: gT.LargestConnectedComponents()(bigs["geode"]),
            lambda: pT.LargestConnectedComponents()(bigs["pyg"]))),
        ("AddRandomWalkPE(8), 1,000 nodes", *both(
            lambda: gT.AddRandomWalkPE(8)(walk["geode"]), lambda: pT.AddRandomWalkPE(8)(walk["pyg"]))),
        ("negative_sampling (50,000 pairs)", *both(
            lambda: gU.negative_sampling(ei, n_big, 50_000),
            lambda: pU.negative_sampling(ei, n_big, 50_000))),
        ("coalesce(to_undirected)", *both(
            lambda: gU.to_undirected(ei, num_nodes=n_big), lambda: pU.to_undirected(ei, num_nodes=n_big))),
        ("knn_graph k=6, 5,000 points (PyG needs pyg-lib)", lambda: gU.knn_graph(
            torch.randn(5_000, 3), 6), None),
    ]
    return table


def measure(fn: Callable) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller inputs, 3 repeats")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1, help="torch intra-op threads (0: default)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    repeats = 3 if args.quick else args.repeats
    warnings.filterwarnings("ignore")
    rows = []
    for name, geode, pyg in cases(args.quick):
        geode()  # warm-up
        if pyg:
            pyg()
        times: dict[str, list[float]] = {"geode": [], "pyg": []}
        for _ in range(repeats):  # interleaved
            times["geode"].append(measure(geode))
            if pyg:
                times["pyg"].append(measure(pyg))
        row = {"case": name}
        for lib, ts in times.items():
            if ts:
                row[lib] = {"median_ms": round(1000 * statistics.median(ts), 2),
                            "min_ms": round(1000 * min(ts), 2), "max_ms": round(1000 * max(ts), 2)}
        if pyg:
            row["ratio_pyg_over_geode"] = round(row["pyg"]["median_ms"] / row["geode"]["median_ms"], 2)
        rows.append(row)

    def cell(row, lib):
        r = row.get(lib)
        return f"{r['median_ms']:9.2f} ({r['min_ms']:.1f}-{r['max_ms']:.1f})" if r else f"{'n/a':>9}"

    print(f"{'case':<50} {'geode ms (min-max)':>26} {'pyg ms (min-max)':>26} {'pyg/geode':>9}")
    for row in rows:
        ratio = row.get("ratio_pyg_over_geode")
        print(f"{row['case']:<50} {cell(row, 'geode'):>26} {cell(row, 'pyg'):>26} "
              f"{(f'{ratio:.2f}' if ratio else 'n/a'):>9}")
    result = {"quick": args.quick, "repeats": repeats, "threads": torch.get_num_threads(),
              "torch": torch.__version__, "machine": platform.machine(),
              "processor": platform.processor(), "python": platform.python_version(),
              "pyg": getattr(torch_geometric, "__version__", None), "rows": rows}
    out = pathlib.Path(__file__).parent / "results" / "data.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
