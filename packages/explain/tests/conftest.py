"""Tiny models for every task level, shared by the explain tests."""

from __future__ import annotations

import pytest
import torch

from geode_core.nn.conv import GATConv, GCNConv
from geode_core.utils import scatter

NUM_NODES, NUM_FEATURES, NUM_CLASSES = 8, 3, 3


def out_channels(mode: str) -> int:
    return NUM_CLASSES if mode == "multiclass_classification" else 1


class NodeModel(torch.nn.Module):
    def __init__(self, out: int, conv=GCNConv):
        super().__init__()
        self.conv1, self.conv2 = conv(NUM_FEATURES, 6), conv(6, out)

    def forward(self, x, edge_index):
        return self.conv2(self.conv1(x, edge_index).relu(), edge_index)


class GraphModel(torch.nn.Module):
    def __init__(self, out: int, conv=GCNConv):
        super().__init__()
        self.conv1, self.conv2 = conv(NUM_FEATURES, 6), conv(6, 6)
        self.lin = torch.nn.Linear(6, out)

    def forward(self, x, edge_index, batch):
        h = self.conv2(self.conv1(x, edge_index).relu(), edge_index)
        return self.lin(scatter(h, batch, dim=0, dim_size=int(batch.max()) + 1, reduce="mean"))


class EdgeModel(torch.nn.Module):
    """Scores the node pairs of ``edge_label_index`` from two-layer embeddings."""

    def __init__(self, out: int, conv=GCNConv):
        super().__init__()
        self.conv1, self.conv2 = conv(NUM_FEATURES, 6), conv(6, 6)
        self.lin = torch.nn.Linear(6, out)

    def forward(self, x, edge_index, edge_label_index):
        h = self.conv2(self.conv1(x, edge_index).relu(), edge_index)
        return self.lin(h[edge_label_index[0]] * h[edge_label_index[1]])


def make_model(task_level: str, mode: str, conv=GCNConv) -> torch.nn.Module:
    torch.manual_seed(0)
    cls = {"node": NodeModel, "graph": GraphModel, "edge": EdgeModel}[task_level]
    return cls(out_channels(mode), conv).eval()


def make_inputs(task_level: str):
    """(x, edge_index, model kwargs, index) of a small graph (two graphs for graph level)."""
    g = torch.Generator().manual_seed(1)
    x = torch.randn(NUM_NODES, NUM_FEATURES, generator=g)
    ring = torch.arange(NUM_NODES)
    pairs = torch.stack([ring, (ring + 1) % NUM_NODES])
    edge_index = torch.cat([pairs, pairs.flip(0), torch.tensor([[0, 2], [5, 6]])], dim=1)
    if task_level == "graph":
        batch = torch.tensor([0] * 4 + [1] * 4)
        within = (batch[edge_index[0]] == batch[edge_index[1]])
        return x, edge_index[:, within], {"batch": batch}, torch.tensor([1])
    if task_level == "edge":
        return x, edge_index, {"edge_label_index": torch.tensor([[0, 1, 3], [4, 5, 7]])}, torch.tensor([0, 2])
    return x, edge_index, {}, torch.tensor([2])


@pytest.fixture
def node_data():
    return make_inputs("node")


@pytest.fixture
def gat_node_model():
    return make_model("node", "multiclass_classification", conv=lambda i, o: GATConv(i, o, heads=2, concat=False))


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny graphs run faster on one thread (on a loaded 2-core machine, 10x faster)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
