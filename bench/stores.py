"""geode-stores: feature-fetch throughput per backend, and a partitioning simulation.

1. Fetch 1,000 and 10,000 random rows of 128 float32 from 1,000,000 rows (``--quick``:
   100,000 rows) in the in-memory, memory-mapped, RocksDB and Kuzu feature stores
   (interleaved repeats; median rows/s with min-max spread; ratio to in-memory).
2. Partition a synthetic community graph (1,000,000 nodes, ``--quick``: 100,000; 10
   edges per node) into 1, 2, 4 and 8 parts, random vs METIS: edge cut, the fraction of
   a sampled mini-batch's nodes owned by another rank, bytes rank 0 exchanges per
   mini-batch (sampling requests and replies plus remote feature rows), load balance.
3. Sampler throughput vs world size: ``DistNeighborLoader`` (fan-out [10, 5], 1,024 seeds
   per batch, 128-float features) on 1, 2 and 4 gloo processes on loopback over a random
   partition of the same graph: sampled edges/s (all ranks and per rank), remote-node
   fraction and bytes each rank exchanges per batch; medians over a few batches. The ranks
   share this machine's cores, so scaling is bounded by the core count.

Usage: python bench/stores.py [--quick] [--repeats 5] [--sections fetch,partition,sampler]
Writes bench/results/stores.json (sections not run keep their previous rows) and, with
matplotlib, bench/results/stores.png.
PyG has no comparable out-of-core backends installed here, so there is no PyG column.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import statistics
import tempfile
import time

import torch

from geode_core.data import Data, InMemoryFeatureStore
from geode_stores import MemmapFeatureStore, RocksDBFeatureStore, launch_local
from geode_stores.keyed_sampling import csc_hop, sample_multi_hop
from geode_stores.partition import PartitionBook, Partitioner, partition_stats
from geode_stores.partition.strategies import assign

RESULTS = pathlib.Path(__file__).parent / "results"
WORKER = pathlib.Path(__file__).with_name("stores_sampler_worker.py")
DIM = 128


def _optional_stores(x: torch.Tensor, tmp: pathlib.Path) -> dict:
    stores = {}
    try:
        from geode_stores import KuzuFeatureStore, to_kuzu

        stores["kuzu"] = KuzuFeatureStore(to_kuzu(Data(x=x, edge_index=torch.empty(2, 0, dtype=torch.long)),
                                                  tmp / "kuzu"))
    except ImportError as error:
        print(f"kuzu skipped: {error}")
    return stores


def feature_fetch(num_rows: int, repeats: int) -> list[dict]:
    x = torch.randn(num_rows, DIM)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        stores = {"in-memory": InMemoryFeatureStore(), "memmap": MemmapFeatureStore(tmp / "mm")}
        for store in stores.values():
            store.put_tensor(x, None, "x")
        try:
            rocks = RocksDBFeatureStore(tmp / "rocks", chunk_rows=1, block_cache_mb=256)
            rocks.ingest(x.split(65536), None, "x")
            stores["rocksdb"] = rocks
        except ImportError as error:
            print(f"rocksdb skipped: {error}")
        for name, store in _optional_stores(x, tmp).items():
            stores[name] = store
        group = {"kuzu": "node"}
        rows = []
        for batch in (1_000, 10_000):
            times = {name: [] for name in stores}
            g = torch.Generator().manual_seed(batch)
            for _ in range(repeats):  # interleaved: every backend once per repeat
                ids = torch.randint(num_rows, (batch,), generator=g)
                for name, store in stores.items():
                    t0 = time.perf_counter()
                    out = store.get_tensor(group.get(name), "x", ids)
                    times[name].append(time.perf_counter() - t0)
                    assert torch.equal(out, x[ids])
            base = statistics.median(times["in-memory"])
            for name, ts in times.items():
                med = statistics.median(ts)
                rows.append({"batch": batch, "backend": name, "median_s": med,
                             "rows_per_s": batch / med, "min_s": min(ts), "max_s": max(ts),
                             "slowdown_vs_memory": med / base})
        for store in stores.values():
            store.close()
    return rows


def community_graph(num_nodes: int, communities: int = 64, degree: int = 10, seed: int = 0):
    """90 % of each node's edges stay in its community; ids shuffled to hide the structure."""
    g = torch.Generator().manual_seed(seed)
    size = num_nodes // communities
    src = torch.randint(num_nodes, (num_nodes * degree,), generator=g)
    local = torch.rand(src.numel(), generator=g) < 0.9
    dst = torch.where(local, (src // size).clamp_max(communities - 1) * size
                      + torch.randint(size, (src.numel(),), generator=g),
                      torch.randint(num_nodes, (src.numel(),), generator=g)).clamp_max(num_nodes - 1)
    perm = torch.randperm(num_nodes, generator=g)
    return perm[torch.stack([src, dst])]


def exchanged_bytes(book: PartitionBook, hop_fn, seeds, fanouts) -> tuple[float, int]:
    """Remote-node fraction and bytes rank 0 sends + receives for one mini-batch."""
    sample = sample_multi_hop(hop_fn, seeds, fanouts)
    remote = book.owner[sample.n_id] != 0
    request = 0
    start = 0
    for hop, count in enumerate(sample.num_sampled_nodes[:-1]):
        frontier = sample.n_id[start:start + count]
        start += count
        far = book.owner[frontier] != 0
        edges = sample.num_sampled_edges[hop]
        share = float(far.double().mean()) if far.numel() else 0.0
        request += int(far.sum()) * 8 * 2 + int(edges * share) * 16  # ids + counts, nbr + eid
    features = int(remote.sum()) * (8 + DIM * 4)
    return float(remote.double().mean()), request + features


def partition_simulation(num_nodes: int, strategies: list[str]) -> list[dict]:
    ei = community_graph(num_nodes)
    perm = torch.argsort(ei[1], stable=True)
    colptr = torch.zeros(num_nodes + 1, dtype=torch.long)
    colptr[1:] = torch.cumsum(torch.bincount(ei[1], minlength=num_nodes), 0)
    hop_fn = csc_hop(colptr, ei[0][perm], perm, seed=0, epoch=0)
    rows = []
    for parts in (1, 2, 4, 8):
        for strategy in strategies:
            t0 = time.perf_counter()
            book = PartitionBook(assign(strategy, ei, num_nodes, parts, seed=0), parts)
            seconds = time.perf_counter() - t0
            stats = partition_stats(ei, book)
            mine = book.nodes_of(0)
            seeds = mine[torch.randperm(mine.numel(), generator=torch.Generator().manual_seed(1))[:1024]]
            remote, nbytes = exchanged_bytes(book, hop_fn, seeds, [10, 5])
            rows.append({"parts": parts, "strategy": strategy, "seconds": seconds, **stats,
                         "remote_node_fraction": remote, "bytes_per_batch": nbytes})
    return rows


def _run_ranks(root: pathlib.Path, world: int, batch_size: int, batches: int,
               timeout: float = 300.0) -> list[list[dict]]:
    """Start ``world`` ranks with torchrun's environment variables; each rank's batch rows."""
    launch_local(lambda rank: [str(WORKER), str(root), str(root / f"rank{rank}.json"),
                               str(batch_size), str(batches)], world, timeout)
    return [json.loads((root / f"rank{rank}.json").read_text()) for rank in range(world)]


def sampler_throughput(num_nodes: int, worlds=(1, 2, 4), batch_size: int = 1024,
                       batches: int = 8) -> list[dict]:
    """Per world size: medians over batches of what all ranks sampled in one batch round."""
    data = Data(x=torch.randn(num_nodes, DIM), edge_index=community_graph(num_nodes))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for world in worlds:
            root = pathlib.Path(tmp) / f"parts{world}"
            Partitioner(data, world, root, strategy="random").generate_partition()
            ranks = _run_ranks(root, world, batch_size, batches)
            rounds = list(zip(*ranks))  # batch i of every rank: one collective round
            edges = [sum(r["edges"] for r in rnd) for rnd in rounds]
            edges_per_s = [e / max(r["seconds"] for r in rnd) for e, rnd in zip(edges, rounds)]
            sampling_per_s = [e / max(r["sampling_seconds"] for r in rnd) for e, rnd in zip(edges, rounds)]
            med = statistics.median
            rows.append({
                "world_size": world, "strategy": "random", "batch_size": batch_size, "batches": len(rounds),
                "edges_per_batch": med(r["edges"] for rank in ranks for r in rank),
                "batch_s": med(max(r["seconds"] for r in rnd) for rnd in rounds),
                "edges_per_s": med(edges_per_s), "edges_per_s_min": min(edges_per_s),
                "edges_per_s_max": max(edges_per_s), "edges_per_s_per_rank": med(edges_per_s) / world,
                "sampling_edges_per_s": med(sampling_per_s),
                "remote_node_fraction": med(r["remote_fraction"] for rank in ranks for r in rank),
                "sampling_bytes_per_batch": med(r["sampling_bytes"] for rank in ranks for r in rank),
                "feature_bytes_per_batch": med(r["feature_bytes"] for rank in ranks for r in rank),
                "bytes_per_batch": med(r["sampling_bytes"] + r["feature_bytes"] for rank in ranks for r in rank)})
    return rows


def plot(fetch: list[dict], parts: list[dict], path: pathlib.Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: no plot")
        return
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
    backends = list(dict.fromkeys(r["backend"] for r in fetch))
    for i, batch in enumerate((1_000, 10_000)):
        vals = [next(r["rows_per_s"] for r in fetch if r["batch"] == batch and r["backend"] == n)
                for n in backends]
        a.bar([j + 0.4 * i for j in range(len(backends))], vals, width=0.4, label=f"{batch} rows")
    a.set_xticks([j + 0.2 for j in range(len(backends))], backends)
    a.set_yscale("log")
    a.set_ylabel("rows / s (128 float32)")
    a.set_title("random-row feature fetch")
    a.legend()
    for strategy in dict.fromkeys(r["strategy"] for r in parts):
        sel = [r for r in parts if r["strategy"] == strategy]
        b.plot([r["parts"] for r in sel], [r["edge_cut_fraction"] for r in sel], "o-",
               label=f"{strategy}: edge cut")
        b.plot([r["parts"] for r in sel], [r["remote_node_fraction"] for r in sel], "s--",
               label=f"{strategy}: remote nodes / batch")
    b.set_xlabel("partitions")
    b.set_xscale("log", base=2)
    b.set_title("partition quality")
    b.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"wrote {path}")


def print_fetch(fetch: list[dict], size: int, repeats: int) -> None:
    print(f"\nfeature fetch: {size:,} rows x {DIM} float32, median of {repeats} (min-max)")
    print(f"{'batch':>6} {'backend':>10} {'rows/s':>12} {'median ms':>10} {'spread ms':>16} {'vs memory':>10}")
    for r in fetch:
        print(f"{r['batch']:>6} {r['backend']:>10} {r['rows_per_s']:>12,.0f} {r['median_s'] * 1e3:>10.2f} "
              f"{r['min_s'] * 1e3:>7.2f}-{r['max_s'] * 1e3:<8.2f} {r['slowdown_vs_memory']:>9.1f}x")


def print_parts(parts: list[dict], size: int) -> None:
    print(f"\npartitioning: {size:,} nodes, {size * 10:,} edges; mini-batch of 1024 seeds, fan-out [10, 5]")
    print(f"{'parts':>5} {'strategy':>8} {'edge cut':>9} {'remote':>7} {'KB/batch':>9} "
          f"{'node bal':>8} {'edge bal':>8} {'time s':>7}")
    for r in parts:
        print(f"{r['parts']:>5} {r['strategy']:>8} {r['edge_cut_fraction']:>9.3f} "
              f"{r['remote_node_fraction']:>7.3f} {r['bytes_per_batch'] / 1024:>9.0f} "
              f"{r['node_balance']:>8.3f} {r['edge_balance']:>8.3f} {r['seconds']:>7.2f}")


def print_sampler(rows: list[dict], size: int) -> None:
    print(f"\nsampler throughput: DistNeighborLoader on {size:,} nodes (random partition), fan-out "
          f"[10, 5], 1024 seeds/batch, gloo on loopback; medians over {rows[0]['batches']} batches.")
    print(f"All ranks share this machine's {os.cpu_count()} cores: scaling is bounded by the cores, not the sampler.")
    print("edges/s: sampled edges of all ranks per second of the sampling step alone and of the whole "
          "loader step (sampling + feature fetch); KB: what one rank sends + receives per batch.")
    print(f"{'ranks':>5} {'edges/batch':>11} {'sampling e/s':>12} {'loader e/s':>10} {'per rank':>10} "
          f"{'loader spread':>17} {'batch ms':>9} {'remote':>7} {'KB/batch':>9} {'sampling KB':>11}")
    for r in rows:
        print(f"{r['world_size']:>5} {r['edges_per_batch']:>11,.0f} {r['sampling_edges_per_s']:>12,.0f} "
              f"{r['edges_per_s']:>10,.0f} {r['edges_per_s_per_rank']:>10,.0f} "
              f"{r['edges_per_s_min']:>8,.0f}-{r['edges_per_s_max']:<8,.0f} {r['batch_s'] * 1e3:>9.0f} "
              f"{r['remote_node_fraction']:>7.3f} {r['bytes_per_batch'] / 1024:>9,.0f} "
              f"{r['sampling_bytes_per_batch'] / 1024:>11,.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100,000 rows / nodes instead of 1,000,000")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--sections", default="fetch,partition,sampler",
                    help="comma-separated subset of fetch, partition, sampler; the others keep "
                         "their rows from the existing results file")
    args = ap.parse_args()
    sections = set(args.sections.split(","))
    unknown = sections - {"fetch", "partition", "sampler"}
    if unknown:
        ap.error(f"--sections: expected fetch, partition or sampler, given {sorted(unknown)}")
    torch.set_num_threads(1)
    size = 100_000 if args.quick else 1_000_000
    name = "stores-quick" if args.quick else "stores"
    path = RESULTS / f"{name}.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    if results.get("num_rows", size) != size:
        results = {}
    if "fetch" in sections:
        results["feature_fetch"] = feature_fetch(size, args.repeats)
        print_fetch(results["feature_fetch"], size, args.repeats)
    if "partition" in sections:
        strategies = ["random", "hash"]
        try:
            import pymetis  # noqa: F401
            strategies.append("metis")
        except ImportError:
            print("pymetis not installed: METIS rows skipped")
        results["partitioning"] = partition_simulation(size, strategies)
        print_parts(results["partitioning"], size)
    if "sampler" in sections:
        t0 = time.perf_counter()
        results["sampler_throughput"] = sampler_throughput(size)
        print_sampler(results["sampler_throughput"], size)
        print(f"(section took {time.perf_counter() - t0:.0f} s)")
    RESULTS.mkdir(exist_ok=True)
    results["machine"] = {"machine": platform.machine(), "processor": platform.processor(),
                          "python": platform.python_version(), "torch": torch.__version__,
                          "threads": torch.get_num_threads(), "cpus": os.cpu_count()}
    results["num_rows"] = size
    path.write_text(json.dumps(results, indent=1))
    if sections & {"fetch", "partition"} and {"feature_fetch", "partitioning"} <= results.keys():
        plot(results["feature_fetch"], results["partitioning"], RESULTS / f"{name}.png")


if __name__ == "__main__":
    main()
