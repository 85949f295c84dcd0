"""Message-passing training step: Geode vs PyG side by side on the seed workload.

Random graph (10,000 nodes, 200,000 edges, 64 features); GCN, GraphSAGE (mean) and GIN,
3 layers of 64 channels; one step = zero_grad + forward + cross-entropy + backward, with
the same user code (``model(x, edge_index)``) for both libraries. Steps of all models and
both libraries are interleaved; medians with quartiles; ratio = PyG / Geode. Peak memory:
growth of the peak resident set over one fresh process's baseline during 3 steps.
Usage: python bench/mp.py [--quick] [--repeats N] [--threads T]
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
    step = make_step(build(lib, model), x, edge_index, y)
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="few repeats, no memory measurement")
    ap.add_argument("--repeats", type=int, default=None, help="timed steps per model and library")
    ap.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0: default)")
    ap.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    ap.add_argument("--child-memory", nargs=2, metavar=("LIB", "MODEL"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.child_memory:
        child_memory(*args.child_memory)
        return
    pyg = pyg_version()
    libs = ["geode"] + (["pyg"] if pyg else [])
    if not pyg:
        print("torch_geometric is not installed: timing Geode alone")
    repeats = args.repeats or (5 if args.quick else 30)
    x, edge_index, y = seed_graph()
    steps = {(lib, model): make_step(build(lib, model), x, edge_index, y)
             for model in args.models for lib in libs}
    times = interleaved({f"{lib}/{model}": s for (lib, model), s in steps.items()}, repeats)
    rows, results = [], {}
    for model in args.models:
        entry = {lib: summary(times[f"{lib}/{model}"]) for lib in libs}
        if not args.quick:
            for lib in libs:
                entry[lib]["peak_mib"] = peak_memory(lib, model, torch.get_num_threads())
        ratio = (round(entry["pyg"]["median_ms"] / entry["geode"]["median_ms"], 2)
                 if "pyg" in entry else None)
        entry["ratio"] = ratio
        results[model] = entry
        row = [model]
        for lib in libs:
            e = entry[lib]
            row.append(f"{e['median_ms']:.1f} [{e['q1_ms']:.1f}-{e['q3_ms']:.1f}]")
            if not args.quick:
                row.append(e["peak_mib"])
        rows.append(row + ([f"{ratio:.2f}x"] if ratio else []))
    headers = ["model"]
    for lib in libs:
        headers.append(f"{lib} ms/step [q1-q3]")
        if not args.quick:
            headers.append(f"{lib} peak MiB")
    if pyg:
        headers.append("PyG/Geode")
    print(f"training step (forward+backward), {NUM_NODES:,} nodes / {NUM_EDGES:,} edges / "
          f"{CHANNELS} features, {LAYERS} layers, {repeats} interleaved steps, "
          f"{torch.get_num_threads()} threads, PyG {pyg or '-'}")
    print_table(headers, rows)
    write_json("mp-quick" if args.quick else "mp", {
        "workload": {"num_nodes": NUM_NODES, "num_edges": NUM_EDGES, "channels": CHANNELS,
                     "layers": LAYERS, "repeats": repeats, "step": "zero_grad+forward+backward"},
        "pyg": pyg, "results": results})


if __name__ == "__main__":
    main()
