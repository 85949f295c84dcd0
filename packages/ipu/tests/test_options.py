"""FixedSizeOptions: validation, budgets per type, automatic budgets that cannot overflow."""

import itertools

import pytest
import torch

from geode_core.data import HeteroData
from geode_core.loader import DataLoader
from geode_ipu import FixedSizeOptions


@pytest.mark.parametrize("kwargs, name", [
    ({"num_nodes": 1}, "num_nodes"), ({"num_nodes": 10, "num_graphs": 1}, "num_graphs"),
    ({"num_nodes": 10, "num_edges": -1}, "num_edges"), ({"num_nodes": 2.5}, "num_nodes"),
    ({"num_nodes": {"a": 1}}, "num_nodes"),
])
def test_bad_budgets_name_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        FixedSizeOptions(**kwargs)


def test_defaults_and_edge_budget_default():
    o = FixedSizeOptions(num_nodes=10)
    assert (o.num_graphs, o.node_pad_value, o.edge_pad_value, o.graph_pad_value) == (2, 0, 0, 0)
    assert o.edge_budget() == 10 * 9  # complete directed graph without self-loops


def test_per_type_budgets():
    o = FixedSizeOptions(num_nodes={"paper": 10, "author": 4},
                         num_edges={("author", "writes", "paper"): 7})
    assert o.heterogeneous and o.node_budget("author") == 4
    assert o.edge_budget(("author", "writes", "paper")) == 7
    with pytest.raises(KeyError, match="cites"):
        o.edge_budget(("paper", "cites", "paper"))
    assert FixedSizeOptions(num_nodes={"a": 3, "b": 5}).edge_budget(("a", "to", "b")) == 15


def test_power_of_two_rounds_every_budget_up():
    o = FixedSizeOptions(num_nodes=100, num_edges=200, num_graphs=10).power_of_two()
    assert (o.num_nodes, o.num_edges, o.num_graphs) == (128, 256, 10)
    h = FixedSizeOptions(num_nodes={"a": 5, "b": 8}, num_edges={("a", "r", "b"): 9}).power_of_two()
    assert h.num_nodes == {"a": 8, "b": 8} and h.num_edges == {("a", "r", "b"): 16}


def test_from_dataset_budgets_cover_every_combination(graphs):
    batch_size = 4
    o = FixedSizeOptions.from_dataset(graphs, batch_size)
    assert o.num_graphs == batch_size
    worst_nodes = max(sum(g.num_nodes for g in c) for c in itertools.combinations(graphs, 3))
    worst_edges = max(sum(g.num_edges for g in c) for c in itertools.combinations(graphs, 3))
    assert o.num_nodes == worst_nodes + 1 and o.num_edges == worst_edges  # tight and safe
    rounded = FixedSizeOptions.from_dataset(graphs, batch_size, round_to_power_of_two=True)
    assert rounded.num_nodes == 32 and rounded.num_edges == 64
    with pytest.raises(ValueError, match="batch_size"):
        FixedSizeOptions.from_dataset(graphs, 1)


def test_from_dataset_heterogeneous_sums_per_type():
    data = []
    for a, p, w in [(2, 3, 4), (5, 1, 2), (1, 6, 3)]:
        h = HeteroData()
        h["author"].x = torch.zeros(a, 1)
        h["paper"].x = torch.zeros(p, 1)
        h["author", "writes", "paper"].edge_index = torch.zeros(2, w, dtype=torch.long)
        data.append(h)
    o = FixedSizeOptions.from_dataset(data, 3)
    assert o.num_nodes == {"author": 5 + 2 + 1, "paper": 6 + 3 + 1}
    assert o.num_edges == {("author", "writes", "paper"): 4 + 3}


def test_from_loader_takes_the_largest_batch_seen(graphs):
    loader = DataLoader(graphs, batch_size=3)
    o = FixedSizeOptions.from_loader(loader)
    batches = list(loader)
    assert o.num_nodes == max(b.num_nodes for b in batches) + 1
    assert o.num_edges == max(b.num_edges for b in batches)
    assert o.num_graphs == 4
    first_only = FixedSizeOptions.from_loader(loader, sample_limit=1)
    assert first_only.num_nodes == batches[0].num_nodes + 1
