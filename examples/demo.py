"""Geode demo: train and evaluate four GNNs on built-in data and print a results table.

Karate Club ships with geode-core. When the Planetoid files are present (``$GEODE_DATASETS``
or ``../shared/datasets`` beside the checkout), Cora with its public split is trained too.
Run with ``nox -s demo`` (sets everything up) or ``python examples/demo.py``.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import tempfile
import time

import torch
import torch.nn.functional as F

from geode_core.datasets import KarateClub, Planetoid
from geode_core.nn import GATConv, GCNConv, GINConv, SAGEConv


class TwoLayer(torch.nn.Module):
    """conv -> ReLU -> dropout -> conv, for any of the four layer kinds."""

    def __init__(self, kind: str, in_channels: int, hidden: int, out_channels: int):
        super().__init__()
        if kind == "GCN":
            self.conv1, self.conv2 = GCNConv(in_channels, hidden), GCNConv(hidden, out_channels)
        elif kind == "GraphSAGE":
            self.conv1, self.conv2 = SAGEConv(in_channels, hidden), SAGEConv(hidden, out_channels)
        elif kind == "GAT":
            self.conv1 = GATConv(in_channels, 8, heads=8, dropout=0.6)
            self.conv2 = GATConv(64, out_channels, heads=1, dropout=0.6)
        else:
            mlp = lambda i, o: torch.nn.Sequential(torch.nn.Linear(i, o), torch.nn.ReLU(), torch.nn.Linear(o, o))  # noqa: E731
            self.conv1, self.conv2 = GINConv(mlp(in_channels, hidden)), GINConv(mlp(hidden, out_channels))

    def forward(self, x, edge_index):
        x = F.dropout(x, p=0.5, training=self.training)
        x = F.relu(self.conv1(x, edge_index))
        x = F.dropout(x, p=0.5, training=self.training)
        return self.conv2(x, edge_index)


def train_and_evaluate(kind, data, train_mask, test_mask, num_classes, epochs=200):
    torch.manual_seed(0)
    model = TwoLayer(kind, data.x.size(1), 16, num_classes)
    opt = torch.optim.Adam(model.parameters(), lr=0.01 if kind != "GAT" else 0.005, weight_decay=5e-4)
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        opt.zero_grad()
        F.cross_entropy(model(data.x, data.edge_index)[train_mask], data.y[train_mask]).backward()
        opt.step()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        pred = model(data.x, data.edge_index).argmax(-1)
    acc = (pred[test_mask] == data.y[test_mask]).float().mean().item()
    return acc, seconds / epochs * 1e3


def cora():
    root = pathlib.Path(os.environ.get("GEODE_DATASETS", pathlib.Path(__file__).resolve().parents[2] / "shared" / "datasets"))
    raw = root / "planetoid" / "raw"
    if not raw.is_dir():
        return None
    work = pathlib.Path(tempfile.mkdtemp(prefix="geode-demo-"))
    shutil.copytree(raw, work / "Cora" / "raw", ignore=shutil.ignore_patterns("*citeseer*"))
    return Planetoid(str(work), "Cora")[0]


def main() -> None:
    rows = []
    karate = KarateClub()[0]
    test_mask = ~karate.train_mask
    for kind in ("GCN", "GraphSAGE", "GIN", "GAT"):
        acc, ms = train_and_evaluate(kind, karate, karate.train_mask, test_mask, int(karate.y.max()) + 1)
        rows.append(("KarateClub", kind, acc, ms))
    data = cora()
    if data is not None:
        for kind in ("GCN", "GraphSAGE", "GIN", "GAT"):
            acc, ms = train_and_evaluate(kind, data, data.train_mask, data.test_mask, 7)
            rows.append(("Cora", kind, acc, ms))
    else:
        print("(Cora skipped: put the Planetoid raw files under $GEODE_DATASETS/planetoid/raw)")
    print(f"{'dataset':11} {'model':10} {'test acc':>9} {'ms/epoch':>9}")
    for dataset, kind, acc, ms in rows:
        print(f"{dataset:11} {kind:10} {acc:9.3f} {ms:9.1f}")


if __name__ == "__main__":
    main()
