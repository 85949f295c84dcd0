"""Heterogeneous GNN speed: Geode vs PyG 2.8 side by side, forward + backward per step.

* hetero GraphSAGE (2 layers, ``to_hetero``) on a synthetic graph with 10 node types and
  30 edge types (100,000 nodes, ~1M edges, 64 channels; ``--quick``: 20,000 / 200,000). Each
  side gets the graph as its users would pass it for speed: Geode ``HeteroData.adj_t_dict``
  (destination-sorted CSR, built once), PyG both plain ``edge_index`` and its fastest input
  without torch-sparse, a transposed torch sparse CSR adjacency per edge type;
* RGCNConv (64 -> 64, 30 relations, mean) on the same graph viewed as one typed graph;
* HeteroLinear with 2, 10, 100 and 1000 types (20,000 rows, 64 -> 64) against a per-type loop
  of ``torch.nn.Linear`` layers (finding each type's rows, as user code must) and PyG's
  HeteroLinear.

Repeats are interleaved (each repeat runs every implementation once), medians reported with
the min-max spread (HeteroLinear below 1000 types: three times the repeats). Usage: python bench/hetero.py [--quick] [--repeats 7] [--threads 1].
Writes bench/results/hetero[-quick].json.

``--crossover`` instead times HeteroLinear's two ``hetero_linear`` kernels forced (``type_loop``
and ``sorted``) at 1 to 64 types: the measurement behind ``LOOP_MAX_TYPES`` in
``geode_hetero/typed_linear_kernels.py``; writes bench/results/hetero-crossover.json.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import platform
import statistics
import time
import warnings

import torch

NUM_NODE_TYPES, NUM_EDGE_TYPES, CHANNELS = 10, 30, 64


def synthetic_graph(nodes_per_type: int, num_edges: int, seed: int = 0):
    gen = torch.Generator().manual_seed(seed)
    node_types = [f"n{i}" for i in range(NUM_NODE_TYPES)]
    x_dict = {t: torch.randn(nodes_per_type, CHANNELS, generator=gen) for t in node_types}
    edge_index_dict = {}
    for r in range(NUM_EDGE_TYPES):
        src = node_types[int(torch.randint(0, NUM_NODE_TYPES, (1,), generator=gen))]
        dst = node_types[r % NUM_NODE_TYPES]
        edge_index_dict[(src, f"r{r}", dst)] = torch.randint(
            0, nodes_per_type, (2, num_edges // NUM_EDGE_TYPES), generator=gen)
    return x_dict, edge_index_dict, (node_types, list(edge_index_dict))


def homogeneous_view(x_dict, edge_index_dict, nodes_per_type):
    offset = {t: i * nodes_per_type for i, t in enumerate(x_dict)}
    x = torch.cat(list(x_dict.values()))
    edge_index = torch.cat([ei + torch.tensor([[offset[s]], [offset[d]]])
                            for (s, _, d), ei in edge_index_dict.items()], dim=1)
    edge_type = torch.cat([torch.full((ei.size(1),), r) for r, ei in enumerate(edge_index_dict.values())])
    return x, edge_index, edge_type


def hetero_data(x_dict, edge_index_dict):
    from geode_core.data import HeteroData

    data = HeteroData()
    for t, x in x_dict.items():
        data[t].x = x
    for e, ei in edge_index_dict.items():
        data[e].edge_index = ei
    return data


def pyg_csr_adj_t(edge_index_dict, nodes_per_type):
    """PyG's fastest torch-only input: per edge type the [num_dst, num_src] sparse CSR matrix."""
    from torch_geometric.utils import to_torch_csr_tensor

    warnings.filterwarnings("ignore", message="Sparse invariant checks are implicitly disabled")
    return {e: to_torch_csr_tensor(ei.flip(0), size=(nodes_per_type, nodes_per_type))
            for e, ei in edge_index_dict.items()}


def sage_model(sage_conv):
    class Sage(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = sage_conv((-1, -1), CHANNELS)
            self.conv2 = sage_conv((-1, -1), CHANNELS)

        def forward(self, x, edge_index):
            return self.conv2(self.conv1(x, edge_index).relu(), edge_index)

    return Sage()


def typed_linear_loop(num_types):
    """The per-type loop a user writes: find each type's rows, apply its Linear, put back."""
    lins = torch.nn.ModuleList(torch.nn.Linear(CHANNELS, CHANNELS) for _ in range(num_types))

    def run(x, type_vec):
        out = x.new_empty(x.size(0), CHANNELS)
        for t, lin in enumerate(lins):
            rows = (type_vec == t).nonzero().view(-1)
            out.index_copy_(0, rows, lin(x.index_select(0, rows)))
        return out

    return run


def step(model, *inputs):
    """One forward + backward of ``model(*inputs)``."""
    def run():
        out = model(*inputs)
        loss = sum(o.mean() for o in out.values()) if isinstance(out, dict) else out.mean()
        loss.backward()
    return run


def machine_info(pyg) -> dict:
    return {"machine": platform.machine(), "processor": platform.processor(),
            "python": platform.python_version(), "torch": torch.__version__,
            "pyg": None if pyg is None else __import__("torch_geometric").__version__}


def measure(candidates: dict, repeats: int) -> dict:
    for run in candidates.values():  # warm-up (lazy shapes, caches)
        run()
    times = {name: [] for name in candidates}
    for _ in range(repeats):
        for name, run in candidates.items():
            t0 = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - t0) * 1e3)
    return {name: {"median_ms": statistics.median(ts), "min_ms": min(ts), "max_ms": max(ts)}
            for name, ts in times.items()}


def crossover(repeats: int) -> list:
    """``type_loop`` vs ``sorted`` time per HeteroLinear step, by number of types."""
    from geode_core.ops import use_kernel
    from geode_hetero import HeteroLinear

    def forced(kernel, run):
        def call():
            with use_kernel("hetero_linear", kernel):
                run()
        return call

    rows = []
    print(f"{'types':>6} {'type_loop ms':>16} {'sorted ms':>16} {'loop/sorted':>12} {'(of minima)':>12}")
    for num_types in (1, 2, 4, 8, 16, 32, 64):
        xs = torch.randn(20_000, CHANNELS, requires_grad=True)
        type_vec = torch.randint(0, num_types, (20_000,))
        run = step(HeteroLinear(CHANNELS, CHANNELS, num_types), xs, type_vec)
        res = measure({k: forced(k, run) for k in ("type_loop", "sorted")}, repeats)
        loop, fast = res["type_loop"], res["sorted"]
        ratio, ratio_min = loop["median_ms"] / fast["median_ms"], loop["min_ms"] / fast["min_ms"]
        print(f"{num_types:>6} {loop['median_ms']:>8.2f} ({loop['min_ms']:5.1f}) "
              f"{fast['median_ms']:>8.2f} ({fast['min_ms']:5.1f}) {ratio:>11.2f}x {ratio_min:>11.2f}x")
        rows.append({"num_types": num_types, **res, "loop_over_sorted": ratio,
                     "loop_over_sorted_of_minima": ratio_min})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20,000 nodes / 200,000 edges")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--threads", type=int, default=1, help="torch intra-op threads (0: torch's default)")
    ap.add_argument("--crossover", action="store_true", help="time HeteroLinear's kernels by type count")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    out_dir = pathlib.Path(__file__).parent / "results"
    out_dir.mkdir(exist_ok=True)
    if args.crossover:
        result = {"rows": 20_000, "channels": CHANNELS, "repeats": args.repeats,
                  "threads": torch.get_num_threads(), "results": crossover(args.repeats),
                  "machine": machine_info(None)}
        (out_dir / "hetero-crossover.json").write_text(json.dumps(result, indent=2) + "\n")
        return
    nodes_per_type, num_edges = (2_000, 200_000) if args.quick else (10_000, 1_000_000)
    try:
        import torch_geometric.nn as pyg
    except ImportError:
        pyg = None

    import geode_core.nn as gnn
    from geode_hetero import HeteroLinear, RGCNConv, to_hetero

    torch.manual_seed(0)
    x_dict, ei_dict, metadata = synthetic_graph(nodes_per_type, num_edges)
    rows = []

    adj_t_dict = hetero_data(x_dict, ei_dict).adj_t_dict
    sage = {"geode": step(to_hetero(sage_model(gnn.SAGEConv), metadata), x_dict, adj_t_dict)}
    if pyg is not None:
        sage["pyg"] = step(pyg.to_hetero(sage_model(pyg.SAGEConv), metadata), x_dict, ei_dict)
        sage["pyg_csr"] = step(pyg.to_hetero(sage_model(pyg.SAGEConv), metadata), x_dict,
                               pyg_csr_adj_t(ei_dict, nodes_per_type))
    rows.append(("hetero GraphSAGE (to_hetero)", measure(sage, args.repeats)))

    x, edge_index, edge_type = homogeneous_view(x_dict, ei_dict, nodes_per_type)
    x.requires_grad_()
    rgcn = {"geode": step(RGCNConv(CHANNELS, CHANNELS, NUM_EDGE_TYPES), x, edge_index, edge_type)}
    if pyg is not None:
        rgcn["pyg"] = step(pyg.RGCNConv(CHANNELS, CHANNELS, NUM_EDGE_TYPES), x, edge_index, edge_type)
    rows.append(("RGCNConv", measure(rgcn, args.repeats)))

    for num_types in (2, 10, 100, 1000):
        n = 20_000
        xs = torch.randn(n, CHANNELS, requires_grad=True)
        type_vec = torch.randint(0, num_types, (n,))
        lin = {"geode": step(HeteroLinear(CHANNELS, CHANNELS, num_types), xs, type_vec),
               "loop": step(typed_linear_loop(num_types), xs, type_vec)}
        if pyg is not None and num_types <= 100:  # PyG's loop takes ~15 s a step at 1000 types
            lin["pyg"] = step(pyg.HeteroLinear(CHANNELS, CHANNELS, num_types), xs, type_vec)
        # steps of milliseconds: three times the repeats steady the medians at little cost
        # (not at 1000 types, where the loop takes seconds a step)
        repeats = args.repeats if num_types >= 1000 else 3 * args.repeats
        rows.append((f"HeteroLinear, {num_types} types", {**measure(lin, repeats), "repeats": repeats}))

    print(f"{'workload':32} {'geode ms':>16} {'baseline ms':>16} {'baseline':>9} {'speed-up':>9}")
    table = []
    for name, res in rows:
        res = dict(res)
        repeats = res.pop("repeats", args.repeats)
        baseline = "loop" if "loop" in res else "pyg"
        g = res["geode"]
        b = res.get(baseline)
        spread = lambda r: f"{r['median_ms']:.1f} ({r['min_ms']:.0f}-{r['max_ms']:.0f})"  # noqa: E731
        ratio = b["median_ms"] / g["median_ms"] if b else None
        print(f"{name:32} {spread(g):>16} {spread(b) if b else '-':>16} {baseline:>9} "
              f"{f'{ratio:.2f}x' if ratio else '-':>9}")
        others = [k for k in res if k not in ("geode", baseline)]
        for other in others:
            print(f"{'':32} {'':>16} {spread(res[other]):>16} {other:>9} "
                  f"{res[other]['median_ms'] / g['median_ms']:.2f}x")
        table.append({"workload": name, **res, "repeats": repeats, "baseline": baseline, "speedup": ratio,
                      **{f"speedup_{k}": res[k]["median_ms"] / g["median_ms"] for k in others}})
    result = {
        "graph": {"node_types": NUM_NODE_TYPES, "edge_types": NUM_EDGE_TYPES,
                  "num_nodes": nodes_per_type * NUM_NODE_TYPES, "num_edges": num_edges,
                  "channels": CHANNELS},
        "repeats": args.repeats, "threads": torch.get_num_threads(), "results": table,
        "machine": machine_info(pyg),
    }
    path = out_dir / f"hetero{'-quick' if args.quick else ''}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
