"""Message-passing training step: Geode vs PyG side by side on the seed workload.

Random graph (10,000 nodes, 200,000 edges, 64 features); GCN, GraphSAGE (mean) and GIN,
3 layers of 64 channels; one step = zero_grad + forward + cross-entropy + backward, with
the same user code (``model(x, edge_index)``) for both libraries: Geode builds its CSR
once per edge_index (the cached Adjacency), PyG runs its edge_index path. A third column
runs PyG on its documented fast input, a transposed sparse adjacency (``adj_t``, torch
sparse CSR from ``ToSparseTensor(layout=torch.sparse_csr)``, built before timing). Steps
of all models and libraries are interleaved; medians with quartiles; ratio = PyG / Geode.
Peak memory: growth of the peak resident set over one fresh process's baseline during
3 steps.
Each configuration runs with 1 thread and with torch's default thread count (``--threads``).
Usage: python bench/mp.py [--quick] [--repeats N] [--threads T ...] [--models gcn sage gin]
Writes bench/results/mp.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from _common import interleaved, print_table, pyg_version, summary, write_json

NUM_NODES, NUM_EDGES, CHANNELS, LAYERS = 10_000, 200_000, 64, 3
MODELS = ("gcn", "sage", "gin")
#: library -> (layers from, graph input); "pyg-adj_t" is PyG on a sparse CSR adj_t
LIBS = {"geode": "edge_index", "pyg": "edge_index", "pyg-adj_t": "adj_t"}


def seed_graph(seed: int = 0):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(NUM_NODES, CHANNELS, generator=gen)
    edge_index = torch.randint(0, NUM_NODES, (2, NUM_EDGES), generator=gen)
    y = torch.randint(0, CHANNELS, (NUM_NODES,), generator=gen)
    return x, edge_index, y


class Net(torch.nn.Module):
    """``LAYERS`` convolutions with ReLU between them (none after the last)."""

    def __init__(self, convs):
        super().__init__()
        self.convs = torch.nn.ModuleList(convs)

    def forward(self, x, edge_index):
        for i, conv in enumerate(self.convs):
            x = conv(x, edge_index)
            if i < len(self.convs) - 1:
                x = F.relu(x)
        return x


def graph_input(lib: str, edge_index):
    """What ``lib``'s model receives as its graph (edge_index, or PyG's CSR adj_t)."""
    if LIBS[lib] == "edge_index":
        return edge_index
    import torch_geometric.transforms as T
    from torch_geometric.data import Data

    data = Data(edge_index=edge_index, num_nodes=NUM_NODES)
    return T.ToSparseTensor(layout=torch.sparse_csr)(data).adj_t


def build(lib: str, model: str) -> Net:
    """The same architecture from Geode's or PyG's layers."""
    if lib == "geode":
        from geode_core.nn import GCNConv, GINConv, SAGEConv
    else:
        from torch_geometric.nn import GCNConv, GINConv, SAGEConv

    def conv():
        if model == "gcn":
            return GCNConv(CHANNELS, CHANNELS)
        if model == "sage":
            return SAGEConv(CHANNELS, CHANNELS, aggr="mean")
        mlp = torch.nn.Sequential(torch.nn.Linear(CHANNELS, CHANNELS), torch.nn.ReLU(),
                                  torch.nn.Linear(CHANNELS, CHANNELS))
        return GINConv(mlp)

    torch.manual_seed(0)
    return Net([conv() for _ in range(LAYERS)])


def make_step(net: Net, x, edge_index, y):
    def step():
        net.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x, edge_index), y)
        loss.backward()
    return step


def _rss_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def child_memory(lib: str, model: str) -> None:
    """Print the peak RSS growth (MiB) of 3 steps after a warm-up, in this fresh process."""
    x, edge_index, y = seed_graph()
    step = make_step(build(lib, model), x, graph_input(lib, edge_index), y)
    step()
    before = _rss_kib("VmRSS")
    with open("/proc/self/clear_refs", "w") as refs:  # resets VmHWM to the current RSS
        refs.write("5")
    for _ in range(3):
        step()
    print(json.dumps({"peak_mib": round((_rss_kib("VmHWM") - before) / 1024, 1)}))


def peak_memory(lib: str, model: str, threads: int) -> float | None:
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="65536")  # big buffers leave with free()
    cmd = [sys.executable, __file__, "--child-memory", lib, model, "--threads", str(threads)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])["peak_mib"]


def run(args, threads: int, libs: list[str], pyg: str | None, repeats: int) -> dict:
    """Time every model with ``threads`` intra-op threads; print the table; the results."""
    torch.set_num_threads(threads)
    x, edge_index, y = seed_graph()
    graphs = {lib: graph_input(lib, edge_index) for lib in libs}
    steps = {f"{lib}/{model}": make_step(build(lib, model), x, graphs[lib], y)
             for model in args.models for lib in libs}
    times = interleaved(steps, repeats)
    rows, results = [], {}
    for model in args.models:
        entry = {lib: summary(times[f"{lib}/{model}"]) for lib in libs}
        if args.memory:
            for lib in libs:
                entry[lib]["peak_mib"] = peak_memory(lib, model, threads)
        for key, lib in (("ratio", "pyg"), ("ratio_adj_t", "pyg-adj_t")):
            if lib in entry:
                entry[key] = round(entry[lib]["median_ms"] / entry["geode"]["median_ms"], 2)
        results[model] = entry
        row = [model]
        for lib in libs:
            e = entry[lib]
            row.append(f"{e['median_ms']:.1f} [{e['q1_ms']:.1f}-{e['q3_ms']:.1f}]")
            if args.memory:
                row.append(e["peak_mib"])
        rows.append(row + [f"{entry[key]:.2f}x" for key in ("ratio", "ratio_adj_t") if key in entry])
    headers = ["model"]
    for lib in libs:
        headers.append(f"{lib} ms/step [q1-q3]")
        if args.memory:
            headers.append(f"{lib} peak MiB")
    if pyg:
        headers += ["PyG/Geode", "PyG adj_t/Geode"]
    print(f"\n{threads} thread(s): training step (forward+backward), {NUM_NODES:,} nodes / "
          f"{NUM_EDGES:,} edges / {CHANNELS} features, {LAYERS} layers, {repeats} interleaved "
          f"steps, PyG {pyg or '-'}")
    print_table(headers, rows)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="few repeats, no memory measurement")
    ap.add_argument("--repeats", type=int, default=None, help="timed steps per model and library")
    ap.add_argument("--threads", type=int, nargs="+", default=None,
                    help="torch intra-op thread counts to run (default: 1 and torch's default)")
    ap.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    ap.add_argument("--child-memory", nargs=2, metavar=("LIB", "MODEL"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_memory:
        torch.set_num_threads(args.threads[0])
        child_memory(*args.child_memory)
        return
    default_threads = torch.get_num_threads()
    thread_counts = args.threads or sorted({1, default_threads})
    args.memory = not args.quick
    pyg = pyg_version()
    libs = ["geode"] + (["pyg", "pyg-adj_t"] if pyg else [])
    if not pyg:
        print("torch_geometric is not installed: timing Geode alone")
    repeats = args.repeats or (5 if args.quick else 30)
    results = {str(t): run(args, t, libs, pyg, repeats) for t in thread_counts}
    write_json("mp-quick" if args.quick else "mp", {
        "workload": {"num_nodes": NUM_NODES, "num_edges": NUM_EDGES, "channels": CHANNELS,
                     "layers": LAYERS, "repeats": repeats, "step": "zero_grad+forward+backward",
                     "graph_input": LIBS,
                     "default_threads": default_threads},
        "pyg": pyg, "results_by_threads": results})


if __name__ == "__main__":
    main()
