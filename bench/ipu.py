"""Fixed-size batches: training throughput and padding waste (geode-ipu).

Two workloads: MUTAG-sized graph classification (MUTAG from ``$GEODE_DATASETS/TU`` when
present, else synthetic graphs of MUTAG's size distribution) and sampled Cora mini-batches
(node classification on neighbour-sampled subgraphs; needs geode-sampler; Cora from
``$GEODE_DATASETS/planetoid`` when present, else a random graph of Cora's size).

Modes, one training step each (2-layer GCN, Adam), over one pre-collated epoch on
``--device``:

* ``eager unpadded``: geode-core DataLoader batches, plain PyTorch;
* ``compiled unpadded``: the same with ``geode.compile(model, dynamic=True)``;
* ``padded eager``: FixedSizeDataLoader batches, plain PyTorch;
* ``padded + CUDA graph``: FixedSizeDataLoader batches, the model compiled and the whole
  step captured by geode-compile's ``StaticStepRunner`` (on CPU the runner runs the step
  eagerly, so this row measures compile + padding only);
* ``PyG eager unpadded`` (when torch_geometric is installed): the same model in PyG.

Throughput is real graphs (MUTAG) or seed nodes (Cora) per second; medians of interleaved
repeats with min-max spread; ratio against eager unpadded. Padding waste per strategy
(pad-to-max, stream packing, power-of-two budgets) is the fraction of node and edge slots
holding padding. Writes ``bench/results/ipu-<device>.json``.

Usage: python bench/ipu.py [--quick] [--device cpu|cuda] [--repeats 5] [--batch-size 64]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import pathlib
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable

import torch

from geode_core.data import Data
from geode_core.loader import DataLoader
from geode_core.nn import GCNConv
from geode_core.nn.aggr import MeanAggregation
from geode_ipu import FixedSizeDataLoader, FixedSizeOptions, masked_cross_entropy, pad_data_list

DATASETS = pathlib.Path(os.environ.get(
    "GEODE_DATASETS", pathlib.Path(__file__).resolve().parents[2] / "shared" / "datasets"))


# -- workloads ---------------------------------------------------------------------------
def mutag_graphs(quick: bool) -> tuple[list[Data], str]:
    raw = DATASETS / "TU" / "MUTAG" / "raw"
    if (raw / "MUTAG_A.txt").exists():
        from geode_core.datasets import TUDataset

        root = pathlib.Path(tempfile.mkdtemp())
        shutil.copytree(raw, root / "MUTAG" / "raw")
        graphs = [TUDataset(root, "MUTAG")[i] for i in range(188)]
        shutil.rmtree(root)
        source = "MUTAG"
    else:  # MUTAG-like: 10-28 nodes, ~2.2 directed edges per node, 7 features, 2 classes
        gen = torch.Generator().manual_seed(0)
        graphs = []
        for _ in range(188):
            n = int(torch.randint(10, 29, (1,), generator=gen))
            e = int(2.2 * n)
            graphs.append(Data(x=torch.randn(n, 7, generator=gen),
                               edge_index=torch.randint(0, n, (2, e), generator=gen),
                               y=torch.randint(0, 2, (1,), generator=gen)))
        source = "synthetic MUTAG-sized"
    repeat = 2 if quick else 8  # several copies: an epoch long enough to time
    return [g for _ in range(repeat) for g in graphs], source


def cora_subgraphs(quick: bool, batch_size: int) -> tuple[list[Data], str] | None:
    try:
        from geode_sampler import NeighborSampler
    except ImportError:
        return None
    raw = DATASETS / "planetoid" / "raw"
    if (raw / "ind.cora.x").exists():
        from geode_core.datasets import Planetoid

        root = pathlib.Path(tempfile.mkdtemp())
        (root / "Cora" / "raw").mkdir(parents=True)
        for f in raw.glob("ind.cora.*"):
            shutil.copy(f, root / "Cora" / "raw")
        data = Planetoid(root, "Cora")[0]
        shutil.rmtree(root)
        source = "Cora"
    else:
        gen = torch.Generator().manual_seed(0)
        data = Data(x=torch.randn(2708, 1433, generator=gen),
                    edge_index=torch.randint(0, 2708, (2, 10556), generator=gen),
                    y=torch.randint(0, 7, (2708,), generator=gen))
        source = "synthetic Cora-sized"
    sampler = NeighborSampler(data.edge_index, [10, 5], num_nodes=data.num_nodes)
    gen = torch.Generator().manual_seed(1)
    order = torch.randperm(data.num_nodes, generator=gen)
    count = data.num_nodes // batch_size if not quick else 8
    out = []
    for i in range(count):
        seeds = order[i * batch_size:(i + 1) * batch_size]
        s = sampler.sample(seeds, generator=gen)
        out.append(Data(x=data.x[s.n_id], edge_index=s.edge_index, y=data.y[s.n_id],
                        batch_size=seeds.numel()))
    return out, f"{source}, [10, 5] neighbours, {batch_size} seeds"


# -- model and steps ---------------------------------------------------------------------
class Net(torch.nn.Module):
    def __init__(self, in_channels: int, num_classes: int, graph_level: bool, hidden: int = 64):
        super().__init__()
        self.conv1 = GCNConv(in_channels, hidden, add_self_loops=False)
        self.conv2 = GCNConv(hidden, hidden, add_self_loops=False)
        self.pool = MeanAggregation() if graph_level else None
        self.head = torch.nn.Linear(hidden, num_classes)

    def forward(self, x, edge_index, batch, num_graphs: int):
        h = self.conv2(self.conv1(x, edge_index).relu(), edge_index).relu()
        if self.pool is not None:
            h = self.pool(h, batch, dim_size=num_graphs)
        return self.head(h)


def pyg_net(in_channels: int, num_classes: int, graph_level: bool, hidden: int = 64):
    from torch_geometric.nn import GCNConv as PyGGCN
    from torch_geometric.nn import global_mean_pool

    class PyGNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = PyGGCN(in_channels, hidden, add_self_loops=False)
            self.conv2 = PyGGCN(hidden, hidden, add_self_loops=False)
            self.head = torch.nn.Linear(hidden, num_classes)

        def forward(self, x, edge_index, batch, num_graphs: int):
            h = self.conv2(self.conv1(x, edge_index).relu(), edge_index).relu()
            if graph_level:
                h = global_mean_pool(h, batch, size=num_graphs)
            return self.head(h)
    return PyGNet()


def make_step(model, optimizer, num_graphs: int | None) -> Callable:
    """One training step on ``(x, edge_index, batch, y, mask)``; loss over ``mask`` only."""
    def step(x, edge_index, batch, y, mask):
        optimizer.zero_grad(set_to_none=False)
        out = model(x, edge_index, batch, num_graphs if num_graphs is not None else mask.numel())
        loss = masked_cross_entropy(out, y, mask)
        loss.backward()
        optimizer.step()
        return loss
    return step


def step_inputs(batch, graph_level: bool, device) -> tuple:
    """``(x, edge_index, batch, y, mask)`` on ``device``; mask marks graphs or seed nodes."""
    if graph_level:
        mask = batch.graphs_mask if "graphs_mask" in batch else torch.ones(batch.num_graphs, dtype=torch.bool)
    else:  # seed nodes come first in a sampled subgraph; "num_seeds" counts them
        mask = torch.arange(batch.num_nodes) < int(batch.num_seeds)
    return tuple(t.to(device) for t in (batch.x, batch.edge_index, batch.batch, batch.y.view(-1), mask))


def seed_batches(subgraphs: list[Data], options: FixedSizeOptions | None) -> list[Data]:
    """Sampled subgraphs as one-graph batches, padded to ``options`` when given."""
    from geode_core.data import Batch

    out = []
    for g in subgraphs:
        b = pad_data_list([g], options) if options is not None else Batch.from_data_list([g])
        b.num_seeds = g.batch_size
        out.append(b)
    return out


# -- measurement -------------------------------------------------------------------------
def sync(device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def build_modes(args, device, in_channels, num_classes, graph_level, plain, padded, num_graphs):
    """name -> (step callable, list of input tuples)."""
    torch.manual_seed(0)
    base = Net(in_channels, num_classes, graph_level).to(device)
    modes = {}

    def fresh(model=None, capturable=False):
        m = copy.deepcopy(base) if model is None else model.to(device)
        return m, torch.optim.Adam(m.parameters(), lr=0.01, capturable=capturable)

    plain_inputs = [step_inputs(b, graph_level, device) for b in plain]
    padded_inputs = [step_inputs(b, graph_level, device) for b in padded]
    plain_graphs = [b.num_graphs if graph_level else None for b in plain]

    def unpadded(model, optimizer):
        steps = [make_step(model, optimizer, g) for g in plain_graphs]
        return lambda i, inputs: steps[i](*inputs)

    m, o = fresh()
    modes["eager unpadded"] = (unpadded(m, o), plain_inputs)
    try:
        import geode_compile
        compile_fn = geode_compile.compile
    except ImportError:
        geode_compile, compile_fn = None, torch.compile
    m, o = fresh()
    modes["compiled unpadded"] = (unpadded(compile_fn(m, dynamic=True, backend=args.backend), o),
                                  plain_inputs)
    m, o = fresh()
    padded_step = make_step(m, o, num_graphs)
    modes["padded eager"] = (lambda i, inputs: padded_step(*inputs), padded_inputs)
    m, o = fresh(capturable=device.type == "cuda")  # the optimizer step is captured too
    compiled_step = make_step(compile_fn(m, dynamic=False, backend=args.backend), o, num_graphs)
    if geode_compile is not None:
        runner = geode_compile.StaticStepRunner(compiled_step, padded_inputs[0])
        label = "padded + CUDA graph" if device.type == "cuda" else "padded + compiled (runner, eager on CPU)"
        modes[label] = (lambda i, inputs: runner(*inputs), padded_inputs)
    else:
        modes["padded + compiled (no geode-compile)"] = (lambda i, inputs: compiled_step(*inputs),
                                                       padded_inputs)
    try:
        m, o = fresh(pyg_net(in_channels, num_classes, graph_level))
        modes["PyG eager unpadded"] = (unpadded(m, o), plain_inputs)
    except ImportError:
        pass
    return modes


def measure(modes: dict, items: int, repeats: int, device) -> dict:
    for run, inputs in modes.values():  # warm-up: compile, capture
        for i, x in enumerate(inputs):
            run(i, x)
    sync(device)
    times = {name: [] for name in modes}
    for _ in range(repeats):
        for name, (run, inputs) in modes.items():  # interleaved
            sync(device)
            t0 = time.perf_counter()
            for i, x in enumerate(inputs):
                run(i, x)
            sync(device)
            times[name].append(time.perf_counter() - t0)
    base = items / statistics.median(times["eager unpadded"])
    rows = {}
    for name, ts in times.items():
        rates = [items / t for t in ts]
        med = statistics.median(rates)
        rows[name] = {"items_per_s": med, "min": min(rates), "max": max(rates),
                      "ratio_vs_eager_unpadded": med / base, "epoch_s": statistics.median(ts)}
    return rows


def waste(dataset: list[Data], batch_size: int) -> dict:
    """Fraction of node and edge slots holding padding, per strategy (one epoch, planned)."""
    options = FixedSizeOptions.from_dataset(dataset, batch_size)
    out = {}
    # stream packing gets twice the graph slots, so the node and edge budgets bind
    for name, opts, strategy, graphs in [
            ("pad_to_max", options, "pad_to_max", batch_size),
            ("stream_pack", options, "stream_pack", 2 * batch_size),
            ("power_of_two", options.power_of_two(), "pad_to_max", batch_size)]:
        opts = opts._replace(num_graphs=graphs)
        eff = FixedSizeDataLoader(dataset, batch_size=graphs, fixed_size_options=opts,
                                  fixed_size_strategy=strategy).packing_efficiency()
        out[name] = {"node_waste": 1 - eff["nodes"], "edge_waste": 1 - eff["edges"],
                     "batches": eff["batches"], "num_nodes": opts.num_nodes,
                     "num_edges": opts.num_edges, "num_graphs": graphs}
    return out


def print_table(title: str, rows: dict, unit: str) -> None:
    print(f"\n{title}")
    print(f"{'mode':42} {unit + '/s':>12} {'spread':>21} {'ratio':>7}")
    for name, r in rows.items():
        spread = f"{r['min']:.0f}-{r['max']:.0f}"
        print(f"{name:42} {r['items_per_s']:12.0f} {spread:>21} {r['ratio_vs_eager_unpadded']:7.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small epochs, 3 repeats")
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--repeats", type=int, default=None)
    ap.add_argument("--batch-size", type=int, default=64, help="graphs per batch incl. padding")
    ap.add_argument("--seeds", type=int, default=128, help="seed nodes per sampled Cora batch")
    ap.add_argument("--backend", default=None,
                    help="torch.compile backend (default: inductor on cuda, aot_eager on cpu)")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (0: torch default)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: CUDA is not available")
    args.backend = args.backend or ("inductor" if device.type == "cuda" else "aot_eager")
    repeats = args.repeats or (3 if args.quick else 7)
    result = {"device": str(device), "backend": args.backend, "repeats": repeats,
              "batch_size": args.batch_size, "workloads": {},
              "machine": {"platform": platform.platform(), "machine": platform.machine(),
                          "python": platform.python_version(), "torch": torch.__version__,
                          "cpus": os.cpu_count(), "threads": torch.get_num_threads(),
                          "gpu": torch.cuda.get_device_name() if device.type == "cuda" else None}}

    graphs, source = mutag_graphs(args.quick)
    options = FixedSizeOptions.from_dataset(graphs, args.batch_size)
    plain = list(DataLoader(graphs, batch_size=args.batch_size - 1))
    padded = list(FixedSizeDataLoader(graphs, batch_size=args.batch_size, fixed_size_options=options))
    modes = build_modes(args, device, graphs[0].num_features, 2, True, plain, padded, args.batch_size)
    rows = measure(modes, len(graphs), repeats, device)
    print_table(f"graph classification ({source}, {len(graphs)} graphs/epoch, "
                f"batch_size={args.batch_size}, {options})", rows, "graphs")
    result["workloads"]["mutag"] = {"source": source, "graphs_per_epoch": len(graphs),
                                    "options": repr(options), "modes": rows,
                                    "padding_waste": waste(graphs, args.batch_size)}

    cora = cora_subgraphs(args.quick, args.seeds)
    if cora is None:
        print("\nsampled Cora: skipped (geode-sampler not installed)")
    else:
        subgraphs, source = cora
        cora_options = FixedSizeOptions.from_loader(subgraphs, sample_limit=len(subgraphs))
        plain_c = seed_batches(subgraphs, None)
        padded_c = seed_batches(subgraphs, cora_options)
        modes = build_modes(args, device, subgraphs[0].num_features, 7, False, plain_c,
                            padded_c, 2)
        seeds = sum(g.batch_size for g in subgraphs)
        rows = measure(modes, seeds, repeats, device)
        print_table(f"node classification ({source}, {len(subgraphs)} batches, {cora_options})",
                    rows, "seeds")
        real_nodes = sum(g.num_nodes for g in subgraphs)
        real_edges = sum(g.num_edges for g in subgraphs)
        result["workloads"]["cora_sampled"] = {
            "source": source, "seeds_per_epoch": seeds, "options": repr(cora_options),
            "modes": rows,
            "padding_waste": {"pad_to_max": {
                "node_waste": 1 - real_nodes / (len(subgraphs) * cora_options.num_nodes),
                "edge_waste": 1 - real_edges / (len(subgraphs) * max(cora_options.num_edges, 1))}}}

    print("\npadding waste (fraction of slots holding padding)")
    for workload, info in result["workloads"].items():
        for strategy, w in info["padding_waste"].items():
            print(f"  {workload:13} {strategy:13} nodes {w['node_waste']:.3f}  edges {w['edge_waste']:.3f}")
    # flat rows: what bench/render.py's generic table shows
    result["rows"] = [{"workload": w, "mode": mode, "items/s": r["items_per_s"],
                       "min": r["min"], "max": r["max"], "ratio": r["ratio_vs_eager_unpadded"]}
                      for w, info in result["workloads"].items() for mode, r in info["modes"].items()]
    out_dir = pathlib.Path(__file__).parent / "results"
    out_dir.mkdir(exist_ok=True)
    path = out_dir / f"ipu-{device.type}{'-quick' if args.quick else ''}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
