"""Explanation quality on BA-shapes: Geode's explainers and PyG 2.8's on the same graph and weights.

Protocol (GNNExplainer paper, node classification): BA-shapes = a Barabási-Albert base graph
of 300 nodes (5 edges per new node) with 80 five-node houses, each tied to a random base
node by one edge; constant features (x = 1, one column); labels 0 base / 1 roof / 2 middle
/ 3 bottom. A 3-layer GCN (32 channels, ReLU, linear classifier) is trained on all nodes
to >= 95% accuracy. For each explained motif node v, the explainer's edge mask is read on
the directed edges of v's 3-hop computation subgraph (both endpoints within 3 hops of v);
an edge is positive iff both its endpoints lie in v's own house. Scores and labels of all
explained nodes are pooled and scored by one AUROC. Both libraries explain the model's own
prediction (phenomenon = predicted class) with the same trained weights.

Usage: python bench/explain.py [--quick] [--nodes N] [--repeats R]
Writes bench/results/explain[-quick].json.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import platform
import statistics
import time

import torch

from geode_core.datasets import ExplainerDataset
from geode_core.datasets.graph_generator import BAGraph
from geode_core.nn.conv import GCNConv
from geode_core.utils import k_hop_subgraph
from geode_explain import Explainer, GNNExplainer, PGExplainer
from geode_explain.metric import groundtruth_metrics

PROTOCOL = __doc__.split("\n\n")[1].replace("\n", " ")
HOPS = 3


class GCN(torch.nn.Module):
    """Three GCNConv layers with ReLU and a linear classifier."""

    def __init__(self, in_channels: int, hidden: int, num_classes: int, conv=GCNConv):
        super().__init__()
        self.convs = torch.nn.ModuleList([conv(in_channels, hidden), conv(hidden, hidden),
                                          conv(hidden, hidden)])
        self.lin = torch.nn.Linear(hidden, num_classes)

    def forward(self, x, edge_index):
        for conv in self.convs:
            x = conv(x, edge_index).relu()
        return self.lin(x)


def ba_shapes(seed: int = 0):
    torch.manual_seed(seed)
    data = ExplainerDataset(BAGraph(300, 5), "house", num_motifs=80)[0]
    data.x = torch.ones(data.num_nodes, 1)
    return data


def train_gcn(data, seed: int = 0, epochs: int = 1500, target_acc: float = 0.95):
    """Train until ``target_acc`` training accuracy (checked every 50 epochs) or ``epochs``."""
    torch.manual_seed(seed)
    model = GCN(1, 32, 4)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    acc = 0.0
    for epoch in range(epochs):
        model.train()
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(data.x, data.edge_index), data.y)
        loss.backward()
        opt.step()
        if epoch % 50 == 49:
            model.eval()
            with torch.no_grad():
                acc = float((model(data.x, data.edge_index).argmax(-1) == data.y).float().mean())
            if acc >= target_acc:
                break
    model.eval()
    return model, acc


def motif_nodes(data, count: int | None, seed: int = 0):
    nodes = data.node_mask.nonzero().view(-1)
    if count is not None and count < nodes.numel():
        nodes = nodes[torch.randperm(nodes.numel(), generator=torch.Generator().manual_seed(seed))[:count]]
    return nodes.sort().values


def pooled_auroc(data, edge_masks: dict[int, torch.Tensor]) -> float:
    """The protocol's pooled AUROC over each node's 3-hop computation-subgraph edges."""
    scores, labels = [], []
    first_motif = int(data.node_mask.nonzero().min())
    for node, mask in edge_masks.items():
        _, _, _, sub = k_hop_subgraph(node, HOPS, data.edge_index, num_nodes=data.num_nodes)
        house = (node - first_motif) // 5
        lo = first_motif + 5 * house
        in_house = (data.edge_index >= lo) & (data.edge_index < lo + 5)
        scores.append(mask[sub])
        labels.append((in_house[0] & in_house[1])[sub])
    return groundtruth_metrics(torch.cat(scores), torch.cat(labels), "auroc")


def geode_explainer(model, algorithm):
    return Explainer(model, algorithm, "phenomenon",
                     dict(mode="multiclass_classification", task_level="node", return_type="raw"),
                     edge_mask_type="object")


def run_geode(model, data, nodes, method: str, seed: int = 0):
    """Edge masks per explained node from Geode's GNNExplainer or PGExplainer."""
    torch.manual_seed(seed)
    target = model(data.x, data.edge_index).argmax(-1).detach()
    if method == "GNNExplainer":
        explainer = geode_explainer(model, GNNExplainer(epochs=100, lr=0.01, log=False))
    else:
        explainer = geode_explainer(model, PGExplainer(epochs=30, lr=0.003))
        for epoch in range(30):
            explainer.algorithm.train(epoch, model, data.x, data.edge_index, target=target, index=nodes)
    return {int(n): explainer(data.x, data.edge_index, target=target, index=int(n)).edge_mask
            for n in nodes}


def pyg_model(model):
    """The same GCN built from PyG's GCNConv, with Geode's weights copied in."""
    from torch_geometric.nn import GCNConv as PyGGCNConv

    twin = GCN(1, 32, 4, conv=PyGGCNConv)
    with torch.no_grad():
        for mine, theirs in zip(model.convs, twin.convs):
            theirs.lin.weight.copy_(mine.lin.weight)
            theirs.bias.copy_(mine.bias)
        twin.lin.load_state_dict(model.lin.state_dict())
    return twin.eval()


def run_pyg(model, data, nodes, method: str, seed: int = 0):
    from torch_geometric.explain import Explainer as PyGExplainer
    from torch_geometric.explain.algorithm import GNNExplainer as PyGGNN
    from torch_geometric.explain.algorithm import PGExplainer as PyGPG

    torch.manual_seed(seed)
    target = model(data.x, data.edge_index).argmax(-1).detach()
    algorithm = PyGGNN(epochs=100, lr=0.01) if method == "GNNExplainer" else PyGPG(epochs=30, lr=0.003)
    explainer = PyGExplainer(model, algorithm, explanation_type="phenomenon", edge_mask_type="object",
                             model_config=dict(mode="multiclass_classification", task_level="node",
                                               return_type="raw"))
    if method == "PGExplainer":
        for epoch in range(30):
            for n in nodes:
                explainer.algorithm.train(epoch, model, data.x, data.edge_index, target=target, index=int(n))
    return {int(n): explainer(data.x, data.edge_index, target=target, index=int(n)).edge_mask.detach()
            for n in nodes}


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"median": statistics.median(ordered), "min": ordered[0], "max": ordered[-1], "all": values}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="explain 20 motif nodes instead of 60")
    ap.add_argument("--nodes", type=int, default=None, help="number of motif nodes explained")
    ap.add_argument("--repeats", type=int, default=1,
                    help="explainer seeds, run interleaved (Geode, PyG, Geode, ...)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    count = args.nodes or (20 if args.quick else 60)
    data = ba_shapes()
    model, acc = train_gcn(data)
    nodes = motif_nodes(data, count)
    try:
        twin = pyg_model(model)
        agree = bool((twin(data.x, data.edge_index).argmax(-1) == model(data.x, data.edge_index).argmax(-1)).all())
    except ImportError:
        twin, agree = None, None
    print(PROTOCOL)
    print(f"\nGCN train accuracy {acc:.3f}; explained motif nodes: {nodes.numel()}; "
          f"PyG twin predicts identically: {agree}; repeats: {args.repeats}\n")
    libs = [("geode", run_geode, model)] + ([("pyg", run_pyg, twin)] if twin is not None else [])
    rows = []
    for method in ("GNNExplainer", "PGExplainer"):
        runs: dict[str, dict[str, list[float]]] = {lib: {"auroc": [], "seconds": []} for lib, _, _ in libs}
        for seed in range(args.repeats):
            for lib, fn, m in libs:
                t0 = time.perf_counter()
                masks = fn(m, data, nodes, method, seed=seed)
                runs[lib]["seconds"].append(time.perf_counter() - t0)
                runs[lib]["auroc"].append(pooled_auroc(data, masks))
        rows.append({"method": method, **{f"{lib}_{key}": summary(values)
                                          for lib, r in runs.items() for key, values in r.items()}})
    nan = {"median": float("nan"), "min": float("nan"), "max": float("nan")}
    print(f"{'method':<14}{'Geode AUROC (min-max)':>24}{'PyG AUROC (min-max)':>24}{'Geode s':>9}"
          f"{'PyG s':>8}{'PyG/Geode time':>16}")
    for r in rows:
        ga, pa = r["geode_auroc"], r.get("pyg_auroc", nan)
        gs, ps = r["geode_seconds"]["median"], r.get("pyg_seconds", nan)["median"]
        print(f"{r['method']:<14}{ga['median']:>10.3f} ({ga['min']:.3f}-{ga['max']:.3f})"
              f"{pa['median']:>10.3f} ({pa['min']:.3f}-{pa['max']:.3f}){gs:>9.1f}{ps:>8.1f}{ps / gs:>16.2f}")
    out = pathlib.Path(__file__).parent / "results" / ("explain-quick.json" if args.quick else "explain.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({
        "protocol": PROTOCOL, "train_accuracy": acc, "explained_nodes": nodes.numel(),
        "repeats": args.repeats, "rows": rows,
        "machine": {"python": platform.python_version(), "torch": torch.__version__,
                    "platform": platform.platform(), "processor": platform.processor(),
                    "threads": torch.get_num_threads()}}, indent=2))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
